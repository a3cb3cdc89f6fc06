# Urdu text uses Urdu digits and the Urdu full stop: the right characters, not look-alikes.
# ruff: noqa: RUF001
"""The bipartite committee in a real browser, in Urdu, on a 390px phone: the coordinator records a
meeting with members of both sides and a decision and approves the minutes for management; the
worker representative approves them for the workers.

The cast is built with make_cast() (see test_journeys.py for why not the `cast` fixture).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from fithub.committees import services
from fithub.committees.models import Decision, Meeting, MinutesApproval
from fithub.conftest import make_cast
from fithub.tests.browser.phone import SMALL_PHONE, no_sideways_scrolling

pytestmark = pytest.mark.browser


def ur(text: str, context: str | None = None) -> str:
    with translation.override("ur"):
        return translation.pgettext(context, text) if context else translation.gettext(text)


def fits(page: Page) -> None:
    """Fail when the page scrolls sideways on the phone it is shown on."""
    page.wait_for_load_state()
    wide = page.locator("html").evaluate("h => h.scrollWidth - window.innerWidth")
    assert wide <= 0, f"the page is {wide}px wider than the phone"


def _committee(cast):  # type: ignore[no-untyped-def]
    services.checklist_defaults_load()
    committee = services.committee_create(
        factory=cast.factory_a, details=services.CommitteeDetails(name="PICC"), by=None
    )
    start = timezone.localdate() - timedelta(days=200)

    def seat(name: str, side: str, **kw):  # type: ignore[no-untyped-def]
        return services.member_add(
            committee=committee,
            details=services.MemberDetails(
                name=name,
                side=side,
                selection="elected" if side == "worker" else "appointed",
                sex=kw.pop("sex", "female"),
                department="sewing" if side == "worker" else "management",
                term_starts_on=start,
                **kw,
            ),
            by=None,
        )

    chair = seat("مونا منیجر", "management", role="chair", user=cast.manager_a)
    seat("حسن ایچ آر", "management", sex="male")
    sadia = seat("سعدیہ بی بی", "worker", role="secretary", user=cast.worker_rep_a)
    seat("روبینہ اختر", "worker")
    return committee, chair, sadia


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_record_a_meeting_and_approve_its_minutes_from_each_side(page: Page, login) -> None:
    cast = make_cast()
    committee, chair, sadia = _committee(cast)
    login(cast.coordinator_a)
    page.goto("/committees/")
    page.locator("select#language").select_option("ur")  # app.js submits it
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    fits(page)

    page.locator(f'a[href="{committee.get_absolute_url()}"]').first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PICC")
    fits(page)
    page.get_by_role("link", name=ur("Record a meeting")).click()
    yesterday = timezone.localdate() - timedelta(days=1)
    page.locator("#id_held_on").fill(yesterday.isoformat())
    page.locator("#id_agenda").fill("۱۔ لائن ۴ پر گرمی")
    fits(page)
    page.locator("main form button.primary").click()
    expect(page).to_have_url(re.compile(r"/committees/meetings/\d+/$"))
    meeting = Meeting.objects.get()
    expect(page.locator("#quorum")).to_contain_text(ur("No quorum: both sides must be present"))

    # Attendees from both sides, each added without reloading the page (htmx).
    for member in (chair, sadia):
        page.locator("#id_attendee_member").select_option(str(member.pk))
        page.get_by_role("button", name=ur("Add as present")).click()
        # The list of those present, not the form (whose choices name everyone).
        side = page.locator(f'#attendees .side[data-side="{member.side}"] .who')
        expect(side).to_contain_text(member.name)
    expect(page.locator("#quorum")).to_contain_text(ur("Quorum: both sides present"))
    fits(page)

    page.locator("#id_minutes").fill("پنکھے لگانے پر اتفاق ہوا۔")
    page.get_by_role("button", name=ur("Save the minutes")).click()
    expect(page.locator("#minutes [role=status]")).to_have_text(ur("Saved."))

    page.locator("#decisions summary").click()
    page.locator("#id_text").fill("لائن ۴ پر چھ پنکھے لگائیں")
    page.locator("#id_owner").select_option(str(chair.pk))
    page.locator("#id_due_on").fill((yesterday + timedelta(days=30)).isoformat())
    page.get_by_role("button", name=ur("Add the decision")).click()
    expect(page.locator("#decision-1")).to_contain_text("لائن ۴ پر چھ پنکھے لگائیں")
    expect(page.locator("#decision-1")).to_contain_text(chair.name)
    fits(page)

    # The coordinator records management's approval, for the chair.
    page.locator("#id_approval_member").select_option(str(chair.pk))
    page.get_by_role("button", name=ur("Approve the minutes")).click()
    expect(page.locator("#approval .approvals strong")).to_have_text(chair.name)
    expect(page.locator("#approval")).not_to_contain_text(ur("Approved by both sides"))

    # The worker representative approves for the workers' side, her own seat.
    login(cast.worker_rep_a)
    page.goto(meeting.get_absolute_url())
    expect(html).to_have_attribute("lang", "ur")
    expect(page.locator("#minutes")).to_contain_text("پنکھے لگانے پر اتفاق ہوا۔")
    expect(page.locator("#id_approval_member option")).to_have_count(1)
    page.get_by_role("button", name=ur("Approve the minutes")).click()
    expect(page.locator("#approval")).to_contain_text(ur("Approved by both sides"))
    fits(page)
    page.set_viewport_size(SMALL_PHONE)
    no_sideways_scrolling(page)

    decision = Decision.objects.get()
    assert (decision.meeting, decision.owner, decision.number) == (meeting, chair, 1)
    approvals = {a.side: (a.member, a.approved_by) for a in MinutesApproval.objects.all()}
    assert approvals == {
        "management": (chair, cast.coordinator_a),
        "worker": (sadia, cast.worker_rep_a),
    }
