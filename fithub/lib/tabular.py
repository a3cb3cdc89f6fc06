"""Read uploaded spreadsheets (CSV in any common encoding or delimiter, or Excel) as rows of cells.

Each importer keeps its own columns, checks and messages; what is here is how a file becomes
rows, and which cells a spreadsheet would run as formulas.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

# A table: the non-blank rows, each with its row number as the spreadsheet shows it.
Table = list[tuple[int, list[Any]]]

# What other formats begin with; a .csv starting with these was saved wrongly or renamed.
BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
# Spreadsheets run a cell starting with these as a formula (CSV injection); OWASP's list.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
SAMPLE = 65536


@dataclass
class Problem:
    row: int | None  # as the spreadsheet numbers it, header = 1; None for the whole file
    column: str
    value: str
    reason: str


class BadFile(Exception):
    """The file as a whole cannot be read; the message says why, in the user's language."""


class Formula(str):
    """An Excel cell holding a formula: never imported."""


class Quoted(str):
    """Text that an export protected with an apostrophe: a value, never a formula."""


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
            values = [
                Formula(_formula_text(c.value)) if c.data_type == "f" else c.value for c in cells
            ]
            if any(v is not None and str(v).strip() for v in values):
                table.append((number, values))
                if len(table) > limit:
                    break
        return table
    except (KeyError, ValueError, zipfile.BadZipFile) as e:
        raise BadFile(_("The Excel file could not be read: %(error)s") % {"error": e}) from None
    finally:
        book.close()


def _formula_text(value: Any) -> str:
    text = str(getattr(value, "text", value) or "")  # an array formula keeps its text in .text
    return text if text.startswith("=") else "=" + text


def cell(raw: Any, *, unquote: bool = True) -> Any:
    """Return a cell's value: text stripped, and Quoted where an export protected it."""
    if isinstance(raw, Formula) or not isinstance(raw, str):
        return raw
    text = raw.strip()
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
