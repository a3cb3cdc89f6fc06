"""Render a Django template to PDF with WeasyPrint, in the Noto fonts vendored in lib/fonts.

The fonts ship with the code, not with the host: a Bengali or Urdu PDF must look the same on a
laptop, in CI and on a server without fonts-noto, and must never fall back to empty boxes.
Each vendored face is declared under a family name of its own ("FIT Noto Sans", ...) that no
system font carries, so the name of every font embedded in a PDF says whether the vendored
file was used (the tests check exactly that).

Templates get `pdf_lang` and `pdf_dir` for `<html lang dir>`; fonts, line heights and the page
footer come from the stylesheets added here, so a template holds content and layout only.
"""

import atexit
import functools
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from fithub.lib.i18n import text_direction

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
PRINT_CSS = FONTS_DIR / "print.css"
PANGO_PACKAGES = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"

# WeasyPrint logs every layout step of every document at INFO: noise in the server's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Typeface:
    family: str  # the CSS family name; unique to FIT Hub so that no system font answers to it
    stem: str  # the file name before "-Regular.ttf" / "-Bold.ttf"

    def files(self) -> dict[int, Path]:
        return {
            400: FONTS_DIR / f"{self.stem}-Regular.ttf",
            700: FONTS_DIR / f"{self.stem}-Bold.ttf",
        }


SANS = Typeface("FIT Noto Sans", "NotoSans")
BENGALI = Typeface("FIT Noto Sans Bengali", "NotoSansBengali")
NASTALIQ = Typeface("FIT Noto Nastaliq Urdu", "NotoNastaliqUrdu")
NASKH = Typeface("FIT Noto Naskh Arabic", "NotoNaskhArabic")
KHMER = Typeface("FIT Noto Sans Khmer", "NotoSansKhmer")
TYPEFACES = (SANS, BENGALI, NASTALIQ, NASKH, KHMER)
# Appended to every stack, so that text in another script (a Bengali factory name in an
# English report) still finds a vendored face. Naskh rather than Nastaliq for Arabic script
# here: Nastaliq's tall line box would stretch the lines of a Latin document.
FALLBACKS = (SANS, BENGALI, NASKH, KHMER)


@dataclass(frozen=True)
class Typesetting:
    """The faces and line heights for one language."""

    text: tuple[Typeface, ...]  # running text: titles, statements, reasons
    dense: tuple[Typeface, ...]  # tables, figures and the page footer
    line_height: float
    dense_line_height: float


TYPESETTING: dict[str, Typesetting] = {
    "en": Typesetting((SANS,), (SANS,), 1.35, 1.3),
    # Bengali first, so that a whole syllable (with ZWJ/ZWNJ, the danda and the font's own
    # Latin digits) is shaped in one face; Noto Sans only fills in Latin letters (names, codes).
    # Stacked conjuncts and vowel signs above and below need more leading than Latin.
    "bn": Typesetting((BENGALI, SANS), (BENGALI, SANS), 1.6, 1.45),
    # Urdu is read in Nastaliq, so running text is Nastaliq. Its diagonal joins reach far above
    # and below the baseline (ascent + descent = 2.5 em), which makes table rows and figures
    # tall and ragged; tables and the footer use Naskh, as Urdu print commonly does.
    "ur": Typesetting((NASTALIQ, NASKH, SANS), (NASKH, SANS), 2.1, 1.6),
    # Khmer has no Latin digits of its own: they, and Latin names, come from Noto Sans.
    # Subscript consonants stack below the line, hence the extra leading.
    "km": Typesetting((KHMER, SANS), (KHMER, SANS), 1.75, 1.55),
}


def typesetting(language: str) -> Typesetting:
    """Return the typesetting for a language code ("bn", "bn-bd"), English if unknown."""
    return TYPESETTING.get(language.lower().split("-")[0], TYPESETTING["en"])


def font_stack(faces: Sequence[Typeface]) -> str:
    """Return a CSS font-family list: the faces, then the other vendored fallbacks."""
    ordered = [*faces, *(f for f in FALLBACKS if f not in faces)]
    return ", ".join(f'"{face.family}"' for face in ordered)


@functools.cache
def font_faces_css() -> str:
    """Return the @font-face rules for the vendored fonts, as file:// URLs."""
    rules = []
    for face in TYPEFACES:
        for weight, path in face.files().items():
            rules.append(
                f'@font-face {{ font-family: "{face.family}"; font-style: normal; '
                f'font-weight: {weight}; src: url("{path.as_uri()}") format("truetype"); }}'
            )
    return "\n".join(rules)


@functools.cache
def stylesheet(language: str) -> str:
    """Return the whole print stylesheet for a language: fonts, base CSS, language rules."""
    setting = typesetting(language)
    # Margin boxes are placed physically: the title goes on the side the text starts from.
    start, end = ("right", "left") if text_direction(language) == "rtl" else ("left", "right")
    dense = font_stack(setting.dense)
    language_css = f"""
html {{ font-family: {font_stack(setting.text)}; line-height: {setting.line_height}; }}
table, .dense {{ font-family: {dense}; line-height: {setting.dense_line_height}; }}
/* Codes (P1, PRD-01) are ASCII by validation: Latin letters and digits in every language. */
.code {{ font-family: {font_stack((SANS,))}; }}
@page {{
  font-family: {dense};
  @bottom-{start} {{ content: string(doc-title); }}
  /* No spaces around the slash: in a right-to-left line "1 / 3" would be reordered to "3 / 1". */
  @bottom-{end} {{ content: counter(page) "/" counter(pages); }}
}}
"""
    return "\n".join([font_faces_css(), PRINT_CSS.read_text(encoding="utf-8"), language_css])


def _weasyprint() -> ModuleType:
    try:
        import weasyprint
    except OSError as exc:  # cffi could not load Pango's shared libraries
        raise RuntimeError(
            f"WeasyPrint cannot load Pango, which it needs to lay out text ({exc}). "
            f"Install it with: {PANGO_PACKAGES}"
        ) from exc
    except ImportError as exc:
        raise RuntimeError(f"WeasyPrint is not installed ({exc}): pip install weasyprint") from exc
    return weasyprint


def unavailable_reason() -> str | None:
    """Return why PDFs cannot be rendered on this host, or None if they can."""
    try:
        _weasyprint()
    except RuntimeError as exc:
        return str(exc)
    return None


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    # Only local files and data: URLs. Templates hold no remote assets (everything is served
    # from the project), and a PDF must not make the server fetch a URL that text put there.
    # A resource that cannot be read stops the rendering instead of silently losing a font.
    return URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)


# Loading the ten vendored font files into a FontConfiguration is most of the time of a small
# PDF (a certificate: ~100 ms of ~120 ms), so each thread keeps one per language and reuses it.
# Per thread, because Pango's font maps are not meant to be shared between threads.
_prepared = threading.local()


def _prepared_stylesheet(language: str) -> tuple[Any, Any]:
    """Return this thread's font configuration and parsed print stylesheet for a language."""
    cache: dict[str, tuple[Any, Any]] | None = getattr(_prepared, "by_language", None)
    if cache is None:
        cache = _prepared.by_language = {}
        # Dropped at exit while the interpreter is whole: each configuration then deletes its
        # temporary font folder (its __del__ fails once shutdown has torn the modules down).
        atexit.register(cache.clear)
    if language not in cache:
        weasyprint = _weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        css = weasyprint.CSS(
            string=stylesheet(language), font_config=font_config, url_fetcher=_fetcher()
        )
        cache[language] = (font_config, css)
    return cache[language]


def render_pdf(
    *, template: str, context: dict[str, Any], language: str, base_url: str | None = None
) -> bytes:
    """Render a template in a language, then lay it out as PDF in the vendored fonts."""
    pdf: bytes = _layout(template, context, language, base_url).write_pdf()
    return pdf


def render_pdf_pages(
    *, template: str, context: dict[str, Any], language: str, base_url: str | None = None
) -> list[bytes]:
    """Render a template as render_pdf does, and return each page as a PDF of its own.

    One layout pass for all the pages: writing a page out costs little next to laying it out.
    """
    document = _layout(template, context, language, base_url)
    return [document.copy([page]).write_pdf() for page in document.pages]


def _layout(template: str, context: dict[str, Any], language: str, base_url: str | None) -> Any:
    weasyprint = _weasyprint()
    from weasyprint.urls import FatalURLFetchingError

    with translation.override(language):
        html = render_to_string(
            template, {**context, "pdf_lang": language, "pdf_dir": text_direction(language)}
        )
    try:
        font_config, css = _prepared_stylesheet(language)
        # Relative URLs resolve against base_url; by default against this package's fonts
        # directory, never against whatever the working directory happens to be.
        document = weasyprint.HTML(
            string=html, base_url=base_url or FONTS_DIR.as_uri() + "/", url_fetcher=_fetcher()
        )
        return document.render(stylesheets=[css], font_config=font_config)
    except FatalURLFetchingError as exc:  # a BaseException: not to escape as one
        raise RuntimeError(f"Cannot render {template}: {exc}") from exc
