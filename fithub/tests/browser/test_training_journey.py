"""Sessions in a real browser: a facilitator sees a planning warning, fixes it, forms groups,
moves a person by drag and drop, and takes attendance on a 360px-wide phone.

The cast is built with make_cast() (see test_journeys.py for why not the `cast` fixture).
"""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fithub.catalogue.tests.utils import make_module
from fithub.conftest import make_cast
from fithub.tests.browser.phone import SMALL_PHONE, no_sideways_scrolling
from fithub.training import services
from fithub.training.models import Registration

pytestmark = pytest.mark.browser


def test_facilitator_fixes_a_warning_forms_groups_and_moves_someone(page: Page, login) -> None:
    cast = make_cast()
    module = make_module("T-01")
    session = services.session_create(
        by=cast.admin_a,
        provider=cast.provider_a,
        engagements=[cast.engagement_a],
        details=services.SessionDetails(
            module=module,
            delivery_model="in_factory",
            date=timezone.localdate() - timedelta(days=1),
            starts_at=time(9),
            ends_at=time(10),  # 60 minutes for a 120-minute module
        ),
    )
    for i in range(12):
        p = services.participant_create(
            factory=cast.factory_a, by=None, details=services.ParticipantDetails(
                name=f"Worker {i:02d}", sex=("female", "male")[i % 2], role="worker",
                department=("sewing", "cutting")[i % 2],
            ),
        )  # fmt: skip
        services.registration_add(session=session, participant=p, by=None)
    login(cast.facilitator_a)
    page.goto(session.get_absolute_url())
    warning = page.locator('[data-code="module_too_long"]')
    expect(warning).to_be_visible()
    warning.get_by_role("link").click()
    page.locator("#id_ends_at").fill("11:30")
    page.locator("main form button.primary").click()
    expect(page.locator('[data-code="module_too_long"]')).to_have_count(0)

    page.get_by_role("button", name="Form groups").click()
    # Tall enough that dragging needs no scrolling (which would move the drop point).
    page.set_viewport_size({"width": 1280, "height": 2800})
    expect(page.locator("#groups .group")).to_have_count(2)
    first = page.locator('#groups .group[data-group="1"] .member').first
    moved = int(first.get_attribute("data-registration") or 0)
    first.drag_to(page.locator('#groups .group[data-group="2"]'))
    expect(page.locator(f'#groups .group[data-group="2"] #m-{moved}')).to_be_visible()
    assert Registration.objects.get(pk=moved).group.number == 2  # type: ignore[union-attr]


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_attendance_on_a_small_phone(page: Page, login) -> None:
    cast = make_cast()
    session = services.session_create(
        by=cast.admin_a,
        provider=cast.provider_a,
        engagements=[cast.engagement_a],
        details=services.SessionDetails(
            module=make_module("T-01"),
            delivery_model="in_factory",
            date=timezone.localdate() - timedelta(days=1),
            starts_at=time(9),
            ends_at=time(11, 30),
        ),
    )
    names = ["Nasima Akter", "রহিমা খাতুন", "رحیمہ بی بی", "Karim Uddin"]
    regs = []
    for name in names:
        p = services.participant_create(
            factory=cast.factory_a, by=None, details=services.ParticipantDetails(
                name=name, sex="female", role="worker", department="sewing",
            ),
        )  # fmt: skip
        regs.append(services.registration_add(session=session, participant=p, by=None))
    page.set_viewport_size(SMALL_PHONE)
    login(cast.facilitator_a)
    page.goto(f"/training/sessions/{session.pk}/attendance/")
    no_sideways_scrolling(page)
    button = page.locator(f"#r-{regs[1].pk} button.here")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44  # a thumb-sized target
    button.tap()
    expect(page.locator(f"#r-{regs[1].pk} button.here")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#count")).to_contain_text("1 present")
    page.locator(f"#r-{regs[3].pk} button.away").tap()
    expect(page.locator(f"#r-{regs[3].pk}")).to_have_class("tap-row is-absent")
    got = {r.pk: r.present for r in Registration.objects.filter(session=session)}
    assert got == {regs[0].pk: None, regs[1].pk: True, regs[2].pk: None, regs[3].pk: False}
    no_sideways_scrolling(page)
    page.goto(session.get_absolute_url())
    no_sideways_scrolling(page)
