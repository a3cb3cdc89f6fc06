"""The read interface for the apps below: decisions, meetings held, the latest review."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.committees import links, selectors, services
from fithub.committees.models import ChecklistItem, Decision
from fithub.committees.scoping import decisions_for
from fithub.committees.tests.conftest import days, get, meet


def test_decision_records_carry_what_a_plan_item_needs(cast, seated, meeting_a) -> None:
    decision = services.decision_add(
        meeting=meeting_a,
        details=services.DecisionDetails(text="Fans on line 4", owner=seated.chair, due_on=days(9)),
        by=None,
    )
    [record] = selectors.decision_records(decisions_for(cast.coordinator_a))
    assert record.id == decision.pk and record.uid == decision.uid and record.number == 1
    assert record.factory_id == cast.factory_a.pk
    assert (record.text, record.owner, record.due_on) == ("Fans on line 4", "Mona Manager", days(9))
    assert record.meeting_held_on == meeting_a.held_on
    assert record.url == reverse("committees:meeting", args=[meeting_a.pk]) + "#decision-1"
    assert selectors.decision_records(decisions_for(cast.coordinator_b)) == []


def test_decision_records_cost_the_same_queries_for_3_and_30(cast, seated) -> None:
    def queries(n: int) -> int:
        meeting = meet(seated, on=days(-n))
        for i in range(n):
            services.decision_add(
                meeting=meeting, details=services.DecisionDetails(text=str(i)), by=None
            )
        with CaptureQueriesContext(connection) as ctx:
            selectors.decision_records(Decision.objects.filter(meeting=meeting))
        return len(ctx)

    assert queries(3) == queries(30) == 1


def test_meetings_held_counts_quorate_meetings_in_the_range(cast, seated) -> None:
    meet(seated, on=days(-40))  # both sides
    meet(seated, on=days(-10))
    services.meeting_create(
        committee=seated.committee,
        details=services.MeetingDetails(held_on=days(-5)),
        attendees=[seated.sadia, seated.rubina],  # workers only
        by=None,
    )
    f = cast.factory_a
    assert selectors.meetings_held(factory=f, since=days(-60), until=days(0)) == 2
    assert selectors.meetings_held(factory=f, since=days(-60), until=days(0), quorate=False) == 3
    assert selectors.meetings_held(factory=f, since=days(-30), until=days(0)) == 1
    assert selectors.meetings_held(factory=cast.factory_b, since=days(-60), until=days(0)) == 0


def test_latest_review_for_progress_report_2(cast, seated) -> None:
    items = list(ChecklistItem.objects.filter(is_active=True))
    assert selectors.latest_review(factory=cast.factory_a) is None
    services.review_create(
        committee=seated.committee,
        reviewed_on=days(-200),
        answers={i: 0 for i in items},
        by=cast.facilitator_a,
    )
    services.review_create(
        committee=seated.committee,
        reviewed_on=days(-20),
        answers={i: 2 if i.code != "minutes_shared" else 0 for i in items},
        notes="Minutes not yet on the notice board.",
        by=cast.facilitator_a,
    )
    latest = selectors.latest_review(factory=cast.factory_a)
    assert latest is not None
    assert latest.reviewed_on == days(-20)
    assert latest.reviewer == "Farid Facilitator"
    # Weights 2+2+1+2+2+1 = 10, twice for a full yes: 18 of 20 points.
    assert latest.score == 90
    assert len(latest.answers) == 6 and latest.notes.startswith("Minutes")
    before = selectors.latest_review(factory=cast.factory_a, until=days(-100))
    assert before is not None and before.score == 0


def test_committee_summary_counts_current_members(cast, seated, meeting_a) -> None:
    services.member_leave(member=seated.karim, left_on=days(-1), by=None)
    summary = selectors.committee_summary(seated.committee)
    assert (summary.workers, summary.managers, summary.women_workers) == (2, 2, 2)
    assert summary.last_meeting == meeting_a.held_on and summary.meetings == 1


def test_elections_held_are_those_with_results(cast, seated) -> None:
    e = services.election_create(
        committee=seated.committee,
        details=services.ElectionDetails(
            title="E", seats=1, nomination_opens_on=days(-30), nomination_closes_on=days(-20)
        ),
        by=None,
    )
    assert not selectors.elections_held(factory=cast.factory_a, since=days(-60), until=days(0))
    c = services.candidate_add(
        election=e,
        details=services.CandidateDetails(name="N", sex="female", department="sewing"),
        by=None,
    )
    services.election_results_record(
        election=e, held_on=days(-15), voters=10, votes={c.pk: 8}, by=None
    )
    assert list(
        selectors.elections_held(factory=cast.factory_a, since=days(-60), until=days(0))
    ) == [e]


def test_a_lower_app_shows_links_beside_decisions(cast, seated, meeting_a) -> None:
    """The improvement app's "linked both ways" goes through committees.links."""
    decision = services.decision_add(
        meeting=meeting_a, details=services.DecisionDetails(text="Fans"), by=None
    )
    calls = []

    def plan_links(request, decisions):  # type: ignore[no-untyped-def]
        calls.append([d.pk for d in decisions])
        return {decision.pk: [links.DecisionLink("Plan item 12", "/improvement/items/12/")]}

    links.register("probe", plan_links)
    try:
        html = get(cast, "worker_rep_a", meeting_a.get_absolute_url()).content.decode()
    finally:
        links.unregister("probe")
    assert calls == [[decision.pk]]  # once per page, with every decision on it
    assert '<a href="/improvement/items/12/">Plan item 12</a>' in html
