"""Excel files built to take the server down are refused in bounded memory, before openpyxl.

Each file is a few MB or less and would unpack or expand to far more. The ones stored without
compression pass the archive's checks, so only the counting of rows and cells stands between
them and openpyxl.
"""

import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fithub.lib import tabular
from fithub.lib.tabular import BadFile

SHEET_PATH = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PEAK_LIMIT = 50 * 1024 * 1024
PACKED_ODDLY = "This file is packed in an unusual way and was not read."


def sheet_xml(rows: str, *, dimension: str = "") -> bytes:
    """Return a worksheet part; no <dimension> unless one is given, as some programs write it."""
    return (
        f'<worksheet xmlns="{MAIN}">{dimension}<sheetData>{rows}</sheetData></worksheet>'.encode()
    )


def xlsx(
    sheet: bytes,
    *,
    compression: int = zipfile.ZIP_STORED,
    extra: dict[str, bytes] | None = None,
) -> SimpleUploadedFile:
    """Return a real workbook whose first sheet is replaced by the given part."""
    book = openpyxl.Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = sheet if item.filename == SHEET_PATH else source.read(item)
            target.writestr(item.filename, data, compress_type=compression)
        for name, data in (extra or {}).items():
            target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return SimpleUploadedFile("list.xlsx", out.getvalue())


def refused_within_memory(file: SimpleUploadedFile) -> str:
    """Read the file through read_file; return the refusal, asserting the peak memory it took."""
    tracemalloc.start()
    try:
        with pytest.raises(BadFile) as caught:
            tabular.read_file(file)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < PEAK_LIMIT, f"{peak / 1024 / 1024:.0f} MB"
    return str(caught.value)


@pytest.fixture(autouse=True)
def _room_for_stored_files(settings) -> None:  # type: ignore[no-untyped-def]
    # The stored files are larger than a real upload may be, so that they reach the parser.
    settings.IMPORT_MAX_BYTES = 40 * 1024 * 1024


# --- the archive, before anything is unpacked ---------------------------------------------------


def test_a_member_that_packs_a_thousand_times_smaller_is_refused_unread() -> None:
    blank_rows = sheet_xml("<row/>" * 2_000_000)  # 12 MB that deflate to a few kB
    file = xlsx(blank_rows, compression=zipfile.ZIP_DEFLATED)
    assert file.size < 100_000
    assert refused_within_memory(file).startswith(PACKED_ODDLY)


def test_many_small_members_that_unpack_beyond_the_limit_are_refused(settings) -> None:  # type: ignore[no-untyped-def]
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    # Each is under the size at which its ratio is checked; together they are 12 MB.
    padding = {f"xl/media/pad{i}.bin": b"\0" * 1_000_000 for i in range(12)}
    file = xlsx(sheet_xml(""), compression=zipfile.ZIP_DEFLATED, extra=padding)
    assert refused_within_memory(file) == (
        "The file is larger than 10 MB once unpacked. Split it into smaller files."
    )


def test_an_archive_of_too_many_members_is_refused() -> None:
    extra = {f"xl/media/{i}.bin": b"" for i in range(tabular.MAX_MEMBERS)}
    file = xlsx(sheet_xml(""), extra=extra)
    assert refused_within_memory(file).startswith(PACKED_ODDLY)


# --- the sheet, counted as it streams by ---------------------------------------------------------


def test_one_row_of_a_hundred_thousand_columns_is_refused() -> None:
    wide_row = sheet_xml("<row>" + "<c><v>1</v></c>" * 100_000 + "</row>")
    assert refused_within_memory(xlsx(wide_row)) == (
        "The sheet has more than 200 columns. Delete the columns not imported."
    )


def test_a_cell_far_to_the_right_is_refused() -> None:
    far = sheet_xml('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>1</v></c></row>')
    assert "more than 200 columns" in refused_within_memory(xlsx(far))


def test_a_sheet_without_its_size_and_a_million_rows_is_refused() -> None:
    rows = sheet_xml("<row><c><v>1</v></c></row>" * 1_000_000)
    assert b"dimension" not in rows
    assert refused_within_memory(xlsx(rows)) == (
        "The file has more than 50,000 rows. Split it into smaller files."
    )


def test_two_million_blank_rows_are_refused() -> None:
    blank_rows = sheet_xml("<row><c><v>1</v></c></row>" + "<row/>" * 2_000_000)
    assert refused_within_memory(xlsx(blank_rows)) == (
        "The sheet has more than 10,000 empty rows. Delete the empty rows and save the file again."
    )


def test_rows_numbered_two_million_apart_count_as_the_blank_rows_between() -> None:
    # openpyxl yields every row a sheet skips; 60 bytes would make it yield two million.
    far_apart = sheet_xml('<row r="1"><c><v>1</v></c></row><row r="2000000"><c><v>2</v></c></row>')
    assert "more than 10,000 empty rows" in refused_within_memory(xlsx(far_apart))


def test_cells_styled_but_empty_are_blank_rows() -> None:
    styled = sheet_xml("<row><c><v>1</v></c></row>" + '<row><c s="1"/><c s="1"/></row>' * 20_000)
    assert "more than 10,000 empty rows" in refused_within_memory(xlsx(styled))


def test_more_cells_than_the_bound_are_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tabular, "MAX_CELLS", 20_000)  # as 2,000,000, only sooner
    row = "<row>" + "<c><v>1</v></c>" * 200 + "</row>"
    cells = sheet_xml(row * 101)
    assert refused_within_memory(xlsx(cells)) == (
        "The sheet has more than 20,000 cells. Split it into smaller files."
    )


def test_xml_nested_deeper_than_a_sheet_is_refused() -> None:
    deep = sheet_xml("<row><c><is>" + "<r>" * 100_000 + "</r>" * 100_000 + "</is></c></row>")
    assert refused_within_memory(xlsx(deep)).startswith(PACKED_ODDLY)


def test_a_sheet_within_the_bounds_is_read_as_before() -> None:
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>name {n}</t></is></c>'
        f'<c r="B{n}"><v>{n}</v></c></row>'
        for n in range(1, 1001)
    )
    table = tabular.read_file(xlsx(sheet_xml(rows + '<row r="1500"><c r="A1500" s="1"/></row>')))
    assert len(table) == 1000
    assert table[0] == (1, ["name 1", 1]) and table[-1] == (1000, ["name 1000", 1000])
