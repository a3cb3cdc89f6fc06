"""The one place that decides who sees and who changes assessment tools, assessments, findings.

- tools: the owner's administrators edit; its other staff read every version; provider staff
  and factory people read published (and retired) versions (a CAT is no secret, and the factory
  answers its dialogue questions in a self-diagnosis); buyers and strangers see none;
- assessments: the engagement's provider's administrators plan them and read them, its
  assessors read and answer them; the programme owner's staff read those of their programmes;
  the provider's facilitators (the factory's advisors, who are at the factory every month) do
  not: the assessment is unannounced;
- the factory's people see nothing of an assessment, not even that one is planned, until its
  report is released to them (the reports app will add releases; until then, nothing);
- buyers never see assessments or findings here: what reaches a buyer goes through a release.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from fithub.accounts.models import Membership, User
from fithub.accounts.roles import FactoryRole, Kind, Role, roles_of
from fithub.compliance.models import (
    ComplianceAssessment,
    Finding,
    SelfDiagnosis,
    Tool,
    ToolVersion,
)
from fithub.programmes.models import Engagement
from fithub.programmes.scoping import engagements_for

READING_PROVIDER_ROLES = (Role.ADMIN, Role.ASSESSOR)
VISIBLE_STATUSES = (ToolVersion.Status.PUBLISHED, ToolVersion.Status.RETIRED)


def sees_tools(user: User | AnonymousUser) -> bool:
    """Whether the user reads assessment tools: programme, provider and factory people."""
    r = roles_of(user)
    return r.superuser or r.factory_staff or r.programme_owner or r.provider_staff


def tools_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Tool]:
    """Return the tools the user may see (or, with write=True, edit: the owner's admins)."""
    r = roles_of(user)
    if r.superuser:
        return Tool.objects.all()
    owners = r.orgs(kind=Kind.PROGRAMME_OWNER, roles=(Role.ADMIN,) if write else None)
    q = Q(owner__in=owners)
    if not write and sees_tools(user):
        q |= Q(pk__in=ToolVersion.objects.filter(status__in=VISIBLE_STATUSES).values("tool"))
    return Tool.objects.filter(q)


def versions_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[ToolVersion]:
    """Return the tool versions the user may see (drafts: the owner's staff only) or edit."""
    r = roles_of(user)
    if r.superuser:
        return ToolVersion.objects.all()
    owners = r.orgs(kind=Kind.PROGRAMME_OWNER, roles=(Role.ADMIN,) if write else None)
    q = Q(tool__owner__in=owners)
    if not write and sees_tools(user):
        q |= Q(status__in=VISIBLE_STATUSES)
    return ToolVersion.objects.filter(q)


def can_edit_tools(user: User | AnonymousUser) -> bool:
    """Whether the user writes tools: a programme owner's administrator."""
    r = roles_of(user)
    return r.superuser or bool(r.orgs(kind=Kind.PROGRAMME_OWNER, roles=(Role.ADMIN,)))


def sees_assessments(user: User | AnonymousUser) -> bool:
    """Whether the user is offered compliance assessments at all (the menu, the list)."""
    r = roles_of(user)
    return (
        r.superuser
        or r.programme_owner
        or bool(r.orgs(kind=Kind.SERVICE_PROVIDER, roles=READING_PROVIDER_ROLES))
    )


def assessments_for(
    user: User | AnonymousUser, *, write: bool = False
) -> QuerySet[ComplianceAssessment]:
    """Return the assessments the user may see (or, with write=True, answer: the assessors)."""
    r = roles_of(user)
    if r.superuser:
        return ComplianceAssessment.objects.all()
    if not user.is_authenticated:
        return ComplianceAssessment.objects.none()
    if write:
        providers = r.orgs(kind=Kind.SERVICE_PROVIDER, roles=(Role.ASSESSOR,))
        return ComplianceAssessment.objects.filter(engagement__provider__in=providers)
    providers = r.orgs(kind=Kind.SERVICE_PROVIDER, roles=READING_PROVIDER_ROLES)
    owners = r.orgs(kind=Kind.PROGRAMME_OWNER)
    return ComplianceAssessment.objects.filter(
        Q(engagement__provider__in=providers) | Q(engagement__programme__owner__in=owners)
    )


def plannable_engagements_for(user: User | AnonymousUser) -> QuerySet[Engagement]:
    """Return the engagements the user may plan (and re-plan) assessments for: provider admins."""
    r = roles_of(user)
    if r.superuser:
        return Engagement.objects.all()
    providers = r.orgs(kind=Kind.SERVICE_PROVIDER, roles=(Role.ADMIN,))
    return Engagement.objects.filter(provider__in=providers)


def plannable_assessments_for(user: User | AnonymousUser) -> QuerySet[ComplianceAssessment]:
    return ComplianceAssessment.objects.filter(
        engagement__in=plannable_engagements_for(user).values("pk")
    )


def assessors_for(engagement: Engagement) -> QuerySet[User]:
    """Return the people who may be sent to assess: the engagement provider's assessors."""
    return User.objects.filter(
        memberships__organisation_id=engagement.provider_id,
        memberships__role=Membership.Role.ASSESSOR,
        is_active=True,
    ).order_by("name", "pk")


def dated_assessment_ids(user: User | AnonymousUser, ids: Iterable[int]) -> set[int]:
    """Return which of these assessments' planned dates the user may know (one query).

    Only who may see the assessment at all, and never someone who is only factory staff: asked
    again by every page, serializer and export that prints the date, so that opening an
    assessment to the factory later (a released report) cannot open its date by accident.
    """
    r = roles_of(user)
    if r.factory_staff and not (r.superuser or r.provider_staff or r.programme_owner):
        return set()
    return set(assessments_for(user).filter(pk__in=list(ids)).values_list("pk", flat=True))


def sees_planned_date(user: User | AnonymousUser, assessment: ComplianceAssessment) -> bool:
    """Whether the user may know the assessment's planned date (see dated_assessment_ids)."""
    return assessment.pk in dated_assessment_ids(user, [assessment.pk])


def findings_for(user: User | AnonymousUser) -> QuerySet[Finding]:
    """Return the findings the user may read: those of assessments they see.

    The factory reads its findings once the assessment report is released to it, which the
    reports app adds; until then it reads none. Buyers read none here, ever.
    """
    return Finding.objects.filter(assessment__in=assessments_for(user).values("pk"))


# --- self-diagnosis --------------------------------------------------------------------------

# Both sides of the bipartite committee answer: the factory's management and its workers.
SELF_DIAGNOSING_ROLES = (FactoryRole.COORDINATOR, FactoryRole.MANAGER, FactoryRole.WORKER_REP)


def self_diagnoses_for(
    user: User | AnonymousUser, *, write: bool = False
) -> QuerySet[SelfDiagnosis]:
    """Return the self-diagnoses the user may see (or, with write=True, answer).

    The factory's coordinators, managers and worker representatives answer them; whoever reads
    the engagement (its provider's staff, the programme owner, the factory) reads them. Buyers
    see none. A self-diagnosis holds no date of any assessment.
    """
    r = roles_of(user)
    if r.superuser:
        return SelfDiagnosis.objects.all()
    if write:
        return SelfDiagnosis.objects.filter(factory__in=r.factories(roles=SELF_DIAGNOSING_ROLES))
    return SelfDiagnosis.objects.filter(engagement__in=engagements_for(user).values("pk"))


def self_diagnosing_engagements_for(user: User | AnonymousUser) -> QuerySet[Engagement]:
    """Return the engagements whose factory the user answers a self-diagnosis for."""
    r = roles_of(user)
    if r.superuser:
        return Engagement.objects.all()
    return Engagement.objects.filter(factory__in=r.factories(roles=SELF_DIAGNOSING_ROLES))
