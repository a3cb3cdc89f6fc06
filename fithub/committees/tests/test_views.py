"""Committee pages: who sees and who records each one, with the whole cast."""

import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.committees import services
from fithub.committees.models import (
    Attendance,
    Candidate,
    Committee,
    Decision,
    Election,
    Meeting,
    Member,
    MinutesApproval,
    Review,
)
from fithub.committees.tests.conftest import (
    EVERYONE,
    HTMX,
    READ_A,
    READ_B,
    RECORD_A,
    REVIEW_A,
    days,
    get,
    meet,
    post,
    seat,
)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


@pytest.fixture
def election_a(cast, seated) -> Election:  # type: ignore[no-untyped-def]
    return services.election_create(
        committee=seated.committee,
        details=services.ElectionDetails(
            title="Worker representatives",
            seats=2,
            nomination_opens_on=days(-20),
            nomination_closes_on=days(-10),
        ),
        by=None,
    )


@pytest.mark.parametrize("who", EVERYONE)
def test_pages_of_factory_a_committee(cast, seated, meeting_a, election_a, who) -> None:
    c = seated.committee
    review = services.review_create(
        committee=c, reviewed_on=days(-1), answers=_all_yes(), by=cast.facilitator_a
    )
    reading = [
        reverse("committees:detail", args=[c.pk]),
        reverse("committees:meetings", args=[c.pk]),
        reverse("committees:history", args=[c.pk]),
        reverse("committees:export", args=[c.pk, "members"]) + "?format=csv",
        reverse("committees:export", args=[c.pk, "meetings"]) + "?format=xlsx",
        reverse("committees:meeting", args=[meeting_a.pk]),
        reverse("committees:election", args=[election_a.pk]),
        reverse("committees:review", args=[review.pk]),
    ]
    for url in reading:
        assert get(cast, who, url).status_code == (200 if who in READ_A else 404), url
    decision = services.decision_add(
        meeting=meeting_a, details=services.DecisionDetails(text="Fix fans"), by=None
    )
    recording = [
        reverse("committees:edit", args=[c.pk]),
        reverse("committees:member-edit", args=[seated.rubina.pk]),
        reverse("committees:meeting-create", args=[c.pk]),
        reverse("committees:meeting-edit", args=[meeting_a.pk]),
        reverse("committees:decision-edit", args=[decision.pk]),
        reverse("committees:election-create", args=[c.pk]),
        reverse("committees:election-edit", args=[election_a.pk]),
    ]
    for url in recording:
        assert get(cast, who, url).status_code == (200 if who in RECORD_A else 404), url
    url = reverse("committees:review-create", args=[c.pk])
    assert get(cast, who, url).status_code == (200 if who in REVIEW_A else 404)


@pytest.mark.parametrize("who", EVERYONE)
def test_the_list_shows_only_visible_committees(cast, seated, committee_b, who) -> None:
    response = get(cast, who, reverse("committees:list"))
    if who in ("buyer", "buyer_b", "outsider"):
        assert response.status_code == 404
        return
    assert response.status_code == 200
    html = text(response)
    assert (reverse("committees:detail", args=[seated.committee.pk]) in html) == (who in READ_A)
    assert (reverse("committees:detail", args=[committee_b.pk]) in html) == (who in READ_B)


def test_the_nav_offers_committees_to_all_but_buyers_and_strangers(cast) -> None:
    link = f'href="{reverse("committees:list")}"'
    for who in ("coordinator_a", "worker_rep_a", "facilitator_a", "owner"):
        assert link in text(get(cast, who, reverse("home"))), who
    for who in ("buyer", "outsider"):
        assert link not in text(get(cast, who, reverse("home"))), who


@pytest.mark.parametrize("who", EVERYONE)
def test_the_factory_page_shows_the_committee_panel_to_committee_readers(cast, seated, who):
    response = get(cast, who, reverse("factories:detail", args=[cast.factory_a.pk]))
    if response.status_code == 404:
        assert who not in READ_A
        return
    html = text(response)
    assert ('id="committee"' in html) == (who in READ_A), who
    if who in READ_A:
        # The summary and its checks: 3 of 3 worker members? no, 2 of 3 are women here.
        assert "3 worker and 2 management members" in html
        assert 'data-code="women"' in html


def test_two_factories_of_one_provider_never_see_each_other_s_committee(cast, cast_a2, seated):
    c = seated.committee
    for user in (cast_a2.coordinator, cast_a2.worker_rep):
        client = cast.client(user)
        for url in (c.get_absolute_url(), reverse("committees:export", args=[c.pk, "members"])):
            assert client.get(url).status_code == 404
        assert "Sadia Worker" not in client.get(reverse("committees:list")).content.decode()
    # Factory A2's coordinator sets up A2's committee, and cannot seat A's people in it.
    url = reverse("committees:create", args=[cast_a2.factory.pk])
    assert cast.client(cast_a2.coordinator).post(url, {"name": "PC"}).status_code == 302
    a2 = Committee.objects.get(factory=cast_a2.factory)
    meeting = services.meeting_create(
        committee=a2, details=services.MeetingDetails(held_on=days(-1)), by=None
    )
    url = reverse("committees:attendee-add", args=[meeting.pk])
    response = cast.client(cast_a2.coordinator).post(url, {"member": seated.sadia.pk}, **HTMX)
    assert "Sadia Worker" not in response.content.decode()
    assert not meeting.attendances.exists()


def test_the_factory_panel_offers_to_set_up_a_committee(cast) -> None:
    url = reverse("factories:detail", args=[cast.factory_a.pk])
    setup = reverse("committees:create", args=[cast.factory_a.pk])
    assert setup in text(get(cast, "coordinator_a", url))
    assert setup not in text(get(cast, "facilitator_a", url))
    assert "No committee is recorded" in text(get(cast, "facilitator_a", url))


@pytest.mark.parametrize("who", EVERYONE)
def test_who_sets_up_a_committee(cast, who) -> None:
    url = reverse("committees:create", args=[cast.factory_a.pk])
    response = post(cast, who, url, {"name": "Participation Committee"})
    assert response.status_code == (302 if who in RECORD_A else 404)
    assert Committee.objects.filter(factory=cast.factory_a).exists() == (who in RECORD_A)


@pytest.mark.parametrize("who", EVERYONE)
def test_refused_writes_write_nothing(cast, seated, meeting_a, election_a, who) -> None:
    if who in RECORD_A:
        return
    c = seated.committee
    before = _counts()
    calls = [
        (reverse("committees:member-add", args=[c.pk]), _member_post("New Person")),
        (reverse("committees:member-edit", args=[seated.rubina.pk]), _member_post("Renamed")),
        (reverse("committees:member-leave", args=[seated.karim.pk]), {"left_on": days(0)}),
        (reverse("committees:meeting-create", args=[c.pk]), {"held_on": days(-1)}),
        (reverse("committees:attendee-add", args=[meeting_a.pk]), {"member": seated.rubina.pk}),
        (reverse("committees:minutes", args=[meeting_a.pk]), {"minutes": "Changed"}),
        (reverse("committees:decision-add", args=[meeting_a.pk]), {"text": "Buy fans"}),
        (reverse("committees:candidate-add", args=[election_a.pk]), _candidate_post()),
        (reverse("committees:election-create", args=[c.pk]), _election_post()),
    ]
    for url, data in calls:
        assert post(cast, who, url, data).status_code == 404, url
    if who not in REVIEW_A:
        url = reverse("committees:review-create", args=[c.pk])
        assert post(cast, who, url, {"reviewed_on": days(0)}).status_code == 404
    assert _counts() == before
    meeting_a.refresh_from_db()
    assert meeting_a.minutes == "We agreed." and meeting_a.revision == 1
    assert Member.objects.get(pk=seated.rubina.pk).name == "Rubina Akter"


def _counts() -> tuple[int, ...]:
    models = (Member, Meeting, Attendance, Decision, Election, Candidate, MinutesApproval, Review)
    return tuple(m.objects.count() for m in models)


def _member_post(name: str) -> dict[str, object]:
    return {
        "name": name,
        "side": "worker",
        "selection": "elected",
        "role": "member",
        "sex": "female",
        "department": "sewing",
        "term_starts_on": days(-1),
    }


def _candidate_post(name: str = "Nasrin") -> dict[str, object]:
    return {"name": name, "sex": "female", "department": "sewing"}


def _election_post() -> dict[str, object]:
    return {
        "title": "Election",
        "seats": 3,
        "nomination_opens_on": days(1),
        "nomination_closes_on": days(10),
    }


def _all_yes() -> dict:
    from fithub.committees.models import ChecklistItem

    return {item: 2 for item in ChecklistItem.objects.filter(is_active=True)}


# --- members ---------------------------------------------------------------------------------


def test_adding_a_member_through_htmx_returns_the_members_section(cast, seated) -> None:
    url = reverse("committees:member-add", args=[seated.committee.pk])
    response = post(cast, "coordinator_a", url, _member_post("Nasrin Begum"), **HTMX)
    assert response.status_code == 200
    html = text(response)
    assert html.lstrip().startswith('<section id="members"')
    assert "Nasrin Begum" in html
    assert Member.objects.filter(name="Nasrin Begum", side="worker").exists()


def test_a_member_on_both_sides_is_refused_with_a_message(cast, seated) -> None:
    url = reverse("committees:member-add", args=[seated.committee.pk])
    data = {**_member_post("  rubina   AKTER "), "side": "management", "selection": "appointed"}
    response = post(cast, "coordinator_a", url, data, **HTMX)
    assert response.status_code == 200
    assert "already sits on the workers&#x27; side of this committee" in text(response)
    assert Member.objects.filter(name__iexact="rubina akter").count() == 1


def test_a_term_ending_before_it_starts_is_refused(cast, seated) -> None:
    url = reverse("committees:member-add", args=[seated.committee.pk])
    data = {**_member_post("Late Term"), "term_starts_on": days(10), "term_ends_on": days(1)}
    response = post(cast, "coordinator_a", url, data)
    assert response.status_code == 200  # the whole page, with the form and its error
    html = text(response)
    assert "The term cannot end before it starts." in html
    assert re.search(r'<input[^>]*name="term_ends_on"[^>]*aria-invalid="true"', html)
    assert not Member.objects.filter(name="Late Term").exists()


def test_a_member_of_another_factory_cannot_be_linked(cast, seated) -> None:
    url = reverse("committees:member-add", args=[seated.committee.pk])
    data = {**_member_post("Bina"), "user": cast.worker_rep_b.pk}
    response = post(cast, "coordinator_a", url, data, **HTMX)
    assert "Select a valid choice" in text(response)
    assert not Member.objects.filter(name="Bina").exists()


def test_a_member_leaves_and_stays_on_record(cast, seated) -> None:
    url = reverse("committees:member-leave", args=[seated.karim.pk])
    assert post(cast, "manager_a", url, {"left_on": days(-1)}).status_code == 302
    html = text(get(cast, "worker_rep_a", reverse("committees:detail", args=[seated.committee.pk])))
    assert "1 former member" in html
    assert "2 worker and 2 management members" in html


# --- meetings --------------------------------------------------------------------------------


def test_record_a_meeting_with_attendees_ticked(cast, seated) -> None:
    url = reverse("committees:meeting-create", args=[seated.committee.pk])
    data = {
        "held_on": days(-2),
        "agenda": "Fans",
        "attendees": [seated.chair.pk, seated.rubina.pk],
    }
    response = post(cast, "coordinator_a", url, data)
    meeting = Meeting.objects.get(agenda="Fans")
    assert response["Location"] == meeting.get_absolute_url()
    assert {a.member_id for a in meeting.attendances.all()} == {seated.chair.pk, seated.rubina.pk}


def test_an_attendee_of_another_factory_is_refused(cast, seated, meeting_a, committee_b) -> None:
    stranger = committee_b.members.first()
    url = reverse("committees:attendee-add", args=[meeting_a.pk])
    response = post(cast, "coordinator_a", url, {"member": stranger.pk}, **HTMX)
    html = text(response)
    assert "Choose a member of this committee." in html
    assert stranger.name not in html  # the other factory's people are not named
    assert meeting_a.attendances.count() == 2


def test_adding_an_attendee_updates_quorum_and_approvals(cast, seated) -> None:
    meeting = services.meeting_create(
        committee=seated.committee,
        details=services.MeetingDetails(held_on=days(-3), minutes="Notes"),
        attendees=[seated.chair],
        by=None,
    )
    html = text(get(cast, "coordinator_a", meeting.get_absolute_url()))
    assert "No quorum" in html
    url = reverse("committees:attendee-add", args=[meeting.pk])
    response = post(cast, "coordinator_a", url, {"member": seated.rubina.pk}, **HTMX)
    html = text(response)
    assert "Quorum: both sides present" in html
    assert 'id="approval" aria-labelledby="approval-h" hx-swap-oob="true"' in html


def test_a_decision_through_htmx(cast, seated, meeting_a) -> None:
    url = reverse("committees:decision-add", args=[meeting_a.pk])
    data = {"text": "Install 6 fans on line 4", "owner": seated.chair.pk, "due_on": days(20)}
    html = text(post(cast, "manager_a", url, data, **HTMX))
    decision = Decision.objects.get()
    assert decision.number == 1 and decision.owner == seated.chair
    assert 'id="decision-1"' in html and "Install 6 fans on line 4" in html


def test_minutes_approved_by_each_side_and_asked_again_after_a_change(cast, seated, meeting_a):
    url = reverse("committees:approve", args=[meeting_a.pk])
    # The factory's manager records management's approval (her own seat);
    response = post(cast, "manager_a", url, {"member": seated.chair.pk}, **HTMX)
    assert "Mona Manager" in text(response)
    # the same side a second time is refused, by whoever tries;
    response = post(cast, "coordinator_a", url, {"member": seated.hr.pk}, **HTMX)
    assert "The management side has already approved these minutes" in text(response)
    assert MinutesApproval.objects.count() == 1
    # the worker representative approves for the workers' side, for her own seat only.
    response = post(cast, "worker_rep_a", url, {"member": seated.rubina.pk}, **HTMX)
    assert "Select a valid choice" in text(response) or "Choose the member" in text(response)
    response = post(cast, "worker_rep_a", url, {"member": seated.sadia.pk}, **HTMX)
    assert "Approved by both sides" in text(response)
    approval = MinutesApproval.objects.get(side="worker")
    assert approval.approved_by == cast.worker_rep_a and approval.member == seated.sadia
    # A change to the minutes asks again.
    post(
        cast,
        "coordinator_a",
        reverse("committees:minutes", args=[meeting_a.pk]),
        {"minutes": "Fixed a typo"},
    )
    html = text(get(cast, "worker_rep_a", meeting_a.get_absolute_url()))
    assert "Changed after approval" in html
    assert "Approved by both sides" not in html


@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_approve(cast, seated, meeting_a, who) -> None:
    url = reverse("committees:approve", args=[meeting_a.pk])
    member = seated.sadia  # linked to worker_rep_a
    response = post(cast, who, url, {"member": member.pk})
    allowed = who in RECORD_A or who == "worker_rep_a"
    # Readers who approve for nobody are answered as for any page they may not change.
    assert response.status_code == (302 if allowed else 404)
    assert MinutesApproval.objects.exists() == allowed


def test_the_meeting_page_costs_the_same_queries_for_3_and_30_decisions(cast, seated) -> None:
    def queries(n: int) -> int:
        meeting = meet(seated, on=days(-n))
        for i in range(n):
            services.decision_add(
                meeting=meeting,
                details=services.DecisionDetails(text=f"Decision {i}", owner=seated.chair),
                by=None,
            )
        client = cast.client(cast.coordinator_a)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(meeting.get_absolute_url()).status_code == 200
        return len(ctx)

    assert queries(3) == queries(30)


def test_the_committee_page_costs_the_same_queries_for_3_and_30_members(cast) -> None:
    def queries(factory, n: int) -> int:  # type: ignore[no-untyped-def]
        committee = services.committee_create(factory=factory, by=None)
        for i in range(n):
            seat(committee, f"Worker {i}")
            seat(committee, f"Manager {i}", "management")
        for i in range(n):
            services.meeting_create(
                committee=committee,
                details=services.MeetingDetails(held_on=days(-i - 1)),
                by=None,
            )
        client = cast.client(cast.superuser)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(committee.get_absolute_url()).status_code == 200
        return len(ctx)

    assert queries(cast.factory_a, 3) == queries(cast.factory_b, 30)


# --- exports ---------------------------------------------------------------------------------


def test_members_export_is_in_the_reader_s_language(cast, seated) -> None:
    url = reverse("committees:export", args=[seated.committee.pk, "members"]) + "?format=csv"
    client = cast.client(cast.worker_rep_a)
    client.cookies["django_language"] = "bn"
    body = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    lines = body.splitlines()
    assert len(lines) == 6
    assert "নাম" in lines[0]
    assert any("Sadia Worker" in line for line in lines)


def test_meetings_export_as_excel_reads_back(cast, seated, meeting_a) -> None:
    services.decision_add(
        meeting=meeting_a,
        details=services.DecisionDetails(text="Six fans", owner=seated.chair, due_on=days(20)),
        by=None,
    )
    url = reverse("committees:export", args=[seated.committee.pk, "meetings"]) + "?format=xlsx"
    response = get(cast, "owner", url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Date", "Management present", "Workers present", "Quorum")
    assert len(rows) == 2
    assert rows[1][1:4] == ("Mona Manager", "Sadia Worker", "yes")
    assert rows[1][6] == f"1. Six fans (Mona Manager) · {days(20).isoformat()}"


def test_meetings_export_neutralises_formulas(cast, seated) -> None:
    meet(seated, minutes='=HYPERLINK("http://x")')
    url = reverse("committees:export", args=[seated.committee.pk, "meetings"]) + "?format=csv"
    body = b"".join(get(cast, "coordinator_a", url).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert get(cast, "coordinator_a", url.replace("csv", "pdf")).status_code == 400
    bad = reverse("committees:export", args=[seated.committee.pk, "secrets"])
    assert get(cast, "coordinator_a", bad).status_code == 404


def test_history_names_who_changed_what(cast, seated) -> None:
    member = seated.rubina
    services.member_update(
        member=member,
        details=services.MemberDetails.from_mapping(
            {**{f: getattr(member, f) for f in services.MEMBER_FIELDS}, "role": "vice_chair"}
        ),
        by=cast.coordinator_a,
    )
    html = text(
        get(cast, "worker_rep_a", reverse("committees:history", args=[seated.committee.pk]))
    )
    assert "Rina Coordinator" in html
    assert "Vice-chair" in html
