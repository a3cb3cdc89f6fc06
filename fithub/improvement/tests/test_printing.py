"""The plan PDF: in the reader's language, users' own text as written, only for readers."""

import pytest
from django.urls import reverse

from fithub.improvement import printing, selectors, services
from fithub.improvement.models import ImprovementItem
from fithub.improvement.tests.conftest import EVERYONE, READ_A, add
from fithub.lib.tests.utils import families, language, match, needs_weasyprint, text

pytestmark = needs_weasyprint

URDU_ACTION = "آگ سے بچاؤ کے راستے صاف رکھیں"


def _pdf(plan, lang: str) -> bytes:  # type: ignore[no-untyped-def]
    items = list(selectors.items(plan.items.all()))
    return printing.plan_pdf(plan=plan, items=items, rates=[], language=lang)


@pytest.fixture
def printed(plan_a, member_a):  # type: ignore[no-untyped-def]
    add(plan_a, "Clear the fire exits", owner=member_a, issue="Exit blocked by bales")
    verified = add(plan_a, URDU_ACTION)
    services.item_done(item=verified, by=None)
    services.item_verify(item=verified, by=None)
    return plan_a


def test_the_plan_in_english(printed) -> None:
    data = _pdf(printed, "en")
    content = text(data)
    for words in ("Improvement plan", "Alpha Garments", "Clear the fire exits", "Rina Begum"):
        assert words in content, words
    assert "Open (1)" in content and "Verified (1)" in content
    assert match(URDU_ACTION, content) >= 0.6  # an Urdu item stays as written
    assert language(data) == "en"
    assert all(name.startswith("FITNoto") for name in families(data))


def test_the_plan_in_urdu_reads_right_to_left_in_nastaliq(printed) -> None:
    data = _pdf(printed, "ur")
    content = text(data)
    assert match("بہتری کا منصوبہ", content) >= 0.6
    assert match("تصدیق شدہ", content) >= 0.6
    assert "Clear the fire exits" in content and "Alpha Garments" in content
    assert language(data) == "ur"
    assert {"FITNotoNastaliqUrdu", "FITNotoSans"} <= families(data)


def test_the_plan_in_bengali(printed) -> None:
    data = _pdf(printed, "bn")
    assert match("উন্নয়ন পরিকল্পনা", text(data)) >= 0.8
    assert "FITNotoSansBengali" in families(data)


@pytest.mark.parametrize("who", EVERYONE)
def test_only_readers_get_the_pdf_filtered_as_the_page(cast, printed, who) -> None:
    url = reverse("improvement:plan-pdf", args=[printed.pk]) + "?status=open&lang=en"
    response = cast.client(getattr(cast, who)).get(url)
    assert response.status_code == (200 if who in READ_A else 404)
    if who in READ_A:
        assert response["Content-Type"] == "application/pdf"
        content = text(response.content)
        assert "Clear the fire exits" in content
        assert match(URDU_ACTION, content) < 0.6  # verified: filtered out
        assert ImprovementItem.objects.count() == 2
