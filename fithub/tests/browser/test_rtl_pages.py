"""Urdu pages on a 390px phone: what users type keeps its own direction, codes stay Latin and
whole, pages fit the screen, and a refused form says what to correct and takes the focus."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from fithub.accounts.models import Invitation
from fithub.conftest import make_cast
from fithub.factories.models import Factory

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("page", ["phone"], indirect=True)]


def ur(text: str) -> str:
    with translation.override("ur"):
        return translation.gettext(text)


def in_urdu(page: Page, server: str, login, user) -> None:  # type: ignore[no-untyped-def]
    login(user)
    page.context.add_cookies([{"name": "django_language", "value": "ur", "url": server}])


def test_an_english_name_keeps_its_full_stop_at_its_end(page: Page, server: str, login) -> None:
    cast = make_cast()
    Factory.objects.filter(pk=cast.factory_a.pk).update(name="Alpha Garments Ltd.")
    in_urdu(page, server, login, cast.admin_a)
    page.goto(reverse("factories:detail", args=[cast.factory_a.pk]))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # Where the browser drew the first letter and the full stop of the heading.
    first, stop = page.locator("h1").evaluate(
        """h1 => {
            const text = h1.firstChild, at = (i) => {
                const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                return r.getBoundingClientRect().left;
            };
            return [at(0), at(text.length - 1)];
        }"""
    )
    assert stop > first, "the full stop was drawn before the name, at its left"


def test_codes_are_latin_and_on_one_line(page: Page, server: str, login) -> None:
    cast = make_cast()
    Factory.objects.filter(pk=cast.factory_a.pk).update(os_id="PK2024001ABC123")
    in_urdu(page, server, login, cast.admin_a)
    page.goto(reverse("factories:detail", args=[cast.factory_a.pk]))
    code = page.locator(".code", has_text="PK2024001ABC123")
    expect(code).to_be_visible()
    assert code.evaluate("el => el.getClientRects().length") == 1  # not broken across lines
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "dd .code"})["nodeId"]
    fonts = [
        f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    ]
    assert fonts and not any("Nastaliq" in f for f in fonts), fonts


@pytest.mark.parametrize("language", ["ur", "en"])
def test_the_organisation_page_fits_a_phone(page: Page, server: str, login, language: str) -> None:
    cast = make_cast()
    Invitation.objects.create(
        email="a.very.long.address.for.a.new.facilitator@provider-a-consultancy.example.org",
        role="facilitator", organisation=cast.provider_a, invited_by=cast.admin_a,
    )  # fmt: skip
    login(cast.admin_a)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": server}])
    page.goto(reverse("accounts:organisation", args=[cast.provider_a.pk]))
    expect(page.locator("h1")).to_have_text("Provider A")
    width = page.locator("html").evaluate("html => html.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"


def test_a_refused_form_lists_what_to_correct_and_takes_the_focus(
    page: Page, server: str, login
) -> None:
    cast = make_cast()
    in_urdu(page, server, login, cast.admin_a)
    page.goto(reverse("factories:create"))
    before = Factory.objects.count()
    page.locator("form button[type=submit].primary").first.click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(ur("Please correct what is marked"))
    expect(summary).to_be_focused()
    summary.locator("a").first.click()
    expect(page.locator("#id_name")).to_be_focused()
    assert Factory.objects.count() == before


def test_the_session_page_names_its_language(page: Page, server: str, login) -> None:
    from fithub.certificates.tests.conftest import make_module, make_session

    cast = make_cast()
    session = make_session(module=make_module(), provider=cast.provider_a,
                           engagement=cast.engagement_a, language="ur")  # fmt: skip
    in_urdu(page, server, login, cast.admin_a)
    page.goto(session.get_absolute_url())
    language = page.locator("dd span[lang=ur]").first
    expect(language).to_have_text("اردو")
    assert " ur" not in page.locator("dl").first.inner_text().replace("\n", " ") + " "
