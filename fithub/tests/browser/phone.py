"""What the journeys check on the smallest phones our users carry."""

from playwright.sync_api import Page

SMALL_PHONE = {"width": 360, "height": 740}


def no_sideways_scrolling(page: Page) -> None:
    """Fail when the page is wider than a 360px phone.

    Goes through a locator rather than page.evaluate: while a click's navigation is still
    under way there is no document element yet, and a locator waits for the new one.
    """
    page.wait_for_load_state()
    width = page.locator("html").evaluate("html => html.scrollWidth")
    assert width <= SMALL_PHONE["width"], f"the page is {width}px wide on a 360px phone"
