"""The OpenAPI schema's generator: drf-spectacular's, with the errors it cannot see.

An operation answers 400 to a query parameter it cannot read, a list 404 to a cursor it
cannot read, an operation on one object 404 when the object is not one the user may see (the
scoping helpers), and a throttled one 429. Endpoints do not have to repeat these; what they
document themselves stays.
"""

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular import openapi

from fithub.lib.api import INVALID, NOT_FOUND

THROTTLED = gettext_lazy("Too many attempts")


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        query = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
        if query:
            responses.setdefault("400", {"description": INVALID})
        if "cursor" in query or "{" in self.path:
            responses.setdefault("404", {"description": NOT_FOUND})
        if self.view.get_throttles():
            responses.setdefault("429", {"description": THROTTLED})
        return operation
