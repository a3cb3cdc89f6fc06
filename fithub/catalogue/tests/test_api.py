"""The catalogue API: who sees which modules and adaptations, and what they get back."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from fithub.catalogue import services
from fithub.catalogue.tests.utils import add_file, make_module
from fithub.tests.cast import api

MODULES = reverse("api-modules")
ADAPTATIONS = reverse("api-adaptations")
SEES = [
    "owner",
    "admin_a",
    "facilitator_a",
    "admin_b",
    "coordinator_a",
    "worker_rep_a",
    "superuser",
]
BLIND = ["buyer", "outsider"]


def module_url(key: object) -> str:
    return reverse("api-module", args=[str(key)])


@pytest.fixture
def catalogue(cast):
    intro = make_module("FIT-00", title={"en": "Setting up your factory for FIT"})
    module = make_module("P-01", category="production")
    services.module_update(module=module, by=None, prerequisites=[intro])
    make_module("W-01", category="working_conditions")
    make_module("X-01", is_active=False)
    add_file(module, "en", "2020.1")
    add_file(module, "ur", "2019.1")
    adaptation = services.adaptation_create(
        module=module,
        provider=cast.provider_a,
        by=None,
        details=services.AdaptationDetails(changes=["case_study"], title={"en": "Karachi edition"}),
    )
    return module, adaptation


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


@pytest.mark.parametrize("who", SEES + BLIND)
def test_the_module_list_is_for_members(cast, catalogue, who) -> None:
    expected = {
        "owner": ["FIT-00", "P-01", "W-01", "X-01"],
        "superuser": ["FIT-00", "P-01", "W-01", "X-01"],
        "buyer": [],
        "outsider": [],
    }.get(who, ["FIT-00", "P-01", "W-01"])
    assert codes(api(getattr(cast, who)).get(MODULES)) == expected


def test_the_api_needs_authentication(cast, catalogue) -> None:
    assert api().get(MODULES).status_code == 401
    assert api().get(module_url("P-01")).status_code == 401


def test_the_list_filters_by_category_and_search(cast, catalogue) -> None:
    client = api(cast.admin_a)
    assert codes(client.get(MODULES, {"category": "working_conditions"})) == ["W-01"]
    assert codes(client.get(MODULES, {"q": "ماڈیول P-01"})) == ["P-01"]
    assert codes(client.get(MODULES, {"q": "setting up"})) == ["FIT-00"]
    assert codes(client.get(MODULES, {"language": "ur"})) == ["P-01"]
    assert client.get(MODULES, {"category": "marketing"}).status_code == 400


def test_the_list_pages_by_cursor(cast, catalogue) -> None:
    client = api(cast.admin_a)
    first = client.get(MODULES, {"page_size": 2}).json()
    assert [r["code"] for r in first["results"]] == ["FIT-00", "P-01"]
    second = client.get(first["next"]).json()
    assert [r["code"] for r in second["results"]] == ["W-01"]


@pytest.mark.parametrize("key", ["P-01", "p-01", "id"])
def test_a_module_is_found_by_code_or_id(cast, catalogue, key) -> None:
    module, _adaptation = catalogue
    body = api(cast.facilitator_a).get(module_url(module.pk if key == "id" else key)).json()
    assert body["code"] == "P-01"
    assert set(body["title"]) == {"en", "bn", "ur"}
    assert body["prerequisites"] == [
        {
            "id": module.prerequisites.get().pk,
            "code": "FIT-00",
            "title": {"en": "Setting up your factory for FIT"},
        }
    ]
    files = {(f["language"], f["version"]) for f in body["files"]}
    assert files == {("en", "2020.1"), ("ur", "2019.1")}
    assert body["files"][0]["url"].startswith("http://testserver/catalogue/files/")
    assert body["licence"] == "CC BY-SA 4.0"
    assert body["languages"] == ["en", "ur"]


@pytest.mark.parametrize("who", ["buyer", "outsider"])
def test_a_module_is_hidden_from_non_members(cast, catalogue, who) -> None:
    assert api(getattr(cast, who)).get(module_url("P-01")).status_code == 404


def test_an_inactive_module_is_hidden_from_providers(cast, catalogue) -> None:
    assert api(cast.admin_a).get(module_url("X-01")).status_code == 404
    assert api(cast.owner).get(module_url("X-01")).status_code == 200


def test_provider_b_cannot_see_provider_a_adaptation(cast, catalogue) -> None:
    _module, adaptation = catalogue
    b = api(cast.admin_b)
    assert b.get(module_url("P-01")).json()["adaptations"] == []
    assert b.get(ADAPTATIONS).json()["results"] == []
    assert b.get(reverse("api-adaptation", args=[adaptation.pk])).status_code == 404
    a = api(cast.facilitator_a)
    assert [x["title"]["en"] for x in a.get(module_url("P-01")).json()["adaptations"]] == [
        "Karachi edition"
    ]
    body = a.get(reverse("api-adaptation", args=[adaptation.pk])).json()
    assert body["provider"] == "Provider A" and body["module"]["code"] == "P-01"
    assert body["original_updated"] is False
    assert [x["id"] for x in api(cast.owner).get(ADAPTATIONS).json()["results"]] == [adaptation.pk]


def count_queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_the_catalogue(cast) -> None:
    def add(start: int, n: int) -> None:
        for i in range(start, start + n):
            module = make_module(f"Q-{i:02}")
            add_file(module, "en")

    add(0, 3)
    few = count_queries(api(cast.admin_a), MODULES)
    add(3, 27)
    assert count_queries(api(cast.admin_a), MODULES) == few


def test_the_schema_documents_the_catalogue(cast) -> None:
    response = api(cast.admin_a).get(reverse("api-schema"), {"format": "json"})
    paths = response.json()["paths"]
    assert "/api/v1/modules/" in paths and "/api/v1/modules/{key}/" in paths
    assert "/api/v1/adaptations/{id}/" in paths
