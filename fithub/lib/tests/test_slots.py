"""Slots: a lower app's panel shows on a higher app's page, only where it has something."""

import pytest
from django.urls import reverse

from fithub.lib import slots


@pytest.fixture
def panel():
    """Register a panel for the factory page for one test, then take it away again."""
    before = list(slots._panels["factory-detail"])
    seen: list[object] = []

    def render(request, factory):
        seen.append(factory)
        if factory.name == "Alpha Garments":
            return f"<section id='probe'>{factory.pk}</section>"
        return None

    slots.register("factory-detail", slots.Panel("probe", render))
    yield seen
    slots._panels["factory-detail"] = before


def test_a_registered_panel_shows_on_the_page_it_was_registered_for(cast, panel) -> None:
    page = cast.client(cast.admin_a).get(reverse("factories:detail", args=[cast.factory_a.pk]))
    assert f"<section id='probe'>{cast.factory_a.pk}</section>" in page.content.decode()
    assert panel == [cast.factory_a]


def test_a_panel_that_returns_nothing_adds_nothing(cast, panel) -> None:
    page = cast.client(cast.admin_b).get(reverse("factories:detail", args=[cast.factory_b.pk]))
    assert "id='probe'" not in page.content.decode()


def test_a_page_the_reader_may_not_see_never_asks_the_panel(cast, panel) -> None:
    page = cast.client(cast.admin_b).get(reverse("factories:detail", args=[cast.factory_a.pk]))
    assert page.status_code == 404
    assert panel == []


def test_panels_come_in_order_and_a_key_registers_once() -> None:
    before = list(slots._panels["session-detail"])
    # Only this test's panels: the apps' own need a real request and session to render.
    slots._panels["session-detail"] = []
    try:
        slots.register("session-detail", slots.Panel("late", lambda r, o: "b", order=200))
        slots.register("session-detail", slots.Panel("early", lambda r, o: "a", order=10))
        slots.register("session-detail", slots.Panel("early", lambda r, o: "a2", order=10))
        keys = slots.registered("session-detail")
        assert keys.index("early") < keys.index("late")
        assert keys.count("early") == 1
        assert slots.render("session-detail", None, None)[-2:] == ["a2", "b"]  # type: ignore[arg-type]
    finally:
        slots._panels["session-detail"] = before


def test_an_unknown_slot_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown slot"):
        slots.register("factory-detial", slots.Panel("x", lambda r, o: None))
