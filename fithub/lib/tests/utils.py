"""Read back what a PDF holds: its text, its language and the fonts embedded in it."""

import io
import os
import unicodedata
from difflib import SequenceMatcher
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from fithub.lib import pdf

UNAVAILABLE = pdf.unavailable_reason()
# Skipped only on a developer's machine without Pango; in CI a missing Pango is a failure.
needs_weasyprint = pytest.mark.skipif(
    UNAVAILABLE is not None and os.environ.get("CI", "").lower() != "true",
    reason=f"WeasyPrint cannot run here: {UNAVAILABLE}",
)


def reader(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def text(data: bytes) -> str:
    """Return the text of every page, NFC-normalised so it compares with Python strings."""
    pages = [page.extract_text() or "" for page in reader(data).pages]
    return unicodedata.normalize("NFC", "\n".join(pages))


def _walk_fonts(resources: Any, found: set[str], seen: set[int]) -> None:
    resources = resources.get_object() if resources is not None else None
    if not isinstance(resources, DictionaryObject) or id(resources) in seen:
        return
    seen.add(id(resources))
    fonts = resources.get("/Font")
    for font in (fonts.get_object() if fonts is not None else {}).values():
        font = font.get_object()
        found.add(str(font.get("/BaseFont", "")))
        for descendant in font.get("/DescendantFonts", []):
            found.add(str(descendant.get_object().get("/BaseFont", "")))
    xobjects = resources.get("/XObject")
    for xobject in (xobjects.get_object() if xobjects is not None else {}).values():
        _walk_fonts(xobject.get_object().get("/Resources"), found, seen)


def fonts(data: bytes) -> set[str]:
    """Return the embedded fonts' names without the subset tag or separators.

    WeasyPrint names an embedded font after the CSS family it was chosen for, so the vendored
    "FIT Noto Sans Bengali" shows as "FITNotoSansBengali" and a system fallback as, say,
    "DejaVuSans".
    """
    found: set[str] = set()
    seen: set[int] = set()
    for page in reader(data).pages:
        _walk_fonts(page.get("/Resources"), found, seen)
    names = set()
    for name in found - {""}:
        name = name.lstrip("/")
        tag, plus, rest = name.partition("+")
        name = rest if plus and len(tag) == 6 else name
        names.add(name.replace("-", "").replace(" ", ""))
    return names


def language(data: bytes) -> str:
    return str(reader(data).trailer["/Root"].get("/Lang", ""))


def families(data: bytes) -> set[str]:
    """Return the embedded font families: fonts() without the weight ("Bold") suffix."""
    return {name.removesuffix("Bold").removesuffix("Regular") for name in fonts(data)}


def _skeleton(value: str) -> str:
    # Base letters only: no vowel signs, viramas, nuktas, joiners or spaces.
    return "".join(
        c
        for c in unicodedata.normalize("NFD", value)
        if unicodedata.category(c) not in {"Mn", "Mc", "Cf"} and not c.isspace()
    )


def match(needle: str, haystack: str) -> float:
    """Return how much of needle's base letters the closest stretch of haystack has, 0 to 1.

    Text extracted from shaped complex scripts loses and gains letters: a PDF maps each glyph
    back to the text of the first syllable it was drawn for, so a vowel sign drawn before its
    consonant, a reph or a Khmer subscript often comes back missing or doubled, and which one
    depends on what else the document says. Comparing base letters only, and allowing a few to
    differ, finds a text that is there without depending on those accidents; a text that is
    not there scores far lower (below 0.6 for the texts in these tests).
    """
    needle, haystack = _skeleton(needle), _skeleton(haystack)
    if not needle:
        return 1.0
    if needle in haystack:
        return 1.0
    window = len(needle) + len(needle) // 3
    best = 0
    for start in range(max(1, len(haystack) - len(needle) // 2)):
        matcher = SequenceMatcher(None, haystack[start : start + window], needle, autojunk=False)
        best = max(best, sum(block.size for block in matcher.get_matching_blocks()))
    return best / len(needle)
