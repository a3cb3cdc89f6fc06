"""The needs assessment in a real browser: a coordinator answers in Bengali on a small phone,
leaves and comes back, submits, and the provider's administrator agrees the module plan.

The cast is built with make_cast() (see test_journeys.py for why not the `cast` fixture).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from fithub.assessment.models import Answer, Assessment, ModulePlan, Statement
from fithub.assessment.tests.conftest import make_questionnaire
from fithub.conftest import make_cast
from fithub.tests.browser.phone import SMALL_PHONE, no_sideways_scrolling

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_coordinator_answers_in_bengali_and_the_provider_agrees_the_plan(
    page: Page, login, tmp_path
) -> None:
    cast = make_cast()
    sample = make_questionnaire(cast)
    page.set_viewport_size(SMALL_PHONE)
    login(cast.coordinator_a)

    # The coordinator reads FIT Hub in Bengali and starts the assessment.
    page.goto("/assessment/")
    page.locator("select#language").select_option("bn")
    expect(page.locator("html")).to_have_attribute("lang", "bn")
    page.goto("/assessment/new/")
    page.locator("#id_factory").select_option(str(cast.factory_a.pk))
    page.locator("#id_questionnaire").select_option(str(sample.questionnaire.pk))
    expect(page.locator("#id_language")).to_have_value("bn")  # the page's language by default
    page.locator("#id_manager_name").fill("করিম সাহেব")
    no_sideways_scrolling(page)
    page.locator("main form button.primary").click()
    expect(page).to_have_url(re.compile(r"/assessment/\d+/$"))
    assessment = Assessment.objects.get()
    assert (assessment.language, assessment.coordinator) == ("bn", cast.coordinator_a)

    # Statements are in Bengali, marked as such; tapping saves each answer at once.
    first = sample.statements["ST-1"]
    row = page.locator(f"#s-{first.pk}")
    expect(row.locator('.text span[lang="bn"]')).to_contain_text("(বাংলা)")
    no_sideways_scrolling(page)
    for code in ("ST-1", "ST-2", "SW-1"):
        page.locator(f"#s-{sample.statements[code].pk} button.no").tap()
        expect(page.locator(f"#s-{sample.statements[code].pk} button.no")).to_have_attribute(
            "aria-pressed", "true"
        )
    expect(page.locator("#progress progress")).to_have_attribute("value", "3")
    assert Answer.objects.filter(assessment=assessment, value=False).count() == 3

    # A comment and a photo go with an answer.
    row = page.locator(f"#s-{first.pk}")
    row.locator("summary").tap()
    row.locator("textarea").fill("কোনো লেবেল নেই")
    photo = tmp_path / "shelf.png"
    photo.write_bytes(PNG)
    row.locator('input[type="file"]').set_input_files(str(photo))
    row.locator("details button.secondary").tap()
    expect(page.locator(f"#s-{first.pk} a[href*='/evidence/']")).to_be_visible()
    answer = Answer.objects.get(assessment=assessment, statement=first)
    assert answer.comment == "কোনো লেবেল নেই" and answer.evidence and answer.value is False

    # She leaves, comes back from the list, and carries on where she was.
    page.goto("/factories/")
    page.goto("/assessment/")
    page.locator(f'a[href="/assessment/{assessment.pk}/"]').first.tap()
    expect(page.locator("#progress progress")).to_have_attribute("value", "3")
    expect(page.locator(f"#s-{first.pk} button.no")).to_have_attribute("aria-pressed", "true")
    for statement in Statement.objects.filter(section__version=sample.version):
        if statement.code not in ("ST-1", "ST-2", "SW-1"):
            page.locator(f"#s-{statement.pk} button.yes").tap()
            expect(page.locator(f"#s-{statement.pk} button.yes")).to_have_attribute(
                "aria-pressed", "true"
            )
    expect(page.locator("#progress progress")).to_have_attribute("value", "6")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator('form[action$="/submit/"] button').tap()
    expect(page).to_have_url(re.compile(rf"/assessment/{assessment.pk}/recommendations/$"))
    expect(page.locator("#suggested li").first).to_contain_text("FIT-00")
    no_sideways_scrolling(page)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED

    # The provider's administrator keeps most of the suggested set and adds a module.
    page.context.clear_cookies()
    login(cast.admin_a)
    page.goto(f"/assessment/{assessment.pk}/recommendations/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    p02 = sample.modules["P-02"]
    page.locator(f'input[name="modules"][value="{p02.pk}"]').uncheck()
    page.locator("#id_added").select_option(str(sample.modules["W-01"].pk))
    page.get_by_role("button", name="Agree the module plan").tap()
    expect(page.locator(".messages")).to_contain_text("Module plan agreed.")
    expect(page.locator(".module-plan")).to_contain_text("W-01")
    no_sideways_scrolling(page)
    plan = ModulePlan.objects.get(engagement=cast.engagement_a)
    codes = list(plan.items.order_by("order").values_list("module__code", "origin"))
    assert codes[0] == ("FIT-00", "recommended") and codes[-1] == ("W-01", "added")
    assert ("P-02", "recommended") not in codes and plan.assessment == assessment
