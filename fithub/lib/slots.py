"""Places on a higher app's page where lower apps add their own section.

The layering rule says an app imports only the apps above it. Yet the factory page must show
the factory's assessments, its improvement plan and its KPIs, which live in apps below
`factories`. So the page names a slot, and each lower app registers a panel for it in its
`AppConfig.ready()`; the page renders whatever is registered, knowing nothing of who filled it.

    # fithub/assessment/apps.py
    def ready(self) -> None:
        from fithub.lib import slots
        from fithub.assessment import panels
        slots.register("factory-detail", slots.Panel("assessments", panels.factory_assessments))

A panel is a function of the request and the page's object that returns HTML, or None to show
nothing (the reader may not see it, or there is nothing to show). It applies its own app's
scoping function: being on the page says nothing about what the reader may see in the panel.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString

# The slots pages offer today; a typo in a registration should fail loudly, not vanish.
SLOTS = {
    "factory-detail",  # fithub/factories/templates/factories/detail.html, after the team
    "engagement-detail",  # fithub/programmes/templates/programmes/engagement.html
    "session-detail",  # fithub/training/templates/training/session.html, after the people
    "assessment-detail",  # fithub/assessment/templates/assessment/detail.html, at the end
    "session-pack",  # fithub/training/templates/training/pdf/pack.html: parts after the others
}

Render = Callable[[HttpRequest, Any], SafeString | str | None]


@dataclass(frozen=True)
class Panel:
    key: str
    render: Render
    order: int = 100  # smaller first; ties keep registration order


_panels: dict[str, list[Panel]] = defaultdict(list)


def register(slot: str, panel: Panel) -> None:
    """Add a panel to a slot, once per key (a second `ready()` replaces the first)."""
    if slot not in SLOTS:
        raise ValueError(f"unknown slot {slot!r}; add it to fithub.lib.slots.SLOTS")
    panels = [p for p in _panels[slot] if p.key != panel.key]
    panels.append(panel)
    panels.sort(key=lambda p: p.order)
    _panels[slot] = panels


def render(slot: str, request: HttpRequest, obj: Any) -> list[SafeString]:
    """Return the HTML of every panel of the slot that has something for this reader."""
    out: list[SafeString] = []
    for panel in _panels[slot]:
        html = panel.render(request, obj)
        if html:
            out.append(SafeString(html))
    return out


def registered(slot: str) -> list[str]:
    """Return the keys of the panels in a slot, in order (for tests and the docs)."""
    return [p.key for p in _panels[slot]]
