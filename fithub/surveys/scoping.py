"""The one place that decides who runs a session's survey and who reads its results.

- Whoever may change a session (its provider's administrators and facilitators, the assigned
  facilitator, a factory organising its own session) opens and closes its survey, prints the
  code slips and enters paper forms.
- Whoever may see a session reads its survey's results, suppressed for small groups, with one
  exception: a factory's staff read a session's results only when every person registered for
  it is from their factories. Answers are anonymous and cannot be split by factory, so the
  results of a session shared with another factory would tell them about that factory's people.
- Buyers see nothing (they see no sessions).
- Answering needs no account: the survey link, with a code from a slip.
- A programme owner's administrators write its questionnaire (new drafts, texts, publishing);
  its other staff read it. Everyone who runs or reads surveys reads the standard one.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from fithub.accounts.models import User
from fithub.accounts.roles import Kind, Role, roles_of
from fithub.surveys.models import Questionnaire, Survey, Version
from fithub.training.models import Registration
from fithub.training.scoping import sessions_for


def surveys_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Survey]:
    """Return the surveys the user may run (write) or whose results the user may read."""
    sessions = sessions_for(user, write=write)
    surveys = Survey.objects.filter(session__in=sessions.values("pk"))
    if write:
        return surveys
    r = roles_of(user)
    if r.superuser or r.orgs(kind=Kind.SERVICE_PROVIDER) or r.orgs(kind=Kind.PROGRAMME_OWNER):
        return surveys
    own = r.factories()
    others = Registration.objects.filter(session=OuterRef("session")).exclude(
        participant__factory__in=own
    )
    return surveys.exclude(Exists(others))


def survey_by_token(token: str) -> QuerySet[Survey]:
    """Return the survey a printed link or QR code opens, for anyone holding it."""
    return Survey.objects.filter(token=token).select_related("session", "version")


def questionnaire_owners_for(user: User | AnonymousUser) -> list[int]:
    """Return the programme owners whose survey questionnaire the user edits: its admins'."""
    return roles_of(user).orgs(kind=Kind.PROGRAMME_OWNER, roles=(Role.ADMIN,))


def questionnaires_for(
    user: User | AnonymousUser, *, write: bool = False
) -> QuerySet[Questionnaire]:
    """Return the survey questionnaires the user may read (or, with write=True, edit).

    Read: a programme owner's staff read its own; providers' staff read the questionnaires of
    the owners of the programmes they deliver (their sessions ask them); both read the standard.
    """
    r = roles_of(user)
    if r.superuser:
        return Questionnaire.objects.all()
    if write:
        return Questionnaire.objects.filter(owner__in=questionnaire_owners_for(user))
    owners, providers = r.orgs(kind=Kind.PROGRAMME_OWNER), r.orgs(kind=Kind.SERVICE_PROVIDER)
    if not owners and not providers:
        return Questionnaire.objects.none()
    q = Q(owner=None) | Q(owner__in=owners) | Q(owner__owned_programmes__providers__in=providers)
    return Questionnaire.objects.filter(q).distinct()


def versions_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Version]:
    """Return the questionnaire versions the user may read (or, with write=True, edit).

    Drafts are read only by the owner's staff; the others read published versions.
    """
    r = roles_of(user)
    if r.superuser:
        return Version.objects.all()
    if write:
        return Version.objects.filter(questionnaire__owner__in=questionnaire_owners_for(user))
    readable = questionnaires_for(user).values("pk")
    own = Q(questionnaire__owner__in=r.orgs(kind=Kind.PROGRAMME_OWNER))
    published = Q(status=Version.Status.PUBLISHED)
    return Version.objects.filter(Q(questionnaire__in=readable) & (own | published))
