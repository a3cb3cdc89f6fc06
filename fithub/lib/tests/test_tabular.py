"""The pieces every importer shares: reading an upload, the report of problems, common cells."""

import io
from datetime import date, datetime

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from fithub.lib import tabular, xlsx
from fithub.lib.tabular import MAX_ERRORS, MAX_VALUE, BadFile, Report


def upload(content: bytes | str, name: str = "list.csv") -> SimpleUploadedFile:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data)


def refusal(file: SimpleUploadedFile, **kwargs: int) -> str:
    with pytest.raises(BadFile) as caught:
        tabular.read_file(file, **kwargs)
    return str(caught.value)


# --- the report ----------------------------------------------------------------------------


def test_a_report_lists_the_first_problems_and_counts_the_rest() -> None:
    report: Report[int] = Report()
    for number in range(2, MAX_ERRORS + 12):
        report.error(number, "name", "x", "wrong")
    assert len(report.errors) == MAX_ERRORS and report.error_count == MAX_ERRORS + 10
    assert report.more_errors == 10 and not report.ok
    assert report.errors[0].row == 2  # the first problems, in file order


def test_a_report_keeps_enough_of_a_wrong_value_to_find_it() -> None:
    report: Report[int] = Report()
    report.error(2, "name", "é" * 5000, "too long")
    report.error(3, "lat", None, "missing")
    report.error(4, "lat", 12.5, "out of range")
    assert [p.value for p in report.errors] == ["é" * MAX_VALUE, "", "12.5"]


def test_a_report_with_one_problem_writes_no_row() -> None:
    good: Report[str] = Report(rows=["a", "b"])
    assert good.finish().rows == ["a", "b"] and good.ok
    bad: Report[str] = Report(rows=["a", "b"])
    bad.error(None, "", "", "The file is empty.")
    assert bad.finish().rows == [] and bad.errors[0].row is None


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        ("=1+1", True),
        ("@SUM(A1)", True),
        ("+cmd|' /C calc'!A0", True),
        (tabular.Formula("=A1"), True),
        ("-73.935242", False),  # a coordinate, not a formula
        ("-", False),  # how many lists write "none"
        (tabular.Quoted("=not a formula"), False),  # our export protected it
        (42, False),
        (None, False),
    ],
)
def test_a_formula_is_refused_with_its_row_and_column(value: object, refused: bool) -> None:
    report: Report[int] = Report()
    assert report.refused_formula(7, "lat", value) is refused
    if refused:
        assert [(p.row, p.column, p.reason) for p in report.errors] == [
            (7, "lat", "Formulas are not imported. Replace the formula by its value.")
        ]
    else:
        assert report.ok


# --- reading an upload ---------------------------------------------------------------------


def test_rows_keep_the_spreadsheets_numbers_header_is_row_1() -> None:
    table = tabular.read_file(upload("name,count\nA,1\n\n,\nB,2\n"))
    assert table == [(1, ["name", "count"]), (2, ["A", "1"]), (5, ["B", "2"])]


def test_an_excel_file_is_read_with_its_formulas_marked() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "count"])
    sheet.append(["A", "=1+1"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = tabular.read_file(upload(buffer.getvalue(), "list.xlsx"))
    assert table[1][0] == 2 and isinstance(table[1][1][1], tabular.Formula)


def test_excel_text_that_starts_like_a_formula_is_a_value_both_ways() -> None:
    data = xlsx.write([["name", "=HYPERLINK(1)", "#N/A", 3]], sheet="x")
    written = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert [(c.value, c.data_type) for c in written[1]] == [
        ("name", "s"), ("=HYPERLINK(1)", "s"), ("#N/A", "s"), (3, "n")
    ]  # fmt: skip
    [(_, cells)] = tabular.read_file(upload(data, "list.xlsx"))
    value = tabular.cell(cells[1])
    assert value == "=HYPERLINK(1)" and not tabular.is_formula(value)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings) -> None:  # type: ignore[no-untyped-def]
    settings.IMPORT_MAX_BYTES = 512 * 1024
    file = upload("name\n" + "A\n" * 300_000)
    assert refusal(file) == "The file is larger than 0.5 MB. Split it into smaller files."
    assert file.tell() == 0


def test_the_size_message_is_in_the_users_language(settings) -> None:  # type: ignore[no-untyped-def]
    settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
    english = tabular.too_large_message()
    with translation.override("bn"):
        bengali = tabular.too_large_message()
    assert "10" in english and bengali != english


def test_more_rows_than_the_importer_allows_are_refused() -> None:
    assert len(tabular.read_file(upload("name\nA\nB\n"), max_rows=2)) == 3
    message = refusal(upload("name\nA\nB\nC\n"), max_rows=2)
    assert message == "The file has more than 2 rows. Split it into smaller files."
    many = refusal(upload("name\n" + "A\n" * (tabular.MAX_ROWS + 1)))
    assert "more than 50,000 rows" in many


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "list.csv", "The file is empty."),
        (b"\n ,\n", "list.csv", "The file is empty."),
        (b"%PDF-1.7", "list.csv", "This is not a CSV file."),
        (b"PK\x03\x04", "list.csv", "This is not a CSV file."),
        (b"not a zip", "list.xlsx", "This is not an Excel (.xlsx) file, or it is damaged."),
        (b"\xd0\xcf\x11\xe0", "list.xls", "Old Excel files (.xls) cannot be read."),
        (b"a,b", "list", "Name the file .csv or .xlsx."),
        (b"%PDF-1.7", "list.pdf", "Only CSV and Excel (.xlsx) files can be imported, not .pdf"),
    ],
)
def test_other_files_are_refused_in_words(content: bytes, name: str, message: str) -> None:
    assert message in refusal(upload(content, name))


# --- cells every importer reads alike ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"), [(None, ""), (250.0, "250"), (2.5, "2.5"), (7, "7"), ("BD", "BD")]
)
def test_a_cell_as_text(value: object, text: str) -> None:
    assert tabular.as_text(value) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Yes", True),
        ("y", True),
        (1.0, True),  # Excel's 1
        (True, True),  # Excel's TRUE
        ("NO", False),
        ("0", False),
        ("", False),
        (None, False),
        (False, False),
    ],
)
def test_yes_and_no_in_their_usual_words(value: object, expected: bool) -> None:
    assert tabular.as_boolean(value) is expected


def test_anything_else_is_not_yes_or_no() -> None:
    with pytest.raises(ValidationError) as caught:
        tabular.as_boolean("maybe")
    assert caught.value.messages == [
        "“maybe” is not yes or no. Write yes, no, true, false, 1 or 0."
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-31", date(2026, 3, 31)),
        (" 31/03/2026 ", date(2026, 3, 31)),
        (datetime(2026, 3, 31, 9, 30), date(2026, 3, 31)),  # Excel's dates come with a time
        (date(2026, 3, 31), date(2026, 3, 31)),
        ("", None),
        (None, None),
    ],
)
def test_dates_as_excel_or_people_write_them(value: object, expected: date | None) -> None:
    assert tabular.as_date(value) == expected


def test_a_date_written_otherwise_is_explained() -> None:
    with pytest.raises(ValidationError) as caught:
        tabular.as_date("03/31/2026")
    assert caught.value.messages == [
        "“03/31/2026” is not a date. Write it as 2026-03-31 or 31/03/2026."
    ]
