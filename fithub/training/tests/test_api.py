"""The training API: the pages' scoping for sessions, participants, attendance, action items."""

from datetime import time

import pytest
from rest_framework.test import APIClient

from fithub.tests.cast import EVERYONE, api_as
from fithub.training import services
from fithub.training.models import Participant, Session
from fithub.training.tests.conftest import NEXT_WEEK, YESTERDAY, person

READ_A = {"owner", "admin_a", "facilitator_a", "coordinator_a", "worker_rep_a", "superuser"}
WRITE_A = {"admin_a", "facilitator_a", "superuser"}
PEOPLE_WRITE_A = {"admin_a", "facilitator_a", "coordinator_a", "superuser"}
NOT_STARTED = "Attendance cannot be recorded for a session that has not started."


def test_anonymous_gets_nothing(cast, session_a) -> None:
    for url in ["/api/v1/sessions/", f"/api/v1/sessions/{session_a.pk}/", "/api/v1/participants/"]:
        assert APIClient().get(url).status_code in (401, 403)


@pytest.mark.parametrize("who", EVERYONE)
def test_sessions_are_scoped_like_the_pages(cast, session_a, session_b, who) -> None:
    client = api_as(cast, who)
    ids = [s["id"] for s in client.get("/api/v1/sessions/").json()["results"]]
    assert (session_a.pk in ids) == (who in READ_A)
    assert (session_b.pk in ids) == (who in {"admin_b", "owner", "superuser"})
    for suffix in ("", "registrations/", "action-items/"):
        response = client.get(f"/api/v1/sessions/{session_a.pk}/{suffix}")
        assert response.status_code == (200 if who in READ_A else 404), suffix


@pytest.mark.parametrize("who", EVERYONE)
def test_participants_are_scoped_like_the_pages(cast, who) -> None:
    alice = person(cast.factory_a, "Alice")
    client = api_as(cast, who)
    ids = [p["id"] for p in client.get("/api/v1/participants/?q=ali").json()["results"]]
    assert (alice.pk in ids) == (who in READ_A)
    response = client.get(f"/api/v1/participants/{alice.pk}/")
    assert response.status_code == (200 if who in READ_A else 404)


@pytest.mark.parametrize("who", EVERYONE)
def test_who_records_attendance(cast, session_a, who) -> None:
    reg = services.registration_add(
        session=session_a, participant=person(cast.factory_a, "Alice"), by=None
    )
    response = api_as(cast, who).put(
        f"/api/v1/registrations/{reg.pk}/attendance/", {"present": True}, format="json"
    )
    expected = 200 if who in WRITE_A else 403 if who in READ_A else 404
    assert response.status_code == expected
    reg.refresh_from_db()
    assert (reg.present is True) == (expected == 200)
    if expected == 200:
        assert response.json()["present"] is True and response.json()["method"] == "tap"


def test_attendance_through_the_api_is_refused_before_the_start(cast, future_a) -> None:
    reg = services.registration_add(
        session=future_a, participant=person(cast.factory_a, "Alice"), by=None
    )
    response = api_as(cast, "facilitator_a").put(
        f"/api/v1/registrations/{reg.pk}/attendance/",
        {"present": True, "method": "sheet"},
        format="json",
    )
    assert response.status_code == 400
    assert NOT_STARTED in str(response.json())


def test_a_check_in_through_the_api_keeps_the_facilitators_record(cast, today_a) -> None:
    alice, bina = (
        services.registration_add(session=today_a, participant=person(cast.factory_a, n), by=None)
        for n in ("Alice", "Bina")
    )
    services.attendance_record(registration=alice, present=False, by=cast.facilitator_a)
    client = api_as(cast, "facilitator_a")
    body = {"present": True, "method": "qr"}
    response = client.put(f"/api/v1/registrations/{alice.pk}/attendance/", body, format="json")
    assert response.status_code == 400
    assert "already recorded this person's attendance" in str(response.json())
    alice.refresh_from_db()
    assert (alice.present, alice.method) == (False, "tap")
    response = client.put(f"/api/v1/registrations/{bina.pk}/attendance/", body, format="json")
    assert response.status_code == 200
    assert (response.json()["present"], response.json()["method"]) == (True, "qr")


def test_a_facilitator_plans_registers_and_adds_action_items(cast, module) -> None:
    client = api_as(cast, "facilitator_a")
    body = {
        "module": module.pk,
        "engagements": [cast.engagement_a.pk],
        "delivery_model": "in_factory",
        "date": YESTERDAY.isoformat(),
        "starts_at": "09:00",
        "ends_at": "11:30",
        "facilitator": cast.facilitator_a.pk,
    }
    response = client.post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["provider"] == cast.provider_a.pk and data["engagements"] == [cast.engagement_a.pk]
    session = Session.objects.get(pk=data["id"])
    response = client.post(
        "/api/v1/participants/",
        {"factory": cast.factory_a.pk, "name": "রহিমা খাতুন", "sex": "female",
         "role": "worker", "department": "sewing"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    participant = response.json()["id"]
    response = client.post(
        f"/api/v1/sessions/{session.pk}/registrations/", {"participant": participant}
    )
    assert response.status_code == 201
    assert response.json()["participant_name"] == "রহিমা খাতুন"
    response = client.post(
        f"/api/v1/sessions/{session.pk}/action-items/",
        {"description": "Label every rack", "owner_name": "Rina"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["factory"] == cast.factory_a.pk
    items = client.get(f"/api/v1/action-items/?factory={cast.factory_a.pk}").json()["results"]
    assert [i["description"] for i in items] == ["Label every rack"]


def test_provider_b_cannot_use_provider_a_engagements_or_people(cast, module) -> None:
    client = api_as(cast, "admin_b")
    body = {
        "module": module.pk,
        "engagements": [cast.engagement_a.pk],
        "delivery_model": "in_factory",
        "date": NEXT_WEEK.isoformat(),
        "starts_at": "09:00",
        "ends_at": "11:30",
    }
    assert client.post("/api/v1/sessions/", body, format="json").status_code == 400
    assert not Session.objects.exists()
    body = {"factory": cast.factory_a.pk, "name": "X", "sex": "male", "role": "worker",
            "department": "sewing"}  # fmt: skip
    assert client.post("/api/v1/participants/", body, format="json").status_code == 404
    assert not Participant.objects.exists()


def test_a_coordinator_records_the_factorys_own_session(cast, module) -> None:
    body = {
        "module": module.pk,
        "organising_factory": cast.factory_a.pk,
        "engagements": [cast.engagement_a.pk],
        "delivery_model": "laissez_faire",
        "date": YESTERDAY.isoformat(),
        "starts_at": "14:00",
        "ends_at": "16:30",
        "facilitator_name": "Rina",
    }
    response = api_as(cast, "coordinator_a").post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["organising_factory"] == cast.factory_a.pk
    assert response.json()["provider"] is None
    # A worker representative may not, nor the coordinator for another factory.
    response = api_as(cast, "worker_rep_a").post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 404
    body["organising_factory"] = cast.factory_b.pk
    response = api_as(cast, "coordinator_a").post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 404


def test_buyers_cannot_plan(cast, module) -> None:
    body = {
        "module": module.pk,
        "delivery_model": "in_factory",
        "date": NEXT_WEEK.isoformat(),
        "starts_at": "09:00",
        "ends_at": "11:30",
    }
    assert api_as(cast, "buyer").post("/api/v1/sessions/", body, format="json").status_code in (
        403,
        404,
    )


def test_registrations_hide_people_of_other_factories(cast, module) -> None:
    from fithub.programmes.models import Engagement
    from fithub.training.tests.conftest import plan

    second = Engagement.objects.create(
        programme=cast.programme, factory=cast.factory_b, provider=cast.provider_a,
        delivery_model="classroom",
    )  # fmt: skip
    session = plan(
        cast, module, engagements=[cast.engagement_a, second], delivery_model="classroom",
        starts_at=time(9), ends_at=time(11, 30),
    )  # fmt: skip
    for factory, name in ((cast.factory_a, "Alice"), (cast.factory_b, "Bina")):
        services.registration_add(session=session, participant=person(factory, name), by=None)
    names = {
        r["participant_name"]
        for r in api_as(cast, "coordinator_a")
        .get(f"/api/v1/sessions/{session.pk}/registrations/")
        .json()
    }
    assert names == {"Alice"}
    names = {
        r["participant_name"]
        for r in api_as(cast, "admin_a").get(f"/api/v1/sessions/{session.pk}/registrations/").json()
    }
    assert names == {"Alice", "Bina"}


def test_the_schema_documents_the_endpoints(cast) -> None:
    response = api_as(cast, "admin_a").get("/api/v1/schema/")
    text = response.content.decode()
    for path in (
        "/api/v1/sessions/",
        "/api/v1/sessions/{id}/registrations/",
        "/api/v1/registrations/{id}/attendance/",
        "/api/v1/participants/",
        "/api/v1/sessions/{id}/action-items/",
    ):
        assert path in text, path
