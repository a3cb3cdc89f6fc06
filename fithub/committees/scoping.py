"""The one place that decides who sees and who records a factory's committee business.

One rule, over factories (`committee_factories_for`); every model of the app follows it through
its committee's factory:

- the factory's worker representatives see all of it; its coordinator and manager see it and
  record it (members, elections, meetings, decisions, approvals of the minutes);
- the factory's provider staff (administrators and facilitators, who act as enterprise
  advisors, of a provider that registered the factory or is engaged with it) see it and guide:
  they enter the effectiveness reviews (`guided_factories_for`);
- the programme owner's staff see the committees of the factories engaged in its programmes,
  read only;
- buyers, other providers, a provider's assessors and viewers, and strangers see nothing.

A member linked to a FIT Hub account may also approve minutes for their own seat, even with
only read access (a worker representative approving for the workers' side): see
`approving_members_for`.
"""

from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from fithub.accounts.models import User
from fithub.accounts.roles import FactoryRole, Kind, Role, roles_of
from fithub.committees.models import (
    Committee,
    Decision,
    Election,
    Meeting,
    Member,
    Review,
)
from fithub.factories.models import Factory

RECORDING_FACTORY_ROLES = (FactoryRole.COORDINATOR, FactoryRole.MANAGER)
GUIDING_PROVIDER_ROLES = (Role.ADMIN, Role.FACILITATOR)


def _provider_q(providers: list[int]) -> Q:
    return Q(registered_by__in=providers) | Q(
        pk__in=Factory.objects.filter(engagements__provider__in=providers).values("pk")
    )


def committee_factories_for(
    user: User | AnonymousUser, *, write: bool = False
) -> QuerySet[Factory]:
    """Return the factories whose committee business the user may see (write=True: record)."""
    r = roles_of(user)
    if r.superuser:
        return Factory.objects.all()
    if not user.is_authenticated:
        return Factory.objects.none()
    q = Q(pk__in=r.factories(roles=RECORDING_FACTORY_ROLES if write else None))
    if not write:
        if providers := r.orgs(kind=Kind.SERVICE_PROVIDER, roles=GUIDING_PROVIDER_ROLES):
            q |= _provider_q(providers)
        if owners := r.orgs(kind=Kind.PROGRAMME_OWNER):
            q |= Q(
                pk__in=Factory.objects.filter(engagements__programme__owner__in=owners).values("pk")
            )
    return Factory.objects.filter(q)


def guided_factories_for(user: User | AnonymousUser) -> QuerySet[Factory]:
    """Return the factories whose committee the user guides: their provider's advisors review."""
    r = roles_of(user)
    if r.superuser:
        return Factory.objects.all()
    providers = r.orgs(kind=Kind.SERVICE_PROVIDER, roles=GUIDING_PROVIDER_ROLES)
    if not providers:
        return Factory.objects.none()
    return Factory.objects.filter(_provider_q(providers))


def advisors_of(factory: Factory) -> QuerySet[User]:
    """Return who may be named as the advisor guiding the factory's committee (and election)."""
    providers = {factory.registered_by_id, *factory.engagements.values_list("provider", flat=True)}
    return (
        User.objects.filter(
            memberships__role__in=GUIDING_PROVIDER_ROLES,
            memberships__organisation__in=providers,
        )
        .distinct()
        .order_by("name", "email")
    )


def committees_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Committee]:
    """Return the committees the user may see (or, with write=True, record for)."""
    return Committee.objects.filter(
        factory__in=committee_factories_for(user, write=write).values("pk")
    )


def members_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Member]:
    return Member.objects.filter(
        committee__factory__in=committee_factories_for(user, write=write).values("pk")
    )


def elections_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Election]:
    return Election.objects.filter(
        committee__factory__in=committee_factories_for(user, write=write).values("pk")
    )


def meetings_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        committee__factory__in=committee_factories_for(user, write=write).values("pk")
    )


def decisions_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Decision]:
    """Return the decisions the user may see; the improvement app scopes its links with this."""
    return Decision.objects.filter(
        committee__factory__in=committee_factories_for(user, write=write).values("pk")
    )


def reviews_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Review]:
    """Return the reviews the user may see, or (write=True) the ones they may have written."""
    factories = guided_factories_for(user) if write else committee_factories_for(user)
    return Review.objects.filter(committee__factory__in=factories.values("pk"))


def approving_members_for(user: User | AnonymousUser, *, committee: Committee) -> QuerySet[Member]:
    """Return the members for whom the user may approve minutes of this committee.

    Whoever records the committee's business may record any member's approval (from the signed
    paper minutes); a member with a FIT Hub account may approve for their own seat.
    """
    if committee_factories_for(user, write=True).filter(pk=committee.factory_id).exists():
        return committee.members.all()
    if not committee_factories_for(user).filter(pk=committee.factory_id).exists():
        return Member.objects.none()
    return committee.members.filter(user_id=cast(User, user).pk)


def sees_committees(user: User | AnonymousUser) -> bool:
    """Whether the user is offered the committees list (it lists only what they may see).

    As the main menu decides: everyone but buyers and strangers; a provider's assessors and
    viewers find it empty.
    """
    r = roles_of(user)
    return r.superuser or r.factory_staff or r.programme_owner or r.provider_staff
