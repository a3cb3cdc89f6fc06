"""The committee's writes: what each accepts, and each refusal with its message, unwritten."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from fithub.accounts.models import FactoryMembership
from fithub.committees import services
from fithub.committees.models import (
    Attendance,
    Candidate,
    ChecklistItem,
    Decision,
    Election,
    Meeting,
    Member,
    MinutesApproval,
    Review,
)
from fithub.committees.tests.conftest import days, details, meet, seat
from fithub.factories.services import TeamMemberDetails, team_member_add


def messages(error: ValidationError) -> list[str]:
    return [m for ms in error.message_dict.values() for m in ms]


def refused(fn, *args, **kw) -> ValidationError:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        fn(*args, **kw)
    return exc.value


# --- the committee and its members -----------------------------------------------------------


def test_one_committee_per_factory(cast, committee_a) -> None:
    error = refused(services.committee_create, factory=cast.factory_a, by=None)
    assert "already recorded" in error.messages[0]


def test_history_records_who_added_a_member(cast, committee_a) -> None:
    member = services.member_add(
        committee=committee_a, details=details(name="  Nasrin   Begum "), by=cast.coordinator_a
    )
    assert member.name == "Nasrin Begum"
    assert member.history.get().history_user == cast.coordinator_a


def test_a_member_on_both_sides_is_refused(seated) -> None:
    before = Member.objects.count()
    error = refused(
        services.member_add,
        committee=seated.committee,
        details=details(name="KARIM UDDIN", side="management", selection="appointed"),
        by=None,
    )
    assert error.message_dict["side"] == [
        "Karim Uddin already sits on the workers' side of this committee; a person sits on one "
        "side only."
    ]
    assert Member.objects.count() == before


def test_the_same_account_cannot_sit_on_both_sides(cast, seated) -> None:
    # Linked to the same FIT Hub user under another name: still the same person.
    cast.manager_a.factory_memberships.update(role=FactoryMembership.Role.COORDINATOR)
    error = refused(
        services.member_add,
        committee=seated.committee,
        details=details(name="M. Manager", side="worker", user=cast.manager_a),
        by=None,
    )
    assert any("cannot sit on the workers' side" in m for m in error.message_dict["side"])


def test_the_same_person_twice_on_one_side_is_refused(seated) -> None:
    error = refused(
        services.member_add,
        committee=seated.committee,
        details=details(name="Rubina Akter"),
        by=None,
    )
    assert error.message_dict["name"] == ["Rubina Akter is already a member of this committee."]


def test_a_former_member_may_come_back(seated) -> None:
    services.member_leave(member=seated.rubina, left_on=days(-1), by=None)
    again = seat(seated.committee, "Rubina Akter", "worker", term_starts_on=days(0))
    assert again.pk != seated.rubina.pk


def test_a_manager_cannot_represent_the_workers(cast, committee_a) -> None:
    error = refused(
        services.member_add,
        committee=committee_a,
        details=details(name="Rina", side="worker", user=cast.coordinator_a),
        by=None,
    )
    assert "cannot sit on the workers' side" in error.message_dict["side"][0]
    error = refused(
        services.member_add,
        committee=committee_a,
        details=details(name="Sadia", side="management", user=cast.worker_rep_a),
        by=None,
    )
    assert "cannot sit on the management side" in error.message_dict["side"][0]


def test_improvement_team_roles_decide_the_side_too(cast, committee_a) -> None:
    boss = team_member_add(
        factory=cast.factory_a,
        by=None,
        details=TeamMemberDetails(name="Boss", role="manager", department="hr", sex="male"),
    )
    error = refused(
        services.member_add,
        committee=committee_a,
        details=details(name="Boss", team_member=boss),
        by=None,
    )
    assert "manager on the improvement team" in error.message_dict["side"][0]


def test_links_must_be_of_the_committee_s_factory(cast, committee_a) -> None:
    other = team_member_add(
        factory=cast.factory_b,
        by=None,
        details=TeamMemberDetails(name="B", role="worker", department="sewing", sex="female"),
    )
    error = refused(
        services.member_add,
        committee=committee_a,
        details=details(name="X", user=cast.worker_rep_b, team_member=other),
        by=None,
    )
    assert set(error.message_dict) == {"user", "team_member"}
    assert not Member.objects.exists()


def test_a_term_ending_before_it_starts_is_refused(committee_a) -> None:
    error = refused(
        services.member_add,
        committee=committee_a,
        details=details(term_starts_on=days(0), term_ends_on=days(-1)),
        by=None,
    )
    assert error.message_dict["term_ends_on"] == ["The term cannot end before it starts."]
    assert not Member.objects.exists()


def test_messages_are_translated(committee_a) -> None:
    with translation.override("ur"):
        error = refused(
            services.member_add,
            committee=committee_a,
            details=details(term_starts_on=days(0), term_ends_on=days(-1)),
            by=None,
        )
    message = error.message_dict["term_ends_on"][0]
    assert message != "The term cannot end before it starts."
    assert any("\u0600" <= ch <= "\u06ff" for ch in message)


def test_leaving_twice_is_refused(seated) -> None:
    services.member_leave(member=seated.karim, left_on=days(0), by=None)
    error = refused(services.member_leave, member=seated.karim, left_on=days(1), by=None)
    assert "already left" in error.messages[0]


# --- elections -------------------------------------------------------------------------------


def election(seated, **kw) -> Election:  # type: ignore[no-untyped-def]
    data = {
        "title": "Worker representatives 2026",
        "seats": 2,
        "nomination_opens_on": days(-30),
        "nomination_closes_on": days(-10),
    }
    data.update(kw)
    return services.election_create(
        committee=seated.committee, details=services.ElectionDetails(**data), by=None
    )


def stand(e: Election, name: str, sex: str = "female", **kw) -> Candidate:  # type: ignore[no-untyped-def]
    return services.candidate_add(
        election=e,
        details=services.CandidateDetails(name=name, sex=sex, department="sewing", **kw),
        by=None,
    )


def test_nominations_close_after_they_open(seated) -> None:
    error = refused(election, seated, nomination_closes_on=days(-40))
    assert "nomination_closes_on" in error.message_dict


def test_the_guide_is_an_advisor_of_the_factory_s_provider(cast, seated) -> None:
    assert election(seated, guided_by=cast.facilitator_a).guided_by == cast.facilitator_a
    error = refused(election, seated, guided_by=cast.admin_b)
    assert "guided_by" in error.message_dict
    error = refused(election, seated, guided_by=cast.assessor_a)
    assert "guided_by" in error.message_dict


def test_a_candidate_nominated_outside_the_period_is_refused(seated) -> None:
    e = election(seated)
    error = refused(stand, e, "Late", nominated_on=days(-5))
    assert "nominated_on" in error.message_dict
    assert stand(e, "On time", nominated_on=days(-20)).pk


def test_a_manager_cannot_stand_as_a_worker_representative(seated) -> None:
    error = refused(stand, election(seated), "Hasan HR", "male")
    assert "sits on the management side" in error.message_dict["name"][0]


def test_results_with_more_votes_than_voters_are_refused(seated) -> None:
    e = election(seated)
    a, b = stand(e, "Nasrin"), stand(e, "Jamal", "male")
    error = refused(
        services.election_results_record,
        election=e,
        held_on=days(-5),
        voters=100,
        votes={a.pk: 101, b.pk: 20},
        by=None,
    )
    assert error.message_dict["votes"] == [
        "Nasrin has 101 votes, more than the 100 workers who voted."
    ]
    e.refresh_from_db()
    assert e.voters is None and not e.has_results
    assert not Candidate.objects.filter(votes__isnull=False).exists()


def test_more_votes_than_the_voters_could_cast_are_refused(seated) -> None:
    e = election(seated, seats=1)
    a, b = stand(e, "Nasrin"), stand(e, "Jamal", "male")
    error = refused(
        services.election_results_record,
        election=e,
        held_on=days(-5),
        voters=100,
        votes={a.pk: 60, b.pk: 60},
        by=None,
    )
    assert "more than 100 voters could cast for 1 seats" in error.message_dict["votes"][0]


def test_results_are_entered_after_the_nomination_period(seated) -> None:
    e = election(seated, nomination_closes_on=days(0))
    a = stand(e, "Nasrin")
    error = refused(
        services.election_results_record,
        election=e,
        held_on=days(0),
        voters=10,
        votes={a.pk: 5},
        by=None,
    )
    assert "after the nomination period" in error.message_dict["held_on"][0]


def test_every_candidate_gets_a_count(seated) -> None:
    e = election(seated)
    a, _b = stand(e, "Nasrin"), stand(e, "Jamal", "male")
    error = refused(
        services.election_results_record,
        election=e,
        held_on=days(-5),
        voters=10,
        votes={a.pk: 5},
        by=None,
    )
    assert "every candidate" in error.message_dict["votes"][0]


def test_the_elected_join_the_workers_side_once(cast, seated) -> None:
    e = election(seated, guided_by=cast.facilitator_a)
    a, b, c = stand(e, "Nasrin"), stand(e, "Jamal", "male"), stand(e, "Shirin")
    services.election_results_record(
        election=e,
        held_on=days(-5),
        voters=120,
        votes={a.pk: 80, b.pk: 30, c.pk: 60},
        by=cast.coordinator_a,
    )
    e.refresh_from_db()
    assert e.recorded_by == cast.coordinator_a and e.results_recorded_at
    joined = services.election_elected_join(
        election=e, term_starts_on=days(-4), term_ends_on=days(726), by=None
    )
    assert [m.name for m in joined] == ["Nasrin", "Shirin"]
    assert all(m.side == "worker" and m.selection == "elected" for m in joined)
    assert Candidate.objects.get(pk=a.pk).member == joined[0]
    before = Member.objects.count()
    error = refused(
        services.election_elected_join,
        election=e,
        term_starts_on=days(-4),
        term_ends_on=None,
        by=None,
    )
    assert "already joined" in error.messages[0]
    error = refused(
        services.election_results_record,
        election=e,
        held_on=days(-5),
        voters=120,
        votes={a.pk: 1, b.pk: 1, c.pk: 1},
        by=None,
    )
    assert "can no longer change" in error.messages[0]
    assert Member.objects.count() == before


def test_a_tie_for_the_last_seat_waits_for_a_run_off(seated) -> None:
    e = election(seated, seats=1)
    a, b = stand(e, "Nasrin"), stand(e, "Shirin")
    services.election_results_record(
        election=e, held_on=days(-5), voters=100, votes={a.pk: 50, b.pk: 50}, by=None
    )
    error = refused(
        services.election_elected_join,
        election=e,
        term_starts_on=days(-4),
        term_ends_on=None,
        by=None,
    )
    assert "tied for the last seat" in error.messages[0]
    assert not Member.objects.filter(name__in=["Nasrin", "Shirin"]).exists()


def test_a_re_elected_member_keeps_her_seat_with_the_new_term(seated) -> None:
    e = election(seated)
    a, b = stand(e, "Nasrin"), stand(e, " rubina  akter")  # Rubina already sits
    services.election_results_record(
        election=e, held_on=days(-5), voters=100, votes={a.pk: 70, b.pk: 60}, by=None
    )
    attended = meet(seated, on=days(-30))
    services.attendee_add(meeting=attended, member=seated.rubina, by=None)
    joined = services.election_elected_join(
        election=e, term_starts_on=days(-4), term_ends_on=days(726), by=None
    )
    rubina = Member.objects.get(pk=seated.rubina.pk)
    assert [m.pk for m in joined] == [Member.objects.get(name="Nasrin").pk, rubina.pk]
    assert Member.objects.filter(name__iexact="rubina akter").count() == 1
    assert rubina.term_ends_on == days(726) and rubina.term_starts_on == days(-300)
    assert Candidate.objects.get(pk=b.pk).member == rubina
    # Her seat, and the meetings she attended on it, carry on.
    assert attended.attendances.filter(member=rubina).exists()


def test_an_elected_candidate_now_on_the_management_side_stops_the_whole_join(seated) -> None:
    e = election(seated)
    a, b = stand(e, "Nasrin"), stand(e, "Farid Hossain")
    services.election_results_record(
        election=e, held_on=days(-5), voters=100, votes={a.pk: 70, b.pk: 60}, by=None
    )
    seat(seated.committee, "Farid Hossain", "management", sex="male")  # promoted meanwhile
    error = refused(
        services.election_elected_join,
        election=e,
        term_starts_on=days(-4),
        term_ends_on=None,
        by=None,
    )
    assert "Farid Hossain already sits on the management side" in error.messages[0]
    assert not Member.objects.filter(name="Nasrin").exists()
    assert not Candidate.objects.filter(member__isnull=False).exists()


# --- meetings, decisions, approvals ----------------------------------------------------------


def test_a_meeting_with_a_member_of_another_factory_is_refused(seated, committee_b) -> None:
    stranger = committee_b.members.first()
    error = refused(
        services.meeting_create,
        committee=seated.committee,
        details=services.MeetingDetails(held_on=days(-1)),
        attendees=[seated.chair, stranger],
        by=None,
    )
    assert error.message_dict["member"] == [f"{stranger.name} is not a member of this committee."]
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_a_member_who_had_not_joined_yet_cannot_have_attended(seated) -> None:
    late = seat(seated.committee, "Late Joiner", term_starts_on=days(-1))
    error = refused(
        services.meeting_create,
        committee=seated.committee,
        details=services.MeetingDetails(held_on=days(-10)),
        attendees=[late],
        by=None,
    )
    assert "was not a member on" in error.message_dict["member"][0]


def test_setting_attendees_checks_each_one_before_writing(seated, meeting_a) -> None:
    late = seat(seated.committee, "Late Joiner", term_starts_on=days(-5))
    error = refused(
        services.attendees_set, meeting=meeting_a, members=[seated.rubina, late], by=None
    )
    assert "was not a member on" in error.message_dict["member"][0]
    assert {a.member_id for a in meeting_a.attendances.all()} == {seated.chair.pk, seated.sadia.pk}


def test_moving_a_meeting_before_an_attendee_joined_is_refused(seated) -> None:
    late = seat(seated.committee, "Late Joiner", term_starts_on=days(-5))
    meeting = services.meeting_create(
        committee=seated.committee,
        details=services.MeetingDetails(held_on=days(-1)),
        attendees=[late],
        by=None,
    )
    error = refused(
        services.meeting_update,
        meeting=meeting,
        details=services.MeetingDetails(held_on=days(-10)),
        by=None,
    )
    assert "was not a member on" in error.message_dict["member"][0]
    meeting.refresh_from_db()
    assert meeting.held_on == days(-1)


def test_an_attendee_twice_is_refused(seated, meeting_a) -> None:
    error = refused(services.attendee_add, meeting=meeting_a, member=seated.chair, by=None)
    assert "already recorded as present" in error.message_dict["member"][0]


def test_decisions_are_numbered_per_committee_and_keep_their_identity(seated, committee_b) -> None:
    first, second = meet(seated, on=days(-20)), meet(seated, on=days(-10))
    d1 = services.decision_add(meeting=first, details=services.DecisionDetails(text="A"), by=None)
    d2 = services.decision_add(meeting=second, details=services.DecisionDetails(text="B"), by=None)
    other = services.meeting_create(
        committee=committee_b, details=services.MeetingDetails(held_on=days(-1)), by=None
    )
    d3 = services.decision_add(meeting=other, details=services.DecisionDetails(text="C"), by=None)
    assert (d1.number, d2.number, d3.number) == (1, 2, 1)
    uid = d1.uid
    services.decision_update(
        decision=d1, details=services.DecisionDetails(text="A, rewritten"), by=None
    )
    d1.refresh_from_db()
    assert d1.uid == uid and d1.number == 1 and d1.text == "A, rewritten"


def test_a_decision_owner_from_another_committee_is_refused(seated, meeting_a, committee_b) -> None:
    stranger = committee_b.members.first()
    error = refused(
        services.decision_add,
        meeting=meeting_a,
        details=services.DecisionDetails(text="Fix", owner=stranger),
        by=None,
    )
    assert "owner" in error.message_dict
    assert not Decision.objects.exists()
    error = refused(
        services.decision_add,
        meeting=meeting_a,
        details=services.DecisionDetails(text="  "),
        by=None,
    )
    assert error.message_dict["text"] == ["Write down what was decided."]


def test_minutes_approved_twice_by_the_same_side_are_refused(cast, seated, meeting_a) -> None:
    services.minutes_approve(meeting=meeting_a, member=seated.chair, by=cast.manager_a)
    error = refused(services.minutes_approve, meeting=meeting_a, member=seated.hr, by=None)
    assert error.message_dict["member"][0].startswith(
        "The management side has already approved these minutes (Mona Manager, "
    )
    assert MinutesApproval.objects.count() == 1
    services.minutes_approve(meeting=meeting_a, member=seated.sadia, by=cast.worker_rep_a)
    assert MinutesApproval.objects.count() == 2


@pytest.mark.parametrize(
    "change",
    ["minutes", "attendee_add", "attendee_remove", "decision_add", "decision_update"],
)
def test_a_change_after_approval_asks_again(cast, seated, meeting_a, change) -> None:
    decision = services.decision_add(
        meeting=meeting_a, details=services.DecisionDetails(text="Fans"), by=None
    )
    meeting_a.refresh_from_db()
    services.minutes_approve(meeting=meeting_a, member=seated.chair, by=None)
    services.minutes_approve(meeting=meeting_a, member=seated.sadia, by=None)
    approved_revision = meeting_a.revision
    if change == "minutes":
        services.meeting_update(
            meeting=meeting_a,
            details=services.MeetingDetails(held_on=meeting_a.held_on, minutes="Typo fixed"),
            by=None,
        )
    elif change == "attendee_add":
        services.attendee_add(meeting=meeting_a, member=seated.rubina, by=None)
    elif change == "attendee_remove":
        services.attendee_remove(attendance=meeting_a.attendances.first(), by=None)
    elif change == "decision_add":
        services.decision_add(
            meeting=meeting_a, details=services.DecisionDetails(text="B"), by=None
        )
    else:
        services.decision_update(
            decision=decision, details=services.DecisionDetails(text="More fans"), by=None
        )
    meeting_a.refresh_from_db()
    assert meeting_a.revision > approved_revision
    # The same side may now approve again, for the new text.
    services.minutes_approve(meeting=meeting_a, member=seated.hr, by=None)
    assert meeting_a.approvals.filter(revision=meeting_a.revision).count() == 1


def test_saving_unchanged_minutes_keeps_the_approvals(seated, meeting_a) -> None:
    services.minutes_approve(meeting=meeting_a, member=seated.chair, by=None)
    same = {f: getattr(meeting_a, f) for f in services.MEETING_FIELDS}
    services.meeting_update(
        meeting=meeting_a, details=services.MeetingDetails.from_mapping(same), by=None
    )
    meeting_a.refresh_from_db()
    assert meeting_a.revision == 1


def test_minutes_are_approved_after_the_meeting_once_written(seated) -> None:
    future = meet(seated, on=days(3))
    error = refused(services.minutes_approve, meeting=future, member=seated.chair, by=None)
    assert "after the meeting" in error.messages[0]
    blank = meet(seated, on=days(-3), minutes="")
    error = refused(services.minutes_approve, meeting=blank, member=seated.chair, by=None)
    assert "Write the minutes" in error.messages[0]


def test_an_approver_of_another_committee_is_refused(seated, meeting_a, committee_b) -> None:
    stranger = committee_b.members.first()
    error = refused(services.minutes_approve, meeting=meeting_a, member=stranger, by=None)
    assert "not a member of this committee" in error.messages[0]
    assert not MinutesApproval.objects.exists()


# --- reviews ---------------------------------------------------------------------------------


def test_the_default_checklist_is_data(checklist) -> None:
    codes = list(ChecklistItem.objects.values_list("code", flat=True))
    assert codes == [
        "meets_regularly",
        "both_sides_speak",
        "minutes_shared",
        "decisions_followed_up",
        "elected_worker_reps",
        "women_represented",
    ]
    item = ChecklistItem.objects.get(code="women_represented")
    assert set(item.text) == {"en", "bn", "ur"}
    with translation.override("bn"):
        assert item.text_text == item.text["bn"]


def test_a_review_answers_every_question(cast, seated) -> None:
    items = list(ChecklistItem.objects.all())
    error = refused(
        services.review_create,
        committee=seated.committee,
        reviewed_on=days(0),
        answers={items[0]: 2},
        by=cast.facilitator_a,
    )
    assert error.message_dict["answers"] == ["Answer every question."]
    assert not Review.objects.exists()
    error = refused(
        services.review_create,
        committee=seated.committee,
        reviewed_on=days(1),
        answers={i: 2 for i in items},
        by=cast.facilitator_a,
    )
    assert "reviewed_on" in error.message_dict


def test_a_retired_question_is_no_longer_asked_but_old_answers_stay(cast, seated) -> None:
    items = list(ChecklistItem.objects.all())
    old = services.review_create(
        committee=seated.committee,
        reviewed_on=days(-100),
        answers={i: 2 for i in items},
        by=cast.facilitator_a,
    )
    ChecklistItem.objects.filter(pk=items[0].pk).update(is_active=False)
    new = services.review_create(
        committee=seated.committee,
        reviewed_on=days(0),
        answers={i: 1 for i in items[1:]},
        by=cast.facilitator_a,
    )
    assert old.answers.count() == 6 and new.answers.count() == 5
