"""The one place that decides which factories a user may see or change."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from fithub.accounts.models import FactoryMembership, Membership, User
from fithub.accounts.roles import FactoryRole, Kind, Role, roles_of
from fithub.factories.models import AccessRequest, Factory
from fithub.lib.querysets import pks_in_any

EDITOR_FACTORY_ROLES = (FactoryRole.COORDINATOR, FactoryRole.MANAGER)


def _engagements() -> QuerySet:
    """Return every engagement, without importing programmes (an app below this one).

    The arms read the engagements' factory column directly: joining the factories to reach
    it would scan all of them.
    """
    return Factory.engagements.field.model._default_manager.all()


def factories_for(
    user: User | AnonymousUser, *, write: bool = False, buyers: bool = True
) -> QuerySet[Factory]:
    """Return the factories the user may see (or, with write=True, change).

    - service provider staff: factories their organisation registered, is engaged with, or
      was allowed to work with (an approved access request); only its administrators may
      change them;
    - programme owner staff: factories engaged in their programmes (read only);
    - factory coordinators and managers: their factory (read and write); worker
      representatives read;
    - buyers: the profile of their suppliers (read only; with buyers=False they are left out,
      which is how pages decide whether to show a factory's internals).
    """
    r = roles_of(user)
    if r.superuser:
        return Factory.objects.all()
    if not user.is_authenticated:
        return Factory.objects.none()

    provider_roles = (Role.ADMIN,) if write else None
    providers = r.orgs(kind=Kind.SERVICE_PROVIDER, roles=provider_roles)
    # One arm per rule, joined by UNION (pks_in_any): each is an index scan on PostgreSQL.
    arms: list[QuerySet] = []
    if providers:
        arms += [
            Factory.objects.filter(registered_by__in=providers).values("pk"),
            _engagements().filter(provider__in=providers).values("factory"),
            # A factory that agreed to work with the provider (an index covers the lookup).
            AccessRequest.objects.filter(
                provider__in=providers, status=AccessRequest.Status.APPROVED
            ).values("factory"),
        ]
    if not write:
        if owners := r.orgs(kind=Kind.PROGRAMME_OWNER):
            arms += [
                Factory.objects.filter(registered_by__in=owners).values("pk"),
                _engagements().filter(programme__owner__in=owners).values("factory"),
            ]
        if buyers and (buyer_orgs := r.orgs(kind=Kind.BUYER)):
            arms.append(Factory.objects.filter(buyer_links__buyer__in=buyer_orgs).values("pk"))
    return pks_in_any(
        Factory.objects.all(), *arms, pks=r.factories(roles=EDITOR_FACTORY_ROLES if write else None)
    )


def sees_internals(user: User | AnonymousUser, factory: Factory) -> bool:
    """Whether the user sees the team, engagements and history, not just the public profile."""
    return factories_for(user, buyers=False).filter(pk=factory.pk).exists()


# --- asking to work with a factory already in FIT Hub --------------------------------------


def factory_by_os_id(os_id: str) -> Factory | None:
    """Return the factory with an Open Supply Hub ID as typed, for a provider about to ask.

    Whoever may register factories may find one by its OS ID, and sees of it only the public
    registry fields (PUBLIC_REGISTRY_FIELDS): Open Supply Hub publishes them for anyone.
    """
    code = (os_id or "").strip().upper()
    return Factory.objects.filter(os_id=code).first() if code else None


def requesting_providers_for(user: User | AnonymousUser) -> list[int]:
    """Return the providers the user may ask for: those they administer."""
    return roles_of(user).orgs(kind=Kind.SERVICE_PROVIDER, roles=(Role.ADMIN,))


def _without_editors() -> Q:
    """Whether a request's factory has no coordinator or manager in FIT Hub to decide."""
    return ~Q(
        Exists(
            FactoryMembership.objects.filter(
                factory=OuterRef("factory"), role__in=EDITOR_FACTORY_ROLES
            )
        )
    )


def access_requests_for(
    user: User | AnonymousUser, *, decide: bool = False
) -> QuerySet[AccessRequest]:
    """Return the requests to work with a factory the user sees (or, with decide=True, decides).

    - the requesting side: administrators of the provider that asked;
    - the factory's side: whoever may change the factory (factories_for with write=True);
    - deciding: the factory's coordinators and managers, on pending requests; while the
      factory has none in FIT Hub, the administrators of a provider that registered it or is
      engaged with it (never for a request of their own provider). A worker representative
      only reads a factory, so does not decide who works with it.
    """
    r = roles_of(user)
    if not user.is_authenticated:
        return AccessRequest.objects.none()
    admins = requesting_providers_for(user)
    if not decide:
        if r.superuser:
            return AccessRequest.objects.all()
        return AccessRequest.objects.filter(
            Q(provider__in=admins) | Q(factory__in=factories_for(user, write=True).values("pk"))
        )
    pending = AccessRequest.objects.filter(status=AccessRequest.Status.PENDING)
    if r.superuser:
        return pending
    q = Q(factory__in=r.factories(roles=EDITOR_FACTORY_ROLES))
    if admins:
        working = Q(factory__registered_by__in=admins) | Q(
            factory__in=Factory.objects.filter(engagements__provider__in=admins).values("pk")
        )
        q |= _without_editors() & working & ~Q(provider__in=admins)
    return pending.filter(q)


def access_request_deciders(access_request: AccessRequest) -> QuerySet[User]:
    """Return who decides a request (and is e-mailed about it): see access_requests_for."""
    factory = access_request.factory
    editors = User.objects.filter(
        factory_memberships__factory=factory,
        factory_memberships__role__in=EDITOR_FACTORY_ROLES,
        is_active=True,
    )
    if editors.exists():
        return editors.distinct()
    providers = Q(memberships__organisation=factory.registered_by_id) | Q(
        memberships__organisation__in=factory.engagements.values("provider")
    )
    asking = Membership.objects.filter(
        organisation=access_request.provider_id, role=Role.ADMIN
    ).values("user")
    return (
        User.objects.filter(providers, memberships__role=Role.ADMIN, is_active=True)
        .exclude(pk__in=asking)
        .distinct()
    )
