"""The sample catalogue command: at least 20 labelled modules, in three languages."""

import pytest
from django.core.management import call_command

from fithub.catalogue.models import Module, ModuleFile
from fithub.catalogue.sample import INTRO
from fithub.catalogue.selectors import MISSING, OUTDATED, UP_TO_DATE, translation_status

pytestmark = pytest.mark.django_db


def test_the_sample_catalogue_is_complete_and_labelled() -> None:
    call_command("seed_catalogue", verbosity=0)
    modules = list(Module.objects.prefetch_related("prerequisites"))
    assert len(modules) >= 20
    assert {m.category for m in modules} == {"production", "support_systems", "working_conditions"}
    for m in modules:
        assert m.is_demo
        assert "Sample module (demo)" in m.attribution
        assert "Sample module (demo)" in m.summary["en"]
        assert m.title["bn"] and m.title["ur"] and m.summary["bn"] and m.summary["ur"]
        # Bengali and Urdu in their own scripts, not transliterated into Latin letters.
        assert any("\u0980" <= ch <= "\u09ff" for ch in m.title["bn"])
        assert any("\u0600" <= ch <= "\u06ff" for ch in m.title["ur"])
        assert m.departments and m.parts_minutes <= m.duration_minutes <= 150
        m.full_clean()
        if m.code != INTRO:
            assert [p.code for p in m.prerequisites.all()] == [INTRO]
    assert Module.objects.get(code=INTRO).title["en"] == "Setting up your factory for FIT"


def test_the_sample_files_show_every_translation_state() -> None:
    call_command("seed_catalogue", verbosity=0)
    _rows, totals = translation_status(Module.objects.all())
    states = {status for t in totals for status, n in t.counts.items() if n}
    assert states == {MISSING, OUTDATED, UP_TO_DATE}
    assert ModuleFile.objects.first().file.open().read(5) == b"%PDF-"


def test_seeding_twice_updates_instead_of_duplicating() -> None:
    call_command("seed_catalogue", verbosity=0)
    Module.objects.filter(code="P-01").update(title={"en": "Changed"})
    counts = Module.objects.count(), ModuleFile.objects.count()
    call_command("seed_catalogue", verbosity=0)
    assert (Module.objects.count(), ModuleFile.objects.count()) == counts
    assert Module.objects.get(code="P-01").title["en"] == "Organising materials in the storeroom"


def test_if_empty_leaves_an_existing_catalogue_alone() -> None:
    call_command("seed_catalogue", "--no-files", verbosity=0)
    assert not ModuleFile.objects.exists()
    Module.objects.filter(code="P-01").update(title={"en": "Changed"})
    call_command("seed_catalogue", "--if-empty", verbosity=0)
    assert Module.objects.get(code="P-01").title["en"] == "Changed"
