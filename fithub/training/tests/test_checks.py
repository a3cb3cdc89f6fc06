"""Planning checks: each one alone, then as the facilitator sees them on the session page."""

from datetime import time

from django.urls import reverse

from fithub.training import checks, services
from fithub.training.checks import FactoryFacts, PersonFacts, Plan, VenueFacts, planning_warnings
from fithub.training.tests.conftest import person

FACTORY = FactoryFacts(1, "Alpha", time(8), time(16), 0.7)
WOMAN = PersonFacts(1, "female")
MAN = PersonFacts(1, "male")


def codes(plan: Plan) -> list[str]:
    return [w.code for w in planning_warnings(plan)]


def test_a_good_plan_has_no_warnings() -> None:
    plan = Plan(time(9), time(11, 30), 120, [FACTORY], [WOMAN, MAN], VenueFacts("Hall", 20, True))
    assert planning_warnings(plan) == []


def test_start_before_women_can_attend() -> None:
    warnings = checks.women_hours(Plan(time(7, 30), time(10), 120, [FACTORY]))
    assert [(w.code, w.fix) for w in warnings] == [("women_hours", "starts_at")]
    assert "Alpha" in warnings[0].message


def test_end_after_women_can_attend() -> None:
    warnings = checks.women_hours(Plan(time(14), time(17), 120, [FACTORY]))
    assert [(w.code, w.fix) for w in warnings] == [("women_hours", "ends_at")]


def test_every_factory_of_a_classroom_session_is_checked() -> None:
    late = FactoryFacts(2, "Beta", time(10), None, 0.2)
    warnings = checks.women_hours(Plan(time(9), time(11), 120, [FACTORY, late]))
    assert ["Beta" in w.message for w in warnings] == [True]


def test_no_hours_given_means_no_warning() -> None:
    assert checks.women_hours(Plan(time(6), time(22), 120, [FactoryFacts(1, "Alpha")])) == []


def test_no_women_registered_from_a_mostly_female_factory() -> None:
    assert codes(Plan(time(9), time(11), 120, [FACTORY], [MAN, MAN])) == ["no_women"]
    assert codes(Plan(time(9), time(11), 120, [FACTORY], [MAN, WOMAN])) == []
    # Nobody registered yet: nothing to say.
    assert codes(Plan(time(9), time(11), 120, [FACTORY], [])) == []
    # A mostly male workforce: no warning.
    mostly_men = FactoryFacts(1, "Alpha", share_women=0.4)
    assert codes(Plan(time(9), time(11), 120, [mostly_men], [MAN])) == []


def test_a_venue_without_step_free_access() -> None:
    needs = PersonFacts(1, "female", needs_step_free=True)
    stairs = VenueFacts("Upstairs room", 20, False)
    assert codes(Plan(time(9), time(11), 120, [], [needs], stairs)) == ["step_free"]
    assert codes(Plan(time(9), time(11), 120, [], [WOMAN], stairs)) == []
    ramp = VenueFacts("Hall", 20, True)
    assert codes(Plan(time(9), time(11), 120, [], [needs], ramp)) == []


def test_more_people_than_the_venue_holds() -> None:
    small = VenueFacts("Office", 2, True)
    assert codes(Plan(time(9), time(11), 120, [], [WOMAN, MAN, WOMAN], small)) == ["capacity"]
    assert codes(Plan(time(9), time(11), 120, [], [WOMAN, MAN], small)) == []


def test_a_module_longer_than_the_slot() -> None:
    warnings = checks.module_too_long(Plan(time(9), time(10, 30), 120, []))
    assert [(w.code, w.fix) for w in warnings] == [("module_too_long", "ends_at")]
    assert "120" in warnings[0].message and "90" in warnings[0].message
    assert checks.module_too_long(Plan(time(9), time(11), 120, [])) == []


def test_the_session_page_shows_warnings_with_links_to_fix_them(cast, session_a) -> None:
    factory = cast.factory_a
    factory.women_available_from = time(10)
    factory.workers_female, factory.workers_male = 80, 20
    factory.save()
    venue = services.venue_create(
        by=None,
        provider=cast.provider_a,
        details=services.VenueDetails(name="Upstairs", capacity=1, step_free=False),
    )
    session_a.venue = venue
    session_a.ends_at = time(10)
    session_a.save()
    for name in ("Karim", "Jamal"):
        p = person(factory, name, sex="male", needs_step_free=name == "Karim")
        services.registration_add(session=session_a, participant=p, by=None)
    html = cast.client(cast.facilitator_a).get(session_a.get_absolute_url()).content.decode()
    edit = reverse("training:session-edit", args=[session_a.pk])
    for code in ("women_hours", "no_women", "step_free", "capacity", "module_too_long"):
        assert f'data-code="{code}"' in html, code
    assert f'href="{edit}#id_starts_at"' in html
    assert f'href="{edit}#id_venue"' in html
    assert f'href="{edit}#id_ends_at"' in html
    assert 'href="#people"' in html
    # A reader sees the warnings but no links to change the session.
    html = cast.client(cast.worker_rep_a).get(session_a.get_absolute_url()).content.decode()
    assert 'data-code="capacity"' in html and edit not in html
