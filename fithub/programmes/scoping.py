"""The one place that decides which programmes, engagements and prices a user may see or change."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import Kind, Role, roles_of
from fithub.programmes.models import Engagement, Programme


def programmes_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Programme]:
    """Return the programmes the user may see: owners' staff, and the providers taking part.

    Only the owner's administrators may change a programme.
    """
    r = roles_of(user)
    if r.superuser:
        return Programme.objects.all()
    owners = r.orgs(kind=Kind.PROGRAMME_OWNER, roles=(Role.ADMIN,) if write else None)
    q = Q(owner__in=owners)
    if not write:
        providers = r.orgs(kind=Kind.SERVICE_PROVIDER)
        factories = r.factories()
        q |= Q(pk__in=Programme.objects.filter(providers__in=providers).values("pk"))
        q |= Q(pk__in=Engagement.objects.filter(factory__in=factories).values("programme"))
    return Programme.objects.filter(q)


def engagements_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Engagement]:
    """Return the engagements the user may see (or, with write=True, change).

    Provider staff see their organisation's engagements and its administrators change them;
    programme owners see every engagement in their programmes; factory staff see their
    factory's. Buyers see none: what reaches a buyer goes through a release.
    """
    r = roles_of(user)
    if r.superuser:
        return Engagement.objects.all()
    providers = r.orgs(kind=Kind.SERVICE_PROVIDER, roles=(Role.ADMIN,) if write else None)
    q = Q(provider__in=providers)
    if not write:
        q |= Q(programme__owner__in=r.orgs(kind=Kind.PROGRAMME_OWNER))
        q |= Q(factory__in=r.factories())
    return Engagement.objects.filter(q)


def engagement_providers_for(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Return the service providers the user may start engagements for: those they administer.

    Superusers too act only through their memberships: an engagement is always started on
    behalf of a provider, as a factory is registered for one (the Django admin is for the rest).
    """
    providers = roles_of(user).orgs(kind=Kind.SERVICE_PROVIDER, roles=(Role.ADMIN,))
    return Organisation.objects.filter(pk__in=providers).order_by("name", "pk")


# --- pricing (the sums are in programmes/pricing.py) -------------------------------------------


def pricing_organisations(user: User | AnonymousUser) -> tuple[list[int], list[int]]:
    """Return the providers and programme owners whose pricing the user may read."""
    r = roles_of(user)
    return r.orgs(kind=Kind.SERVICE_PROVIDER), r.orgs(kind=Kind.PROGRAMME_OWNER)


def cost_providers_for(
    user: User | AnonymousUser, *, write: bool = False
) -> QuerySet[Organisation]:
    """Return the providers whose prices the user may see (staff) or change (administrators).

    A superuser with no provider of their own sees and changes every provider's prices.
    """
    r = roles_of(user)
    roles = (Role.ADMIN,) if write else None
    if r.superuser and not r.orgs(kind=Kind.SERVICE_PROVIDER):
        return Organisation.objects.filter(kind=Kind.SERVICE_PROVIDER)
    return Organisation.objects.filter(pk__in=r.orgs(kind=Kind.SERVICE_PROVIDER, roles=roles))


def sees_costs(user: User | AnonymousUser, engagement: Engagement) -> bool:
    """Whether the user sees an engagement's costs: its provider's staff, the programme owner.

    Factory staff see only the sponsors' shares (see programmes/pricing.py); buyers nothing.
    A session's cost is read by the same people (training/scoping.py::priced_sessions_for).
    """
    if roles_of(user).superuser:
        return True
    providers, owners = pricing_organisations(user)
    return engagement.provider_id in providers or engagement.programme.owner_id in owners


def sponsorship_engagements_for(user: User | AnonymousUser) -> QuerySet[Engagement]:
    """Return the engagements whose sponsors the user may add and remove.

    The same people who may change the engagement: its provider's administrators (and
    superusers). Facilitators, programme owners, factory staff and buyers only read the shares.
    """
    return engagements_for(user, write=True)
