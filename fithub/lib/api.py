"""Small shared pieces for the REST API."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.fields import get_error_detail
from rest_framework.pagination import CursorPagination as _CursorPagination
from rest_framework.settings import api_settings


class CursorPagination(_CursorPagination):
    """Page by cursor so deep pages stay fast and stable while rows are added."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-pk"


@contextmanager
def service_errors() -> Iterator[None]:
    """Answer a service's Django ValidationError as DRF's 400 with {field: [messages]}."""
    try:
        yield
    except DjangoValidationError as exc:
        detail = get_error_detail(exc)
        if not isinstance(detail, dict):
            detail = {NON_FIELD_ERRORS: detail}
        # Django says "__all__" for errors that belong to no field; DRF clients expect its key.
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        raise ValidationError(detail) from exc
