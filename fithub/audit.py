"""The audit trail: who changed which factory, engagement or membership field, from what to what.

The history itself is recorded by django-simple-history; this module only reads it back for
the administrators allowed to see it.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from fithub.accounts.models import FactoryMembership, Membership
from fithub.accounts.roles import Kind, Role, roles_of
from fithub.factories.models import Factory, TeamMember
from fithub.factories.scoping import EDITOR_FACTORY_ROLES, factories_for
from fithub.programmes.models import Engagement


@dataclass
class Change:
    when: datetime
    who: str
    action: str
    model: str
    object_label: str
    object_url: str
    fields: list[tuple[str, Any, Any]]


def _changes(qs: Any, model_label: str, limit: int, label: Any, url: Any = None) -> list[Change]:
    """Turn the newest history records of qs into changes, in two queries whatever the size."""
    # history_user: every change names who made it, so fetch them with the records.
    records = list(
        qs.select_related("history_user").order_by("-history_date", "-history_id")[:limit]
    )
    if not records:
        return []
    # Fetch every earlier version of the same objects at once, instead of rec.prev_record
    # (one query per record), and pair each record with the one before it.
    model = qs.model
    ids = {rec.id for rec in records}
    previous: dict[int, Any] = {}
    older = model.objects.filter(id__in=ids, history_date__lte=records[0].history_date)
    last_seen: dict[Any, Any] = {}
    for rec in older.order_by("history_date", "history_id"):
        previous[rec.history_id] = last_seen.get(rec.id)
        last_seen[rec.id] = rec
    out = []
    for rec in records:
        prev = previous.get(rec.history_id)
        fields: list[tuple[str, Any, Any]] = []
        if rec.history_type == "~" and prev is not None:
            for c in rec.diff_against(prev).changes:
                field = rec.instance_type._meta.get_field(c.field)
                fields.append((str(field.verbose_name), _shown(field, c.old), _shown(field, c.new)))
            if not fields:
                continue
        out.append(
            Change(
                when=rec.history_date,
                who=str(rec.history_user or "—"),
                action=rec.get_history_type_display(),
                model=model_label,
                object_label=label(rec),
                object_url=url(rec) if url else "",
                fields=fields,
            )
        )
    return out


def _shown(field: Any, value: Any) -> Any:
    """Return a value as users read it: a choice's label, in their language, not its code."""
    if field.choices and value is not None:
        return dict(field.flatchoices).get(str(value), value)
    return value


def _url(name: str) -> Any:
    return lambda rec: reverse(name, args=[rec.id])


def audit_entries(*, user: Any, factory: Factory | None = None, limit: int = 500) -> list[Change]:
    """Return recent changes the user may see, newest first.

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
    entries: list[Change] = []
    by_name = lambda rec: rec.name  # noqa: E731
    # A deleted account takes its memberships with it, but their history stays.
    by_user = lambda rec: rec.user.email if rec.user else _("deleted account")  # noqa: E731
    entries += _changes(
        fh, str(Factory._meta.verbose_name), limit, by_name, _url("factories:detail")
    )
    entries += _changes(th, str(TeamMember._meta.verbose_name), limit, by_name)
    entries += _changes(
        eh.select_related("factory"),
        str(Engagement._meta.verbose_name),
        limit,
        lambda rec: rec.factory.name if rec.factory else _("deleted factory"),
        _url("programmes:engagement"),
    )
    entries += _changes(
        mh.select_related("user"), str(Membership._meta.verbose_name), limit, by_user
    )
    entries += _changes(
        fmh.select_related("user"), str(FactoryMembership._meta.verbose_name), limit, by_user
    )
    entries.sort(key=lambda c: c.when, reverse=True)
    return entries[:limit]


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    r = roles_of(request.user)
    if not (r.sees_audit or r.factories(roles=EDITOR_FACTORY_ROLES)):
        raise Http404
    page = Paginator(audit_entries(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page})
