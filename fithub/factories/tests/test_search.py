"""The factory search: the same words find the same factories on the list, export and API."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from fithub.accounts.models import User
from fithub.conftest import Cast
from fithub.factories.imports import COLUMNS
from fithub.factories.models import Factory
from fithub.factories.selectors import search_factories

ALPHA, BETA, GAMMA = "Alpha Garments", "Beta Knit", "Gamma Denim"
NAME = COLUMNS.index("name")


@pytest.fixture
def registry(cast: Cast) -> Cast:
    """Give the cast's factories OS IDs and addresses, and provider A a second factory."""
    for factory, os_id, address in (
        (cast.factory_a, "PK2024001ABC123", "Plot 7, Korangi Industrial Area"),
        (cast.factory_b, "BD2019085AQ1Y2N", "Tongi Road, Board Bazar"),
    ):
        factory.os_id, factory.address = os_id, address
        factory.save(update_fields=["os_id", "address"])
    Factory.objects.create(
        name=GAMMA,
        os_id="PK2023117XYZ789",
        country="PK",
        city="Lahore",
        address="Korangi Creek Road",
        sector="denim",
        registered_by=cast.provider_a,
    )
    return cast


def on_page(client: Client, q: str) -> set[str]:
    response = client.get(reverse("factories:list"), {"q": q})
    assert response.status_code == 200
    return {f.name for f in response.context["page"].object_list}


def in_csv(client: Client, q: str) -> set[str]:
    response = client.get(reverse("factories:export"), {"format": "csv", "q": q})
    assert response.status_code == 200
    content = response.getvalue().decode("utf-8-sig")
    return {row[NAME] for row in list(csv.reader(io.StringIO(content)))[1:]}


def in_xlsx(client: Client, q: str) -> set[str]:
    response = client.get(reverse("factories:export"), {"format": "xlsx", "q": q})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return {row[NAME] for row in list(sheet.iter_rows(values_only=True))[1:]}


def in_api(user: User, q: str) -> set[str]:
    client = APIClient()
    # A fresh copy, because roles are cached on the user object for one request's life.
    client.force_authenticate(user=User.objects.get(pk=user.pk))
    response = client.get(reverse("api-factories"), {"q": q})
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def everywhere(cast: Cast, who: str, q: str) -> set[str]:
    """Search in all four places, assert they agree, and return what they found."""
    user = getattr(cast, who)
    client = cast.client(user)
    found = {
        "page": on_page(client, q),
        "csv": in_csv(client, q),
        "xlsx": in_xlsx(client, q),
        "api": in_api(user, q),
    }
    assert len({frozenset(names) for names in found.values()}) == 1, (who, q, found)
    return found["page"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("alph", {ALPHA}),  # part of a name
        ("KARACHI", {ALPHA}),  # a city, in another case
        ("korangi", {ALPHA, GAMMA}),  # part of an address: once found on the page only
        ("tongi road", {BETA}),
        ("085aq1", {BETA}),  # part of an OS ID: once found in the API only
        ("PK2024001ABC123", {ALPHA}),  # a pasted OS ID
        ("  pk2024001abc123 ", {ALPHA}),  # ... with stray spaces, in lower case
        ("PK20", {ALPHA, GAMMA}),
        ("", {ALPHA, BETA, GAMMA}),  # an empty box finds everything
        ("Hamburg", set()),
    ],
)
def test_the_list_its_export_and_the_api_find_the_same_factories(registry, q, expected) -> None:
    assert everywhere(registry, "superuser", q) == expected


@pytest.mark.parametrize(
    ("who", "q", "expected"),
    [
        ("admin_a", "korangi", {ALPHA, GAMMA}),
        ("admin_a", "085aq1", set()),
        ("buyer", "korangi", {ALPHA}),  # the buyer sources from Alpha, not from Gamma
        ("buyer", "PK20", {ALPHA}),
        ("owner", "korangi", {ALPHA}),  # Gamma is in no programme yet
        ("owner", "085aq1", {BETA}),
        ("coordinator_a", "k", {ALPHA}),
        ("outsider", "", set()),
    ],
)
def test_each_user_searches_only_the_factories_they_may_see(registry, who, q, expected) -> None:
    assert everywhere(registry, who, q) == expected


@pytest.mark.parametrize(
    "q", ["Alpha", "garments", "Karachi", "Korangi", "PK2024001ABC123", "abc123", "Gamma"]
)
def test_provider_b_finds_none_of_provider_a_s_factories(registry, q) -> None:
    assert everywhere(registry, "admin_b", q) == set()
    # ... though B's own factory is found by the same kind of words.
    assert everywhere(registry, "admin_b", "Tongi") == {BETA}


def test_the_search_filters_the_queryset_it_is_given(registry) -> None:
    mine = Factory.objects.filter(registered_by=registry.provider_a)
    assert {f.name for f in search_factories(mine, "korangi")} == {ALPHA, GAMMA}
    assert {f.name for f in search_factories(mine, "Tongi")} == set()
    assert search_factories(mine, "   ").count() == 2


def test_the_schema_documents_the_search(cast: Cast) -> None:
    client = APIClient()
    client.force_authenticate(user=cast.admin_a)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/factories/"]["get"]["parameters"]}
    assert params["q"]["in"] == "query"
    assert not params["q"].get("required", False)
    assert "address" in params["q"]["description"]
    assert "Open Supply Hub ID" in params["q"]["description"]


def test_searching_runs_a_constant_number_of_queries(registry) -> None:
    def queries(n: int) -> tuple[int, int]:
        Factory.objects.bulk_create(
            Factory(
                name=f"Korangi Mills {i:03}",
                country="PK",
                sector="garments",
                registered_by=registry.provider_a,
            )
            for i in range(n)
        )
        client = registry.client(registry.admin_a)
        client.get(reverse("factories:list"))  # warm up: session, content types
        with CaptureQueriesContext(connection) as page:
            client.get(reverse("factories:list"), {"q": "korangi"})
        with CaptureQueriesContext(connection) as api:
            in_api(registry.admin_a, "korangi")
        return len(page), len(api)

    assert queries(3) == queries(27)


def test_a_filter_value_the_form_does_not_offer_finds_nothing_and_says_so(registry) -> None:
    # An old bookmark: admin A has no factory in Bangladesh, so "BD" is not one of the choices.
    client = registry.client(registry.admin_a)
    response = client.get(reverse("factories:list"), {"q": "alpha", "country": "BD"})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert response.context["form"].errors["country"]
    assert 'id="id_country_error"' in response.content.decode()
    export = client.get(reverse("factories:export"), {"format": "csv", "country": "BD"})
    assert len(list(csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig"))))) == 1
    # The same request to the API also finds nothing.
    api = APIClient()
    api.force_authenticate(user=User.objects.get(pk=registry.admin_a.pk))
    assert (
        api.get(reverse("api-factories"), {"q": "alpha", "country": "BD"}).json()["results"] == []
    )
    # Paging alone is no filter: the list is whole.
    assert len(client.get(reverse("factories:list"), {"page": "1"}).context["page"]) == 2


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Quimicas", {"Químicas del Norte"}),
        ("QUÍMICAS", {"Químicas del Norte"}),
        ("Viet Tien", {"Việt Tiến Garment"}),
        ("viet  tiến", {"Việt Tiến Garment"}),
        ("dong nai", {"Việt Tiến Garment"}),
        ("গাজীপুর", {"Químicas del Norte"}),
        ("Quimicos", set()),
    ],
)
def test_accents_and_case_are_folded_in_the_page_export_and_api(registry, q, expected) -> None:
    Factory.objects.create(name="Químicas del Norte", country="BD", address="বাড়ি ৫, গাজীপুর",
                           registered_by=registry.provider_a)  # fmt: skip
    Factory.objects.create(name="Việt Tiến Garment", country="VN", city="Đồng Nai",
                           registered_by=registry.provider_a)  # fmt: skip
    assert everywhere(registry, "admin_a", q) == expected


def test_an_update_keeps_the_search_in_step(registry) -> None:
    registry.factory_a.name = "Ṣāfī Apparel"
    registry.factory_a.save(update_fields=["name"])
    assert everywhere(registry, "admin_a", "safi") == {"Ṣāfī Apparel"}
    assert everywhere(registry, "admin_a", "alpha") == set()
