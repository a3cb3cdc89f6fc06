"""The API's JSON parser: DRF's, bounded in how deep a document may nest.

Its own module because REST_FRAMEWORK names it: DRF imports it while importing its views.
"""

from collections.abc import Mapping
from typing import IO, Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_JSON_DEPTH = 64  # no request body of the API nests more than a few levels


class JSONParser(parsers.JSONParser):
    """Parse JSON as DRF does, refusing a document nested deeper than MAX_JSON_DEPTH as a 400."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # Python's json nests by recursion: 5,000 "[" would otherwise answer 500.
            raise _too_deep() from None
        if _deeper_than(data, MAX_JSON_DEPTH):
            raise _too_deep()
        return data


def _too_deep() -> ParseError:
    return ParseError(
        _("JSON parse error - nested more than %(max)s levels deep.") % {"max": MAX_JSON_DEPTH}
    )


def _deeper_than(data: Any, limit: int) -> bool:
    """Tell whether lists and objects nest more than limit deep, without recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
