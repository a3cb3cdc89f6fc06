"""Small shared pieces for the REST API."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework import views
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.fields import get_error_detail
from rest_framework.pagination import CursorPagination as _CursorPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings


class CursorPagination(_CursorPagination):
    """Page by cursor so deep pages stay fast and stable while rows are added."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-pk"


INVALID = gettext_lazy("Invalid input, answered as {field: [messages]}.")
SEEN_NOT_CHANGED = gettext_lazy("You may see this but not change it.")
NOT_FOUND = gettext_lazy("No such record, or not one you may see.")


def error_responses(
    *, forbidden: Promise = SEEN_NOT_CHANGED, not_found: Promise = NOT_FOUND
) -> dict[int, OpenApiResponse]:
    """The errors an endpoint documents: 400 from service_errors, and 403 and 404 from the
    scoping helpers, worded for the resource."""
    return {
        400: OpenApiResponse(description=INVALID),
        403: OpenApiResponse(description=forbidden),
        404: OpenApiResponse(description=not_found),
    }


# The errors of an endpoint whose resource needs no word of its own.
ERRORS = error_responses()


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


class RequestTooLarge(APIException):
    status_code = 413
    default_code = "request_too_large"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer as DRF does, and a body over DATA_UPLOAD_MAX_MEMORY_SIZE as 413 in its shape."""
    if isinstance(exc, RequestDataTooBig):
        # Django would answer its HTML 400 page; an API client reads {"detail": ...}.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        exc = RequestTooLarge(
            _("The request is larger than %(limit)s MB. Send less in one request.")
            % {"limit": f"{limit / (1024 * 1024):g}"}
        )
    return views.exception_handler(exc, context)
