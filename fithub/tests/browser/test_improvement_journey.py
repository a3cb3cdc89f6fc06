"""An item of the improvement plan, followed to verified adoption on a 390px phone in Urdu:
the coordinator marks it done with a photo, the facilitator returns it with a reason, the
coordinator fixes it, the facilitator verifies it."""

import io

import pytest
from django.utils import translation
from PIL import Image
from playwright.sync_api import Page, expect

from fithub.conftest import make_cast
from fithub.improvement import services
from fithub.improvement.models import ImprovementItem, ItemEvidence
from fithub.improvement.tests.conftest import add

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("page", ["phone"], indirect=True)]


def ur(text: str) -> str:
    with translation.override("ur"):
        return translation.gettext(text)


def jpeg(colour: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(buf, format="JPEG")
    return buf.getvalue()


def as_user(page: Page, server: str, login, user) -> None:  # type: ignore[no-untyped-def]
    # A response still arriving for the last person's page must not set their session cookie
    # again after the switch, and a lazy photo of that page must not be asked for without it
    # (a 404 in the console): let the page finish, then leave it.
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
    page.context.clear_cookies()
    login(user)
    page.context.add_cookies([{"name": "django_language", "value": "ur", "url": server}])


def send_photo(page: Page, name: str, colour: tuple[int, int, int]) -> None:
    evidence = page.locator("form[enctype='multipart/form-data']")
    evidence.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "image/jpeg", "buffer": jpeg(colour)}
    )
    evidence.locator("select").select_option("after")
    evidence.get_by_role("button", name=ur("Add the evidence")).click()
    expect(page.get_by_role("status").first).to_contain_text(ur("Evidence added."))


def settle(page: Page) -> None:
    """Let the page finish loading (its photos) before the test reads the database: the live
    server answers in another thread on the same in-memory SQLite connection."""
    page.wait_for_load_state("networkidle")


def test_done_with_a_photo_returned_fixed_and_verified(page: Page, server: str, login) -> None:
    cast = make_cast()
    plan = services.plan_for(engagement=cast.engagement_a, by=None)
    item = add(plan, "Keep the fire exit free of bales", issue="Exit blocked by bales")
    url = item.get_absolute_url()

    as_user(page, server, login, cast.coordinator_a)
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    send_photo(page, "exit-cleared.jpg", (30, 160, 60))
    page.get_by_role("button", name=ur("Mark done")).click()
    expect(page.get_by_role("status").first).to_contain_text(ur("Status changed."))
    settle(page)
    assert ImprovementItem.objects.get(pk=item.pk).status == "done"
    assert page.locator("html").evaluate("h => h.scrollWidth") <= 390

    as_user(page, server, login, cast.facilitator_a)
    page.goto(url)
    # Returning needs a reason: without one, the page says so and nothing changes.
    page.get_by_role("button", name=ur("Return (give the reason)")).click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    settle(page)
    assert ImprovementItem.objects.get(pk=item.pk).status == "done"
    page.locator("textarea[name=reason]").fill("The bales are back behind the door.")
    page.get_by_role("button", name=ur("Return (give the reason)")).click()
    expect(page.get_by_role("status").first).to_contain_text(ur("Status changed."))
    settle(page)
    assert ImprovementItem.objects.get(pk=item.pk).status == "returned"

    as_user(page, server, login, cast.coordinator_a)
    page.goto(url)
    expect(page.locator("main")).to_contain_text("The bales are back behind the door.")
    send_photo(page, "exit-marked.jpg", (40, 40, 200))
    page.get_by_role("button", name=ur("Mark done")).click()
    expect(page.get_by_role("status").first).to_contain_text(ur("Status changed."))

    as_user(page, server, login, cast.facilitator_a)
    page.goto(url)
    expect(page.locator("img, a[href*='/evidence/']").first).to_be_visible()
    page.get_by_role("button", name=ur("Verify")).click()
    expect(page.get_by_role("status").first).to_contain_text(ur("Status changed."))

    settle(page)
    item.refresh_from_db()
    assert item.status == "verified"
    moves = list(item.transitions.order_by("pk").values_list("to_status", "by__email"))
    assert moves == [
        ("done", cast.coordinator_a.email), ("returned", cast.facilitator_a.email),
        ("done", cast.coordinator_a.email), ("verified", cast.facilitator_a.email),
    ]  # fmt: skip
    assert ItemEvidence.objects.filter(item=item).count() == 2
