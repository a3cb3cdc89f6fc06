"""The compliance assessment in a real browser: an assessor in Bengali on a small phone starts
the assessment, answers the clusters (each tap saved at once), attaches a photo, submits; then
the factory's coordinator finds nothing of it anywhere she looks.

The cast is built with make_cast() (see test_journeys.py for why not the `cast` fixture).
"""

import re
from datetime import date

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from fithub.compliance import services
from fithub.compliance.models import ComplianceAssessment, Finding, FindingEvidence, Question
from fithub.compliance.tests.conftest import make_assessor, make_small_tool
from fithub.conftest import make_cast
from fithub.tests.browser.phone import SMALL_PHONE, no_sideways_scrolling

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_an_assessor_answers_in_bengali_and_the_factory_sees_nothing(  # type: ignore[no-untyped-def]
    page: Page, login, console, tmp_path
) -> None:
    cast = make_cast()
    version = make_small_tool(cast)
    second = make_assessor(cast)
    assessment = services.assessment_plan(
        engagement=cast.engagement_a,
        version=version,
        details=services.PlanDetails(
            planned_on=date(2026, 4, 14), assessors=[cast.assessor_a, second]
        ),
        by=cast.admin_a,
    )
    page.set_viewport_size(SMALL_PHONE)
    login(cast.assessor_a)
    page.goto("/compliance/")
    page.locator("select#language").select_option("bn")
    expect(page.locator("html")).to_have_attribute("lang", "bn")
    page.goto(f"/compliance/assessments/{assessment.pk}/")
    page.locator("main form button.primary").first.tap()  # start the assessment
    expect(page.locator("main ul.list a").first).to_be_visible()
    no_sideways_scrolling(page)

    # The first cluster: each tap saves at once, and the page says so.
    page.locator("main ul.list a").first.tap()
    expect(page).to_have_url(re.compile(r"/clusters/\d+/$"))
    no_sideways_scrolling(page)
    for q in Question.objects.filter(version=version, point__cluster__code="CO"):
        result = "non_compliant" if q.code == "W1" else "compliant"
        page.locator(f"#q-{q.pk} button.{result}").tap()
        expect(page.locator(f"#q-{q.pk} button.{result}")).to_have_attribute("aria-pressed", "true")
    assert Finding.objects.filter(assessment=assessment, result="non_compliant").count() == 1

    # A photo goes with the non-compliant finding.
    w1 = Question.objects.get(version=version, code="W1")
    row = page.locator(f"#q-{w1.pk}")
    row.locator("summary").tap()
    photo = tmp_path / "payslips.png"
    Image.new("RGB", (40, 30), "red").save(photo)
    row.locator('input[type="file"]').set_input_files(str(photo))
    row.locator("details button.secondary").tap()
    expect(page.locator(f"#q-{w1.pk} a[href*='/compliance/evidence/']")).to_be_visible()
    assert FindingEvidence.objects.get().finding.question == w1

    # The next cluster; the accommodation question does not apply and stays unanswered.
    page.locator("nav.actions a.button").last.tap()
    for code in ("A2", "E1"):
        q = Question.objects.get(version=version, code=code)
        page.locator(f"#q-{q.pk} button.compliant").tap()
        expect(page.locator(f"#q-{q.pk} button.compliant")).to_have_attribute(
            "aria-pressed", "true"
        )

    # Submit from the assessment page (it asks first).
    page.goto(f"/compliance/assessments/{assessment.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator('form[action$="/submit/"] button').tap()
    expect(page.locator("main .badge").first).to_be_visible()
    page.wait_for_load_state()
    assessment.refresh_from_db()
    assert assessment.status == ComplianceAssessment.Status.SUBMITTED

    # The factory's coordinator: no menu entry, no assessment, no date, on any page.
    page.context.clear_cookies()
    login(cast.coordinator_a)
    for url in (
        "/",
        f"/factories/{cast.factory_a.pk}/",
        f"/programmes/engagements/{cast.engagement_a.pk}/",
    ):
        page.goto(url)
        html = page.content()
        assert "/compliance/assessments/" not in html and "2026-04-14" not in html
        assert 'href="/compliance/"' not in html
    console.allow("status of 404")  # the refusal below is the point
    response = page.goto(f"/compliance/assessments/{assessment.pk}/")
    assert response is not None and response.status == 404
