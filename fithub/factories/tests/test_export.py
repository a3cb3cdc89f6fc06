"""Exporting the factory registry: exactly what the user sees, safe to open in a spreadsheet."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from fithub.conftest import Cast
from fithub.factories.imports import COLUMNS
from fithub.factories.models import Factory

URL = reverse("factories:export")


def export_csv(client: Client, **params: str) -> list[list[str]]:
    response = client.get(URL, {"format": "csv", **params})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())  # so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def names(rows: list[list[str]]) -> list[str]:
    return [row[COLUMNS.index("name")] for row in rows[1:]]


def test_csv_has_the_importers_columns_and_a_dated_name(cast: Cast) -> None:
    response = cast.client(cast.admin_a).get(URL, {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="fithub-factories-\d{4}-\d{2}-\d{2}\.csv"',
        response["Content-Disposition"],
    )
    rows = export_csv(cast.client(cast.admin_a))
    assert rows[0] == list(COLUMNS)
    assert rows[0][:6] == ["country", "name", "address", "sector", "lat", "lng"]


def test_csv_values(cast: Cast) -> None:
    Factory.objects.filter(pk=cast.factory_a.pk).update(
        os_id="PK2020001ABC123",
        latitude=Decimal("24.86"),
        longitude=Decimal("-67.01"),
        workers_female=120,
        score_graduate=True,
        consent_date=date(2026, 3, 31),
        name="আলফা গার্মেন্টস",
    )
    rows = export_csv(cast.client(cast.admin_a))
    assert dict(zip(rows[0], rows[1], strict=True)) == {
        "country": "PK",
        "name": "আলফা গার্মেন্টস",
        "address": "",
        "sector": "garments",
        "lat": "24.86",
        "lng": "-67.01",
        "os_id": "PK2020001ABC123",
        "city": "Karachi",
        "product_types": "",
        "tier": "unknown",
        "workers_female": "120",
        "workers_male": "",
        "score_graduate": "yes",
        "better_work": "no",
        "consent_date": "2026-03-31",
    }


def test_provider_admin_exports_its_factories_only(cast: Cast) -> None:
    rows = export_csv(cast.client(cast.admin_a))
    assert names(rows) == ["Alpha Garments"]
    assert "Beta Knit" not in str(rows)
    assert names(export_csv(cast.client(cast.admin_b))) == ["Beta Knit"]


def test_buyer_exports_only_its_supplier(cast: Cast) -> None:
    assert names(export_csv(cast.client(cast.buyer))) == ["Alpha Garments"]


def test_superuser_exports_everything(cast: Cast) -> None:
    assert names(export_csv(cast.client(cast.superuser))) == ["Alpha Garments", "Beta Knit"]


def test_outsider_export_has_only_the_header(cast: Cast) -> None:
    assert export_csv(cast.client(cast.outsider)) == [list(COLUMNS)]


def test_anonymous_is_sent_to_login(cast: Cast) -> None:
    response = Client().get(URL, {"format": "csv"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_list_filters_apply(cast: Cast) -> None:
    Factory.objects.create(
        name="Gamma Denim", country="BD", sector="denim", registered_by=cast.provider_a
    )
    client = cast.client(cast.admin_a)
    assert names(export_csv(client)) == ["Alpha Garments", "Gamma Denim"]
    assert names(export_csv(client, q="gamma")) == ["Gamma Denim"]
    assert names(export_csv(client, sector="garments")) == ["Alpha Garments"]
    assert names(export_csv(client, country="BD")) == ["Gamma Denim"]
    # Searching cannot reach past what the user may see.
    assert names(export_csv(client, q="Beta")) == []


def test_xlsx_opens_and_has_the_right_rows(cast: Cast) -> None:
    Factory.objects.filter(pk=cast.factory_a.pk).update(
        workers_male=80, latitude=Decimal("24.86"), longitude=Decimal("67.01")
    )
    response = cast.client(cast.admin_a).get(URL, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 2
    row = dict(zip(COLUMNS, rows[1], strict=True))
    assert (row["name"], row["country"], row["workers_male"]) == ("Alpha Garments", "PK", 80)
    assert (row["lat"], row["lng"], row["better_work"]) == (24.86, 67.01, False)


@pytest.mark.parametrize("kind", ["pdf", "json", ""])
def test_other_formats_are_a_bad_request(cast: Cast, kind: str) -> None:
    assert cast.client(cast.admin_a).get(URL, {"format": kind}).status_code == 400


FORMULA_LIKE = {
    "name": '=HYPERLINK("http://evil.example","click")',
    "city": "+cmd|' /C calc'!A0",
    "address": "-2+3",
    "product_types": "@SUM(A1)",
    "os_id": "#N/A",  # openpyxl would write an error cell
}


def test_cells_that_look_like_formulas_are_neutralised_in_csv(cast: Cast) -> None:
    Factory.objects.filter(pk=cast.factory_a.pk).update(**FORMULA_LIKE)
    row = dict(zip(COLUMNS, export_csv(cast.client(cast.admin_a))[1], strict=True))
    assert row["name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["city"] == "'+cmd|' /C calc'!A0"
    assert row["address"] == "'-2+3"
    assert row["product_types"] == "'@SUM(A1)"


def test_cells_that_look_like_formulas_are_text_cells_as_written_in_xlsx(cast: Cast) -> None:
    Factory.objects.filter(pk=cast.factory_a.pk).update(**FORMULA_LIKE)
    content = cast.client(cast.admin_a).get(URL, {"format": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(content)).active
    cells = {column: sheet.cell(2, i) for i, column in enumerate(COLUMNS, 1)}
    for column, text in FORMULA_LIKE.items():
        assert (cells[column].value, cells[column].data_type) == (text, "s"), column


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_query_count_does_not_grow_with_the_rows(cast: Cast, kind: str) -> None:
    def queries(total: int) -> int:
        Factory.objects.filter(name__startswith="Bulk").delete()
        Factory.objects.bulk_create(
            Factory(
                name=f"Bulk {i}", country="BD", sector="garments", registered_by=cast.provider_a
            )
            for i in range(total)
        )
        client = cast.client(cast.admin_a)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, {"format": kind})
            content = b"".join(response.streaming_content) if kind == "csv" else response.content
        if kind == "csv":
            rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        else:
            rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
        assert len(rows) == 1 + 1 + total  # the header, Alpha Garments, the bulk factories
        return len(ctx.captured_queries)

    assert queries(3) == queries(30)
