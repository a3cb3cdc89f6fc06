"""The audit trail: who changed which factory, engagement, membership, price, session,
certificate or assessment, from what to what.

The history itself is recorded by django-simple-history; this module only reads it back for
those allowed to see it. It reads every app, so it sits in the project package and no app
imports it; each history page is scoped as the object it is the history of.

The trail is paged in the database: every history table's records are merged in one query (a
UNION, ordered and sliced there) and only the page's records are then read in full, so the
oldest change can be reached however long the trail grows.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, overload

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from fithub.accounts.models import FactoryMembership, Membership
from fithub.accounts.roles import Kind, Role, roles_of
from fithub.assessment.models import Assessment, ModulePlan
from fithub.assessment.scoping import assessments_for
from fithub.certificates.models import Certificate
from fithub.certificates.scoping import certificates_for
from fithub.factories.models import Factory, TeamMember
from fithub.factories.scoping import EDITOR_FACTORY_ROLES, factories_for
from fithub.programmes.models import CostItem, Engagement, Sponsorship
from fithub.training.models import Registration, Session
from fithub.training.scoping import participants_for, sessions_for

PER_PAGE = 50


@dataclass
class Change:
    when: datetime
    who: str
    action: str
    model: str
    object_label: str
    object_url: str
    fields: list[tuple[str, Any, Any]]


@dataclass(frozen=True)
class _Ref:
    """A foreign key's stored value in a change, until every label is fetched at once."""

    model: type[models.Model]
    to_field: models.Field  # type: ignore[type-arg]
    value: Any
    # Whether the version holding this value is one the reader may see; see _changes.
    readable: bool


def _shown(field: Any, value: Any, *, readable: bool) -> Any:
    """Return a value as users read it: a choice's label, in their language, not its code."""
    if value is None:
        return None
    if isinstance(field, models.ForeignKey):
        # Labelled later by _labelled, in one query per related model for all entries.
        return _Ref(field.related_model, field.target_field, value, readable)
    if field.choices:
        return dict(field.flatchoices).get(str(value), value)
    return value


def _labelled(entries: list[Change]) -> None:
    """Replace the related objects' ids in entries by their labels, one query per model."""
    # Which labels may be shown: every entry is a version of a factory, engagement or
    # membership the reader may see, so an object it points to (the coordinator, programme,
    # provider or organisation of the reader's own row) is part of the reader's own data, even
    # if the reader could not find that object elsewhere today (a coordinator who has since
    # left the factory). Checking each label against today's scoping would hide exactly those.
    # The one way another tenant's object can appear is the old side of a change whose previous
    # version the reader may not see (the row moved between tenants); _changes marks those
    # values unreadable and they are shown as not shared, without even looking them up, so
    # neither their name nor whether they still exist leaks.
    wanted: dict[tuple[type[models.Model], Any], set[Any]] = defaultdict(set)
    for entry in entries:
        for _name, old, new in entry.fields:
            for value in (old, new):
                if isinstance(value, _Ref) and value.readable:
                    wanted[value.model, value.to_field].add(value.value)
    labels: dict[tuple[type[models.Model], Any, Any], str] = {}
    for (model, to_field), values in wanted.items():
        # _base_manager, like following the foreign key would: a default manager that hides
        # rows must not turn an existing object into a "deleted" one.
        for obj in model._base_manager.filter(**{f"{to_field.name}__in": values}):
            # str() in the request's language, for any label that is translated.
            labels[model, to_field, getattr(obj, to_field.attname)] = str(obj)

    def label(value: Any) -> Any:
        if not isinstance(value, _Ref):
            return value
        if not value.readable:
            return _("(not shared with you)")
        key = (value.model, value.to_field, value.value)
        if key in labels:
            return labels[key]
        return _("#%(id)s (deleted)") % {"id": value.value}

    for entry in entries:
        entry.fields = [(name, label(old), label(new)) for name, old, new in entry.fields]


def _url(name: str) -> Callable[[Any], str]:
    return lambda rec: reverse(name, args=[rec.id])


@dataclass(frozen=True)
class Source:
    """One history table as a reader may see it, and how its changes are named."""

    records: QuerySet[Any]  # the historical records the reader may see
    model: type[models.Model]  # whose history: its verbose name names each change
    label: Callable[[Any], str]
    url: Callable[[Any], str] | None = None
    related: tuple[str, ...] = ()  # fetched with the records, for the label

    @property
    def name(self) -> str:
        return str(self.model._meta.verbose_name)


def _changes(
    source: Source, records: list[Any], *, start: datetime, end: datetime
) -> dict[int, Change]:
    """Turn a source's records on a page into changes by history id; an edit that changed
    nothing shown is left out.

    The earlier versions of the objects the source changed within the page's time span are
    fetched in one query, which runs even when the page holds none of its records, so every
    page costs the same number of queries.
    """
    qs = source.records
    spanned = qs.filter(history_date__gte=start, history_date__lte=end).values("id")
    # Every earlier version of the same objects at once, instead of rec.prev_record (one
    # query per record), to pair each record with the one before it.
    #
    # A change's old values come from the version before it, which is not always one the
    # reader may see: a row can move between tenants (provider B re-points its engagement
    # from its own factory to factory A, which A's history page then lists). Its old foreign
    # keys then name another tenant's factory or people, so they are not looked up (see
    # _labelled). Whether each version passes the reader's own filter is asked in this same
    # query rather than restated in Python, so it can never disagree with qs.
    older = qs.model.objects.filter(id__in=spanned, history_date__lte=end).annotate(
        audit_readable=Exists(qs.filter(history_id=OuterRef("history_id")))
    )
    previous: dict[int, Any] = {}
    last_seen: dict[Any, Any] = {}
    for rec in older.order_by("history_date", "history_id"):
        previous[rec.history_id] = last_seen.get(rec.id)
        last_seen[rec.id] = rec
    out: dict[int, Change] = {}
    for rec in records:
        prev = previous.get(rec.history_id)
        fields: list[tuple[str, Any, Any]] = []
        if rec.history_type == "~" and prev is not None:
            for c in rec.diff_against(prev).changes:
                field = rec.instance_type._meta.get_field(c.field)
                old = _shown(field, c.old, readable=prev.audit_readable)
                fields.append((str(field.verbose_name), old, _shown(field, c.new, readable=True)))
            if not fields:
                continue
        out[rec.history_id] = Change(
            when=rec.history_date,
            who=str(rec.history_user or "—"),
            action=rec.get_history_type_display(),
            model=source.name,
            object_label=source.label(rec),
            object_url=source.url(rec) if source.url else "",
            fields=fields,
        )
    return out


class Trail:
    """The changes of several sources, newest first, counted and sliced in the database.

    Paginator takes it as it takes a queryset. An edit that changed nothing shown is left out
    of its page, so a page may hold a few fewer than it was asked for.
    """

    def __init__(self, sources: list[Source]) -> None:
        self.sources = sources

    def _merged(self) -> QuerySet[Any]:
        # One row per record: when, which record, from which source. A compound query takes
        # only the outer ordering, so each part's own is cleared.
        parts = [
            source.records.order_by()
            .values("history_date", "history_id")
            .annotate(source=Value(i, output_field=IntegerField()))
            for i, source in enumerate(self.sources)
        ]
        return parts[0].union(*parts[1:], all=True)

    def count(self) -> int:
        return self._merged().count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Change]:
        return iter(self[0 : self.count()])

    @overload
    def __getitem__(self, index: int) -> Change: ...
    @overload
    def __getitem__(self, index: slice) -> list[Change]: ...
    def __getitem__(self, index: int | slice) -> Change | list[Change]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        return self._page(index)

    def _page(self, page: slice) -> list[Change]:
        rows = list(self._merged().order_by("-history_date", "-source", "-history_id")[page])
        if not rows:
            return []
        start, end = rows[-1]["history_date"], rows[0]["history_date"]
        on_page: dict[int, list[int]] = defaultdict(list)
        for row in rows:
            on_page[row["source"]].append(row["history_id"])
        changes: dict[tuple[int, int], Change] = {}
        for i, source in enumerate(self.sources):
            # The page's records, found by its time span rather than by their ids, so that the
            # query runs for every source (an empty list of ids would skip it) and each page
            # costs the same; records of the span's edges on the next page are left out here.
            # history_user: every change names who made it, so fetch them with the records.
            ids = set(on_page.get(i, ()))
            spanned = source.records.filter(history_date__gte=start, history_date__lte=end)
            spanned = spanned.select_related("history_user", *source.related)
            records = [rec for rec in spanned if rec.history_id in ids]
            found = _changes(source, records, start=start, end=end)
            changes |= {(i, history_id): change for history_id, change in found.items()}
        entries = [
            changes[key] for row in rows if (key := (row["source"], row["history_id"])) in changes
        ]
        _labelled(entries)
        return entries


def _trail_sources(user: Any, factory: Factory | None = None) -> list[Source]:
    """What the audit page (or a factory's history) shows the user.

    Administrators of a provider see changes to the factories they may change, to their own
    engagements and to their organisation's memberships; a factory's coordinator and manager
    see their factory's.
    """
    r = roles_of(user)
    if r.superuser and factory is None:
        fh, th, eh, mh, fmh = (
            Factory.history.all(),
            TeamMember.history.all(),
            Engagement.history.all(),
            Membership.history.all(),
            FactoryMembership.history.all(),
        )
        ch, sh = CostItem.history.all(), Sponsorship.history.all()
    else:
        factory_ids = (
            Factory.objects.filter(pk=factory.pk) if factory else factories_for(user, write=True)
        ).values("pk")
        fh = Factory.history.filter(id__in=factory_ids)
        th = TeamMember.history.filter(factory_id__in=factory_ids)
        eh = (
            Engagement.history.filter(factory_id__in=factory_ids)
            if factory
            else Engagement.history.filter(
                provider_id__in=r.orgs(kind=Kind.SERVICE_PROVIDER, roles=(Role.ADMIN,))
            )
        )
        # A factory's page shows no organisation's memberships.
        mh = (
            Membership.history.none()
            if factory
            else Membership.history.filter(organisation_id__in=r.orgs(roles=(Role.ADMIN,)))
        )
        fmh = FactoryMembership.history.filter(factory_id__in=factory_ids)
        # Prices and sponsors are the provider's business, not the factory's: the provider's
        # administrators see them on the audit page, and no factory page shows them.
        admin_of = r.orgs(kind=Kind.SERVICE_PROVIDER, roles=(Role.ADMIN,))
        if factory:
            ch, sh = CostItem.history.none(), Sponsorship.history.none()
        else:
            ch = CostItem.history.filter(provider_id__in=admin_of)
            sh = Sponsorship.history.filter(
                engagement_id__in=Engagement.objects.filter(provider_id__in=admin_of).values("pk")
            )
    by_name = lambda rec: rec.name  # noqa: E731
    # A deleted account takes its memberships with it, but their history stays.
    by_user = lambda rec: rec.user.email if rec.user else _("deleted account")  # noqa: E731
    return [
        Source(fh, Factory, by_name, _url("factories:detail")),
        Source(th, TeamMember, by_name),
        Source(
            eh,
            Engagement,
            lambda rec: rec.factory.name if rec.factory else _("deleted factory"),
            _url("programmes:engagement"),
            related=("factory",),
        ),
        Source(mh, Membership, by_user, related=("user",)),
        Source(fmh, FactoryMembership, by_user, related=("user",)),
        Source(ch, CostItem, lambda rec: rec.get_kind_display()),
        Source(
            sh,
            Sponsorship,
            lambda rec: rec.sponsor.name if rec.sponsor else _("deleted organisation"),
            lambda rec: reverse("programmes:engagement-cost", args=[rec.engagement_id]),
            related=("sponsor",),
        ),
    ]


def _session_sources(user: Any, session: Session) -> list[Source]:
    """A session's history: the session, its people's registrations and attendance, and their
    certificates, each as far as the user sees them (a factory's users see only their own
    people in a classroom session shared with other factories)."""
    registrations = Registration.history.filter(
        session_id=session.pk, participant_id__in=participants_for(user).values("pk")
    )
    certificates = Certificate.history.filter(
        registration_id__in=registrations.values("id"),
        id__in=certificates_for(user).values("pk"),
    )
    return [
        Source(
            Session.history.filter(id=session.pk),
            Session,
            lambda rec: f"{rec.module} · {rec.date}",
            _url("training:session"),
            related=("module",),
        ),
        Source(
            registrations,
            Registration,
            lambda rec: rec.participant.name,
            lambda rec: reverse("training:participant", args=[rec.participant_id]),
            related=("participant",),
        ),
        Source(certificates, Certificate, lambda rec: rec.name),
    ]


def _assessment_sources(assessment: Assessment) -> list[Source]:
    """An assessment's history: its own changes and the module plans agreed from it."""
    return [
        Source(
            Assessment.history.filter(id=assessment.pk),
            Assessment,
            lambda rec: rec.factory.name if rec.factory else _("deleted factory"),
            _url("assessment:detail"),
            related=("factory",),
        ),
        Source(
            ModulePlan.history.filter(assessment_id=assessment.pk),
            ModulePlan,
            lambda rec: str(rec.engagement) if rec.engagement else _("deleted factory"),
            related=("engagement__factory", "engagement__provider", "engagement__programme"),
        ),
    ]


def audit_entries(*, user: Any, factory: Factory | None = None, limit: int = 500) -> list[Change]:
    """Return the newest changes the user may see (of one factory, if given), newest first."""
    return Trail(_trail_sources(user, factory))[:limit]


def _history_page(request: HttpRequest, sources: list[Source], **ctx: Any) -> HttpResponse:
    page = Paginator(Trail(sources), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audit/history.html", {"page": page, **ctx})


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    r = roles_of(request.user)
    if not (r.sees_audit or r.factories(roles=EDITOR_FACTORY_ROLES)):
        raise Http404
    trail = Trail(_trail_sources(request.user))
    page = Paginator(trail, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page})


@login_required
def factory_history(request: HttpRequest, pk: int) -> HttpResponse:
    """One factory's history, for whoever may change the factory (its provider's admins, its
    coordinator and manager)."""
    factory = get_object_or_404(factories_for(request.user, write=True), pk=pk)
    sources = _trail_sources(request.user, factory)
    return _history_page(request, sources, name=factory.name, back=factory.get_absolute_url())


@login_required
def session_history(request: HttpRequest, pk: int) -> HttpResponse:
    """A session's history, for whoever may change the session."""
    qs = sessions_for(request.user, write=True).select_related("module")
    session = get_object_or_404(qs, pk=pk)
    sources = _session_sources(request.user, session)
    return _history_page(request, sources, name=str(session), back=session.get_absolute_url())


@login_required
def assessment_history(request: HttpRequest, pk: int) -> HttpResponse:
    """An assessment's history, for whoever may answer and change it."""
    qs = assessments_for(request.user, write=True).select_related("factory", "version")
    assessment = get_object_or_404(qs, pk=pk)
    back = assessment.get_absolute_url()
    return _history_page(request, _assessment_sources(assessment), name=str(assessment), back=back)
