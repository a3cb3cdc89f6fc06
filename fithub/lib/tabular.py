"""Read uploaded spreadsheets (CSV in any common encoding or delimiter, or Excel) as rows of cells.

Each importer keeps its own columns, checks and messages; what is here is what they share: how
an upload becomes rows (read_file; check_archive and check_xlsx refuse, within fixed bounds, the
files built to unpack or expand to gigabytes), which cells a spreadsheet would run as formulas,
the cell values every importer reads alike (as_text, as_boolean, as_date), and the Report that
holds either the rows to write or every problem found, as `includes/import_errors.html` shows.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import IO, Any, Self
from xml.etree.ElementTree import Element, ParseError

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import CellCoordinatesException, InvalidFileException
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

# A table: the non-blank rows, each with its row number as the spreadsheet shows it.
Table = list[tuple[int, list[Any]]]

# What other formats begin with; a .csv starting with these was saved wrongly or renamed.
BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
# Spreadsheets run a cell starting with these as a formula (CSV injection); OWASP's list.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
SAMPLE = 65536
MAX_ROWS = 50_000  # rows below the header, unless an importer allows fewer
MAX_ERRORS = 500  # problems a report lists; past that it only counts them
MAX_VALUE = 200  # characters of a wrong value a report keeps: enough to find it in the file
# An upload that is small can unpack to gigabytes (a "zip bomb"), and a small sheet can describe
# millions of cells or rows. A ZIP's sizes are read before anything is unpacked (zipfile stops a
# member at its stated size), then every XML part is counted as it streams by, and openpyxl only
# ever sees a file within these bounds.
MAX_MEMBERS = 10_000  # an .xlsx has a few dozen parts; ODK Central's ZIP adds one per photo
UNPACKED_TIMES = 10  # an archive may unpack to this many times IMPORT_MAX_BYTES
MAX_RATIO = 100  # unpacked to packed, per member; Apache POI refuses beyond the same ratio
RATIO_GRACE = 1024 * 1024  # members smaller than this cannot hurt, however well they pack
MAX_DEPTH = 64  # XML nesting; a sheet nests 7 deep
MAX_COLUMNS = 200  # cells in a row of a sheet; every importer reads far fewer columns
MAX_BLANK_ROWS = 10_000  # rows without a value in a sheet, counting the row numbers skipped
MAX_CELLS = 2_000_000  # cells in a sheet, blank or not: 50,000 rows of 40 columns
TRUE_WORDS = ("yes", "true", "1", "y")
FALSE_WORDS = ("no", "false", "0", "n")


@dataclass
class Problem:
    row: int | None  # as the spreadsheet numbers it, header = 1; None for the whole file
    column: str
    value: str
    reason: str


class BadFile(Exception):
    """The file as a whole cannot be read; the message says why, in the user's language."""


# Importers check the whole file, then call finish(), so that one wrong row writes nothing;
# `includes/import_errors.html` shows errors, error_count and more_errors.
@dataclass
class Report[Row]:
    """What an import read: the rows to write if every one is right, else every problem."""

    rows: list[Row] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warnings: list[str] = field(default_factory=list)

    def error(self, row: int | None, column: str, value: Any, reason: str) -> None:
        """Record a problem; row None is the whole file. Past MAX_ERRORS, only count it."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            text = "" if value is None else str(value)
            self.errors.append(Problem(row, column, text[:MAX_VALUE], reason))

    def refused_formula(self, row: int, column: str, value: Any) -> bool:
        """Record a cell that a spreadsheet would run as a formula; tell whether it was one."""
        if not is_formula(value):
            return False
        self.error(
            row, column, value, _("Formulas are not imported. Replace the formula by its value.")
        )
        return True

    def finish(self) -> Self:
        """Drop the rows if anything was wrong, so that nothing is written; return the report."""
        if not self.ok:
            self.rows = []
        return self

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)


class Formula(str):
    """An Excel cell holding a formula: never imported."""


class Quoted(str):
    """Text that an export protected with an apostrophe: a value, never a formula."""


def too_large_message() -> str:
    """Say that a file is over IMPORT_MAX_BYTES, in the user's language."""
    limit = settings.IMPORT_MAX_BYTES
    return _("The file is larger than %(limit)s MB. Split it into smaller files.") % {
        "limit": f"{limit / (1024 * 1024):g}"
    }


def check_size(upload: UploadedFile) -> None:
    """Raise BadFile if the upload is over IMPORT_MAX_BYTES, before a byte of it is read."""
    if (upload.size or 0) > settings.IMPORT_MAX_BYTES:
        raise BadFile(too_large_message())


def too_many_rows_message(max_rows: int) -> str:
    """Say that a file has more than max_rows rows, in the user's language."""
    return _("The file has more than %(max)s rows. Split it into smaller files.") % {
        "max": f"{max_rows:,}"
    }


def read_file(upload: UploadedFile, *, max_rows: int = MAX_ROWS) -> Table:
    """Return a CSV or Excel upload's non-blank rows; raise BadFile if it is neither, or empty."""
    check_size(upload)
    limit = max_rows + 1  # and the header
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        text = decode(upload.read())
        if text is None:
            raise BadFile(
                _(
                    "This is not a CSV file. Save the list from your spreadsheet as "
                    "“CSV UTF-8”, or upload the Excel (.xlsx) file."
                )
            )
        table = read_csv(text, limit=limit)
    elif suffix in (".xlsx", ".xlsm"):
        table = read_xlsx(upload, limit=limit)
    elif suffix == ".xls":
        raise BadFile(_("Old Excel files (.xls) cannot be read. Save the file as .xlsx or CSV."))
    elif not suffix:
        raise BadFile(
            _("Only CSV and Excel (.xlsx) files can be imported. Name the file .csv or .xlsx.")
        )
    else:
        raise BadFile(
            _("Only CSV and Excel (.xlsx) files can be imported, not %(suffix)s files.")
            % {"suffix": suffix}
        )
    if len(table) > limit:
        raise BadFile(too_many_rows_message(max_rows))
    if not table:
        raise BadFile(_("The file is empty."))
    return table


def decode(data: bytes) -> str | None:
    """Decode CSV bytes (UTF-8 with or without BOM, UTF-16 with a BOM, else Windows-1252)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if data.startswith(BINARY_MAGIC) or b"\x00" in data[:SAMPLE]:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("latin-1")
    sample = text[:SAMPLE]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    return None if controls > len(sample) // 100 else text


def delimiter_of(text: str) -> str:
    """Return the delimiter the first line uses most: Excel saves ";" where "," is decimal."""
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    return max((",", ";", "\t"), key=first_line.count)


def read_csv(text: str, *, limit: int | None = None) -> Table:
    """Return CSV text's non-blank rows, stopping once there are more than limit of them."""
    table: Table = []
    try:
        for number, cells in enumerate(
            csv.reader(io.StringIO(text), delimiter=delimiter_of(text)), 1
        ):
            if any(c.strip() for c in cells):
                table.append((number, cells))
                if limit is not None and len(table) > limit:
                    break
    except csv.Error as e:
        raise BadFile(_("The CSV file could not be read: %(error)s") % {"error": e}) from None
    return table


def read_xlsx(file: IO[bytes], *, limit: int) -> Table:
    """Return the first sheet's non-blank rows, formulas as Formula, stopping past limit rows."""
    # Before openpyxl opens it: opening reads every sheet through, to look for its size.
    check_xlsx(file, limit=limit)
    file.seek(0)
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, ParseError):
        raise BadFile(_damaged()) from None
    try:
        sheet = book.worksheets[0]
        # Some programs write a wrong sheet size; read every row there is instead (the rows
        # and cells there are were counted by check_xlsx).
        sheet.reset_dimensions()  # type: ignore[union-attr]
        table: Table = []
        for number, cells in enumerate(sheet.iter_rows(), 1):
            values = [_xlsx_value(c) for c in cells]
            if any(v is not None and str(v).strip() for v in values):
                table.append((number, values))
                if len(table) > limit:
                    break
        return table
    except (KeyError, ValueError, zipfile.BadZipFile, ParseError) as e:
        raise BadFile(_("The Excel file could not be read: %(error)s") % {"error": e}) from None
    finally:
        book.close()


def _damaged() -> str:
    return _("This is not an Excel (.xlsx) file, or it is damaged.")


def _packed_oddly() -> BadFile:
    return BadFile(
        _(
            "This file is packed in an unusual way and was not read. Save it again from the "
            "program that made it."
        )
    )


def check_archive(archive: zipfile.ZipFile) -> None:
    """Raise BadFile if a ZIP would unpack to far more than it holds, before unpacking any of it."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _packed_oddly()
    limit = settings.IMPORT_MAX_BYTES * UNPACKED_TIMES
    if sum(m.file_size for m in members) > limit:
        raise BadFile(
            _("The file is larger than %(limit)s MB once unpacked. Split it into smaller files.")
            % {"limit": f"{limit / (1024 * 1024):g}"}
        )
    for m in members:
        if m.file_size > RATIO_GRACE and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise _packed_oddly()


def check_xlsx(file: IO[bytes], *, limit: int) -> None:
    """Raise BadFile if an Excel file holds more than an import reads, reading it as a stream."""
    try:
        with zipfile.ZipFile(file) as archive:
            check_archive(archive)
            for member in archive.infolist():
                with archive.open(member) as stream:
                    _check_part(stream, limit=limit)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        raise BadFile(_damaged()) from None


# openpyxl reads as a row every element with this tag, and as its cells all the row's children.
ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"


@dataclass
class _Sheet:
    """What one sheet holds so far, as openpyxl would number its rows and columns."""

    limit: int  # rows with a value, the header included
    row: int = 0
    column: int = 0
    cells_in_row: int = 0
    row_has_value: bool = False
    rows: int = 0
    blank_rows: int = 0
    cells: int = 0

    def start_row(self, element: Element) -> None:
        number = _row_number(element.get("r"), self.row)
        self._blank(max(number - self.row - 1, 0))  # openpyxl yields the rows skipped
        self.row, self.column, self.cells_in_row, self.row_has_value = number, 0, 0, False

    def start_cell(self, element: Element) -> None:
        coordinate = element.get("r")
        self.column = coordinate_to_tuple(coordinate)[1] if coordinate else self.column + 1
        self.cells_in_row += 1
        self.cells += 1
        if max(self.column, self.cells_in_row) > MAX_COLUMNS:
            raise BadFile(
                _("The sheet has more than %(max)s columns. Delete the columns not imported.")
                % {"max": MAX_COLUMNS}
            )
        if self.cells > MAX_CELLS:
            raise BadFile(
                _("The sheet has more than %(max)s cells. Split it into smaller files.")
                % {"max": f"{MAX_CELLS:,}"}
            )

    def end_row(self) -> None:
        if not self.row_has_value:
            self._blank(1)
            return
        self.rows += 1
        if self.rows > self.limit:
            raise BadFile(too_many_rows_message(self.limit - 1))

    def _blank(self, count: int) -> None:
        self.blank_rows += count
        if self.blank_rows > MAX_BLANK_ROWS:
            raise BadFile(
                _(
                    "The sheet has more than %(max)s empty rows. Delete the empty rows and save "
                    "the file again."
                )
                % {"max": f"{MAX_BLANK_ROWS:,}"}
            )


def _row_number(text: str | None, previous: int) -> int:
    if text is None:
        return previous + 1
    try:
        return int(text)
    except ValueError:
        number = float(text)  # openpyxl takes "5.0" as well
        if not number.is_integer():
            raise
        return int(number)


def _check_part(stream: IO[bytes], *, limit: int) -> None:
    """Count a part's rows and cells as it streams by, keeping none of it in memory."""
    sheet = _Sheet(limit)
    path: list[Element] = []  # from the root to the element being read
    try:
        # openpyxl's own parser (defusedxml where installed), so that both read a part alike.
        for event, element in iterparse(stream, events=("start", "end")):
            if event == "end":
                path.pop()
                if element.tag == ROW_TAG:
                    sheet.end_row()
                if path:
                    path[-1].remove(element)  # read once, never kept
                continue
            path.append(element)
            if len(path) > MAX_DEPTH:
                raise _packed_oddly()
            parent = path[-2].tag if len(path) > 1 else None
            if element.tag == ROW_TAG:
                sheet.start_row(element)
            elif parent == ROW_TAG:
                sheet.start_cell(element)
            elif len(path) > 2 and path[-3].tag == ROW_TAG:
                sheet.row_has_value = True  # a cell's value, formula or text
    except ParseError:
        return  # not XML (an image), or damaged: openpyxl says so if it reads this part
    except (ValueError, OverflowError, CellCoordinatesException):
        raise BadFile(_damaged()) from None


def _xlsx_value(c: Any) -> Any:
    if c.data_type == "f":
        return Formula(_formula_text(c.value))
    # Text in a text cell is a value even if it starts like a formula: our exports write
    # "=HYPERLINK(...)" so, and Excel saves what was typed after an apostrophe so.
    if isinstance(c.value, str) and c.value.lstrip().startswith(FORMULA_START):
        return Quoted(c.value)
    return c.value


def _formula_text(value: Any) -> str:
    text = str(getattr(value, "text", value) or "")  # an array formula keeps its text in .text
    return text if text.startswith("=") else "=" + text


def cell(raw: Any, *, unquote: bool = True) -> Any:
    """Return a cell's value: text stripped, and Quoted where an export protected it."""
    if isinstance(raw, Formula) or not isinstance(raw, str):
        return raw
    text = raw.strip()
    if isinstance(raw, Quoted):
        return Quoted(text)
    if unquote and text[:1] == "'" and text[1:2] in FORMULA_START:
        return Quoted(text[1:])
    return text


def is_formula(value: Any) -> bool:
    """Tell whether a cell holds a formula, or text that a spreadsheet would run as one."""
    if isinstance(value, Formula):
        return True
    if not isinstance(value, str) or isinstance(value, Quoted) or len(value) < 2:
        return False  # a lone "-" is how many lists write "none"
    # A signed number, such as a negative coordinate, is not a formula.
    return value[0] in "=@" or (value[0] in "+-" and not PLAIN_NUMBER.fullmatch(value))


def neutralise(value: str) -> str:
    """Make text that a spreadsheet would run as a formula plain text (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def as_text(value: Any) -> str:
    """Return a cell as text: blank for an empty cell, 250 (not 250.0) for Excel's whole numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_boolean(value: Any) -> bool:
    """Read yes or no (true/false, 1/0, y/n, or Excel's TRUE/FALSE); a blank cell is no."""
    if isinstance(value, bool):
        return value
    text = as_text(value).strip().casefold()
    if not text or text in FALSE_WORDS:
        return False
    if text in TRUE_WORDS:
        return True
    raise ValidationError(
        _("“%(value)s” is not yes or no. Write yes, no, true, false, 1 or 0.")
        % {"value": as_text(value)}
    )


def as_date(value: Any) -> date | None:
    """Read an Excel date or text as 2026-03-31 or 31/03/2026; a blank cell is None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = as_text(value).strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(
        _("“%(value)s” is not a date. Write it as 2026-03-31 or 31/03/2026.") % {"value": text}
    )
