"""render_pdf: the template's language and direction, and only the vendored fonts, anywhere."""

# Urdu text ends sentences with the Arabic full stop, which ruff takes for a hyphen.
# ruff: noqa: RUF001

import builtins
import re
from pathlib import Path
from typing import Any

import pytest

from fithub.lib import pdf
from fithub.lib.tests.utils import families, language, match, needs_weasyprint, text

TEMPLATE = """{% load i18n %}{% get_current_language as current %}<!doctype html>
<html lang="{{ pdf_lang }}" dir="{{ pdf_dir }}">
<head><meta charset="utf-8"><title>{{ heading }}</title></head>
<body>
<h1>{{ heading }}</h1>
<p class="code">lang={{ pdf_lang }} dir={{ pdf_dir }} active={{ current }}</p>
<p>{{ body }}</p>
{% if image %}<img src="{{ image }}" alt="">{% endif %}
</body>
</html>
"""

SAMPLES = {
    "en": ("Needs assessment", "Every worker has clean drinking water."),
    # Conjuncts: ক্ষ্য (three letters), প্র, স্প, ষ্ট; and the danda.
    "bn": ("চাহিদা মূল্যায়ন", "উৎপাদন লক্ষ্য প্রতিদিন স্পষ্টভাবে জানানো হয়।"),
    "ur": ("ضروریات کا جائزہ", "ہر کارکن کے لیے پینے کا صاف پانی موجود ہے۔"),
    "km": ("ការវាយតម្លៃតម្រូវការ", "កម្មករគ្រប់រូបមានទឹកស្អាតសម្រាប់ផឹក។"),
}
FAMILY = {
    "en": "FITNotoSans",
    "bn": "FITNotoSansBengali",
    "ur": "FITNotoNastaliqUrdu",
    "km": "FITNotoSansKhmer",
}


@pytest.fixture(autouse=True)
def _template(settings: Any, tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "sample.html").write_text(TEMPLATE, encoding="utf-8")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]


def render(language: str, **context: Any) -> bytes:
    return pdf.render_pdf(template="sample.html", context=context, language=language)


@needs_weasyprint
@pytest.mark.parametrize("lang", list(SAMPLES))
def test_each_language_is_set_in_its_vendored_font(lang: str) -> None:
    heading, body = SAMPLES[lang]
    data = render(lang, heading=heading, body=body)
    assert language(data) == lang
    direction = "rtl" if lang == "ur" else "ltr"
    assert f"lang={lang} dir={direction} active={lang}" in text(data)
    embedded = families(data)
    assert FAMILY[lang] in embedded
    # Nothing came from a system font: every embedded font is one of the vendored faces.
    assert all(name.startswith("FITNoto") for name in embedded), embedded


# Shaped Bengali and Khmer do not extract letter for letter: see utils.match.
@needs_weasyprint
def test_bengali_text_extracts() -> None:
    heading, body = SAMPLES["bn"]
    content = text(render("bn", heading=heading, body=body))
    assert match(heading, content) >= 0.9
    assert match(body, content) >= 0.9


@needs_weasyprint
def test_khmer_text_extracts() -> None:
    heading, body = SAMPLES["km"]
    content = text(render("km", heading=heading, body=body))
    assert match(body, content) >= 0.8


@needs_weasyprint
def test_urdu_uses_nastaliq_for_text_and_naskh_for_the_footer() -> None:
    heading, body = SAMPLES["ur"]
    data = render("ur", heading=heading, body=body)
    # Nastaliq draws letter groups as single glyphs that extract as other letters entirely.
    assert match(body, text(data)) >= 0.6
    assert {"FITNotoNastaliqUrdu", "FITNotoNaskhArabic"} <= families(data)


@needs_weasyprint
def test_other_scripts_in_a_document_still_use_vendored_fonts() -> None:
    # A Bengali factory name in an English report.
    data = render("en", heading="Results", body="Factory: " + SAMPLES["bn"][0])
    assert {"FITNotoSans", "FITNotoSansBengali"} <= families(data)
    assert all(name.startswith("FITNoto") for name in families(data))


@needs_weasyprint
def test_an_unknown_language_is_set_like_english() -> None:
    data = render("fr", heading="Évaluation des besoins", body="Chaque ouvrier a de l'eau.")
    assert language(data) == "fr"
    assert "Évaluation des besoins" in text(data)
    assert families(data) == {"FITNotoSans"}


@needs_weasyprint
def test_page_numbers_are_in_the_footer() -> None:
    content = text(render("en", heading="Needs assessment", body="x"))
    assert "1/1" in content


@needs_weasyprint
def test_renders_from_any_working_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    data = render("bn", heading=SAMPLES["bn"][0], body=SAMPLES["bn"][1])
    assert "FITNotoSansBengali" in families(data)


@needs_weasyprint
@pytest.mark.parametrize("url", ["https://example.invalid/logo.png", "ftp://example.invalid/x"])
def test_remote_resources_are_refused(url: str) -> None:
    with pytest.raises(RuntimeError, match=r"sample\.html"):
        render("en", heading="x", body="x", image=url)


def test_font_faces_point_at_the_vendored_files() -> None:
    urls = re.findall(r'url\("([^"]+)"\)', pdf.font_faces_css())
    assert len(urls) == 2 * len(pdf.TYPEFACES)
    for url in urls:
        assert url.startswith("file:///")
    readme = (pdf.FONTS_DIR / "README.md").read_text(encoding="utf-8")
    for face in pdf.TYPEFACES:
        for path in face.files().values():
            assert path.is_file() and path.stat().st_size > 50_000
            assert path.as_uri() in urls
            assert path.name in readme
    assert (pdf.FONTS_DIR / "OFL.txt").is_file()


def test_every_language_stack_ends_in_the_other_vendored_faces() -> None:
    for lang in ("en", "bn", "ur", "km"):
        css = pdf.stylesheet(lang)
        stack = re.search(r"html \{ font-family: ([^;]+);", css)
        assert stack is not None
        assert stack.group(1).startswith(f'"{pdf.typesetting(lang).text[0].family}"')
        for face in pdf.FALLBACKS:
            assert f'"{face.family}"' in stack.group(1)


def test_the_footer_starts_on_the_reading_side() -> None:
    assert "@bottom-left { content: string(doc-title); }" in pdf.stylesheet("en")
    assert "@bottom-right { content: string(doc-title); }" in pdf.stylesheet("ur")


def test_without_pango_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pango(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    with pytest.raises(RuntimeError, match=re.escape(pdf.PANGO_PACKAGES)):
        pdf.render_pdf(template="sample.html", context={}, language="en")
    assert "libpango" in (pdf.unavailable_reason() or "")


def test_match_forgives_lost_vowel_signs_but_not_other_words() -> None:
    written = "উৎপাদন লক্ষ্য প্রতিদিন শ্রমিকদের স্পষ্টভাবে জানানো হয়।"
    # As extracted from a PDF: two ি, a ে and the ে of ো gone.
    extracted = "1. উৎপাদন লক্ষ্য প্রতিদন শ্রমকদর স্পষ্টভাবে জানানা হিয়। P1"
    assert match(written, extracted) == 1.0
    assert match("কর্মীর", "কমর্মীর") >= 0.9  # a doubled reph
    assert match(written, "যন্ত্রপাতি নিয়মিত পরীক্ষা ও রক্ষণাবেক্ষণ করা হয়।") < 0.6
    assert match(written, "") == 0.0
