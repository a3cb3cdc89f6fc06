"""The committees API: the pages' scoping, the same services, refusals that write nothing."""

import pytest
from rest_framework.test import APIClient

from fithub.committees import services
from fithub.committees.models import (
    Attendance,
    Candidate,
    ChecklistItem,
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
    READ_A,
    READ_B,
    RECORD_A,
    REVIEW_A,
    api,
    days,
)


def counts() -> tuple[int, ...]:
    models = (
        Committee,
        Member,
        Election,
        Candidate,
        Meeting,
        Attendance,
        Decision,
        MinutesApproval,
        Review,
    )
    return tuple(m.objects.count() for m in models)


def member_data(name: str = "Nasrin Begum", **kw) -> dict:  # type: ignore[no-untyped-def]
    return {
        "name": name,
        "side": "worker",
        "selection": "elected",
        "sex": "female",
        "department": "sewing",
        "term_starts_on": days(-1).isoformat(),
        **kw,
    }


@pytest.fixture
def election_a(seated) -> Election:  # type: ignore[no-untyped-def]
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


def test_anonymous_gets_nothing(seated) -> None:
    for url in ("/api/v1/committees/", f"/api/v1/committees/{seated.committee.pk}/"):
        assert APIClient().get(url).status_code in (401, 403)


@pytest.mark.parametrize("who", EVERYONE)
def test_reads_are_scoped_like_the_pages(cast, seated, meeting_a, election_a, committee_b, who):
    client = api(cast, who)
    c = seated.committee
    ids = [row["id"] for row in client.get("/api/v1/committees/").json()["results"]]
    assert (c.pk in ids) == (who in READ_A)
    assert (committee_b.pk in ids) == (who in READ_B)
    decision = services.decision_add(
        meeting=meeting_a, details=services.DecisionDetails(text="Fans"), by=None
    )
    expected = 200 if who in READ_A else 404
    for url in (
        f"/api/v1/committees/{c.pk}/",
        f"/api/v1/committees/{c.pk}/members/",
        f"/api/v1/committees/{c.pk}/elections/",
        f"/api/v1/committees/{c.pk}/meetings/",
        f"/api/v1/committees/{c.pk}/reviews/",
        f"/api/v1/committee-members/{seated.rubina.pk}/",
        f"/api/v1/committee-elections/{election_a.pk}/",
        f"/api/v1/committee-meetings/{meeting_a.pk}/",
        f"/api/v1/committee-decisions/{decision.pk}/",
    ):
        assert client.get(url).status_code == expected, url
    listed = [d["id"] for d in client.get("/api/v1/committee-decisions/").json()["results"]]
    assert (decision.pk in listed) == (who in READ_A)


@pytest.mark.parametrize("who", EVERYONE)
def test_writes_are_for_the_factory_s_recorders(cast, seated, meeting_a, election_a, who):
    client = api(cast, who)
    c = seated.committee
    before = counts()
    expected = 201 if who in RECORD_A else 403 if who in READ_A else 404
    calls = [
        ("post", f"/api/v1/committees/{c.pk}/members/", member_data()),
        ("post", f"/api/v1/committees/{c.pk}/meetings/", {"held_on": days(-1).isoformat()}),
        ("post", f"/api/v1/committee-meetings/{meeting_a.pk}/decisions/", {"text": "Fans"}),
        (
            "post",
            f"/api/v1/committee-elections/{election_a.pk}/candidates/",
            {"name": "Jamal", "sex": "male", "department": "cutting"},
        ),
    ]
    for method, url, data in calls:
        response = getattr(client, method)(url, data, format="json")
        assert response.status_code == expected, (url, response.content)
    patch = client.patch(
        f"/api/v1/committee-members/{seated.rubina.pk}/", {"role": "vice_chair"}, format="json"
    )
    assert patch.status_code == (200 if who in RECORD_A else 403 if who in READ_A else 404)
    if who not in RECORD_A:
        assert counts() == before
        assert Member.objects.get(pk=seated.rubina.pk).role == "member"


@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_record_a_committee(cast, who) -> None:
    response = api(cast, who).post(
        "/api/v1/committees/", {"factory": cast.factory_a.pk, "name": "PICC"}, format="json"
    )
    assert response.status_code == (201 if who in RECORD_A else 403 if who in READ_A else 404)
    assert Committee.objects.filter(factory=cast.factory_a).exists() == (who in RECORD_A)


@pytest.mark.parametrize("who", EVERYONE)
def test_reviews_are_entered_by_the_factory_s_advisors(cast, seated, who, checklist) -> None:
    answers = [{"item": i.pk, "answer": 2} for i in ChecklistItem.objects.filter(is_active=True)]
    response = api(cast, who).post(
        f"/api/v1/committees/{seated.committee.pk}/reviews/",
        {"reviewed_on": days(0).isoformat(), "answers": answers},
        format="json",
    )
    expected = 201 if who in REVIEW_A else 403 if who in READ_A else 404
    assert response.status_code == expected
    assert Review.objects.exists() == (expected == 201)
    if expected == 201:
        assert response.json()["score"] == 100
        assert response.json()["reviewer"] == getattr(cast, who).pk


def test_the_detail_carries_the_checks(cast, seated) -> None:
    data = api(cast, "worker_rep_a").get(f"/api/v1/committees/{seated.committee.pk}/").json()
    assert (data["workers"], data["managers"]) == (3, 2)
    assert {c["code"]: c["level"] for c in data["checks"]}["balance"] == "ok"
    assert data["latest_review_score"] is None


def test_a_member_on_both_sides_is_refused(cast, seated) -> None:
    before = counts()
    response = api(cast, "coordinator_a").post(
        f"/api/v1/committees/{seated.committee.pk}/members/",
        member_data("Hasan HR"),
        format="json",
    )
    assert response.status_code == 400
    assert "already sits on the management side" in response.json()["side"][0]
    assert counts() == before


def test_a_term_ending_before_it_starts_is_refused(cast, seated) -> None:
    response = api(cast, "coordinator_a").post(
        f"/api/v1/committees/{seated.committee.pk}/members/",
        member_data(term_ends_on=days(-2).isoformat()),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["term_ends_on"] == ["The term cannot end before it starts."]


def test_a_user_of_another_factory_cannot_be_linked(cast, seated) -> None:
    response = api(cast, "coordinator_a").post(
        f"/api/v1/committees/{seated.committee.pk}/members/",
        member_data(user=cast.worker_rep_b.pk),
        format="json",
    )
    assert response.status_code == 400 and "user" in response.json()


def test_attendees_of_another_factory_are_refused_without_naming_them(
    cast, seated, meeting_a, committee_b
) -> None:
    stranger = committee_b.members.first()
    client = api(cast, "coordinator_a")
    response = client.put(
        f"/api/v1/committee-meetings/{meeting_a.pk}/attendees/",
        {"members": [seated.chair.pk, stranger.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"members": ["Choose members of this committee."]}
    assert meeting_a.attendances.count() == 2
    response = client.post(
        f"/api/v1/committees/{seated.committee.pk}/meetings/",
        {"held_on": days(-1).isoformat(), "attendees": [stranger.pk]},
        format="json",
    )
    assert response.status_code == 400 and Meeting.objects.count() == 1


def test_set_attendees_and_see_the_quorum(cast, seated, meeting_a) -> None:
    response = api(cast, "manager_a").put(
        f"/api/v1/committee-meetings/{meeting_a.pk}/attendees/",
        {"members": [seated.rubina.pk, seated.karim.pk]},
        format="json",
    )
    data = response.json()
    assert response.status_code == 200
    assert sorted(data["attendees"]) == sorted([seated.rubina.pk, seated.karim.pk])
    assert data["quorate"] is False and data["revision"] == 2


def test_the_election_through_the_api(cast, seated, election_a) -> None:
    client = api(cast, "coordinator_a")
    ids = []
    for name, sex in (("Nasrin", "female"), ("Jamal", "male"), ("Shirin", "female")):
        response = client.post(
            f"/api/v1/committee-elections/{election_a.pk}/candidates/",
            {"name": name, "sex": sex, "department": "sewing"},
            format="json",
        )
        assert response.status_code == 201
        ids.append(response.json()["id"])
    url = f"/api/v1/committee-elections/{election_a.pk}/results/"
    too_many = {
        "held_on": days(-5).isoformat(),
        "voters": 50,
        "votes": [{"candidate": i, "votes": v} for i, v in zip(ids, (51, 10, 10), strict=True)],
    }
    response = client.put(url, too_many, format="json")
    assert response.status_code == 400
    assert "more than the 50 workers who voted" in response.json()["votes"][0]
    assert not Candidate.objects.filter(votes__isnull=False).exists()
    good = {
        **too_many,
        "votes": [{"candidate": i, "votes": v} for i, v in zip(ids, (40, 10, 30), strict=True)],
    }
    data = client.put(url, good, format="json").json()
    assert data["elected"] == [ids[0], ids[2]] and data["tied"] == []
    response = client.post(
        f"/api/v1/committee-elections/{election_a.pk}/join/",
        {"term_starts_on": days(-4).isoformat()},
        format="json",
    )
    assert response.status_code == 201
    assert [m["name"] for m in response.json()] == ["Nasrin", "Shirin"]


def test_approvals_through_the_api(cast, seated, meeting_a) -> None:
    url = f"/api/v1/committee-meetings/{meeting_a.pk}/approvals/"
    response = api(cast, "worker_rep_a").post(url, {"member": seated.rubina.pk}, format="json")
    assert response.status_code == 400  # not her seat
    response = api(cast, "worker_rep_a").post(url, {"member": seated.sadia.pk}, format="json")
    assert response.status_code == 201 and response.json()["approved"] is False
    response = api(cast, "coordinator_a").post(url, {"member": seated.karim.pk}, format="json")
    assert response.status_code == 400
    assert "workers' side has already approved" in response.json()["member"][0]
    response = api(cast, "facilitator_a").post(url, {"member": seated.chair.pk}, format="json")
    assert response.status_code == 403
    response = api(cast, "worker_rep_b").post(url, {"member": seated.chair.pk}, format="json")
    assert response.status_code == 404
    response = api(cast, "manager_a").post(url, {"member": seated.chair.pk}, format="json")
    assert response.json()["approved"] is True
    assert MinutesApproval.objects.count() == 2


def test_a_decision_keeps_its_uid_through_a_change(cast, seated, meeting_a) -> None:
    client = api(cast, "coordinator_a")
    created = client.post(
        f"/api/v1/committee-meetings/{meeting_a.pk}/decisions/",
        {"text": "Fans", "owner": seated.chair.pk, "due_on": days(30).isoformat()},
        format="json",
    ).json()
    changed = client.patch(
        f"/api/v1/committee-decisions/{created['id']}/", {"text": "Six fans"}, format="json"
    ).json()
    assert changed["uid"] == created["uid"] and changed["number"] == 1
    assert changed["text"] == "Six fans" and changed["owner_label"] == "Mona Manager"
    assert changed["factory"] == cast.factory_a.pk


def test_the_checklist_lists_the_active_questions(cast, checklist) -> None:
    data = api(cast, "facilitator_a").get("/api/v1/committee-checklist/").json()
    assert [q["code"] for q in data][:2] == ["meets_regularly", "both_sides_speak"]
