"""The one place that decides who sees and who changes sessions, participants and attendance."""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import FactoryRole, Kind, Role, roles_of
from fithub.factories.models import Factory
from fithub.lib.querysets import pks_in_any
from fithub.programmes.models import Engagement
from fithub.programmes.scoping import pricing_organisations
from fithub.training.models import Participant, Registration, Session

# Facilitators run sessions and take attendance; administrators plan them.
WRITING_PROVIDER_ROLES = (Role.ADMIN, Role.FACILITATOR)
# In the laissez-faire model and in a cascade the factory runs its own sessions.
WRITING_FACTORY_ROLES = (FactoryRole.COORDINATOR, FactoryRole.MANAGER)


def sessions_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Session]:
    """Return the sessions the user may see (or, with write=True, change).

    - staff of the organising provider: administrators and facilitators write, viewers and
      assessors read; the provider running an engagement also reads the sessions a factory
      organised within it (cascade child sessions, laissez-faire sessions);
    - the facilitator assigned to a session reads and writes it;
    - factory staff read the sessions an engagement of their factory is attached to and the
      sessions their factory organises; coordinators and managers write the latter;
    - programme owner staff read the sessions of engagements in their programmes;
    - buyers: none.
    """
    r = roles_of(user)
    if r.superuser:
        return Session.objects.all()
    if not user.is_authenticated:
        return Session.objects.none()
    providers = r.orgs(kind=Kind.SERVICE_PROVIDER, roles=WRITING_PROVIDER_ROLES if write else None)
    # One arm per rule, joined by UNION (pks_in_any): an index scan each on PostgreSQL, where
    # an OR across columns and the engagements' join reads every session.
    arms: list[QuerySet] = [Session.objects.filter(facilitator=user).values("pk")]
    if providers:
        arms.append(Session.objects.filter(provider__in=providers).values("pk"))
    if own := r.factories(roles=WRITING_FACTORY_ROLES if write else None):
        arms.append(Session.objects.filter(organising_factory__in=own).values("pk"))
    if not write:
        through = Session.engagements.through.objects
        if all_providers := r.orgs(kind=Kind.SERVICE_PROVIDER):
            arms.append(through.filter(engagement__provider__in=all_providers).values("session"))
        if factories := r.factories():
            arms.append(through.filter(engagement__factory__in=factories).values("session"))
        if owners := r.orgs(kind=Kind.PROGRAMME_OWNER):
            arms.append(through.filter(engagement__programme__owner__in=owners).values("session"))
    return pks_in_any(Session.objects.all(), *arms)


def can_change_session(user: User | AnonymousUser, session: Session) -> bool:
    """Whether the user may change the session: take its attendance, run its check-in."""
    return sessions_for(user, write=True).filter(pk=session.pk).exists()


def sessions_by_check_in_token(token: str) -> QuerySet[Session]:
    """Return the session a self check-in link opens: whoever holds its QR code, no account.

    The check-in page shows the registered names only while check-in is open.
    """
    return Session.objects.filter(check_in_token=token)


def participant_factories_for(
    user: User | AnonymousUser, *, write: bool = False
) -> QuerySet[Factory]:
    """Return the factories whose participants the user may see (or, with write=True, change).

    - provider staff whose organisation registered the factory or is engaged with it;
      administrators and facilitators write, the others read;
    - factory staff of the factory: coordinators and managers write, worker representatives
      read;
    - programme owner staff: factories engaged in their programmes (read only);
    - buyers: none.
    """
    r = roles_of(user)
    if r.superuser:
        return Factory.objects.all()
    if not user.is_authenticated:
        return Factory.objects.none()
    providers = r.orgs(kind=Kind.SERVICE_PROVIDER, roles=WRITING_PROVIDER_ROLES if write else None)
    arms: list[QuerySet] = []  # joined by UNION: an index scan each on PostgreSQL
    if providers:
        arms += [
            Factory.objects.filter(registered_by__in=providers).values("pk"),
            Engagement.objects.filter(provider__in=providers).values("factory"),
        ]
    if not write and (owners := r.orgs(kind=Kind.PROGRAMME_OWNER)):
        arms.append(Engagement.objects.filter(programme__owner__in=owners).values("factory"))
    return pks_in_any(
        Factory.objects.all(),
        *arms,
        pks=r.factories(roles=WRITING_FACTORY_ROLES if write else None),
    )


def participants_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Participant]:
    """Return the participants the user may see (or, with write=True, change).

    Participants are scoped by their factory, with the rules of participant_factories_for.
    """
    r = roles_of(user)
    if r.superuser:
        return Participant.objects.all()
    if not user.is_authenticated:
        return Participant.objects.none()
    return Participant.objects.filter(
        factory__in=participant_factories_for(user, write=write).values("pk")
    )


def registrations_for(user: User | AnonymousUser, *, write: bool = False) -> QuerySet[Registration]:
    """Return the registrations (and so the attendance) the user may see or change.

    This is the one rule for a session's people, whatever shows them (the session page, its
    pack, the API, certificates): a registration follows its session (whoever changes the
    session takes attendance), and only the people of factories the user may see are in it
    (participant_factories_for). In a classroom session shared by two factories, each
    factory's users see their own people and never the other's.
    """
    r = roles_of(user)
    sessions = sessions_for(user, write=write).values("pk")
    if r.superuser:
        return Registration.objects.filter(session__in=sessions)
    return Registration.objects.filter(
        session__in=sessions,
        participant__factory__in=participant_factories_for(user).values("pk"),
    )


def session_factories_for(
    user: User | AnonymousUser, factories: Iterable[Factory]
) -> list[Factory]:
    """Keep the factories of a session whose names and people the user may see.

    A session's page and pack name the factories taking part: a factory's users see their own
    factory there, not the other factories sharing the session.
    """
    factories = list(factories)
    if roles_of(user).superuser:
        return factories
    visible = set(
        participant_factories_for(user)
        .filter(pk__in=[f.pk for f in factories])
        .values_list("pk", flat=True)
    )
    return [f for f in factories if f.pk in visible]


def can_plan_sessions(user: User | AnonymousUser) -> bool:
    """Whether the user may create sessions: provider admins and facilitators, factory editors."""
    r = roles_of(user)
    return (
        r.superuser
        or bool(r.orgs(kind=Kind.SERVICE_PROVIDER, roles=WRITING_PROVIDER_ROLES))
        or bool(r.factories(roles=WRITING_FACTORY_ROLES))
    )


def sees_training(user: User | AnonymousUser) -> bool:
    """Whether the user sees the sessions menu at all: everyone but buyers and strangers."""
    r = roles_of(user)
    return (
        r.superuser
        or r.factory_staff
        or bool(r.orgs(kind=Kind.PROGRAMME_OWNER) or r.orgs(kind=Kind.SERVICE_PROVIDER))
    )


# --- what a user may plan sessions with --------------------------------------------------------


def organising_providers_for(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Return the providers the user plans sessions for: where they are an administrator or
    a facilitator; a superuser, every provider."""
    r = roles_of(user)
    if r.superuser:
        return Organisation.objects.filter(kind=Kind.SERVICE_PROVIDER)
    return Organisation.objects.filter(
        pk__in=r.orgs(kind=Kind.SERVICE_PROVIDER, roles=WRITING_PROVIDER_ROLES)
    )


def organising_factories_for(user: User | AnonymousUser) -> QuerySet[Factory]:
    """Return the factories that run their own sessions with this user planning them (their
    coordinators and managers: laissez-faire and cascades); a superuser, every factory."""
    r = roles_of(user)
    if r.superuser:
        return Factory.objects.all()
    return Factory.objects.filter(pk__in=r.factories(roles=WRITING_FACTORY_ROLES))


def plannable_engagements(
    *, provider: Organisation | None, factory: Factory | None
) -> QuerySet[Engagement]:
    """Return the engagements a session of this organiser may be attached to: the factory's
    own when a factory organises, else the provider's."""
    if factory is not None:
        return Engagement.objects.filter(factory=factory)
    if provider is not None:
        return Engagement.objects.filter(provider=provider)
    return Engagement.objects.none()


def priced_sessions_for(user: User | AnonymousUser) -> QuerySet[Session]:
    """Return the sessions whose cost the user may see.

    Staff of the organising provider or of a provider running an attached engagement, and the
    owners of the attached engagements' programmes. Not factory staff, nor buyers.
    """
    if roles_of(user).superuser:
        return Session.objects.all()
    providers, owners = pricing_organisations(user)
    if not providers and not owners:
        return Session.objects.none()
    attached = Engagement.objects.filter(Q(provider__in=providers) | Q(programme__owner__in=owners))
    q = Q(provider__in=providers) | Q(
        pk__in=Session.engagements.through.objects.filter(
            engagement__in=attached.values("pk")
        ).values("session")
    )
    return Session.objects.filter(q)
