"""The assessment API: the pages' scoping, bulk answers, submit, recommendations, plans."""

import pytest
from rest_framework.test import APIClient

from fithub.assessment import services
from fithub.assessment.models import Assessment, ModulePlan
from fithub.assessment.tests.conftest import answer_all, start
from fithub.tests.cast import api_as

READ_A = ["coordinator_a", "worker_rep_a", "admin_a", "facilitator_a", "owner", "superuser"]
BLIND_A = ["admin_b", "buyer", "outsider"]
WRITE_A = {"coordinator_a", "admin_a", "facilitator_a", "superuser"}
EVERYONE = READ_A + BLIND_A


def test_anonymous_gets_nothing(cast, submitted_a) -> None:
    for url in ["/api/v1/assessments/", f"/api/v1/assessments/{submitted_a.pk}/"]:
        assert APIClient().get(url).status_code in (401, 403)


@pytest.mark.parametrize("who", EVERYONE)
def test_assessments_are_scoped_like_the_pages(cast, submitted_a, who) -> None:
    client = api_as(cast, who)
    ids = [a["id"] for a in client.get("/api/v1/assessments/").json()["results"]]
    assert (submitted_a.pk in ids) == (who in READ_A)
    for suffix in ["", "answers/", "recommendations/"]:
        response = client.get(f"/api/v1/assessments/{submitted_a.pk}/{suffix}")
        assert response.status_code == (200 if who in READ_A else 404), suffix


def test_the_detail_shows_the_progress_and_the_answers_their_own(cast, submitted_a) -> None:
    client = api_as(cast, "worker_rep_a")
    data = client.get(f"/api/v1/assessments/{submitted_a.pk}/").json()
    assert (data["status"], data["answered"], data["total"]) == ("submitted", 6, 6)
    answers = client.get(f"/api/v1/assessments/{submitted_a.pk}/answers/").json()
    assert [a["code"] for a in answers] == ["ST-1", "ST-2", "SW-1", "SW-2", "PP-1", "PP-2"]
    assert {a["code"]: a["value"] for a in answers}["SW-1"] is False


@pytest.mark.parametrize("who", EVERYONE)
def test_who_answers_through_the_api(cast, assessment_a, sample, who) -> None:
    body = [
        {"statement": sample.statements["ST-1"].pk, "value": False, "comment": "No labels"},
        {"statement": sample.statements["ST-2"].pk, "value": True},
    ]
    response = api_as(cast, who).put(
        f"/api/v1/assessments/{assessment_a.pk}/answers/", body, format="json"
    )
    expected = 200 if who in WRITE_A else 403 if who in READ_A else 404
    assert response.status_code == expected
    if expected == 200:
        assert [(a["code"], a["value"], a["comment"]) for a in response.json()] == [
            ("ST-1", False, "No labels"),
            ("ST-2", True, ""),
        ]


def test_bulk_answers_with_a_foreign_statement_write_nothing(cast, assessment_a, sample) -> None:
    from fithub.assessment.tests.conftest import make_questionnaire

    other = make_questionnaire(cast, slug="other")
    body = [
        {"statement": sample.statements["ST-1"].pk, "value": True},
        {"statement": other.statements["ST-1"].pk, "value": True},
    ]
    response = api_as(cast, "coordinator_a").put(
        f"/api/v1/assessments/{assessment_a.pk}/answers/", body, format="json"
    )
    assert response.status_code == 400
    assert not assessment_a.answers.exists()


def test_submit_through_the_api(cast, assessment_a) -> None:
    client = api_as(cast, "coordinator_a")
    url = f"/api/v1/assessments/{assessment_a.pk}/submit/"
    response = client.post(url)
    assert response.status_code == 400
    assert "6 statements have no answer yet." in str(response.json())
    answer_all(assessment_a)
    assert client.post(url).json()["status"] == "submitted"
    assert api_as(cast, "worker_rep_a").post(url).status_code == 403
    assert api_as(cast, "admin_b").post(url).status_code == 404


@pytest.mark.parametrize("who", EVERYONE)
def test_who_starts_through_the_api(cast, sample, who) -> None:
    body = {
        "factory": cast.factory_a.pk,
        "questionnaire": sample.questionnaire.pk,
        "engagement": cast.engagement_a.pk,
        "language": "ur",
    }
    response = api_as(cast, who).post("/api/v1/assessments/", body, format="json")
    if who in WRITE_A:
        assert response.status_code == 201
        data = response.json()
        assert (data["version"], data["language"], data["total"]) == (sample.version.pk, "ur", 6)
    else:
        assert response.status_code == 404
        assert not Assessment.objects.exists()


def test_starting_with_an_unknown_language_is_refused(cast, sample) -> None:
    body = {
        "factory": cast.factory_a.pk,
        "questionnaire": sample.questionnaire.pk,
        "language": "xx",
    }
    response = api_as(cast, "coordinator_a").post("/api/v1/assessments/", body, format="json")
    assert response.status_code == 400 and "language" in response.json()


def test_recommendations_explain_every_module(cast, submitted_a, sample) -> None:
    data = (
        api_as(cast, "owner").get(f"/api/v1/assessments/{submitted_a.pk}/recommendations/").json()
    )
    ranked = {r["module"]["code"]: r for r in data["ranked"]}
    assert data["suggested"][0] == sample.modules["FIT-00"].pk
    assert ranked["FIT-00"]["prerequisite_of"] and ranked["FIT-00"]["score"] == 0
    assert [(r["code"], r["weight"]) for r in ranked["P-03"]["reasons"]] == [
        ("SW-2", 3),
        ("SW-1", 1),
    ]
    assert data["weak_sections"][0]["code"] == "sewing"


@pytest.mark.parametrize("who", EVERYONE)
def test_questionnaires_are_read_by_members(cast, sample, who) -> None:
    services.questionnaire_version_new_draft(version=sample.version, by=cast.owner)
    client = api_as(cast, who)
    results = client.get("/api/v1/questionnaires/").json()["results"]
    members = who not in ("buyer", "outsider")
    assert bool(results) == members
    if members:
        versions = [v["number"] for v in results[0]["versions"]]
        assert versions == ([2, 1] if who in ("owner", "superuser") else [1])
    response = client.get(f"/api/v1/questionnaire-versions/{sample.version.pk}/")
    assert response.status_code == (200 if members else 404)
    if members:
        sections = response.json()["sections"]
        statement = sections[0]["statements"][0]
        assert statement["code"] == "ST-1"
        assert statement["links"] == [
            {
                "module": {
                    "id": sample.modules["P-01"].pk,
                    "code": "P-01",
                    "title": sample.modules["P-01"].title,
                },
                "weight": 3,
            }
        ]


@pytest.mark.parametrize("who", EVERYONE)
def test_module_plan_through_the_api(cast, submitted_a, sample, who) -> None:
    client = api_as(cast, who)
    url = f"/api/v1/engagements/{cast.engagement_a.pk}/module-plan/"
    body = {
        "assessment": submitted_a.pk,
        "modules": ["fit-00", "P-03", str(sample.modules["S-01"].pk)],
    }
    response = client.put(url, body, format="json")
    sees_engagement = who in {
        "admin_a",
        "facilitator_a",
        "owner",
        "coordinator_a",
        "worker_rep_a",
        "superuser",
    }
    writes = who in {"admin_a", "superuser"}
    assert response.status_code == (200 if writes else 403 if sees_engagement else 404)
    assert ModulePlan.objects.exists() == writes
    if writes:
        items = response.json()["items"]
        assert [(i["module"]["code"], i["origin"]) for i in items] == [
            ("FIT-00", "recommended"),
            ("P-03", "recommended"),
            ("S-01", "added"),
        ]
    got = client.get(url)
    assert got.status_code == (200 if writes else 404)  # no plan, or no engagement to see


def test_module_plan_refuses_unknown_modules(cast, submitted_a) -> None:
    url = f"/api/v1/engagements/{cast.engagement_a.pk}/module-plan/"
    response = api_as(cast, "admin_a").put(url, {"modules": ["P-03", "NOPE"]}, format="json")
    assert response.status_code == 400 and "NOPE" in str(response.json())


def test_module_plan_refuses_another_factorys_assessment(cast, sample) -> None:
    theirs = start(cast, sample, factory=cast.factory_b, by=cast.admin_b)
    answer_all(theirs)
    services.assessment_submit(assessment=theirs, by=None)
    url = f"/api/v1/engagements/{cast.engagement_a.pk}/module-plan/"
    # Provider A cannot even see factory B's assessment.
    response = api_as(cast, "admin_a").put(
        url, {"assessment": theirs.pk, "modules": ["P-01"]}, format="json"
    )
    assert response.status_code == 404
    response = api_as(cast, "superuser").put(
        url, {"assessment": theirs.pk, "modules": ["P-01"]}, format="json"
    )
    assert response.status_code == 400
