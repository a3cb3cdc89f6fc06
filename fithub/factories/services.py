"""Writes to the factory registry. Views, the API and imports all call these."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries
from simple_history.utils import bulk_create_with_history

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import Kind, Role, roles_of
from fithub.factories.models import Factory, TeamMember

FACTORY_FIELDS = (
    "name",
    "os_id",
    "country",
    "city",
    "address",
    "latitude",
    "longitude",
    "sector",
    "product_types",
    "tier",
    "workers_female",
    "workers_male",
    "score_graduate",
    "better_work",
    "consent_date",
    "women_available_from",
    "women_available_until",
)


@transaction.atomic
def factory_create(*, registered_by: Organisation, by: User | None, **data: Any) -> Factory:
    """Register a factory on behalf of an organisation."""
    unknown = set(data) - set(FACTORY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown factory fields: {sorted(unknown)}")
    factory = Factory(registered_by=registered_by, **data)
    factory._history_user = by  # type: ignore[attr-defined]
    factory.full_clean()
    factory.save()
    return factory


@transaction.atomic
def factory_update(*, factory: Factory, by: User | None, **data: Any) -> Factory:
    """Change a factory's fields; the audit trail records who changed what."""
    for name, value in data.items():
        if name not in FACTORY_FIELDS:
            raise TypeError(f"Unknown factory field: {name}")
        setattr(factory, name, value)
    factory._history_user = by  # type: ignore[attr-defined]
    factory.full_clean()
    factory.save()
    return factory


def team_member_add(*, factory: Factory, by: User | None, **data: Any) -> TeamMember:
    """Add a member to the factory improvement team."""
    member = TeamMember(factory=factory, **data)
    member._history_user = by  # type: ignore[attr-defined]
    member.full_clean()
    member.save()
    return member


def team_member_remove(*, member: TeamMember, by: User | None) -> None:
    """Remove a member from the improvement team."""
    member._history_user = by  # type: ignore[attr-defined]
    member.delete()


def registering_organisation(user: User) -> Organisation:
    """Return the organisation a user registers factories for: their first provider as admin."""
    orgs = roles_of(user).orgs(kind=Kind.SERVICE_PROVIDER, roles=(Role.ADMIN,))
    if not orgs:
        raise ValidationError(_("Only service provider administrators register factories."))
    return Organisation.objects.get(pk=orgs[0])


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def factories_import(
    *,
    rows: Iterable[tuple[Factory | None, Mapping[str, Any]]],
    by: User | None,
    registered_by: Organisation | None,
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
            updates.append((factory, [*data, "updated_at"]))
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
    return ImportResult(created=len(creates), updated=len(updates))
