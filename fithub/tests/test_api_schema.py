"""The OpenAPI schema: it generates cleanly and documents every endpoint."""

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

ENDPOINTS = {
    "/api/v1/auth/token/": {"post"},
    "/api/v1/factories/": {"get", "post"},
    "/api/v1/factories/{id}/": {"get", "put", "patch"},
    "/api/v1/engagements/": {"get", "post"},
    "/api/v1/engagements/{id}/": {"get", "patch"},
}

pytestmark = pytest.mark.django_db


def generate(tmp_path, *options: str) -> dict:
    # Warnings are remembered for the whole process; start clean so a test judges this
    # schema, not whatever an earlier test happened to generate.
    GENERATOR_STATS.reset()
    out = tmp_path / "schema.yaml"
    call_command("spectacular", *options, "--file", str(out))
    return yaml.safe_load(out.read_text())


def test_schema_generates_without_warnings_or_errors(tmp_path) -> None:
    schema = generate(tmp_path, "--validate", "--fail-on-warn")
    for url, methods in ENDPOINTS.items():
        assert methods <= set(schema["paths"][url]), url
        for method in methods:
            assert schema["paths"][url][method].get("summary"), (url, method)


def test_lists_are_cursor_paginated_and_filters_documented(tmp_path) -> None:
    paths = generate(tmp_path)["paths"]

    def params(url: str) -> set[str]:
        return {p["name"] for p in paths[url]["get"]["parameters"]}

    assert {"cursor", "page_size", "q", "country", "sector", "tier"} <= params("/api/v1/factories/")
    assert {"cursor", "page_size", "programme", "factory", "status"} <= params(
        "/api/v1/engagements/"
    )


def test_buyers_are_told_the_team_is_optional(tmp_path) -> None:
    detail = generate(tmp_path)["components"]["schemas"]["FactoryDetail"]
    assert "team" in detail["properties"]
    assert "team" not in detail["required"]


def test_schema_endpoint_serves_the_schema(cast) -> None:
    client = APIClient()
    client.force_authenticate(user=cast.buyer)
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert set(ENDPOINTS) <= set(schema["paths"])
