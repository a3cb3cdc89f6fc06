"""Template tags other apps' pages use to show training records."""

from typing import Any

from django import template

from fithub.training import selectors
from fithub.training.scoping import action_items_for

register = template.Library()
SHOWN = 10


@register.inclusion_tag("training/_factory_action_items.html", takes_context=True)
def factory_action_items(context: dict[str, Any], factory: Any) -> dict[str, Any]:
    """Show a factory's action-plan items from sessions, as the reader may see them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"factory": factory, "items": [], "more": False, "total": 0}
    qs = selectors.action_items(action_items_for(user).filter(factory=factory))
    items = list(qs[: SHOWN + 1])
    more = len(items) > SHOWN
    return {
        "factory": factory,
        "items": items[:SHOWN],
        "more": more,
        "total": qs.count() if more else len(items),
    }
