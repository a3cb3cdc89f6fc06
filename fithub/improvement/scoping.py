"""The one place that decides who sees and who changes improvement plans and their items.

- the factory's coordinators and managers see the plan and change it: they create and update
  items, start them and mark them done, drop them (with a reason), add evidence;
- the factory's worker representatives see the whole plan and comment on it; a manager and a
  worker representative sign it off, each for their side (`sign_off_sides_for`);
- administrators and facilitators (who act as enterprise advisors) of the engagement's provider
  see the plan, comment, add their own evidence, and verify or return items marked done
  (`verifiable_plans_for`); the provider's other staff read it;
- the programme owner's staff read the plans of the engagements in their programmes;
- buyers, other providers and strangers see nothing: a buyer sees a plan only through a report
  the factory releases (the reports app).

Who reads a plan is who reads its engagement (`programmes.scoping.engagements_for`).

Adoption follow-ups (is a module's practice in use one and three months on?) are read as the
plans are, by who reads the engagement; the factory's coordinators and managers and the
provider's advisors answer them (`followups_for(user, write=True)`).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from fithub.accounts.models import User
from fithub.accounts.roles import FactoryRole, Kind, Role, roles_of
from fithub.factories.scoping import EDITOR_FACTORY_ROLES
from fithub.improvement.models import (
    AdoptionFollowUp,
    ImprovementItem,
    ImprovementPlan,
    PlanSignOff,
)
from fithub.programmes.scoping import engagements_for

VERIFYING_PROVIDER_ROLES = (Role.ADMIN, Role.FACILITATOR)
SIGNING_ROLES = {
    PlanSignOff.Side.MANAGER: FactoryRole.MANAGER,
    PlanSignOff.Side.WORKER_REP: FactoryRole.WORKER_REP,
}


def plans_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[ImprovementPlan]:
    """Return the plans the user may see (or, with write=True, change: items and their status)."""
    r = roles_of(user)
    if r.superuser:
        return ImprovementPlan.objects.all()
    if not user.is_authenticated:
        return ImprovementPlan.objects.none()
    if write:
        return ImprovementPlan.objects.filter(factory__in=r.factories(roles=EDITOR_FACTORY_ROLES))
    return ImprovementPlan.objects.filter(engagement__in=engagements_for(user).values("pk"))


def verifiable_plans_for(user: User | AnonymousUser) -> QuerySet[ImprovementPlan]:
    """Return the plans whose items the user verifies or returns: the provider's advisors."""
    r = roles_of(user)
    if r.superuser:
        return ImprovementPlan.objects.all()
    providers = r.orgs(kind=Kind.SERVICE_PROVIDER, roles=VERIFYING_PROVIDER_ROLES)
    if not providers:
        return ImprovementPlan.objects.none()
    return ImprovementPlan.objects.filter(engagement__provider__in=providers)


def commentable_plans_for(user: User | AnonymousUser) -> QuerySet[ImprovementPlan]:
    """Return the plans the user may comment on: the factory's people and the advisors."""
    r = roles_of(user)
    if r.superuser:
        return ImprovementPlan.objects.all()
    providers = r.orgs(kind=Kind.SERVICE_PROVIDER, roles=VERIFYING_PROVIDER_ROLES)
    q = Q(factory__in=r.factories())
    if providers:
        q |= Q(engagement__provider__in=providers)
    return ImprovementPlan.objects.filter(q)


def items_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[ImprovementItem]:
    """Return the items the user may see (or, with write=True, change); they follow their plan."""
    return ImprovementItem.objects.filter(plan__in=plans_for(user, write=write).values("pk"))


def verifiable_items_for(user: User | AnonymousUser) -> QuerySet[ImprovementItem]:
    return ImprovementItem.objects.filter(plan__in=verifiable_plans_for(user).values("pk"))


def commentable_items_for(user: User | AnonymousUser) -> QuerySet[ImprovementItem]:
    return ImprovementItem.objects.filter(plan__in=commentable_plans_for(user).values("pk"))


def evidence_items_for(user: User | AnonymousUser) -> QuerySet[ImprovementItem]:
    """Return the items the user may add evidence to: the factory's editors and the advisors."""
    return ImprovementItem.objects.filter(
        Q(plan__in=plans_for(user, write=True).values("pk"))
        | Q(plan__in=verifiable_plans_for(user).values("pk"))
    )


def sign_off_sides_for(user: User | AnonymousUser, plan: ImprovementPlan) -> list[str]:
    """Return the sides the user signs the plan for: a manager, a worker representative."""
    role = roles_of(user).factory.get(plan.factory_id)
    return [side for side, needed in SIGNING_ROLES.items() if role == needed]


def sees_plans(user: User | AnonymousUser) -> bool:
    """Whether the user is offered improvement plans at all: not buyers, not strangers."""
    r = roles_of(user)
    return r.superuser or r.factory_staff or r.programme_owner or r.provider_staff


def edits_plans_of(user: User | AnonymousUser, factory_id: int) -> bool:
    """Whether the user changes the factory's plans (and so may start one): as plans_for."""
    r = roles_of(user)
    return r.superuser or factory_id in r.factories(roles=EDITOR_FACTORY_ROLES)


def followups_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[AdoptionFollowUp]:
    """Return the adoption follow-ups the user may see (or, with write=True, answer)."""
    r = roles_of(user)
    if r.superuser:
        return AdoptionFollowUp.objects.all()
    if not user.is_authenticated:
        return AdoptionFollowUp.objects.none()
    if not write:
        return AdoptionFollowUp.objects.filter(engagement__in=engagements_for(user).values("pk"))
    q = Q(factory__in=r.factories(roles=EDITOR_FACTORY_ROLES))
    providers = r.orgs(kind=Kind.SERVICE_PROVIDER, roles=VERIFYING_PROVIDER_ROLES)
    if providers:
        q |= Q(engagement__provider__in=providers)
    return AdoptionFollowUp.objects.filter(q)


def visit_plans_for(user: User | AnonymousUser) -> QuerySet[ImprovementPlan]:
    """Return the plans whose visits the user records offline: the factory's editors (they
    start items and mark them done) and the provider's advisors (they verify and return)."""
    return ImprovementPlan.objects.filter(
        Q(pk__in=plans_for(user, write=True).values("pk"))
        | Q(pk__in=verifiable_plans_for(user).values("pk"))
    )
