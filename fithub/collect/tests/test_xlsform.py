"""The XLSForm and the XForm built from it: ODK Validate passes, languages, names, choices."""

import io
import os
import re
import shutil

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fithub.assessment.models import Section
from fithub.collect import xlsform
from fithub.collect.tests.utils import xform_paths
from fithub.factories.models import Factory

JAVA = shutil.which("java")
needs_java = pytest.mark.skipif(
    not JAVA and os.environ.get("CI", "").lower() != "true",
    reason="ODK Validate needs Java (apt-get install default-jre-headless); CI must have it",
)


def sheet_rows(book: openpyxl.Workbook, name: str) -> list[dict]:
    rows = list(book[name].iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


def build(form, factories) -> tuple[openpyxl.Workbook, bytes]:
    book = xlsform.build_xlsform(form.version, factories=factories)
    data = xlsform.xlsform_bytes(book)
    return openpyxl.load_workbook(io.BytesIO(data)), data


@needs_java
def test_the_form_passes_odk_validate(cast, form) -> None:
    _book, data = build(form, [cast.factory_a, cast.factory_b])
    # validate=True runs ODK_Validate.jar, shipped with pyxform, and raises on any error.
    xml = xlsform.build_xform(data, validate=True)
    assert 'id="fithub_fit_needs"' in xml


@needs_java
def test_the_form_for_someone_without_factories_passes_odk_validate(cast, form) -> None:
    _book, data = build(form, [])
    xml = xlsform.build_xform(data, validate=True)
    assert "regex(., '^[0-9]{1,12}$')" in xml


@needs_java
def test_an_empty_section_is_left_out_so_the_form_stays_valid(cast, form) -> None:
    Section.objects.create(version=form.version, order=9, code="empty", title={"en": "Empty"})
    _book, data = build(form, [cast.factory_a])
    xml = xlsform.build_xform(data, validate=True)
    assert "sec_empty" not in xml


def test_labels_are_in_english_bengali_and_urdu(cast, form) -> None:
    book, _data = build(form, [cast.factory_a])
    survey = sheet_rows(book, "survey")
    langs = ["English (en)", "Bengali (bn)", "Urdu (ur)"]
    for lang in langs:
        assert f"label::{lang}" in survey[0]
    first = next(r for r in survey if r["name"] == "s_1_1")
    assert first["label::English (en)"] == "1.1. Materials are stored off the floor."
    assert first["label::Bengali (bn)"] == "1.1. বাংলা 1.1"
    assert first["label::Urdu (ur)"] == "1.1. اردو 1.1"
    group = next(r for r in survey if r["name"] == "sec_storeroom")
    assert group["type"] == "begin_group"
    assert group["label::Bengali (bn)"] == "বিভাগ storeroom"
    choices = sheet_rows(book, "choices")
    yes = next(r for r in choices if r["list_name"] == "yes_no" and r["name"] == "yes")
    assert all(yes[f"label::{lang}"] for lang in langs)
    settings = sheet_rows(book, "settings")[0]
    assert settings["default_language"] == "English (en)"


def test_missing_translations_show_english_not_blank(cast, form) -> None:
    statement = form.statements[1]
    statement.text = {"en": "Stock is counted."}
    statement.save()
    book, _data = build(form, [cast.factory_a])
    row = next(r for r in sheet_rows(book, "survey") if r["name"] == "s_1_2")
    assert row["label::Urdu (ur)"] == "1.2. Stock is counted."


def test_names_are_safe_and_unique(cast, form) -> None:
    book, _data = build(form, [cast.factory_a])
    names = [r["name"] for r in sheet_rows(book, "survey") if r["name"]]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n) for n in names)
    # "P-01" and "P_01" would both be s_P_01: the second gets a suffix.
    assert {"s_P_01", "s_P_01_2", "c_P_01", "c_P_01_2"} <= set(names)


def test_every_statement_is_a_required_yes_no_with_an_optional_comment(cast, form) -> None:
    book, _data = build(form, [cast.factory_a])
    survey = {r["name"]: r for r in sheet_rows(book, "survey") if r["name"]}
    for f in xlsform.form_layout(form.version).statements:
        assert survey[f.name]["type"] == "select_one yes_no"
        assert survey[f.name]["required"] == "yes"
        comment = survey[f.comment]
        assert comment["type"] == "text" and not comment["required"]
        assert comment["relevant"] == f"${{{f.name}}} != ''"
    assert survey["coordinator_name"]["type"] == "text"
    assert survey["manager_name"]["type"] == "text"
    assert survey["fithub_version"]["calculation"] == "'2'"


def test_the_factory_is_chosen_from_the_factories_given(cast, form) -> None:
    book, _data = build(form, [cast.factory_a])
    survey = {r["name"]: r for r in sheet_rows(book, "survey") if r["name"]}
    assert survey["factory"]["type"] == "select_one factories"
    factories = [r for r in sheet_rows(book, "choices") if r["list_name"] == "factories"]
    assert factories == [
        {
            "list_name": "factories",
            "name": str(cast.factory_a.pk),
            "label::English (en)": f"Alpha Garments, Karachi (#{cast.factory_a.pk})",
            "label::Bengali (bn)": f"Alpha Garments, Karachi (#{cast.factory_a.pk})",
            "label::Urdu (ur)": f"Alpha Garments, Karachi (#{cast.factory_a.pk})",
        }
    ]


def test_long_factory_lists_get_a_search_box(cast, form) -> None:
    many = [Factory(pk=i, name=f"Factory {i}", city="") for i in range(1, 30)]
    book, _data = build(form, many)
    survey = {r["name"]: r for r in sheet_rows(book, "survey") if r["name"]}
    assert survey["factory"]["appearance"] == "autocomplete"


def test_the_xform_carries_form_id_version_and_choices(cast, form) -> None:
    _book, data = build(form, [cast.factory_a, cast.factory_b])
    xml = xlsform.build_xform(data)
    paths, version = xform_paths(xml)
    assert re.fullmatch(r"2-[0-9a-f]{8}", version)
    assert xlsform.form_version_number(version) == 2
    assert '<data id="fithub_fit_needs" version="' in xml
    assert "meta/instanceID" in paths
    assert "sec_storeroom/s_1_1" in paths and "sec_people/c_P_02" in paths
    assert "<name>yes</name>" in xml and "<name>no</name>" in xml
    assert f"<name>{cast.factory_b.pk}</name>" in xml
    assert 'lang="Bengali (bn)"' in xml and 'lang="Urdu (ur)"' in xml


def test_the_form_version_changes_with_the_content_only(cast, form) -> None:
    def version_of(factories) -> str:
        book = xlsform.build_xlsform(form.version, factories=factories)
        return sheet_rows(book, "settings")[0]["version"]

    assert version_of([cast.factory_a]) == version_of([cast.factory_a])
    assert version_of([cast.factory_a]) != version_of([cast.factory_a, cast.factory_b])


@pytest.mark.parametrize(
    ("value", "number"),
    [("2", 2), ("v2", 2), ("2-1a2b3c4d", 2), ("12.20261120", 12), ("vQx7", None), ("", None)],
)
def test_form_version_numbers_are_read_back(value, number) -> None:
    assert xlsform.form_version_number(value) == number


@pytest.mark.parametrize(
    ("value", "pk"),
    [("17", 17), ("Alpha Garments, Karachi (#17)", 17), ("Alpha", None), ("", None)],
)
def test_factory_ids_are_read_from_names_and_labels(value, pk) -> None:
    assert xlsform.factory_id_from(value) == pk


@given(st.lists(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}", fullmatch=True), max_size=30))
def test_any_statement_codes_give_distinct_valid_names(codes) -> None:
    taken: set[str] = set()
    names = [xlsform.safe_name(code, "s_", taken) for code in codes]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"s_[A-Za-z0-9_]*", n) for n in names)


def test_every_form_records_when_and_on_which_device_it_was_filled_in(cast, form) -> None:
    for factories in ([cast.factory_a], []):
        book, _data = build(form, factories)
        survey = {r["name"]: r for r in sheet_rows(book, "survey") if r["name"]}
        for name in ("start", "end", "today", "deviceid"):
            assert survey[name]["type"] == name
    xml = xlsform.build_xform(
        xlsform.xlsform_bytes(xlsform.build_xlsform(form.version, factories=[]))
    )
    paths, _version = xform_paths(xml)
    assert {"start", "end", "today", "deviceid", "fithub_language"} <= set(paths)
    assert re.search(r'nodeset="/data/start" jr:preload="timestamp"[^>]*preloadParams="start"', xml)


def test_the_form_records_the_language_it_was_filled_in(cast, form) -> None:
    book, _data = build(form, [cast.factory_a])
    survey = {r["name"]: r for r in sheet_rows(book, "survey") if r["name"]}
    assert survey["fithub_language"]["type"] == "calculate"
    assert survey["fithub_language"]["calculation"] == (
        "jr:choice-name('current', '${fithub_language_choice}')"
    )
    hidden = survey["fithub_language_choice"]
    assert hidden["type"] == "select_one fithub_languages" and hidden["relevant"] == "false()"
    [choice] = [r for r in sheet_rows(book, "choices") if r["list_name"] == "fithub_languages"]
    # In each language the one choice's label is that language's code: what the form records.
    assert (choice["label::English (en)"], choice["label::Bengali (bn)"]) == ("en", "bn")
    assert choice["label::Urdu (ur)"] == "ur"
