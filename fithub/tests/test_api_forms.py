"""Every API request body means the same sent as JSON, as a form or as multipart.

DRF reads a form's missing boolean as an unticked checkbox (False), and a missing list as an
empty one: a fuzzer's `PUT` of attendance as a form without `present` overwrote real
attendance with "absent". Here every documented request body of the API is read twice with
nothing in it, once as JSON and once as form data, and must come out the same: the same
required fields missing, the same defaults, nothing made up.
"""

from typing import Any

import pytest
from django.http import QueryDict
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.fields import SkipField

from fithub.lib.serializers import BooleanField

WRITES = ("POST", "PUT", "PATCH")


def request_bodies() -> list[tuple[str, str, Any]]:
    """Return (method, path, serializer class or instance) for every write of the API."""
    generator = SchemaGenerator()
    # The generator's own list of endpoints, as the schema documents them.
    generator._initialise_endpoints()
    found = []
    for path, _regex, method, callback in generator.endpoints:
        if method not in WRITES:
            continue
        view = generator.create_view(callback, method)
        body = view.schema.get_request_serializer()
        if body is not None:
            found.append((method, path, body))
    return found


def _serializer(body: Any, data: Any, partial: bool) -> serializers.BaseSerializer:
    if isinstance(body, serializers.ListSerializer):
        body = body.child  # a list of objects: each is read like a single one
    cls = body if isinstance(body, type) else type(body)
    return cls(data=data, partial=partial)  # type: ignore[no-any-return]


def _missing(field: serializers.Field, data: Any) -> Any:
    """What a field makes of itself left out of data: an error, skipped, or a value."""
    try:
        return field.validate_empty_values(field.get_value(data))
    except SkipField:
        return "left out"
    except serializers.ValidationError as exc:
        return ("error", [e.code for e in exc.detail])  # type: ignore[union-attr]


@pytest.mark.parametrize(("method", "path", "body"), request_bodies())
def test_a_field_left_out_of_a_form_is_left_out_as_in_json(
    db: None, method: str, path: str, body: Any
) -> None:
    serializer = _serializer(body, {}, partial=method == "PATCH")
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        assert _missing(field, QueryDict("")) == _missing(field, {}), (path, name)


def test_the_project_boolean_reads_a_missing_form_field_as_missing() -> None:
    class Body(serializers.Serializer):
        required = BooleanField()
        optional = BooleanField(required=False)
        defaulted = BooleanField(default=True)
        nullable = BooleanField(allow_null=True, required=False)

    form = Body(data=QueryDict(""))
    assert not form.is_valid()
    assert set(form.errors) == {"required"}
    form = Body(data=QueryDict("required=false"))
    assert form.is_valid(), form.errors
    assert dict(form.validated_data) == {"required": False, "defaulted": True}

    class Stock(serializers.Serializer):
        present = serializers.BooleanField()

    # What the project's field is for: DRF's own reads the missing field as False.
    stock = Stock(data=QueryDict(""))
    assert stock.is_valid() and stock.validated_data == {"present": False}
