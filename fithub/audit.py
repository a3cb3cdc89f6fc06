"""The audit trail: who changed which factory, engagement, membership or price, from what to what.

The history itself is recorded by django-simple-history; this module only reads it back for
the administrators allowed to see it.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from fithub.accounts.models import FactoryMembership, Membership
from fithub.accounts.roles import Kind, Role, roles_of
from fithub.factories.models import Factory, TeamMember
from fithub.factories.scoping import EDITOR_FACTORY_ROLES, factories_for
from fithub.programmes.models import CostItem, Engagement, Sponsorship


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
    # A change's old values come from the version before it, which is not always one the
    # reader may see: a row can move between tenants (provider B re-points its engagement
    # from its own factory to factory A, which A's history page then lists). Its old foreign
    # keys then name another tenant's factory or people, so they are not looked up (see
    # _labelled). Whether each version passes the reader's own filter is asked in this same
    # query rather than restated in Python, so it can never disagree with qs.
    older = model.objects.filter(id__in=ids, history_date__lte=records[0].history_date).annotate(
        audit_readable=Exists(qs.filter(history_id=OuterRef("history_id")))
    )
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
                old = _shown(field, c.old, readable=prev.audit_readable)
                fields.append((str(field.verbose_name), old, _shown(field, c.new, readable=True)))
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
    entries += _changes(
        ch, str(CostItem._meta.verbose_name), limit, lambda rec: rec.get_kind_display()
    )
    entries += _changes(
        sh.select_related("sponsor"),
        str(Sponsorship._meta.verbose_name),
        limit,
        lambda rec: rec.sponsor.name if rec.sponsor else _("deleted organisation"),
        lambda rec: reverse("programmes:engagement-cost", args=[rec.engagement_id]),
    )
    entries.sort(key=lambda c: c.when, reverse=True)
    entries = entries[:limit]
    _labelled(entries)
    return entries


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    r = roles_of(request.user)
    if not (r.sees_audit or r.factories(roles=EDITOR_FACTORY_ROLES)):
        raise Http404
    page = Paginator(audit_entries(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page})


@login_required
def factory_history(request: HttpRequest, pk: int) -> HttpResponse:
    """One factory's history, for whoever may change the factory (its provider's admins, its
    coordinator and manager). Here and not in factories: the trail reads apps above it."""
    factory = get_object_or_404(factories_for(request.user, write=True), pk=pk)
    entries = audit_entries(user=request.user, factory=factory)
    return render(request, "factories/history.html", {"factory": factory, "entries": entries})
