"""Every API error answers JSON in DRF's shape, hostile bodies included, and writes nothing."""

import json

import pytest
from django.urls import reverse

from fithub.factories.models import Factory
from fithub.lib.parsers import MAX_JSON_DEPTH

URL = reverse("api-factories")


@pytest.fixture
def client(cast):  # type: ignore[no-untyped-def]
    client = cast.client(cast.admin_a)
    client.raise_request_exception = False  # answer as a server would, 500 included
    return client


def nested(depth: int) -> str:
    return '{"name": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


def assert_json_error(response, status: int) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content[:200]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["detail"] and isinstance(body["detail"], str)
    return body["detail"]


def test_five_thousand_nested_brackets_are_a_400_not_a_500(cast, client) -> None:
    before = Factory.objects.count()
    response = client.post(URL, data="[" * 5000, content_type="application/json")
    detail = assert_json_error(response, 400)
    assert detail == f"JSON parse error - nested more than {MAX_JSON_DEPTH} levels deep."
    assert Factory.objects.count() == before


def test_json_nested_past_the_bound_is_refused_and_within_it_is_read(cast, client) -> None:
    before = Factory.objects.count()
    too_deep = client.post(URL, data=nested(MAX_JSON_DEPTH + 1), content_type="application/json")
    assert "nested more than" in assert_json_error(too_deep, 400)
    # As deep as allowed: parsed, then refused by the serializer for what it holds.
    deep = client.post(URL, data=nested(MAX_JSON_DEPTH), content_type="application/json")
    assert deep.status_code == 400 and "name" in deep.json()
    assert Factory.objects.count() == before


def test_a_json_body_over_the_upload_limit_is_a_413_in_json(cast, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    before = Factory.objects.count()
    body = json.dumps({"name": "x" * (2 * 1024 * 1024), "country": "BD", "sector": "garments"})
    response = client.post(URL, data=body, content_type="application/json")
    detail = assert_json_error(response, 413)
    assert detail == "The request is larger than 1 MB. Send less in one request."
    assert Factory.objects.count() == before


def test_a_form_over_the_upload_limit_is_a_413_in_json(cast, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    before = Factory.objects.count()
    response = client.post(URL, data={"name": "x" * (2 * 1024 * 1024), "country": "BD"})
    assert "larger than 1 MB" in assert_json_error(response, 413)
    assert Factory.objects.count() == before


def test_a_page_sent_too_much_answers_as_before(cast, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    before = Factory.objects.count()
    response = client.post(reverse("factories:create"), data={"name": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert Factory.objects.count() == before
