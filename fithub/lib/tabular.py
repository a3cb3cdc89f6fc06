"""Read uploaded spreadsheets (CSV in any common encoding or delimiter, or Excel) as rows of cells.

Each importer keeps its own columns, checks and messages; what is here is what they share: how
an upload becomes rows (read_file), which cells a spreadsheet would run as formulas, the cell
values every importer reads alike (as_text, as_boolean, as_date), and the Report that holds
either the rows to write or every problem found, as `includes/import_errors.html` shows it.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import IO, Any, Self

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

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
        raise BadFile(
            _("The file has more than %(max)s rows. Split it into smaller files.")
            % {"max": f"{max_rows:,}"}
        )
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
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise BadFile(_("This is not an Excel (.xlsx) file, or it is damaged.")) from None
    try:
        sheet = book.worksheets[0]
        # Some programs write a wrong sheet size; read every row there is instead.
        sheet.reset_dimensions()  # type: ignore[union-attr]
        table: Table = []
        for number, cells in enumerate(sheet.iter_rows(), 1):
            values = [_xlsx_value(c) for c in cells]
            if any(v is not None and str(v).strip() for v in values):
                table.append((number, values))
                if len(table) > limit:
                    break
        return table
    except (KeyError, ValueError, zipfile.BadZipFile) as e:
        raise BadFile(_("The Excel file could not be read: %(error)s") % {"error": e}) from None
    finally:
        book.close()


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


def excel_row(sheet: WriteOnlyWorksheet, values: Iterable[Any]) -> list[Any]:
    """Return a row for a write-only sheet's append(), every text a text cell as it is."""
    return [_text_cell(sheet, v) if isinstance(v, str) else v for v in values]


def _text_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    # openpyxl writes text starting with "=" as a formula (and "#N/A" as an error). A text cell
    # never runs in any spreadsheet, so it needs no apostrophe, which Excel would show.
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    return cell


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
