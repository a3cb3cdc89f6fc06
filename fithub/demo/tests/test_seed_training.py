"""The demo training: what seed_training creates for the facilitator, and that it writes once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from fithub.accounts.models import User
from fithub.assessment.models import ModulePlan
from fithub.certificates.models import Certificate
from fithub.demo import data
from fithub.improvement.models import ImprovementItem
from fithub.training.models import Participant, Registration, Session
from fithub.training.scoping import sessions_for


def seed_training(*args: str) -> str:
    out = StringIO()
    call_command("seed_training", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db: None) -> str:
    for command in ("seed_demo", "seed_catalogue", "seed_assessment"):
        call_command(command, "--if-empty", stdout=StringIO())
    return seed_training("--if-empty")


def test_the_facilitator_sees_held_planned_and_cascaded_sessions(demo: str) -> None:
    facilitator = User.objects.get(email=f"facilitator@{data.DEMO_DOMAIN}")
    sessions = sessions_for(facilitator)
    assert sessions.count() >= 4
    today = timezone.localdate()
    held = sessions.filter(status=Session.Status.HELD)
    assert held.count() >= 3 and all(s.date < today for s in held)
    assert all(s.reflection_went_well and s.groups.exists() for s in held)
    planned = sessions.get(status=Session.Status.PLANNED)
    assert planned.date > today and planned.delivery_model == "classroom"
    assert planned.venue is not None and planned.venue.step_free and planned.venue.capacity == 30
    assert planned.engagements.values("factory").distinct().count() == 2
    assert not planned.registrations.exclude(present=None).exists()


def test_the_demo_factory_has_a_plan_and_two_in_factory_sessions(demo: str) -> None:
    plan = ModulePlan.objects.get(engagement__factory__name=data.PK_FACTORIES[0].name)
    assert plan.agreed_by and plan.agreed_by.email == f"provider.admin@{data.DEMO_DOMAIN}"
    assert plan.assessment is not None and plan.items.exists()
    sessions = list(
        Session.objects.filter(engagements__factory__name=data.PK_FACTORIES[0].name).order_by(
            "date"
        )
    )
    assert len(sessions) == 2 and sessions[0].module.code == "FIT-00"
    assert sessions[1].module.category == "production"
    assert plan.items.filter(module=sessions[1].module).exists()
    assert {s.language for s in sessions} == {"ur", "en"}
    for session in sessions:
        assert session.delivery_model == "in_factory"
        assert session.venue is not None and session.venue.factory_id
        regs = session.registrations.all()
        assert 12 <= regs.count() <= 14
        assert 1 <= regs.filter(present=False).count() <= 2
        assert {r.participant.sex for r in regs} == {"female", "male"}
        for group in session.groups.all():
            assert 2 <= ImprovementItem.objects.filter(group=group).count() <= 3


def test_certificates_only_for_people_present(demo: str) -> None:
    assert Certificate.objects.exists()
    assert not Certificate.objects.exclude(registration__present=True).exists()
    held_present = Registration.objects.filter(present=True, session__status="held")
    assert Certificate.objects.count() == held_present.count()


def test_a_participant_has_two_sessions(demo: str) -> None:
    twice = [p for p in Participant.objects.all() if p.registrations.count() == 2]
    assert len(twice) >= 12
    modules = {r.session.module.code for r in twice[0].registrations.all()}
    assert len(modules) == 2 and "FIT-00" in modules


def test_the_cascade_child_exists(demo: str) -> None:
    child = Session.objects.get(parent__isnull=False)
    assert child.status == Session.Status.HELD and child.organising_factory_id
    assert child.parent is not None and child.parent.date < child.date
    assert child.representative is not None
    assert child.parent.registrations.filter(
        participant=child.representative, present=True
    ).exists()
    assert child.registrations.filter(present=True).exists()


def test_if_empty_writes_nothing_the_second_time(demo: str) -> None:
    counts = (Session.objects.count(), Registration.objects.count(), Certificate.objects.count())
    out = seed_training("--if-empty")
    assert "nothing was loaded" in out
    assert (
        Session.objects.count(),
        Registration.objects.count(),
        Certificate.objects.count(),
    ) == counts


def test_without_the_demo_nothing_is_loaded(db: None) -> None:
    assert "not loaded" in seed_training()
    assert not Session.objects.exists()


def test_the_demo_has_survey_answers_and_a_session_too_small_to_show(demo: str) -> None:
    from fithub.surveys.models import Survey
    from fithub.surveys.selectors import survey_results

    surveys = Survey.objects.all()
    assert sorted(s.responses.count() for s in surveys) == [4, 9]
    for survey in surveys:
        results = survey_results(Survey.objects.filter(pk=survey.pk))
        # Nine answers are shown; four are too few to show without telling who said what.
        assert results.total.hidden == (survey.responses.count() < 5)
