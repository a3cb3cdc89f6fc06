"""The certificate PDF: every script shaped in its vendored font, the QR code, the logo."""

# Urdu text ends sentences with the Arabic full stop, which ruff takes for a hyphen.

import io
import re
from typing import Any

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from fithub.certificates import render, services
from fithub.certificates.models import Certificate
from fithub.certificates.tests.conftest import Room, attend, make_module, make_session
from fithub.lib.tests.utils import families, fonts, match, needs_weasyprint, reader, text

# A name and the module title per script; the titles are the conftest's TITLE.
NAMES = {
    "en": "Maria Santos",
    "bn": "সুমাইয়া আক্তার",
    "ur": "فاطمہ بی بی",
    "km": "សុខ ចាន់ធី",
}
FAMILY = {
    "en": "FITNotoSans",
    "bn": "FITNotoSansBengali",
    "ur": "FITNotoNastaliqUrdu",
    "km": "FITNotoSansKhmer",
}
# How much of a text must come back out of the PDF (see fithub.lib.tests.utils.match):
# Nastaliq draws letter groups as single glyphs that extract as other letters entirely.
ENOUGH = {"en": 1.0, "bn": 0.9, "ur": 0.6, "km": 0.8}


def certificate_in(cast, room: Room, lang: str, name: str | None = None) -> Certificate:
    registration = attend(room.session, cast.factory_a, name or NAMES[lang], language=lang)
    return services.certificate_issue(registration=registration, by=cast.admin_a)


def qr_modules(data: bytes, page: int = 0) -> list[list[bool]]:
    """Return the dark modules of the QR code drawn on a page, read from its pixels."""
    # The pages of a document share one resource dictionary, so the images a page draws are
    # the XObjects its content stream names with the Do operator.
    pdf_page = reader(data).pages[page]
    stream = pdf_page.get_contents().get_data()
    drawn = {name.decode() for name in re.findall(rb"/([^\s/]+)\s+Do\b", stream)}
    for image in pdf_page.images:
        picture = image.image
        if image.name.rsplit(".", 1)[0] not in drawn or picture is None:
            continue
        if picture.size[0] == picture.size[1] < 200:
            grey = picture.convert("L")
            width = grey.size[0]
            return [[grey.getpixel((x, y)) < 128 for x in range(width)] for y in range(width)]
    raise AssertionError("no QR code image on the page")


def expected_modules(url: str) -> list[list[bool]]:
    return [[bool(bit) for bit in row] for row in segno.make(url, error="m").matrix]


@needs_weasyprint
@pytest.mark.parametrize("lang", list(NAMES))
def test_a_certificate_in_each_script(cast, room: Room, lang: str) -> None:
    certificate = certificate_in(cast, room, lang)
    data = render.certificate_pdf(certificate)
    pdf = reader(data)
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    assert round(float(box.width)) == 842
    content = text(data)
    texts = render.phrases(lang)
    assert match(NAMES[lang], content) >= ENOUGH[lang]
    assert match(room.session.module.title[lang], content) >= ENOUGH[lang]
    assert match(texts["title"], content) >= ENOUGH[lang]
    assert "Farid Facilitator" in content
    assert "Provider A" in content
    # The verification code, grouped for reading aloud, and the address the QR code holds.
    url = f"https://fithub.example.org/certificates/verify/{certificate.code}/"
    assert render.display_code(certificate.code) in content
    assert url in content
    assert qr_modules(data) == expected_modules(url)
    embedded = families(data)
    assert FAMILY[lang] in embedded
    assert all(name.startswith("FITNoto") for name in embedded), embedded


@needs_weasyprint
def test_the_date_is_written_in_the_certificates_language(cast, room: Room) -> None:
    assert "March 14, 2026" in text(render.certificate_pdf(certificate_in(cast, room, "en")))
    assert match("14 মার্চ, 2026", text(render.certificate_pdf(certificate_in(cast, room, "bn"))))
    khmer = text(render.certificate_pdf(certificate_in(cast, room, "km")))
    assert match("14 ខែ មិនា ឆ្នាំ 2026", khmer) >= 0.8


@needs_weasyprint
def test_an_urdu_name_on_an_english_certificate_is_still_nastaliq(cast, room: Room) -> None:
    certificate = certificate_in(cast, room, "en", name="فاطمہ بی بی")
    assert {"FITNotoSans", "FITNotoNastaliqUrdu"} <= families(render.certificate_pdf(certificate))


@needs_weasyprint
def test_many_certificates_render_as_one_document_page_by_page(cast, room: Room) -> None:
    certificates = [certificate_in(cast, room, lang) for lang in NAMES]
    data = render.certificates_pdf(certificates)
    pdf = reader(data)
    assert len(pdf.pages) == 4
    for page, (lang, certificate) in enumerate(zip(NAMES, certificates, strict=True)):
        content = pdf.pages[page].extract_text()
        assert match(NAMES[lang], content) >= ENOUGH[lang], lang
        assert certificate.code in content
        assert qr_modules(data, page) == expected_modules(render.verification_url(certificate.code))
    assert set(FAMILY.values()) <= families(data)


@needs_weasyprint
def test_a_long_title_and_name_stay_on_one_page(cast, room: Room) -> None:
    room.session.module.title = {"ur": "کام کی جگہ پر تعاون سے پیداواری صلاحیت " * 4}
    room.session.module.save()
    certificate = certificate_in(cast, room, "ur", name="فاطمہ بی بی " * 5)
    assert len(reader(render.certificate_pdf(certificate)).pages) == 1


def _logo(cast) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 200), (20, 60, 120)).save(buffer, format="PNG")
    services.organisation_logo_set(
        organisation=cast.provider_a,
        image=SimpleUploadedFile("logo.png", buffer.getvalue()),
        by=cast.admin_a,
    )


@needs_weasyprint
def test_the_providers_logo_is_printed(cast, room: Room) -> None:
    certificate = certificate_in(cast, room, "en")
    sizes = {
        image.image.size for image in reader(render.certificate_pdf(certificate)).pages[0].images
    }
    assert (600, 200) not in sizes
    _logo(cast)
    certificate = Certificate.objects.get(pk=certificate.pk)
    sizes = {
        image.image.size for image in reader(render.certificate_pdf(certificate)).pages[0].images
    }
    assert (600, 200) in sizes


@needs_weasyprint
def test_a_logo_lost_from_storage_does_not_stop_the_certificate(cast, room: Room) -> None:
    _logo(cast)
    cast.provider_a.logo.storage.delete(cast.provider_a.logo.name)
    certificate = certificate_in(cast, room, "en")
    assert len(reader(render.certificate_pdf(certificate)).pages) == 1


@needs_weasyprint
def test_a_session_run_by_a_factory_names_it_as_issuer(cast) -> None:
    session = make_session(
        module=make_module("OWN-01"),
        provider=None,
        engagement=cast.engagement_a,
        organising_factory=cast.factory_a,
        facilitator_name="Rina Coordinator",
        delivery_model="laissez_faire",
    )
    registration = attend(session, cast.factory_a, "Maria Santos")
    certificate = services.certificate_issue(registration=registration, by=cast.coordinator_a)
    content = text(render.certificate_pdf(certificate))
    assert "Alpha Garments" in content and "Rina Coordinator" in content


def test_fixed_phrases_come_in_every_certificate_language() -> None:
    for lang in render.LANGUAGES:
        texts = render.phrases(lang)
        assert texts.keys() == render.KEYS.keys()
        if lang != "en":
            assert all(texts[key] != english for key, english in render.KEYS.items()), lang
    assert render.phrases("km")["title"] == "វិញ្ញាបនបត្របញ្ចប់ការសិក្សា"


@pytest.mark.parametrize(
    ("name", "default", "lang"),
    [
        ("فاطمہ بی بی", "en", "ur"),
        ("সুমাইয়া আক্তার", "en", "bn"),
        ("សុខ ចាន់ធី", "en", "km"),
        ("Maria Santos", "ur", "en"),
        ("  «12» ", "bn", "bn"),
    ],
)
def test_a_name_is_set_in_the_fonts_of_its_script(name: str, default: str, lang: str) -> None:
    assert render.script_language(name, default) == lang


def test_codes_print_in_two_groups() -> None:
    assert render.display_code("ABCDE23456") == "ABCDE-23456"


def test_certificate_languages_fall_back_to_english(**_: Any) -> None:
    assert render.certificate_language("bn-BD") == "bn"
    assert render.certificate_language("fr") == "en"
    assert render.certificate_language("") == "en"


@needs_weasyprint
def test_fonts_helper_sees_bold_faces(cast, room: Room) -> None:
    # The name is bold: the bold face of the script is embedded, not a synthesised one.
    data = render.certificate_pdf(certificate_in(cast, room, "bn"))
    assert "FITNotoSansBengaliBold" in fonts(data)
