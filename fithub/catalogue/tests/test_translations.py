"""The translation status: each language's newest file against the newest English file."""

from datetime import date

import pytest

from fithub.catalogue.models import Module
from fithub.catalogue.selectors import MISSING, OUTDATED, UP_TO_DATE, translation_status
from fithub.catalogue.tests.utils import add_file, make_module

pytestmark = pytest.mark.django_db


def statuses() -> dict[str, dict[str, str]]:
    rows, _totals = translation_status(Module.objects.all())
    return {r.module.code: {c.language: c.status for c in r.cells} for r in rows}


def test_missing_up_to_date_and_outdated() -> None:
    module = make_module("T-01")
    add_file(module, "en", "2019.1", date(2019, 1, 1))
    add_file(module, "bn", "2019.1", date(2019, 2, 1))
    assert statuses()["T-01"] == {"en": UP_TO_DATE, "bn": UP_TO_DATE, "ur": MISSING}
    add_file(module, "en", "2020.1", date(2020, 1, 1))
    add_file(module, "ur", "2020.1", date(2020, 3, 1))
    assert statuses()["T-01"] == {"en": UP_TO_DATE, "bn": OUTDATED, "ur": UP_TO_DATE}


def test_versions_compare_as_numbers_not_text() -> None:
    module = make_module("T-01")
    add_file(module, "en", "2019.10", date(2019, 1, 1))
    add_file(module, "bn", "2019.9", date(2019, 6, 1))
    assert statuses()["T-01"]["bn"] == OUTDATED


def test_a_reissued_english_file_of_the_same_version_outdates_older_translations() -> None:
    module = make_module("T-01")
    add_file(module, "bn", "2020.1", date(2020, 1, 1))
    add_file(module, "en", "2020.1", date(2020, 5, 1))
    assert statuses()["T-01"]["bn"] == OUTDATED


def test_without_an_english_file_a_translation_is_not_outdated() -> None:
    module = make_module("T-01")
    add_file(module, "ur", "2019.1")
    assert statuses()["T-01"] == {"en": MISSING, "bn": MISSING, "ur": UP_TO_DATE}


def test_counts_per_language() -> None:
    a, b = make_module("T-01"), make_module("T-02")
    make_module("T-03")
    add_file(a, "en", "2020.1")
    add_file(a, "bn", "2019.1", date(2019, 1, 1))
    add_file(b, "en", "2020.1")
    add_file(b, "bn", "2020.1")
    _rows, totals = translation_status(Module.objects.all())
    counts = {t.language: t.counts for t in totals}
    assert counts["en"] == {MISSING: 1, UP_TO_DATE: 2, OUTDATED: 0}
    assert counts["bn"] == {MISSING: 1, UP_TO_DATE: 1, OUTDATED: 1}
    assert counts["ur"] == {MISSING: 3, UP_TO_DATE: 0, OUTDATED: 0}
