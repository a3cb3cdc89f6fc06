"""A plan's items as CSV and Excel: for whoever reads the plan, as the page filters them."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fithub.conftest import Cast
from fithub.improvement import services
from fithub.improvement.tests.conftest import add


def rows(response, kind: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    if kind == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if c is None else str(c) for c in r] for r in sheet.iter_rows(values_only=True)]


@pytest.fixture
def plan(cast: Cast):  # type: ignore[no-untyped-def]
    plan = services.plan_for(engagement=cast.engagement_a, by=None)
    add(plan, "Keep the fire exit free", issue='=HYPERLINK("http://x")')
    add(plan, "Fix the lights on line 3", issue="Dim light, more defects")
    return plan


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_reader_of_the_plan_downloads_its_items(cast: Cast, plan, kind: str) -> None:  # type: ignore[no-untyped-def]
    url = reverse("improvement:plan-export", args=[plan.pk])
    response = cast.client(cast.worker_rep_a).get(url, {"format": kind})
    assert response.status_code == 200
    table = rows(response, kind)
    assert table[0][:4] == ["Item", "Status", "Source", "Issue"]
    issues = {r[3] for r in table[1:]}
    # In CSV a formula is neutralised; in Excel it is a text cell, as written.
    formula = '\'=HYPERLINK("http://x")' if kind == "csv" else '=HYPERLINK("http://x")'
    assert issues == {formula, "Dim light, more defects"}


def test_the_download_is_filtered_as_the_page(cast: Cast, plan) -> None:  # type: ignore[no-untyped-def]
    first = plan.items.order_by("pk").first()
    services.item_start(item=first, by=cast.coordinator_a)
    url = reverse("improvement:plan-export", args=[plan.pk])
    table = rows(cast.client(cast.coordinator_a).get(url, {"status": "in_progress"}), "csv")
    assert [r[0] for r in table[1:]] == [str(first.pk)]


@pytest.mark.parametrize("who", ["admin_b", "buyer", "outsider"])
def test_nobody_else_downloads_the_plan(cast: Cast, plan, who: str) -> None:  # type: ignore[no-untyped-def]
    url = reverse("improvement:plan-export", args=[plan.pk])
    assert cast.client(getattr(cast, who)).get(url).status_code in (302, 404)
