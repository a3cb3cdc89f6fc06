"""The one place that decides which programmes and engagements a user may see or change."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from fithub.accounts.models import User
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
