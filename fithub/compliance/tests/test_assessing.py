"""Planning and assessing: two assessors at once, save as you go, submit, lock, correct."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fithub.compliance import services
from fithub.compliance.models import ComplianceAssessment, Finding, Question, Revision
from fithub.compliance.tests.conftest import Planned, answer_all, make_assessor, make_small_tool
from fithub.conftest import Cast

Result = Finding.Result


def test_planning_needs_two_assessors_of_the_provider(cast: Cast, small) -> None:  # type: ignore[no-untyped-def]
    second = make_assessor(cast)
    for people in (
        [cast.assessor_a],
        [cast.assessor_a, cast.assessor_a],
        [cast.assessor_a, cast.admin_a],
    ):
        with pytest.raises(ValidationError) as e:
            services.assessment_plan(
                engagement=cast.engagement_a,
                version=small,
                details=services.PlanDetails(planned_on=date(2026, 4, 1), assessors=people),
                by=cast.admin_a,
            )
        assert "assessors" in e.value.error_dict
    assert not ComplianceAssessment.objects.exists()
    a = services.assessment_plan(
        engagement=cast.engagement_a,
        version=small,
        details=services.PlanDetails(
            planned_on=date(2026, 4, 1), assessors=[cast.assessor_a, second]
        ),
        by=cast.admin_a,
    )
    assert (a.days, a.status, a.factory_id) == (2, "planned", cast.factory_a.pk)


def test_a_tool_of_another_country_is_refused(cast: Cast) -> None:
    bd = make_small_tool(cast, country="BD", slug="bd")
    with pytest.raises(ValidationError):
        services.assessment_plan(
            engagement=cast.engagement_a,  # factory A is in Pakistan
            version=bd,
            details=services.PlanDetails(
                planned_on=date(2026, 4, 1), assessors=[cast.assessor_a, make_assessor(cast)]
            ),
            by=cast.admin_a,
        )
    assert not ComplianceAssessment.objects.exists()


def test_the_plan_page_is_for_the_providers_admins(cast: Cast, small) -> None:  # type: ignore[no-untyped-def]
    second = make_assessor(cast)
    url = reverse("compliance:plan", args=[cast.engagement_a.pk])
    data = {"version": small.pk, "planned_on": "2026-04-14", "days": 2,
            "assessors": [cast.assessor_a.pk, second.pk]}  # fmt: skip
    for who in (
        cast.assessor_a,
        cast.facilitator_a,
        cast.admin_b,
        cast.coordinator_a,
        cast.buyer,
        cast.owner,
    ):
        assert cast.client(who).post(url, data).status_code == 404, who
    assert not ComplianceAssessment.objects.exists()
    response = cast.client(cast.admin_a).post(url, data)
    a = ComplianceAssessment.objects.get()
    assert response["Location"] == a.get_absolute_url()
    assert set(a.assessors.all()) == {cast.assessor_a, second}


def test_two_assessors_save_different_questions_at_once(cast: Cast, started: Planned) -> None:
    a, w1, e1 = started.assessment, started.q("W1"), started.q("E1")
    one, two = cast.client(cast.assessor_a), cast.client(started.second)
    # Both opened the same page (seen revision 0) and answer different questions.
    first = {"result": "non_compliant", "notes": "No slips", "seen": 0}
    r1 = one.post(reverse("compliance:finding", args=[a.pk, w1.pk]), first, HTTP_HX_REQUEST="true")
    second = {"result": "compliant", "seen": 0}
    r2 = two.post(reverse("compliance:finding", args=[a.pk, e1.pk]), second, HTTP_HX_REQUEST="true")
    assert (r1.status_code, r2.status_code) == (200, 200)
    findings = {f.question.code: f for f in a.findings.select_related("question", "answered_by")}
    assert (findings["W1"].result, findings["W1"].notes, findings["W1"].answered_by) == (
        "non_compliant", "No slips", cast.assessor_a,
    )  # fmt: skip
    assert (findings["E1"].result, findings["E1"].answered_by) == ("compliant", started.second)


def test_a_stale_save_of_the_same_question_does_not_overwrite(cast: Cast, started: Planned) -> None:
    a, w1 = started.assessment, started.q("W1")
    url = reverse("compliance:finding", args=[a.pk, w1.pk])
    cast.client(cast.assessor_a).post(
        url, {"result": "non_compliant", "seen": 0}, HTTP_HX_REQUEST="true"
    )
    late = cast.client(started.second).post(
        url, {"result": "compliant", "seen": 0}, HTTP_HX_REQUEST="true"
    )
    assert late.status_code == 409
    assert "Another assessor changed this question" in late.content.decode()
    finding = a.findings.get(question=w1)
    assert (finding.result, finding.answered_by, finding.revision) == (
        "non_compliant",
        cast.assessor_a,
        1,
    )


def test_only_the_providers_assessors_answer(cast: Cast, started: Planned) -> None:
    a, w1 = started.assessment, started.q("W1")
    url = reverse("compliance:finding", args=[a.pk, w1.pk])
    for who in (
        cast.admin_a,
        cast.facilitator_a,
        cast.admin_b,
        cast.coordinator_a,
        cast.buyer,
        cast.owner,
    ):
        assert cast.client(who).post(url, {"result": "compliant"}).status_code == 404, who
    assert not a.findings.exclude(result="").exists()


def test_an_answer_for_a_question_of_another_version_is_refused(
    cast: Cast, started: Planned
) -> None:
    other = make_small_tool(cast, country="BD", slug="other")
    foreign = Question.objects.get(version=other, code="W1")
    with pytest.raises(ValidationError, match="not part of this assessment's tool version"):
        services.finding_save(
            assessment=started.assessment,
            question=foreign,
            result="compliant",
            notes="",
            by=cast.assessor_a,
        )
    url = reverse("compliance:finding", args=[started.assessment.pk, foreign.pk])
    assert cast.client(cast.assessor_a).post(url, {"result": "compliant"}).status_code == 404
    assert not Finding.objects.exclude(result="").exists()


def test_a_question_the_facts_rule_out_cannot_be_found_non_compliant(
    cast: Cast, started: Planned
) -> None:
    a1 = started.q("A1")  # only where there is accommodation
    with pytest.raises(ValidationError):
        services.finding_save(
            assessment=started.assessment,
            question=a1,
            result="non_compliant",
            notes="",
            by=cast.assessor_a,
        )
    services.facts_save(
        assessment=started.assessment, facts={"has_accommodation": True}, by=cast.assessor_a
    )
    services.finding_save(
        assessment=started.assessment,
        question=a1,
        result="non_compliant",
        notes="",
        by=cast.assessor_a,
    )
    assert started.assessment.findings.get(question=a1).result == "non_compliant"


def test_submit_needs_every_applicable_question_then_locks(cast: Cast, started: Planned) -> None:
    a = started.assessment
    answer_all(started, cast.assessor_a, {}, default="compliant")
    a.findings.filter(question__code="W3").update(result="")
    with pytest.raises(ValidationError, match="W3"):
        services.assessment_submit(assessment=a, by=cast.assessor_a)
    services.finding_save(
        assessment=a, question=started.q("W3"), result="compliant", notes="", by=cast.assessor_a
    )
    # A1 does not apply (no accommodation) and needs no answer.
    services.assessment_submit(assessment=a, by=cast.assessor_a)
    a.refresh_from_db()
    assert (
        a.status == "submitted" and a.findings.get(question__code="A1").result == "not_applicable"
    )
    with pytest.raises(ValidationError, match="submitted"):
        services.finding_save(
            assessment=a,
            question=started.q("W1"),
            result="non_compliant",
            notes="",
            by=cast.assessor_a,
        )
    assert a.findings.get(question__code="W1").result == "compliant"


def test_a_correction_is_a_revision_with_a_reason_and_keeps_the_old_answer(
    cast: Cast, started: Planned
) -> None:
    a = started.assessment
    answer_all(started, cast.assessor_a, {"W2": "non_compliant"})
    services.assessment_submit(assessment=a, by=cast.assessor_a)
    url = reverse("compliance:correct", args=[a.pk])
    client = cast.client(started.second)
    page = client.post(url, {"question": started.q("W2").pk, "result": "compliant", "reason": ""})
    assert page.status_code == 200 and not Revision.objects.exists()
    client.post(
        url, {"question": started.q("W2").pk, "result": "compliant", "reason": "Payroll found"}
    )
    revision = Revision.objects.get()
    assert (revision.number, revision.reason) == (1, "Payroll found")
    assert (
        revision.previous[0]["code"] == "W2" and revision.previous[0]["result"] == "non_compliant"
    )
    assert a.findings.get(question__code="W2").result == "compliant"
    detail = cast.client(cast.admin_a).get(a.get_absolute_url()).content.decode()
    assert "Payroll found" in detail and "non_compliant" in detail
    for who in (cast.admin_a, cast.coordinator_a, cast.admin_b):
        assert (
            cast.client(who)
            .post(url, {"question": started.q("W1").pk, "result": "non_compliant", "reason": "x"})
            .status_code
            == 404
        )
    assert Revision.objects.count() == 1


def test_the_cluster_page_on_a_phone_has_the_three_answers(cast: Cast, started: Planned) -> None:
    a = started.assessment
    cluster = a.version.clusters.get(code="CO")
    page = cast.client(cast.assessor_a).get(reverse("compliance:cluster", args=[a.pk, cluster.pk]))
    html = page.content.decode()
    assert html.count('name="result" value="non_compliant"') == 5
    assert 'hx-post="' in html and "W5" in html
    for who in (cast.coordinator_a, cast.buyer, cast.admin_b, cast.facilitator_a):
        assert (
            cast.client(who).get(reverse("compliance:cluster", args=[a.pk, cluster.pk])).status_code
            == 404
        )


def test_counts_are_numbers_only(cast: Cast, started: Planned) -> None:
    url = reverse("compliance:counts", args=[started.assessment.pk])
    client = cast.client(cast.assessor_a)
    client.post(
        url, {"worker_interviews": "-1", "management_interviews": "2", "documents_reviewed": "9"}
    )
    started.assessment.refresh_from_db()
    assert started.assessment.worker_interviews == 0
    client.post(
        url, {"worker_interviews": "12", "management_interviews": "3", "documents_reviewed": "20"}
    )
    started.assessment.refresh_from_db()
    assert (started.assessment.worker_interviews, started.assessment.documents_reviewed) == (12, 20)


def test_the_list_query_count_is_constant(cast: Cast, small) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = cast.client(cast.admin_a)

    def plan(n: int) -> None:
        for i in range(n):
            ComplianceAssessment.objects.create(
                engagement=cast.engagement_a, factory=cast.factory_a, version=small,
                planned_on=date(2026, 1, 1 + i), status="submitted",
            )  # fmt: skip

    plan(3)
    with CaptureQueriesContext(connection) as three:
        assert client.get(reverse("compliance:list")).status_code == 200
    plan(27)
    with CaptureQueriesContext(connection) as thirty:
        page = client.get(reverse("compliance:list")).content.decode()
    assert len(three) == len(thirty) and page.count("Alpha Garments") == 30


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="PNG")
    return out.getvalue()


def test_a_photo_goes_with_a_finding_and_only_its_readers_see_it(
    cast: Cast, started: Planned
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fithub.compliance.models import FindingEvidence

    a, w1 = started.assessment, started.q("W1")
    url = reverse("compliance:finding", args=[a.pk, w1.pk])
    client = cast.client(cast.assessor_a)
    bad = SimpleUploadedFile("exit.png", b"MZ not a photo")
    response = client.post(
        url, {"result": "non_compliant", "evidence": bad}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and not FindingEvidence.objects.exists()
    photo = SimpleUploadedFile("exit.png", _png())
    response = client.post(
        url, {"result": "non_compliant", "evidence": photo, "seen": 1}, HTTP_HX_REQUEST="true"
    )
    evidence = FindingEvidence.objects.get()
    assert response.status_code == 200 and evidence.get_absolute_url() in response.content.decode()
    assert evidence.finding.question == w1 and evidence.kind == "photo"
    assert cast.client(cast.owner).get(evidence.get_absolute_url()).status_code == 200
    for who in (cast.coordinator_a, cast.buyer, cast.admin_b, cast.facilitator_a):
        assert cast.client(who).get(evidence.get_absolute_url()).status_code == 404, who
