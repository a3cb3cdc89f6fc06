"""The one place that decides which factories a user may see or change."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from fithub.accounts.models import User
from fithub.accounts.roles import FactoryRole, Kind, Role, roles_of
from fithub.factories.models import Factory

EDITOR_FACTORY_ROLES = (FactoryRole.COORDINATOR, FactoryRole.MANAGER)


def factories_for(
    user: User | AnonymousUser, *, write: bool = False, buyers: bool = True
) -> QuerySet[Factory]:
    """Return the factories the user may see (or, with write=True, change).

    - service provider staff: factories their organisation registered or is engaged with;
      only its administrators may change them;
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
    q = Q(pk__in=r.factories(roles=EDITOR_FACTORY_ROLES if write else None))
    if providers:
        q |= Q(registered_by__in=providers) | Q(
            pk__in=Factory.objects.filter(engagements__provider__in=providers).values("pk")
        )
    if not write:
        if owners := r.orgs(kind=Kind.PROGRAMME_OWNER):
            q |= Q(registered_by__in=owners) | Q(
                pk__in=Factory.objects.filter(engagements__programme__owner__in=owners).values("pk")
            )
        if buyers and (buyer_orgs := r.orgs(kind=Kind.BUYER)):
            q |= Q(pk__in=Factory.objects.filter(buyer_links__buyer__in=buyer_orgs).values("pk"))
    return Factory.objects.filter(q)


def sees_internals(user: User | AnonymousUser, factory: Factory) -> bool:
    """Whether the user sees the team, engagements and history, not just the public profile."""
    return factories_for(user, buyers=False).filter(pk=factory.pk).exists()
