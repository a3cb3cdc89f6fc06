"""The Excel writer every export uses: openpyxl (as every importer) reads back what was written."""

import io
import zipfile
from datetime import UTC, date, datetime, time
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from fithub.lib import tabular, xlsx


def read(data: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_values_come_back_with_their_types() -> None:
    rows = [
        ["name", "women", "share", "score", "since", "at", "opens", "lat"],
        ["আলফা গার্মেন্টস", 120, 0.25, True, date(2026, 12, 3), datetime(2026, 12, 3, 9, 30),
         time(8, 15), Decimal("23.810332")],
        ["الفا گارمنٹس", None, None, False, None, None, None, None],
    ]  # fmt: skip
    back = read(xlsx.write(rows, sheet="Factories"))
    assert back[0] == rows[0]
    assert back[1] == [
        "আলফা গার্মেন্টস", 120, 0.25, True, datetime(2026, 12, 3), datetime(2026, 12, 3, 9, 30),
        time(8, 15), 23.810332,
    ]  # fmt: skip
    assert back[2] == ["الفا گارمنٹس", None, None, False, None, None, None, None]


def test_an_aware_time_is_written_in_local_time(settings) -> None:
    settings.TIME_ZONE = "Asia/Dhaka"
    back = read(xlsx.write([[datetime(2026, 12, 3, 3, 0, tzinfo=UTC)]], sheet="x"))
    assert back == [[datetime(2026, 12, 3, 9, 0)]]


def test_text_that_looks_like_a_formula_stays_text_as_written() -> None:
    texts = ["=HYPERLINK(1)", "@SUM(A1)", "+1+2", "-2+3", "#N/A", "  padded  "]
    sheet = load_workbook(io.BytesIO(xlsx.write([texts], sheet="x"))).active
    cells = [sheet.cell(1, i + 1) for i in range(len(texts))]
    assert [(c.value, c.data_type) for c in cells] == [(t, "s") for t in texts]
    # and the importers read such a cell as the text it is, not as a refused formula
    table = tabular.read_xlsx(io.BytesIO(xlsx.write([["a"], ["=1+2"]], sheet="x")), limit=10)
    assert [values for _number, values in table] == [["a"], ["=1+2"]]


def test_characters_xml_cannot_hold_are_dropped_and_escapes_survive() -> None:
    back = read(xlsx.write([["a\x00b\x1fc", "<tag> & \"quote\" 'it'"]], sheet="x"))
    assert back == [["abc", "<tag> & \"quote\" 'it'"]]


def test_the_sheet_name_is_made_one_excel_accepts() -> None:
    data = xlsx.write([["x"]], sheet="Plan: 2026/27 [draft]? a very long name indeed")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Plan  2026 27  draft   a very l"[:31].strip()
    assert len(sheet.title) <= 31


def test_every_part_is_well_formed_xml() -> None:
    data = xlsx.write([["ক", 1], ["&<>", None]], sheet="x")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            ElementTree.fromstring(archive.read(name))  # raises on malformed XML


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index: int, letters: str) -> None:
    assert xlsx.column_letters(index) == letters


@given(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=30), st.integers(-10**12, 10**12),
                                   st.booleans()), max_size=6), max_size=8))  # fmt: skip
def test_any_rows_of_text_numbers_and_booleans_come_back(rows) -> None:
    def shape(table: list[list[object]]) -> list[list[object]]:
        # Empty cells at the ends of rows, and empty rows at the end, are not kept by openpyxl.
        out = []
        for row in table:
            row = list(row)
            while row and row[-1] is None:
                row.pop()
            out.append(row)
        while out and not out[-1]:
            out.pop()
        return out

    written = [
        [
            None if v == "" else xlsx.ILLEGAL.sub("", v) or None if isinstance(v, str) else v
            for v in row
        ]
        for row in rows
    ]
    assert shape(read(xlsx.write(rows, sheet="x"))) == shape(written)
