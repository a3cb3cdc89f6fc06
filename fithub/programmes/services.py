"""Writes for programmes, engagements, prices and sponsorships."""

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from fithub.accounts.models import Organisation, User
from fithub.factories.models import Factory
from fithub.lib.details import Details
from fithub.programmes.models import CostItem, Engagement, Programme, Sponsorship
from fithub.programmes.pricing import CENT, check_shares, sponsor_choices


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProgrammeDetails(Details):
    """A programme's own fields: the form and the seed fill these."""

    name: str
    country: Any  # a code, or the Country a CountryField reads back
    starts_on: date
    ends_on: date
    target_enterprises: int = 0
    target_modules_per_enterprise: int = 4
    is_demo: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class EngagementDetails(Details):
    """An engagement's editable fields: the form and the serializer fill these."""

    programme: Programme
    factory: Factory
    delivery_model: str
    status: str = Engagement.Status.PROSPECT
    cycle: int = 1
    coordinator: User | None = None
    starts_on: date | None = None
    ends_on: date | None = None


@transaction.atomic
def programme_create(
    *, owner: Organisation, details: ProgrammeDetails, providers: Iterable[Organisation] = ()
) -> Programme:
    """Create a programme owned by a programme-owner organisation."""
    if owner.kind != Organisation.Kind.PROGRAMME_OWNER:
        raise ValidationError(_("Only a programme owner can own a programme."))
    programme = Programme(owner=owner)
    details.apply(programme)
    programme.full_clean()
    programme.save()
    programme.providers.set(providers)
    return programme


def _check_engagement(engagement: Engagement) -> None:
    if not engagement.programme.providers.filter(pk=engagement.provider_id).exists():
        raise ValidationError(
            {"programme": _("Your organisation does not take part in this programme.")}
        )
    if engagement.starts_on and engagement.ends_on and engagement.ends_on < engagement.starts_on:
        raise ValidationError({"ends_on": _("An engagement cannot end before it starts.")})


@transaction.atomic
def engagement_create(
    *, provider: Organisation, by: User | None, details: EngagementDetails
) -> Engagement:
    """Start an engagement between a factory and a provider within a programme."""
    engagement = Engagement(provider=provider)
    details.apply(engagement)
    engagement._history_user = by  # type: ignore[attr-defined]
    _check_engagement(engagement)
    engagement.full_clean()
    engagement.save()
    return engagement


@transaction.atomic
def engagement_update(
    *, engagement: Engagement, by: User | None, details: EngagementDetails
) -> Engagement:
    """Change an engagement; the audit trail records who changed what."""
    details.apply(engagement)
    engagement._history_user = by  # type: ignore[attr-defined]
    _check_engagement(engagement)
    engagement.full_clean()
    engagement.save()
    return engagement


# --- pricing (the sums are in programmes/pricing.py) -------------------------------------------


@transaction.atomic
def cost_items_update(
    *,
    provider: Organisation,
    amounts: Mapping[str, Decimal | None],
    currency: str,
    by: User | None,
) -> list[CostItem]:
    """Set a provider's price list: one amount per kind (None removes it), in one currency."""
    errors: dict[str, list[str]] = {}
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        errors["currency"] = [_("Write the currency as a three-letter code, such as BDT or USD.")]
    for kind, amount in amounts.items():
        if kind not in CostItem.Kind.values:
            raise TypeError(f"Unknown cost item: {kind}")
        if amount is not None and (amount < 0 or amount != amount.quantize(CENT)):
            errors[kind] = [_("Give an amount of 0 or more, with at most two decimals.")]
    if errors:
        raise ValidationError(errors)
    # Lock the provider so that two administrators saving at once cannot both create an item.
    Organisation.objects.select_for_update().filter(pk=provider.pk).first()
    # Row by row, not queryset update()/delete(): the audit trail only sees saved instances.
    existing = {item.kind: item for item in CostItem.objects.filter(provider=provider)}
    kept = []
    for kind, amount in amounts.items():
        item = existing.pop(kind, None)
        if amount is None:
            if item is not None:
                item._history_user = by  # type: ignore[attr-defined]
                item.delete()
            continue
        if item is None:
            item = CostItem(provider=provider, kind=kind)
        elif (item.amount, item.currency) == (amount, currency):
            kept.append(item)
            continue  # unchanged: no save, so no empty change in the audit trail
        item.amount, item.currency = amount, currency
        item._history_user = by  # type: ignore[attr-defined]
        item.save()
        kept.append(item)
    # One currency per provider: the items not in this form follow it too.
    for item in existing.values():
        if item.currency != currency:
            item.currency = currency
            item._history_user = by  # type: ignore[attr-defined]
            item.save(update_fields=["currency"])
    return kept


@transaction.atomic
def sponsorship_add(
    *, engagement: Engagement, sponsor: Organisation, share_percent: int, by: User | None
) -> Sponsorship:
    """Record that a sponsor covers a share of an engagement; all shares stay within 100%."""
    # Lock the engagement's sponsorships so that two admins cannot both take the last 30%.
    Engagement.objects.select_for_update().filter(pk=engagement.pk).first()
    if not sponsor_choices(engagement).filter(pk=sponsor.pk).exists():
        raise ValidationError(
            {"sponsor": _("Choose a buyer of this factory or the programme's owner.")}
        )
    if engagement.sponsorships.filter(sponsor=sponsor).exists():
        raise ValidationError(
            {"sponsor": _("This sponsor already covers a share: remove it first to change it.")}
        )
    existing = engagement.sponsorships.aggregate(total=Sum("share_percent"))["total"] or 0
    check_shares([existing, share_percent] if existing else [share_percent])
    sponsorship = Sponsorship(engagement=engagement, sponsor=sponsor, share_percent=share_percent)
    sponsorship._history_user = by  # type: ignore[attr-defined]
    sponsorship.full_clean()
    sponsorship.save()
    return sponsorship


def sponsorship_remove(*, sponsorship: Sponsorship, by: User | None) -> None:
    """Remove a sponsor's share of an engagement."""
    sponsorship._history_user = by  # type: ignore[attr-defined]
    sponsorship.delete()
