"""What every session page shares: the access helpers, and what a user may plan with."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import roles_of
from fithub.catalogue.scoping import adaptations_for, modules_for
from fithub.factories.models import Factory
from fithub.programmes.models import Engagement
from fithub.training import selectors, services
from fithub.training.forms import (
    VenueForm,
)
from fithub.training.models import Participant, Registration, Session, Venue
from fithub.training.scoping import (
    WRITING_FACTORY_ROLES,
    can_change_session,
    organising_factories_for,
    organising_providers_for,
    participants_for,
    registrations_for,
    sessions_for,
)

# --- access helpers ------------------------------------------------------------------------


def _session_for(request: HttpRequest, pk: int, write: bool = False) -> Session:
    """Return the session if the user may see it (or change it, with write=True); else 404."""
    qs = selectors.session_with_relations(sessions_for(request.user, write=write))
    return get_object_or_404(qs, pk=pk)


def _registration_for(request: HttpRequest, pk: int) -> Registration:
    """Return the registration if the user may change its session; else 404."""
    qs = registrations_for(request.user, write=True).select_related(
        "session", "participant__factory", "group"
    )
    return get_object_or_404(qs, pk=pk)


def _participant_for(request: HttpRequest, pk: int, write: bool = False) -> Participant:
    """Return the participant if the user may see them (or change them); else 404."""
    qs = participants_for(request.user, write=write).select_related("factory")
    return get_object_or_404(qs, pk=pk)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _user(request: HttpRequest) -> User:
    # login_required let only users in.
    return cast(User, request.user)


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's errors next to the form's fields, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _can_write(request: HttpRequest, session: Session) -> bool:
    return can_change_session(request.user, session)


# --- what the user may plan with -----------------------------------------------------------


def _organisers(user: Any) -> list[tuple[str, str]]:
    """Who the user may organise a session for: their providers, and their own factories."""
    r = roles_of(user)
    choices = [
        (f"provider:{o.pk}", o.name) for o in organising_providers_for(user).order_by("name")
    ]
    # A superuser may organise for any factory, but is offered only their own: the list
    # would hold the whole registry.
    own = organising_factories_for(user).filter(pk__in=r.factories(roles=WRITING_FACTORY_ROLES))
    choices += [(f"factory:{f.pk}", f.name) for f in own]
    return choices


def _planning_choices(
    user: Any, *, session: Session | None = None
) -> tuple[dict[str, Any], QuerySet[Factory]]:
    """The querysets the session form offers, limited to what the user may use."""
    r = roles_of(user)
    if session is not None:
        providers = [session.provider_id] if session.provider_id else []
        own = [session.organising_factory_id] if session.organising_factory_id else []
    else:
        providers = list(organising_providers_for(user).values_list("pk", flat=True))
        own = r.factories(roles=WRITING_FACTORY_ROLES)
    engaged = Q(factory__in=own)
    if providers and not (session is not None and session.organising_factory_id):
        engaged |= Q(provider__in=providers)
    engagements = Engagement.objects.filter(engaged).select_related(
        "factory", "programme", "provider"
    )
    if session is not None:
        engagements = (
            engagements | Engagement.objects.filter(pk__in=session.engagements.values("pk"))
        ).distinct()
    factories = Factory.objects.filter(
        Q(pk__in=engagements.values("factory")) | Q(pk__in=own)
    ).order_by("name")
    venues = Venue.objects.filter(
        Q(provider__in=providers) | Q(factory__in=factories.values("pk"))
    ).order_by("name")
    facilitators = (
        User.objects.filter(
            Q(memberships__organisation__in=providers) | Q(factory_memberships__factory__in=own)
        )
        .distinct()
        .order_by("name", "email")
    )
    adaptations = adaptations_for(user).select_related("module", "provider")
    if providers:
        adaptations = adaptations.filter(provider__in=providers)
    choices = {
        "modules": modules_for(user).order_by("sort_order", "code"),
        "adaptations": adaptations,
        "engagements": engagements.order_by("factory__name", "pk"),
        "venues": venues,
        "facilitators": facilitators,
    }
    return choices, factories


def _create_venue(
    form: VenueForm, *, user: User, provider: Organisation | None, own: Factory | None
) -> Venue:
    factory = form.cleaned_data["factory"]
    return services.venue_create(
        by=user,
        details=services.VenueDetails.from_mapping(form.cleaned_data),
        provider=provider if factory is None else None,
        factory=factory or (own if provider is None else None),
    )
