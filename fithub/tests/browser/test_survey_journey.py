"""A worker answers the post-training survey on a 320px phone in Bengali, with no script."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from fithub.conftest import make_cast
from fithub.surveys import services
from fithub.surveys.models import Code, Question, Response
from fithub.training.tests.conftest import person, plan

pytestmark = pytest.mark.browser


def bn(text: str) -> str:
    with translation.override("bn"):
        return translation.gettext(text)


def test_a_worker_answers_in_bengali_on_a_small_phone_without_script(browser, server) -> None:
    from fithub.catalogue.tests.utils import make_module

    # The answer page counts answers per survey and address in the cache, and survey ids
    # come round again once a browser test has emptied the database: start afresh.
    cache.clear()
    # Browser tests empty the database between tests, data migrations included: ship the
    # standard questionnaire again, as its migration does.
    import_module("fithub.surveys.migrations.0002_standard_questionnaire").create(django_apps, None)
    cast = make_cast()
    session = plan(cast, make_module("T-01"))
    for i in range(6):
        services_person = person(cast.factory_a, f"Worker {i}")
        session.registrations.create(participant=services_person, present=True)
    survey = services.survey_open(session=session, by=cast.facilitator_a)
    code = services.codes_issue(survey=survey, by=cast.facilitator_a)[0]
    # The cheapest phones: 320px wide, scripts off (or too slow to load).
    context = browser.new_context(
        base_url=server, viewport={"width": 320, "height": 640}, java_script_enabled=False,
        is_mobile=True, has_touch=True, locale="bn-BD",
    )  # fmt: skip
    page = context.new_page()
    try:
        page.goto(reverse("surveys:answer", args=[survey.token]) + "?lang=bn")
        expect(page.locator("html")).to_have_attribute("lang", "bn")
        assert page.locator("script").count() == 0
        assert page.locator("html").evaluate("h => h.scrollWidth") <= 320

        # Sent with nothing chosen: every required question says so, and the code still works.
        page.locator("input[name=code]").fill(code.lower())
        page.locator("button[type=submit]").click()
        expect(page.get_by_role("alert")).to_contain_text(
            bn("Please look at the answers marked below.")
        )
        assert Response.objects.count() == 0 and Code.objects.filter(code=code).exists()

        page.locator("input[name=code]").fill(code)
        required = Question.objects.filter(version=survey.version, required=True)
        for q in required.exclude(kind=Question.Kind.TEXT):
            page.locator(f"input[name=q_{q.code}]").last.check()
        page.locator("button[type=submit]").click()
        expect(page).to_have_url(reverse("surveys:thanks", args=[survey.token]) + "?lang=bn")
        assert page.locator("html").evaluate("h => h.scrollWidth") <= 320
    finally:
        context.close()
    response = Response.objects.get()
    assert response.language == "bn" and not Code.objects.filter(code=code).exists()
