"""A committee's history: who changed its members, meetings, decisions, from what to what.

django-simple-history records every change; this reads them back for one committee, newest
first, paged in the database (one UNION over the history tables picks the page) so that old
changes stay reachable however many there are, and a page costs the same queries whatever its
position.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import CharField, QuerySet, Value
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fithub.committees.models import (
    Attendance,
    Candidate,
    Committee,
    Decision,
    Election,
    Meeting,
    Member,
    MinutesApproval,
)

# Bookkeeping, not something a reader changed.
SKIPPED = {"revision", "created_at", "uid", "number", "results_recorded_at", "approved_at"}


@dataclass
class Entry:
    when: datetime
    who: str
    action: str
    model: str
    object_label: str
    object_url: str = ""
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)


def _meeting_label(meeting: Meeting | None) -> str:
    return str(meeting) if meeting else _("a deleted meeting")


@dataclass(frozen=True)
class _Source:
    model: type[models.Model]
    related: tuple[str, ...]
    label: Callable[[Any], str]
    records: Callable[[Committee], QuerySet[Any]]


def _meetings(c: Committee) -> QuerySet[Meeting]:
    return Meeting.objects.filter(committee=c).values("pk")  # type: ignore[return-value]


SOURCES: dict[str, _Source] = {
    "committee": _Source(
        Committee, (), lambda r: str(r.instance), lambda c: Committee.history.filter(id=c.pk)
    ),
    "member": _Source(
        Member, (), lambda r: r.name, lambda c: Member.history.filter(committee_id=c.pk)
    ),
    "election": _Source(
        Election, (), lambda r: r.title, lambda c: Election.history.filter(committee_id=c.pk)
    ),
    "candidate": _Source(
        Candidate,
        ("election",),
        lambda r: f"{r.name} · {r.election.title if r.election else ''}",
        lambda c: Candidate.history.filter(
            election_id__in=Election.objects.filter(committee=c).values("pk")
        ),
    ),
    "meeting": _Source(
        Meeting,
        (),
        lambda r: _meeting_label(r.instance),
        lambda c: Meeting.history.filter(committee_id=c.pk),
    ),
    "attendance": _Source(
        Attendance,
        ("member", "meeting"),
        lambda r: f"{r.member.name if r.member else '—'} · {_meeting_label(r.meeting)}",
        lambda c: Attendance.history.filter(meeting_id__in=_meetings(c)),
    ),
    "decision": _Source(
        Decision,
        ("meeting",),
        lambda r: f"{r.instance} · {_meeting_label(r.meeting)}",
        lambda c: Decision.history.filter(committee_id=c.pk),
    ),
    "approval": _Source(
        MinutesApproval,
        ("member", "meeting"),
        lambda r: f"{r.member.name if r.member else '—'} · {_meeting_label(r.meeting)}",
        lambda c: MinutesApproval.history.filter(meeting_id__in=_meetings(c)),
    ),
}


def committee_changes(committee: Committee) -> QuerySet[Any]:
    """Return (history_date, history_id, kind) of every change to the committee, newest first."""
    parts = [
        source.records(committee)
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("history_date", "history_id", "kind")
        .order_by()
        for kind, source in SOURCES.items()
    ]
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-history_date", "-history_id")


def _shown(f: Any, value: Any, labels: dict[tuple[Any, Any], str]) -> Any:
    """Return a stored value as readers see it: a choice's label, a related object's name."""
    if value is None or value == "":
        return "—"
    if isinstance(f, models.ForeignKey):
        return labels.get((f.related_model, value), _("#%(id)s (deleted)") % {"id": value})
    if f.choices:
        return dict(f.flatchoices).get(value, value)
    if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
        return date_format(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def labelled(rows: Sequence[tuple[datetime, int, str]]) -> list[Entry]:
    """Turn a page of committee_changes into entries, a few queries per kind of record."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for _when, history_id, kind in rows:
        wanted[kind].append(history_id)
    records: dict[tuple[str, int], Any] = {}
    previous: dict[tuple[str, int], Any] = {}
    for kind, ids in wanted.items():
        source = SOURCES[kind]
        history = source.model.history  # type: ignore[attr-defined]
        found = list(
            history.filter(history_id__in=ids).select_related("history_user", *source.related)
        )
        for rec in found:
            records[kind, rec.history_id] = rec
        # The version before each changed record, fetched at once for the page.
        changed = [r for r in found if r.history_type == "~"]
        if changed:
            latest = max(r.history_date for r in changed)
            versions = history.filter(
                id__in={r.id for r in changed}, history_date__lte=latest
            ).order_by("history_date", "history_id")
            last: dict[Any, Any] = {}
            for v in versions:
                previous[kind, v.history_id] = last.get(v.id)
                last[v.id] = v
    diffs: dict[tuple[str, int], list[tuple[Any, Any, Any]]] = {}
    refs: dict[Any, set[Any]] = defaultdict(set)
    for key, rec in records.items():
        prev = previous.get(key)
        if rec.history_type != "~" or prev is None:
            continue
        diff = []
        for change in rec.diff_against(prev, excluded_fields=SKIPPED).changes:
            f = rec.instance_type._meta.get_field(change.field)
            diff.append((f, change.old, change.new))
            if isinstance(f, models.ForeignKey):
                refs[f.related_model] |= {change.old, change.new} - {None}
        diffs[key] = diff
    labels: dict[tuple[Any, Any], str] = {}
    for model, pks in refs.items():
        for obj in model._base_manager.filter(pk__in=pks):
            labels[model, obj.pk] = str(obj)
    entries = []
    for _when, history_id, kind in rows:
        rec = records.get((kind, history_id))
        if rec is None:
            continue
        source = SOURCES[kind]
        fields = [
            (str(f.verbose_name), _shown(f, old, labels), _shown(f, new, labels))
            for f, old, new in diffs.get((kind, history_id), [])
        ]
        entries.append(
            Entry(
                when=rec.history_date,
                who=str(rec.history_user or "—"),
                action=rec.get_history_type_display(),
                model=str(source.model._meta.verbose_name),
                object_label=source.label(rec),
                fields=fields,
            )
        )
    return entries
