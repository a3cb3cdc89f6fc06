"""The compliance API: who sees and changes what, and the same rules as the pages."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fithub.compliance.models import ComplianceAssessment, Finding, ToolVersion
from fithub.compliance.tests.conftest import PLANNED_ON, Planned, make_assessor
from fithub.conftest import Cast

API = "/api/v1"


def test_tools_and_their_questions(cast: Cast, small: ToolVersion) -> None:
    tools = cast.client(cast.assessor_a).get(f"{API}/compliance-tools/").json()["results"]
    assert [t["slug"] for t in tools] == ["small"] and tools[0]["versions"][0]["number"] == 1
    questions = cast.client(cast.coordinator_a).get(
        f"{API}/compliance-tool-versions/{small.pk}/questions/"
    )
    codes = {q["code"]: q for q in questions.json()["results"]}
    assert codes["A1"]["applies_if"] == ["has_accommodation"] and codes["W1"]["point"] == "CO-WIU"
    assert set(codes["W1"]["text"]) == {"en", "bn", "ur"}
    for who in (cast.buyer, cast.outsider):
        assert cast.client(who).get(f"{API}/compliance-tools/").json()["results"] == []
        response = cast.client(who).get(f"{API}/compliance-tool-versions/{small.pk}/questions/")
        assert response.status_code == 404


def test_planning_through_the_api(cast: Cast, small: ToolVersion) -> None:
    second = make_assessor(cast)
    body = {
        "engagement": cast.engagement_a.pk,
        "version": small.pk,
        "planned_on": "2026-04-14",
        "assessors": [cast.assessor_a.pk, second.pk],
    }
    for who in (cast.assessor_a, cast.admin_b, cast.coordinator_a, cast.buyer):
        assert cast.client(who).post(f"{API}/compliance-assessments/", body).status_code == 404
    assert not ComplianceAssessment.objects.exists()
    wrong = {**body, "assessors": [cast.assessor_a.pk, cast.facilitator_a.pk]}
    response = cast.client(cast.admin_a).post(f"{API}/compliance-assessments/", wrong)
    assert response.status_code == 400 and "assessors" in response.json()
    assert not ComplianceAssessment.objects.exists()
    created = cast.client(cast.admin_a).post(f"{API}/compliance-assessments/", body)
    assert created.status_code == 201
    data = created.json()
    assert (data["planned_on"], data["days"]) == ("2026-04-14", 2)
    assert data["assessors"] == sorted([cast.assessor_a.pk, second.pk])


def test_findings_through_the_api(cast: Cast, planned: Planned) -> None:
    a = planned.assessment
    url = f"{API}/compliance-assessments/{a.pk}"
    # The admin reads but does not assess: 403; other tenants and the factory: 404.
    assert cast.client(cast.admin_a).post(f"{url}/start/").status_code == 403
    for who in (cast.admin_b, cast.coordinator_a, cast.buyer, cast.facilitator_a):
        assert cast.client(who).post(f"{url}/start/").status_code == 404
        assert cast.client(who).get(f"{url}/findings/").status_code == 404
    assert ComplianceAssessment.objects.get().status == "planned"
    one, two = cast.client(cast.assessor_a), cast.client(planned.second)
    assert one.post(f"{url}/start/").json()["status"] == "in_progress"
    w1 = planned.q("W1")
    saved = one.post(
        f"{url}/findings/",
        {"question": w1.pk, "result": "non_compliant", "seen": 0},
        "application/json",
    )
    assert saved.status_code == 200 and saved.json()["revision"] == 1
    stale = two.post(
        f"{url}/findings/",
        {"question": w1.pk, "result": "compliant", "seen": 0},
        "application/json",
    )
    assert stale.status_code == 409 and stale.json()["current"]["result"] == "non_compliant"
    refused = cast.client(cast.admin_a).post(
        f"{url}/findings/", {"question": w1.pk, "result": "compliant"}, "application/json"
    )
    assert refused.status_code == 403
    assert Finding.objects.get(assessment=a, question=w1).result == "non_compliant"
    early = one.post(f"{url}/submit/")
    assert early.status_code == 400 and ComplianceAssessment.objects.get().status == "in_progress"
    listed = cast.client(cast.owner).get(f"{url}/findings/").json()["results"]
    assert len(listed) == 8 and {f["code"] for f in listed if f["result"]} == {"W1"}


def test_the_list_shows_the_date_to_its_readers_in_constant_queries(
    cast: Cast, planned: Planned
) -> None:
    client = cast.client(cast.owner)
    with CaptureQueriesContext(connection) as few:
        rows = client.get(f"{API}/compliance-assessments/").json()["results"]
    assert [r["planned_on"] for r in rows] == [PLANNED_ON.isoformat()]
    for day in range(2, 12):
        a = ComplianceAssessment.objects.create(
            engagement=cast.engagement_a,
            factory=cast.factory_a,
            version=planned.version,
            planned_on=PLANNED_ON.replace(day=day),
            status="submitted",
        )
        a.assessors.set([cast.assessor_a, planned.second])
    with CaptureQueriesContext(connection) as many:
        rows = client.get(f"{API}/compliance-assessments/").json()["results"]
    assert len(rows) == 11
    assert len(few) == len(many)
