"""The certificates API: who lists, issues, revokes and reissues which certificates."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fithub.certificates.models import Certificate
from fithub.certificates.tests.conftest import Room
from fithub.tests.cast import api

LIST = reverse("api-certificates")


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# Who sees the certificates of provider A's session ("a") and of provider B's ("b"): those who
# see the session.
SEES = {
    "admin_a": {"a"},
    "facilitator_a": {"a"},
    "admin_b": {"b"},
    "buyer": set(),
    "owner": {"a", "b"},
    "coordinator_a": {"a"},
    "worker_rep_a": {"a"},
    "outsider": set(),
    "superuser": {"a", "b"},
}


@pytest.mark.parametrize(("who", "letters"), SEES.items())
def test_list_and_detail_show_only_the_sessions_the_user_sees(
    cast, issued, cert_b, who, letters
) -> None:
    expected = {"a": {c.pk for c in issued}, "b": {cert_b.pk}}
    client = api(getattr(cast, who))
    assert ids(client.get(LIST)) == set().union(*(expected[x] for x in letters))
    for letter, pks in expected.items():
        status = 200 if letter in letters else 404
        for pk in pks:
            response = client.get(reverse("api-certificate", args=[pk]))
            assert response.status_code == status, (who, letter)


def test_anonymous_users_get_nothing(cast, issued) -> None:
    assert api().get(LIST).status_code in (401, 403)
    assert api().get(reverse("api-certificate", args=[issued[0].pk])).status_code in (401, 403)


def test_list_filters_by_session_and_carries_the_verify_url(cast, room: Room, issued, cert_b):
    response = api(cast.superuser).get(LIST, {"session": room.session.pk})
    rows = response.json()["results"]
    assert {row["id"] for row in rows} == {c.pk for c in issued}
    row = rows[0]
    assert row["session"] == room.session.pk
    assert row["verify_url"] == f"https://fithub.example.org/certificates/verify/{row['code']}/"
    assert api(cast.superuser).get(LIST, {"session": "x"}).status_code == 400


# --- issue -----------------------------------------------------------------------------------


def test_issue_answers_201_then_200_with_the_same_certificate(cast, room: Room) -> None:
    client = api(cast.facilitator_a)
    registration = room.present[1]
    first = client.post(LIST, {"registration": registration.pk}, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["language"] == "bn"
    assert first.json()["name"] == "সুমাইয়া আক্তার"
    again = client.post(LIST, {"registration": registration.pk, "language": "en"}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["language"] == "bn"


def test_issue_refuses_who_did_not_come(cast, room: Room) -> None:
    response = api(cast.admin_a).post(LIST, {"registration": room.absent.pk}, format="json")
    assert response.status_code == 400
    assert "attended" in str(response.json())


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin_b", 404),  # an unknown registration, as far as provider B knows
        ("buyer", 404),
        ("outsider", 404),
        ("owner", 403),  # sees the session, may not change it
        ("coordinator_a", 403),
        ("worker_rep_a", 403),
    ],
)
def test_only_the_sessions_staff_issue(cast, room: Room, who, status) -> None:
    response = api(getattr(cast, who)).post(
        LIST, {"registration": room.present[0].pk}, format="json"
    )
    assert response.status_code == status
    assert not Certificate.objects.exists()


# --- revoke and reissue ----------------------------------------------------------------------


def test_revoke_needs_a_reason_then_the_public_endpoint_says_revoked(cast, issued) -> None:
    certificate = issued[0]
    url = reverse("api-certificate-revoke", args=[certificate.pk])
    client = api(cast.admin_a)
    assert client.post(url, {"reason": ""}, format="json").status_code == 400
    response = client.post(url, {"reason": "Left at the break"}, format="json")
    assert response.status_code == 200
    assert response.json()["valid"] is False
    assert response.json()["revoked_reason"] == "Left at the break"
    assert client.post(url, {"reason": "again"}, format="json").status_code == 400
    public = APIClient().get(reverse("api-certificate-verify", args=[certificate.code])).json()
    assert public["valid"] is False and public["revoked_at"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin_b", 404), ("buyer", 404), ("outsider", 404), ("owner", 403), ("worker_rep_a", 403)],
)
def test_only_the_sessions_staff_revoke_or_reissue(cast, issued, who, status) -> None:
    certificate = issued[0]
    client = api(getattr(cast, who))
    revoke = reverse("api-certificate-revoke", args=[certificate.pk])
    reissue = reverse("api-certificate-reissue", args=[certificate.pk])
    assert client.post(revoke, {"reason": "x"}, format="json").status_code == status
    assert client.post(reissue, {"name": "Someone"}, format="json").status_code == status
    certificate.refresh_from_db()
    assert certificate.is_valid and certificate.revision == 1


def test_reissue_keeps_the_code(cast, issued) -> None:
    certificate = issued[0]
    response = api(cast.admin_a).post(
        reverse("api-certificate-reissue", args=[certificate.pk]),
        {"name": "Amina Akhter"},
        format="json",
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["code"], data["revision"], data["name"]) == (certificate.code, 2, "Amina Akhter")


def test_the_schema_documents_the_endpoints(cast) -> None:
    schema = api(cast.admin_a).get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert {
        "/api/v1/certificates/",
        "/api/v1/certificates/{id}/",
        "/api/v1/certificates/{id}/revoke/",
        "/api/v1/certificates/{id}/reissue/",
        "/api/v1/certificates/verify/{code}/",
    } <= set(paths)
    verify = paths["/api/v1/certificates/verify/{code}/"]["get"]
    assert {} in verify.get("security", [{}])
