"""Writes to the factory registry. Views, the API and imports all call these."""

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from simple_history.utils import bulk_create_with_history

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import Kind
from fithub.accounts.scoping import acting_organisation
from fithub.factories import tasks
from fithub.factories.models import AccessRequest, Factory, TeamMember, Tier
from fithub.factories.scoping import (
    access_requests_for,
    factories_for,
    factory_by_os_id,
    requesting_providers_for,
)
from fithub.lib.details import Details


@dataclasses.dataclass(frozen=True, kw_only=True)
class FactoryDetails(Details):
    """A factory's editable fields: the form, the serializer and the import fill these."""

    name: str = ""
    os_id: str | None = None
    country: Any = ""  # a code, or the Country a CountryField reads back
    city: str = ""
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    sector: str = ""
    product_types: str = ""
    tier: str = Tier.UNKNOWN
    workers_female: int | None = None
    workers_male: int | None = None
    score_graduate: bool = False
    better_work: bool = False
    consent_date: date | None = None
    women_available_from: time | None = None
    women_available_until: time | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class TeamMemberDetails(Details):
    name: str
    role: str
    department: str
    sex: str


FACTORY_FIELDS = FactoryDetails.field_names()


ALREADY_IN_FIT_HUB = gettext_lazy("This factory is already in FIT Hub: ask to work with it.")
ALREADY_YOURS = gettext_lazy(
    "This factory is already in FIT Hub, and your organisation works with it."
)


def os_id_check(*, os_id: str | None, user: User | AnonymousUser | None) -> None:
    """Refuse to register again a factory whose OS ID is in FIT Hub, saying how to go on.

    Someone who already sees it is told so; anyone else is offered to ask to work with it
    (code "in_fit_hub"), which is the way on for a provider, not a dead end.
    """
    factory = factory_by_os_id(os_id or "")
    if factory is None:
        return
    if user is not None and factories_for(user).filter(pk=factory.pk).exists():
        raise ValidationError({"os_id": ValidationError(ALREADY_YOURS, code="registered")})
    raise ValidationError({"os_id": ValidationError(ALREADY_IN_FIT_HUB, code="in_fit_hub")})


@transaction.atomic
def factory_create(
    *, registered_by: Organisation, by: User | None, details: FactoryDetails
) -> Factory:
    """Register a factory on behalf of an organisation."""
    os_id_check(os_id=details.os_id, user=by)
    factory = Factory(registered_by=registered_by)
    details.apply(factory)
    factory._history_user = by  # type: ignore[attr-defined]
    factory.full_clean()
    factory.save()
    return factory


@transaction.atomic
def factory_update(*, factory: Factory, by: User | None, details: FactoryDetails) -> Factory:
    """Change a factory's fields; the audit trail records who changed what."""
    details.apply(factory)
    factory._history_user = by  # type: ignore[attr-defined]
    factory.full_clean()
    factory.save()
    return factory


def team_member_add(*, factory: Factory, by: User | None, details: TeamMemberDetails) -> TeamMember:
    """Add a member to the factory improvement team."""
    member = TeamMember(factory=factory)
    details.apply(member)
    member._history_user = by  # type: ignore[attr-defined]
    member.full_clean()
    member.save()
    return member


def team_member_remove(*, member: TeamMember, by: User | None) -> None:
    """Remove a member from the improvement team."""
    member._history_user = by  # type: ignore[attr-defined]
    member.delete()


def registering_organisation(user: User, chosen: int | str | None = None) -> Organisation:
    """Return the provider a user registers factories for: the one they administer, or the
    one they chose among several."""
    try:
        return acting_organisation(user, Kind.SERVICE_PROVIDER, chosen)
    except ValidationError as e:
        if e.code == "none":
            raise ValidationError(
                _("Only service provider administrators register factories.")
            ) from None
        raise ValidationError({"registered_by": e.messages}) from None


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int = 0


def factories_import(
    *,
    rows: Iterable[tuple[Factory | None, Mapping[str, Any]]],
    by: User | None,
    registered_by: Organisation | None,
    unchanged: int = 0,
) -> ImportResult:
    """Create or update factories from checked rows in one transaction: all rows or none.

    Each row is the factory to update (None to register a new one) and its new field values.
    """
    creates: list[Factory] = []
    updates: list[tuple[Factory, list[str]]] = []
    for factory, data in rows:
        unknown = set(data) - set(FACTORY_FIELDS)
        if unknown:
            raise TypeError(f"Unknown factory fields: {sorted(unknown)}")
        if factory is None:
            if registered_by is None:
                raise ValidationError(_("New factories need the organisation that registers them."))
            factory = Factory(registered_by=registered_by, **data)
            creates.append(factory)
        else:
            for name, value in data.items():
                setattr(factory, name, value)
            updates.append((factory, [*data, "updated_at", "search_text"]))
        factory.refresh_search_text()  # bulk writes skip save()
        # Per row, the organisation would cost a query and the country list a millisecond:
        # countries are checked once below, the rest by the database inside the transaction.
        factory.full_clean(
            exclude=["registered_by", "country"], validate_unique=False, validate_constraints=False
        )
    codes = {str(f.country) for f in creates} | {str(f.country) for f, _ in updates}
    if bad := sorted(c for c in codes if not countries.alpha2(c)):
        raise ValidationError(f"Unknown country codes: {bad}")
    with transaction.atomic():
        # Bulk inserts, and one UPDATE per row (Django's bulk_update is far slower for
        # thousands of rows), with the history written in bulk for both.
        if creates:
            bulk_create_with_history(creates, Factory, batch_size=500, default_user=by)
        for factory, fields in updates:
            factory.save_without_historical_record(update_fields=fields)  # type: ignore[attr-defined]
        if updates:
            Factory.history.bulk_history_create(  # type: ignore[attr-defined]
                [f for f, _ in updates], batch_size=500, update=True, default_user=by
            )
    return ImportResult(created=len(creates), updated=len(updates), unchanged=unchanged)


# --- asking to work with a factory already in FIT Hub --------------------------------------


@transaction.atomic
def access_request_create(
    *, factory: Factory, provider: Organisation, by: User, note: str = ""
) -> AccessRequest:
    """Ask, for a provider, to work with a factory already in FIT Hub; its deciders are told."""
    if provider.pk not in requesting_providers_for(by):
        raise ValidationError(
            {"provider": _("Only an administrator of a service provider asks for it.")}
        )
    if factories_for(by).filter(pk=factory.pk).exists():
        raise ValidationError(str(ALREADY_YOURS))
    duplicate = _(
        "Your organisation has asked to work with this factory already: wait for its answer."
    )
    pending = AccessRequest.objects.filter(
        factory=factory, provider=provider, status=AccessRequest.Status.PENDING
    )
    if pending.exists():
        raise ValidationError(duplicate)
    access_request = AccessRequest(
        factory=factory, provider=provider, requested_by=by, note=note.strip()
    )
    access_request._history_user = by  # type: ignore[attr-defined]
    access_request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            access_request.save()
    except IntegrityError:  # asked twice at the same moment
        raise ValidationError(duplicate) from None
    transaction.on_commit(lambda: tasks.access_requested_task.enqueue(access_request.pk))
    return access_request


def _access_request_decide(
    *, access_request: AccessRequest, status: str, by: User, note: str
) -> AccessRequest:
    if not access_requests_for(by, decide=True).filter(pk=access_request.pk).exists():
        raise ValidationError(_("You may not decide this request."))
    # Locked, so two deciders at the same moment do not both decide.
    current = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if current.status != AccessRequest.Status.PENDING:
        raise ValidationError(_("This request was decided already."))
    current.status = status
    current.decided_by = by
    current.decided_at = timezone.now()
    current.decision_note = note.strip()
    current._history_user = by  # type: ignore[attr-defined]
    current.full_clean(validate_constraints=False)
    current.save()
    transaction.on_commit(lambda: tasks.access_decided_task.enqueue(current.pk))
    return current


@transaction.atomic
def access_request_approve(
    *, access_request: AccessRequest, by: User, note: str = ""
) -> AccessRequest:
    """Let the provider work with the factory: it sees it and may start an engagement."""
    return _access_request_decide(
        access_request=access_request, status=AccessRequest.Status.APPROVED, by=by, note=note
    )


@transaction.atomic
def access_request_decline(
    *, access_request: AccessRequest, by: User, note: str = ""
) -> AccessRequest:
    """Say no to the provider; it may ask again later."""
    return _access_request_decide(
        access_request=access_request, status=AccessRequest.Status.DECLINED, by=by, note=note
    )
