"""Who sees and who changes sessions, participants, registrations and action items."""

from datetime import time

import pytest
from django.contrib.auth.models import AnonymousUser

from fithub.tests.cast import EVERYONE
from fithub.training import services
from fithub.training.scoping import (
    can_plan_sessions,
    participants_for,
    registrations_for,
    sessions_for,
)
from fithub.training.tests.conftest import person, plan

READ_A = {"owner", "admin_a", "facilitator_a", "coordinator_a", "worker_rep_a", "superuser"}
WRITE_A = {"admin_a", "facilitator_a", "superuser"}
PEOPLE_WRITE_A = {"admin_a", "facilitator_a", "coordinator_a", "superuser"}


@pytest.mark.parametrize("who", EVERYONE)
def test_sessions_of_provider_a(cast, session_a, session_b, who) -> None:
    user = getattr(cast, who)
    assert sessions_for(user).filter(pk=session_a.pk).exists() == (who in READ_A)
    assert sessions_for(user, write=True).filter(pk=session_a.pk).exists() == (who in WRITE_A)
    sees_b = who in {"admin_b", "owner", "superuser"}
    assert sessions_for(user).filter(pk=session_b.pk).exists() == sees_b


@pytest.mark.parametrize("who", EVERYONE)
def test_participants_are_scoped_by_factory(cast, who) -> None:
    alice = person(cast.factory_a, "Alice")
    bina = person(cast.factory_b, "Bina")
    user = getattr(cast, who)
    assert participants_for(user).filter(pk=alice.pk).exists() == (who in READ_A)
    assert participants_for(user, write=True).filter(pk=alice.pk).exists() == (
        who in PEOPLE_WRITE_A
    )
    assert participants_for(user).filter(pk=bina.pk).exists() == (
        who in {"admin_b", "owner", "superuser"}
    )


def test_the_assigned_facilitator_writes_even_from_elsewhere(cast, module) -> None:
    # Provider B's session, run by provider A's facilitator as a guest.
    session = plan(cast, module, provider="b")
    session.facilitator = cast.facilitator_a
    session.save()
    assert sessions_for(cast.facilitator_a, write=True).filter(pk=session.pk).exists()


def test_a_factory_runs_and_writes_its_own_sessions(cast, module) -> None:
    session = services.session_create(
        by=cast.coordinator_a,
        organising_factory=cast.factory_a,
        engagements=[cast.engagement_a],
        details=services.SessionDetails(
            module=module,
            delivery_model="laissez_faire",
            date=module.created_at.date(),
            starts_at=time(14),
            ends_at=time(16, 30),
            facilitator_name="Rina",
        ),
    )
    assert sessions_for(cast.coordinator_a, write=True).filter(pk=session.pk).exists()
    assert not sessions_for(cast.worker_rep_a, write=True).filter(pk=session.pk).exists()
    assert sessions_for(cast.worker_rep_a).filter(pk=session.pk).exists()
    # The provider engaged with the factory reads it; it does not change it.
    assert sessions_for(cast.admin_a).filter(pk=session.pk).exists()
    assert not sessions_for(cast.admin_a, write=True).filter(pk=session.pk).exists()
    assert not sessions_for(cast.admin_b).filter(pk=session.pk).exists()


@pytest.mark.parametrize("who", EVERYONE)
def test_registrations_follow_the_session(cast, session_a, who) -> None:
    reg = services.registration_add(
        session=session_a, participant=person(cast.factory_a, "Alice"), by=None
    )
    user = getattr(cast, who)
    assert registrations_for(user).filter(pk=reg.pk).exists() == (who in READ_A)
    assert registrations_for(user, write=True).filter(pk=reg.pk).exists() == (who in WRITE_A)


@pytest.mark.parametrize("who", EVERYONE)
def test_who_plans_sessions(cast, who) -> None:
    planners = {"admin_a", "facilitator_a", "admin_b", "coordinator_a", "superuser"}
    assert can_plan_sessions(getattr(cast, who)) == (who in planners)


def test_anonymous_sees_nothing(cast, session_a) -> None:
    assert not sessions_for(AnonymousUser()).exists()
    assert not participants_for(AnonymousUser()).exists()
