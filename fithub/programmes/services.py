"""Writes for programmes and engagements."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fithub.accounts.models import Organisation, User
from fithub.programmes.models import Engagement, Programme

ENGAGEMENT_FIELDS = (
    "programme",
    "factory",
    "delivery_model",
    "status",
    "cycle",
    "coordinator",
    "starts_on",
    "ends_on",
)


@transaction.atomic
def programme_create(*, owner: Organisation, providers: Any = (), **data: Any) -> Programme:
    """Create a programme owned by a programme-owner organisation."""
    if owner.kind != Organisation.Kind.PROGRAMME_OWNER:
        raise ValidationError(_("Only a programme owner can own a programme."))
    programme = Programme(owner=owner, **data)
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
def engagement_create(*, provider: Organisation, by: User | None, **data: Any) -> Engagement:
    """Start an engagement between a factory and a provider within a programme."""
    engagement = Engagement(provider=provider, **data)
    engagement._history_user = by  # type: ignore[attr-defined]
    _check_engagement(engagement)
    engagement.full_clean()
    engagement.save()
    return engagement


@transaction.atomic
def engagement_update(*, engagement: Engagement, by: User | None, **data: Any) -> Engagement:
    """Change an engagement; the audit trail records who changed what."""
    for name, value in data.items():
        if name not in ENGAGEMENT_FIELDS:
            raise TypeError(f"Unknown engagement field: {name}")
        setattr(engagement, name, value)
    engagement._history_user = by  # type: ignore[attr-defined]
    _check_engagement(engagement)
    engagement.full_clean()
    engagement.save()
    return engagement
