"""The module search: the same words find the same modules on the page, its export and the API."""

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
from fithub.catalogue import services
from fithub.catalogue.imports import columns
from fithub.catalogue.models import Module
from fithub.catalogue.selectors import search_modules
from fithub.catalogue.tests.utils import add_file, make_module
from fithub.conftest import Cast

CODE = columns().index("code")


@pytest.fixture
def catalogue(cast: Cast) -> Cast:
    """Three active modules, an inactive one, and an adaptation by provider A."""
    balancing = make_module(
        "LB-01",
        title={"en": "Line balancing", "bn": "লাইন ব্যালেন্সিং", "ur": "لائن بیلنسنگ"},
        summary={"en": "Share the work evenly between operators."},
    )
    make_module(
        "QC-02",
        title={"en": "Quality control", "bn": "মান নিয়ন্ত্রণ"},
        summary={"en": "Find defects early.", "bn": "ত্রুটি আগেই খুঁজে বের করুন।"},
    )
    make_module("WC-03", title={"en": "Working hours"}, summary={})
    make_module("LB-09", title={"en": "Line layout (withdrawn)"}, is_active=False)
    services.adaptation_create(
        module=balancing,
        provider=cast.provider_a,
        by=cast.admin_a,
        details=services.AdaptationDetails(
            changes=["case_study"], title={"en": "Karachi denim edition"}
        ),
    )
    return cast


def on_page(client: Client, q: str) -> set[str]:
    response = client.get(reverse("catalogue:list"), {"q": q})
    assert response.status_code == 200
    return {m.code for m in response.context["page"].object_list}


def in_csv(client: Client, q: str) -> set[str]:
    response = client.get(reverse("catalogue:export"), {"format": "csv", "q": q})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {row[CODE] for row in rows[1:]}


def in_xlsx(client: Client, q: str) -> set[str]:
    response = client.get(reverse("catalogue:export"), {"format": "xlsx", "q": q})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return {row[CODE] for row in list(sheet.iter_rows(values_only=True))[1:]}


def in_api(user: User, q: str) -> set[str]:
    client = APIClient()
    # A fresh copy, because roles are cached on the user object for one request's life.
    client.force_authenticate(user=User.objects.get(pk=user.pk))
    response = client.get(reverse("api-modules"), {"q": q})
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


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
    assert len({frozenset(codes) for codes in found.values()}) == 1, (who, q, found)
    return found["page"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ব্যালেন্স", {"LB-01"}),  # part of a Bengali title
        ("মান নিয়ন্ত্রণ", {"QC-02"}),  # a whole Bengali title
        ("ত্রুটি", {"QC-02"}),  # a Bengali summary
        ("بیلنس", {"LB-01"}),  # part of an Urdu title
        ("LINE", {"LB-01", "LB-09"}),  # English, in another case
        ("defects", {"QC-02"}),  # an English summary
        ("lb-0", {"LB-01", "LB-09"}),  # part of a code
        ("", {"LB-01", "QC-02", "WC-03", "LB-09"}),  # an empty box finds everything
        ("Hamburg", set()),
    ],
)
def test_the_page_its_export_and_the_api_find_the_same_modules(catalogue, q, expected) -> None:
    assert everywhere(catalogue, "owner", q) == expected


@pytest.mark.parametrize(
    ("who", "q", "expected"),
    [
        ("facilitator_a", "line", {"LB-01"}),  # the withdrawn module only for editors
        ("coordinator_a", "লাইন", {"LB-01"}),
        ("admin_a", "denim", {"LB-01"}),  # by its own adaptation's title: once page only
        ("owner", "denim", {"LB-01"}),  # programme owners see every adaptation
        ("admin_b", "denim", set()),  # never by another provider's adaptation
        ("admin_b", "Karachi", set()),
        ("admin_b", "ব্যালেন্স", {"LB-01"}),  # ... though the module itself is everyone's
    ],
)
def test_each_user_finds_only_what_they_may_see(catalogue, who, q, expected) -> None:
    assert everywhere(catalogue, who, q) == expected


def test_users_outside_the_catalogue_find_nothing(catalogue) -> None:
    for who in ("buyer", "outsider"):
        user = getattr(catalogue, who)
        assert (
            catalogue.client(user).get(reverse("catalogue:list"), {"q": "line"}).status_code == 404
        )
        assert in_api(user, "line") == set()


def test_the_search_filters_the_queryset_it_is_given(catalogue) -> None:
    active = Module.objects.filter(is_active=True)
    codes = {m.code for m in search_modules(active, " line ", user=catalogue.owner)}
    assert codes == {"LB-01"}
    assert search_modules(active, "", user=catalogue.owner).count() == 3


def test_a_blank_search_in_the_api_is_no_search(catalogue) -> None:
    # A search box sends ?q= when empty; that must not be a 400.
    assert in_api(catalogue.admin_a, "  ") == {"LB-01", "QC-02", "WC-03"}


def test_the_schema_documents_the_search(cast: Cast) -> None:
    client = APIClient()
    client.force_authenticate(user=cast.admin_a)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/modules/"]["get"]["parameters"]}
    assert params["q"]["in"] == "query"
    assert not params["q"].get("required", False)
    assert "any language" in params["q"]["description"]
    assert "adaptation" in params["q"]["description"]


def test_searching_runs_a_constant_number_of_queries(catalogue) -> None:
    start = 0

    def queries(n: int) -> tuple[int, int]:
        nonlocal start
        for i in range(start, start + n):
            add_file(make_module(f"S-{i:02}", title={"en": "Line supervision", "bn": "লাইন"}))
        start += n
        client = catalogue.client(catalogue.admin_a)
        client.get(reverse("catalogue:list"))  # warm up: session, content types
        with CaptureQueriesContext(connection) as page:
            on_page(client, "লাইন")
        with CaptureQueriesContext(connection) as api:
            in_api(catalogue.admin_a, "লাইন")
        return len(page), len(api)

    assert queries(3) == queries(27)
