"""What lower apps show beside each decision on the meeting page: "linked both ways".

The improvement app, below this one, turns a committee decision into an improvement-plan item
(once: it holds a one-to-one field to `Decision`). This app cannot import it, so the meeting
page asks whoever registered here what to show for its decisions: a link to the plan item made
from a decision, or a button to make one. Register in the lower app's `AppConfig.ready()`:

    # fithub/improvement/apps.py
    def ready(self) -> None:
        from fithub.committees import links
        from fithub.improvement import panels
        links.register("plan-item", panels.decision_plan_links)

    # fithub/improvement/panels.py
    def decision_plan_links(request, decisions):
        items = plan_items_for(request.user).filter(decision__in=decisions)
        return {i.decision_id: [links.DecisionLink(_("Plan item %s") % i.pk, i.url)]
                for i in items}

The function receives the request and the decisions on the page (already scoped to the reader)
and returns, per decision id, the links to show; it applies its own app's scoping (a reader who
may see the meeting may not see the plan). One call per page, not per decision, so a meeting
with 30 decisions costs the same queries as one with 3.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from fithub.committees.models import Decision


@dataclass(frozen=True)
class DecisionLink:
    label: str
    url: str
    # "post": a button that POSTs to url (e.g. "make a plan item"); "get": a plain link.
    method: str = "get"


LinkSource = Callable[[HttpRequest, Sequence["Decision"]], dict[int, list[DecisionLink]]]

_sources: dict[str, LinkSource] = {}


def register(key: str, source: LinkSource) -> None:
    """Add a source of links beside decisions, once per key (a second call replaces it)."""
    _sources[key] = source


def unregister(key: str) -> None:
    _sources.pop(key, None)


def for_decisions(
    request: HttpRequest, decisions: Sequence["Decision"]
) -> dict[int, list[DecisionLink]]:
    """Return every registered source's links for these decisions, by decision id."""
    out: dict[int, list[DecisionLink]] = defaultdict(list)
    if not decisions:
        return out
    for key in sorted(_sources):
        for decision_id, found in _sources[key](request, decisions).items():
            out[decision_id].extend(found)
    return out
