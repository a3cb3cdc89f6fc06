"""The one place that decides who sees and who changes questionnaires and assessments."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from fithub.accounts.models import User
from fithub.accounts.roles import FactoryRole, Kind, Role, roles_of
from fithub.assessment.models import Assessment, Questionnaire, QuestionnaireVersion
from fithub.factories.models import Factory
from fithub.lib.querysets import pks_in_any

ANSWERING_FACTORY_ROLES = (FactoryRole.COORDINATOR, FactoryRole.MANAGER)
# The facilitator may fill in the questionnaire with the factory; the admin runs the engagement.
ANSWERING_PROVIDER_ROLES = (Role.ADMIN, Role.FACILITATOR)
VISIBLE_STATUSES = (QuestionnaireVersion.Status.PUBLISHED, QuestionnaireVersion.Status.RETIRED)


def assessed_factories_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Factory]:
    """Return the factories whose assessments the user may see (or, with write=True, answer).

    - factory coordinators and managers: their factory (read and write); worker
      representatives read;
    - provider staff whose organisation registered the factory or is engaged with it;
      administrators and facilitators write, the others read;
    - programme owner staff: factories in their programmes (read only);
    - buyers: none; what reaches a buyer goes through a release.
    """
    r = roles_of(user)
    if r.superuser:
        return Factory.objects.all()
    if not user.is_authenticated:
        return Factory.objects.none()
    providers = r.orgs(
        kind=Kind.SERVICE_PROVIDER, roles=ANSWERING_PROVIDER_ROLES if write else None
    )
    arms: list[QuerySet] = []  # joined by UNION: an index scan each on PostgreSQL
    if providers:
        arms += [
            Factory.objects.filter(registered_by__in=providers).values("pk"),
            Factory.objects.filter(engagements__provider__in=providers).values("pk"),
        ]
    if not write and (owners := r.orgs(kind=Kind.PROGRAMME_OWNER)):
        arms.append(Factory.objects.filter(engagements__programme__owner__in=owners).values("pk"))
    return pks_in_any(
        Factory.objects.all(),
        *arms,
        pks=r.factories(roles=ANSWERING_FACTORY_ROLES if write else None),
    )


def assessments_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Assessment]:
    """Return the assessments the user may see (or, with write=True, answer and change).

    The rules are those of assessed_factories_for: the factory's coordinator and manager and
    the engaged provider's administrators and facilitators write; worker representatives,
    other provider staff and the programme owner read; buyers see none.
    """
    r = roles_of(user)
    if r.superuser:
        return Assessment.objects.all()
    if not user.is_authenticated:
        return Assessment.objects.none()
    return Assessment.objects.filter(
        factory__in=assessed_factories_for(user, write=write).values("pk")
    )


def sees_questionnaires(user: User | AnonymousUser) -> bool:
    """Whether the user reads questionnaires: programme, provider and factory people."""
    r = roles_of(user)
    return (
        r.superuser
        or r.factory_staff
        or bool(r.orgs(kind=Kind.PROGRAMME_OWNER) or r.orgs(kind=Kind.SERVICE_PROVIDER))
    )


def questionnaires_for(
    user: User | AnonymousUser, *, write: bool = False
) -> QuerySet[Questionnaire]:
    """Return the questionnaires the user may see (or, with write=True, edit).

    The owner's administrators edit; its other staff read every version. Every member of a
    programme owner, a provider or a factory reads the questionnaires that have a published
    (or retired) version.
    """
    r = roles_of(user)
    if r.superuser:
        return Questionnaire.objects.all()
    owners = r.orgs(kind=Kind.PROGRAMME_OWNER, roles=(Role.ADMIN,) if write else None)
    q = Q(owner__in=owners)
    if not write and sees_questionnaires(user):
        q |= Q(
            pk__in=QuestionnaireVersion.objects.filter(status__in=VISIBLE_STATUSES).values(
                "questionnaire"
            )
        )
    return Questionnaire.objects.filter(q)


def versions_for(
    user: User | AnonymousUser, *, write: bool = False
) -> QuerySet[QuestionnaireVersion]:
    """Return the questionnaire versions the user may see (or, with write=True, edit).

    Drafts are seen only by the owner's staff; everyone else who reads questionnaires sees
    the published and retired versions.
    """
    r = roles_of(user)
    if r.superuser:
        return QuestionnaireVersion.objects.all()
    owners = r.orgs(kind=Kind.PROGRAMME_OWNER, roles=(Role.ADMIN,) if write else None)
    q = Q(questionnaire__owner__in=owners)
    if not write and sees_questionnaires(user):
        q |= Q(status__in=VISIBLE_STATUSES)
    return QuestionnaireVersion.objects.filter(q)


def can_edit_questionnaires(user: User | AnonymousUser) -> bool:
    """Whether the user writes questionnaires and finding mappings: a programme owner's admin."""
    r = roles_of(user)
    return r.superuser or bool(r.orgs(kind=Kind.PROGRAMME_OWNER, roles=(Role.ADMIN,)))
