"""A factory coordinator finds their own people's certificates, on a phone, in Urdu.

Provider A's classroom session is shared by factory A and factory A2, and everyone who came
holds a certificate. Factory A's coordinator opens the certificates page (it used to say there
were no sessions), then the session's certificates: their own worker's certificate, and never
the other factory's people. The cast is built with make_cast() (see test_journeys.py).
"""

from datetime import date, time

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from fithub.catalogue.tests.utils import make_module
from fithub.certificates import services as certificates
from fithub.conftest import make_cast, make_factory_a2
from fithub.tests.browser.conftest import PHONE
from fithub.training import services
from fithub.training.models import Registration

pytestmark = pytest.mark.browser


def fits_the_phone(page: Page) -> None:
    page.wait_for_load_state()
    width = page.locator("html").evaluate("html => html.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_a_coordinator_sees_their_own_peoples_certificates_in_urdu(page: Page, login) -> None:
    cast = make_cast()
    a2 = make_factory_a2(cast)
    session = services.session_create(
        by=cast.admin_a,
        provider=cast.provider_a,
        engagements=[cast.engagement_a, a2.engagement],
        details=services.SessionDetails(
            module=make_module("T-01"),
            date=date(2026, 3, 14),
            starts_at=time(9),
            ends_at=time(11, 30),
            delivery_model="classroom",
            language="ur",
        ),
    )
    codes = {}
    for factory, name in ((cast.factory_a, "Nasima Akter"), (a2.factory, "Zubaida Twofold")):
        person = services.participant_create(
            factory=factory,
            by=None,
            details=services.ParticipantDetails(
                name=name, sex="female", role="worker", department="sewing"
            ),
        )
        registration = services.registration_add(session=session, participant=person, by=None)
        Registration.objects.filter(pk=registration.pk).update(present=True)
        registration.refresh_from_db()
        issued = certificates.certificate_issue(registration=registration, by=cast.admin_a)
        codes[name] = issued.code

    login(cast.coordinator_a)
    page.goto("/certificates/")
    page.locator("select#language").select_option("ur")  # app.js submits it
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ur")
    expect(html).to_have_attribute("dir", "rtl")
    with translation.override("ur"):
        nothing = gettext("No sessions with certificates for you yet.")
        heading = gettext("Certificates")
    expect(page.get_by_text(nothing)).to_have_count(0)
    fits_the_phone(page)
    page.locator(f'a[href="/certificates/sessions/{session.pk}/"]').first.click()
    expect(page.locator("h1")).to_contain_text(heading)
    body = page.locator("main")
    expect(body).to_contain_text("Nasima Akter")
    expect(body).to_contain_text(codes["Nasima Akter"])
    expect(body).not_to_contain_text("Zubaida Twofold")
    expect(body).not_to_contain_text(codes["Zubaida Twofold"])
    fits_the_phone(page)
