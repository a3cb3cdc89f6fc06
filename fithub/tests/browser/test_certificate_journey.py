"""From planning to a verified certificate in a real browser, in English and in Urdu.

A facilitator plans a session through the form, gets a planning warning (the module is longer
than the slot), fixes it, forms groups, takes attendance on a phone, issues the certificates
and, logged out, opens the verification page at the address the certificate's QR code holds.
test_training_journey.py covers the groups' drag and drop and the small phone's layout in
detail; this journey goes on to the certificates. The cast is built with make_cast() (see
test_journeys.py for why not the `cast` fixture).
"""

import re
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from fithub.catalogue.tests.utils import make_module
from fithub.certificates.models import Certificate
from fithub.certificates.render import certificate_language, verification_url
from fithub.conftest import make_cast
from fithub.tests.browser.phone import SMALL_PHONE, no_sideways_scrolling
from fithub.training import services
from fithub.training.models import Registration, Session

pytestmark = pytest.mark.browser

NAMES = ["Nasima Akter", "রহিমা খাতুন", "رحیمہ بی بی", "Karim Uddin", "Shirin Sultana", "Li Wei"]


def started_slot() -> tuple[str, time]:
    """Return a date and start time an hour ago, leaving room for a 150-minute slot that day.

    Attendance is refused before a session starts, so the session has begun already; near
    midnight (where an hour ago is yesterday, or the slot would run past midnight) it is
    yesterday morning instead.
    """
    now = timezone.localtime()
    start = (now - timedelta(hours=1)).replace(second=0, microsecond=0)
    if start.date() != now.date() or start.time() > time(21):
        return (now.date() - timedelta(days=1)).isoformat(), time(9)
    return start.date().isoformat(), start.time()


def hhmm(start: time, minutes: int) -> str:
    return (datetime.combine(datetime.min, start) + timedelta(minutes=minutes)).strftime("%H:%M")


def public_address(code: str, server: str) -> str:
    """Return the QR code's address with its origin (SITE_URL) swapped for the live server's."""
    url = urlsplit(verification_url(code))
    assert f"{url.scheme}://{url.netloc}" == settings.SITE_URL
    return server + url.path


@pytest.mark.parametrize("language", ["en", "ur"])
@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_plan_fix_group_attend_certify_and_verify(
    page: Page, login, server: str, language: str
) -> None:
    cast = make_cast()
    module = make_module("T-01")  # 120 minutes
    day, start = started_slot()
    html = page.locator("html")
    login(cast.facilitator_a)
    page.goto("/training/")
    if language != "en":
        page.locator("select#language").select_option(language)  # app.js submits it
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", "rtl" if language == "ur" else "ltr")

    # Plan the session from the engagement, in a 60-minute slot.
    page.goto(f"/training/sessions/new/?engagement={cast.engagement_a.pk}&module={module.pk}")
    page.locator("#id_date").fill(day)
    page.locator("#id_starts_at").fill(start.strftime("%H:%M"))
    page.locator("#id_ends_at").fill(hhmm(start, 60))
    page.locator("main form button.primary").click()
    expect(page.locator('[data-code="module_too_long"]')).to_be_visible()
    session = Session.objects.get()
    assert session.module == module and session.facilitator in (None, cast.facilitator_a)
    expect(html).to_have_attribute("dir", "rtl" if language == "ur" else "ltr")

    # Fix it: the warning links to the field to change.
    page.locator('[data-code="module_too_long"]').get_by_role("link").click()
    page.locator("#id_ends_at").fill(hhmm(start, 150))
    page.locator("main form button.primary").click()
    # The browser keeps the link's #id_ends_at across the redirect, so match the path only.
    expect(page).to_have_url(re.compile(rf"^{server}{session.get_absolute_url()}(#.*)?$"))
    expect(page.locator('[data-code="module_too_long"]')).to_have_count(0)

    regs = []
    for i, name in enumerate(NAMES):
        p = services.participant_create(
            factory=cast.factory_a, by=None, details=services.ParticipantDetails(
                name=name, sex=("female", "male")[i % 2],
                role="worker", department=("sewing", "cutting")[i % 2],
            ),
        )  # fmt: skip
        regs.append(services.registration_add(session=session, participant=p, by=None))
    page.reload()
    groups_form = reverse("training:groups-form", args=[session.pk])
    page.locator(f'form[action="{groups_form}"] button').click()
    expect(page.locator("#groups .group").first).to_be_visible()
    assert all(r.group_id for r in Registration.objects.filter(session=session))

    # Attendance on a 360px phone: all but the last came.
    page.set_viewport_size(SMALL_PHONE)
    page.locator(f'a[href="{reverse("training:attendance", args=[session.pk])}"]').click()
    expect(page).to_have_url(re.compile(rf"/training/sessions/{session.pk}/attendance/$"))
    no_sideways_scrolling(page)
    for r in regs[:-1]:
        page.locator(f"#r-{r.pk} button.here").tap()
        expect(page.locator(f"#r-{r.pk} button.here")).to_have_attribute("aria-pressed", "true")
    page.locator(f"#r-{regs[-1].pk} button.away").tap()
    expect(page.locator(f"#r-{regs[-1].pk}")).to_have_class("tap-row is-absent")
    present = dict(Registration.objects.filter(session=session).values_list("pk", "present"))
    assert present == {r.pk: r is not regs[-1] for r in regs}

    # Issue the certificates from the session's certificates page.
    page.goto(session.get_absolute_url())
    page.locator(f'a[href="{reverse("certificates:session", args=[session.pk])}"]').click()
    page.locator(
        f'form[action="{reverse("certificates:issue-all", args=[session.pk])}"] button'
    ).click()
    expect(page.locator("td .code")).to_have_count(len(regs) - 1)
    expect(html).to_have_attribute("dir", "rtl" if language == "ur" else "ltr")
    certificate = Certificate.objects.get(registration=regs[0])
    assert Certificate.objects.filter(registration__session=session).count() == len(regs) - 1
    assert not Certificate.objects.filter(registration=regs[-1]).exists()

    # Logged out (the language choice stays), open the address the QR code holds.
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    page.goto(public_address(certificate.code, server))
    with translation.override(language):
        genuine = gettext("This certificate is genuine and stands.")
    expect(page.locator(".card.verified")).to_contain_text(genuine)
    # The module reads as the paper prints it: in the certificate's language.
    printed_in = certificate_language(certificate.language)
    expect(page.locator("dl.facts")).to_contain_text(module.title[printed_in])
    expect(page.locator("dl.facts")).to_contain_text(NAMES[0])
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", "rtl" if language == "ur" else "ltr")
    if language == "ur":
        assert genuine != "This certificate is genuine and stands.", "no Urdu translation"
    assert all(c["name"] != settings.SESSION_COOKIE_NAME for c in page.context.cookies())
    # Logged out, nothing else is open: the session's page sends the visitor to log in.
    page.goto(session.get_absolute_url())
    expect(page).to_have_url(f"{server}/login/?next={session.get_absolute_url()}")
