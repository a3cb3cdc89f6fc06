"""Training services: planning rules, registration, groups, attendance, cascades, action plans."""

from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import ValidationError

from fithub.programmes.models import Engagement
from fithub.training import services
from fithub.training.models import Group, Registration, Session
from fithub.training.tests.conftest import NEXT_WEEK, YESTERDAY, person, plan

NOT_STARTED = "Attendance cannot be recorded for a session that has not started."


def messages_of(e: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(e.value.messages)


# --- planning ------------------------------------------------------------------------------


def test_a_session_ends_after_it_starts(cast, module) -> None:
    with pytest.raises(ValidationError) as e:
        plan(cast, module, starts_at=time(11), ends_at=time(9))
    assert "ends_at" in e.value.error_dict


def test_a_provider_plans_only_with_its_own_engagements(cast, module) -> None:
    with pytest.raises(ValidationError) as e:
        plan(cast, module, engagements=[cast.engagement_b])
    assert "engagements" in e.value.error_dict


def test_only_classroom_sessions_take_several_factories(cast, module) -> None:
    second = Engagement.objects.create(
        programme=cast.programme,
        factory=cast.factory_b,
        provider=cast.provider_a,
        delivery_model="classroom",
    )
    with pytest.raises(ValidationError):
        plan(cast, module, engagements=[cast.engagement_a, second])
    session = plan(
        cast, module, engagements=[cast.engagement_a, second], delivery_model="classroom"
    )
    assert services.session_factory_ids(session) == {cast.factory_a.pk, cast.factory_b.pk}


def test_the_venue_and_facilitator_belong_to_the_organiser(cast, module) -> None:
    theirs = services.venue_create(
        by=None, provider=cast.provider_b, details=services.VenueDetails(name="B hall", capacity=30)
    )
    with pytest.raises(ValidationError) as e:
        plan(cast, module, venue=theirs)
    assert "venue" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        plan(cast, module, facilitator=cast.admin_b)
    assert "facilitator" in e.value.error_dict
    room = services.venue_create(
        by=None, factory=cast.factory_a, details=services.VenueDetails(name="Canteen", capacity=25)
    )
    session = plan(cast, module, venue=room, facilitator=cast.facilitator_a)
    assert session.venue == room and session.facilitator == cast.facilitator_a


def test_laissez_faire_a_coordinator_records_the_factorys_own_session(cast, module) -> None:
    session = services.session_create(
        by=cast.coordinator_a,
        organising_factory=cast.factory_a,
        engagements=[cast.engagement_a],
        details=services.SessionDetails(
            module=module,
            delivery_model="laissez_faire",
            date=YESTERDAY,
            starts_at=time(14),
            ends_at=time(16, 30),
            facilitator_name="Rina",
        ),
    )
    assert session.provider is None and session.created_by == cast.coordinator_a
    with pytest.raises(ValidationError):
        services.session_create(
            by=cast.coordinator_a,
            organising_factory=cast.factory_a,
            engagements=[cast.engagement_b],
            details=services.SessionDetails(
                module=module,
                delivery_model="laissez_faire",
                date=YESTERDAY,
                starts_at=time(14),
                ends_at=time(16, 30),
            ),
        )


def test_removing_a_factory_with_people_registered_is_refused(cast, module) -> None:
    second = Engagement.objects.create(
        programme=cast.programme, factory=cast.factory_b, provider=cast.provider_a,
        delivery_model="classroom",
    )  # fmt: skip
    session = plan(
        cast, module, engagements=[cast.engagement_a, second], delivery_model="classroom"
    )
    services.registration_add(session=session, participant=person(cast.factory_b, "B"), by=None)
    with pytest.raises(ValidationError):
        services.session_update(session=session, by=None, engagements=[cast.engagement_a])


# --- participants and registration ---------------------------------------------------------


def test_names_are_stored_as_given_in_one_unicode_form(cast) -> None:
    decomposed = "Jose\u0301  Mari\u0301a "  # e + combining acute, double space
    p = person(cast.factory_a, decomposed)
    assert p.name == "Jos\u00e9 Mar\u00eda"  # precomposed é and í, single spaces
    bengali = person(cast.factory_a, "রহিমা খাতুন")
    urdu = person(cast.factory_a, "رحیمہ بی بی")
    assert bengali.name == "রহিমা খাতুন" and urdu.name == "رحیمہ بی بی"


def test_registration_needs_a_factory_of_the_session(cast, session_a) -> None:
    with pytest.raises(ValidationError):
        services.registration_add(
            session=session_a, participant=person(cast.factory_b, "Bina"), by=None
        )


def test_a_person_is_registered_once(cast, session_a) -> None:
    p = person(cast.factory_a, "Alice")
    services.registration_add(session=session_a, participant=p, by=None)
    with pytest.raises(ValidationError) as e:
        services.registration_add(session=session_a, participant=p, by=None)
    assert "already registered" in messages_of(e)


def test_duplicates_are_found_by_name_and_factory(cast) -> None:
    p = person(cast.factory_a, "Alice Khan")
    person(cast.factory_b, "Alice Khan")
    found = services.participant_duplicates(factory=cast.factory_a, name=" alice  khan ")
    assert list(found) == [p]


# --- attendance ----------------------------------------------------------------------------


def test_attendance_is_refused_before_the_session_starts(cast, future_a) -> None:
    reg = services.registration_add(
        session=future_a, participant=person(cast.factory_a, "Alice"), by=None
    )
    for record in (
        lambda: services.attendance_record(registration=reg, present=True, by=cast.admin_a),
        lambda: services.attendance_record_many(
            session=future_a, marks=[(reg, True)], by=cast.admin_a, method="sheet"
        ),
    ):
        with pytest.raises(ValidationError) as e:
            record()
        assert messages_of(e) == NOT_STARTED
    reg.refresh_from_db()
    assert reg.present is None


def test_the_start_is_in_the_local_time_zone(cast, module, settings) -> None:
    settings.TIME_ZONE = "Asia/Karachi"  # UTC+5
    session = plan(cast, module, date=date(2026, 5, 12), starts_at=time(9), ends_at=time(11))
    # 08:30 in Karachi is 03:30 UTC: not started; 09:30 there (04:30 UTC) is.
    assert not services.session_started(session, now=datetime(2026, 5, 12, 3, 30, tzinfo=UTC))
    assert services.session_started(session, now=datetime(2026, 5, 12, 4, 30, tzinfo=UTC))


def test_attendance_is_recorded_with_who_and_how(cast, session_a) -> None:
    reg = services.registration_add(
        session=session_a, participant=person(cast.factory_a, "Alice"), by=None
    )
    services.attendance_record(registration=reg, present=True, by=cast.facilitator_a)
    reg.refresh_from_db()
    assert (reg.present, reg.method, reg.recorded_by) == (True, "tap", cast.facilitator_a)
    assert reg.recorded_at is not None
    with pytest.raises(ValidationError):
        services.registration_remove(registration=reg, by=None)


def test_self_check_in_fills_only_a_gap(cast, today_a) -> None:
    reg = services.registration_add(
        session=today_a, participant=person(cast.factory_a, "Alice"), by=None
    )
    assert services.attendance_check_in(registration=reg, by=None) == services.CheckIn.CHECKED_IN
    reg.refresh_from_db()
    assert (reg.present, reg.method, reg.recorded_by) == (True, "qr", None)
    assert services.attendance_check_in(registration=reg, by=None) == services.CheckIn.ALREADY
    # The facilitator always wins: a correction stands against any later check-in.
    services.attendance_record(registration=reg, present=False, by=cast.facilitator_a)
    assert services.attendance_check_in(registration=reg, by=None) == services.CheckIn.RECORDED
    reg.refresh_from_db()
    assert (reg.present, reg.method, reg.recorded_by) == (False, "tap", cast.facilitator_a)


def test_a_record_by_qr_code_obeys_the_self_check_in_rule(cast, today_a) -> None:
    reg = services.registration_add(
        session=today_a, participant=person(cast.factory_a, "Alice"), by=None
    )
    with pytest.raises(ValidationError) as e:
        services.attendance_record(registration=reg, present=False, by=None, method="qr")
    assert messages_of(e) == "Self check-in only records that a person came."
    services.attendance_record(registration=reg, present=False, by=cast.facilitator_a)
    before = reg.history.count()
    with pytest.raises(ValidationError) as e:
        services.attendance_record(registration=reg, present=True, by=None, method="qr")
    assert "already recorded this person's attendance" in messages_of(e)
    reg.refresh_from_db()
    assert (reg.present, reg.method) == (False, "tap")
    assert reg.history.count() == before
    with pytest.raises(ValidationError):
        services.attendance_record_many(session=today_a, marks=[(reg, True)], by=None, method="qr")
    reg.refresh_from_db()
    assert reg.present is False


def test_self_check_in_is_open_from_the_start_to_the_end_of_the_day(
    cast, session_a, future_a, module
) -> None:
    early = services.registration_add(
        session=future_a, participant=person(cast.factory_a, "Early"), by=None
    )
    with pytest.raises(ValidationError) as e:
        services.attendance_check_in(registration=early, by=None)
    assert messages_of(e) == NOT_STARTED
    late = services.registration_add(
        session=session_a, participant=person(cast.factory_a, "Late"), by=None
    )  # yesterday's session: the facilitator may still record, self check-in may not
    with pytest.raises(ValidationError) as e:
        services.attendance_check_in(registration=late, by=None)
    assert "Check-in is open from the start of the session" in messages_of(e)
    with pytest.raises(ValidationError):
        services.attendance_record(registration=late, present=True, by=None, method="qr")
    for reg in (early, late):
        reg.refresh_from_db()
        assert reg.present is None
    services.attendance_record(registration=late, present=True, by=cast.facilitator_a)
    late.refresh_from_db()
    assert late.present is True


def test_the_self_check_in_window_is_in_the_local_time_zone(cast, module, settings) -> None:
    settings.TIME_ZONE = "Asia/Karachi"  # UTC+5
    session = plan(cast, module, date=date(2026, 5, 12), starts_at=time(9), ends_at=time(11))
    for hour, minute, is_open in [(3, 59, False), (4, 0, True), (18, 59, True), (19, 0, False)]:
        now = datetime(2026, 5, 12, hour, minute, tzinfo=UTC)
        assert services.check_in_open(session, now=now) is is_open, (hour, minute)
    services.session_update(
        session=session,
        by=None,
        details=services.SessionDetails.of(session).changed({"status": Session.Status.CANCELLED}),
    )
    assert not services.check_in_open(session, now=datetime(2026, 5, 12, 6, tzinfo=UTC))


# --- groups --------------------------------------------------------------------------------


def test_groups_are_formed_with_roles(cast, session_a, register) -> None:
    register(session_a, 13)
    groups = services.groups_form(session=session_a, by=cast.facilitator_a)
    sizes = [g.members.count() for g in groups]
    assert sizes == [7, 6]
    for g in groups:
        roles = sorted(g.members.exclude(group_role="").values_list("group_role", flat=True))
        assert roles == sorted(["reader", "time_keeper", "note_taker"])
    # Forming again replaces the groups; absent people are left out.
    first = session_a.registrations.first()
    first.present = False
    first.save()
    groups = services.groups_form(session=session_a, by=None)
    assert [g.members.count() for g in groups] == [6, 6]
    assert session_a.groups.count() == 2
    first.refresh_from_db()
    assert first.group is None


def test_a_person_moves_to_another_group(cast, session_a, register) -> None:
    regs = register(session_a, 12)
    services.groups_form(session=session_a, by=None)
    reg = Registration.objects.get(pk=regs[0].pk)
    services.group_move(registration=reg, number=3, by=None, group_role="reader")
    reg.refresh_from_db()
    assert (reg.group.number, reg.group_role) == (3, "reader")
    services.group_move(registration=reg, number=None, by=None)
    reg.refresh_from_db()
    assert reg.group is None and reg.group_role == ""
    # Group 3 is empty again, so it is gone.
    assert not Group.objects.filter(session=session_a, number=3).exists()


def test_roles_pass_to_the_next_people(cast, session_a, register) -> None:
    register(session_a, 12)
    services.groups_form(session=session_a, by=None)
    before = dict(session_a.registrations.values_list("pk", "group_role"))
    services.roles_rotate(session=session_a, by=None)
    after = dict(session_a.registrations.values_list("pk", "group_role"))
    assert before != after
    assert sorted(v for v in after.values() if v) == sorted(
        ["reader", "time_keeper", "note_taker"] * 2
    )


# --- cascades and action plans -------------------------------------------------------------


def test_a_representative_runs_the_module_in_their_factory(cast, module) -> None:
    second = Engagement.objects.create(
        programme=cast.programme, factory=cast.factory_b, provider=cast.provider_a,
        delivery_model="blended",
    )  # fmt: skip
    parent = plan(cast, module, engagements=[cast.engagement_a, second], delivery_model="blended")
    rep = services.registration_add(
        session=parent, participant=person(cast.factory_b, "Bina"), by=None
    )
    child = services.child_session_create(
        registration=rep,
        by=cast.admin_a,
        details=services.CascadeDetails(date=NEXT_WEEK, starts_at=time(14), ends_at=time(16, 30)),
    )
    assert child.parent == parent and child.representative == rep.participant
    assert child.organising_factory == cast.factory_b and child.provider == cast.provider_a
    assert list(child.engagements.all()) == [second]
    assert child.module == parent.module and child.facilitator_name == "Bina"


def test_the_reflection_marks_the_session_held(cast, session_a) -> None:
    services.reflection_record(
        session=session_a, by=None, went_well="Good talk", to_change="More time"
    )
    session_a.refresh_from_db()
    assert session_a.status == Session.Status.HELD
    assert session_a.reflection_went_well == "Good talk"
