"""Evidence files: the type comes from the content, photos lose their metadata, size is bounded."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from PIL import Image

from fithub.assessment.models import Answer
from fithub.lib import evidence
from fithub.lib.evidence import Kind, evidence_prepare, evidence_response

GPS = 0x8825
ORIENTATION = 0x0112


def _jpeg(size: tuple[int, int] = (4000, 3000), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS] = {1: "N", 2: (23.0, 48.0, 36.0), 3: "E", 4: (90.0, 24.0, 0.0)}
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"secret comment")
    return out.getvalue()


def _upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_a_phone_photo_is_scaled_down_and_loses_its_gps_and_camera_data() -> None:
    original = _jpeg()
    assert Image.open(io.BytesIO(original)).getexif().get(GPS) is not None

    result = evidence_prepare(_upload(original))

    stored = result.content.read()
    assert result.kind is Kind.PHOTO and result.content_type == "image/jpeg"
    with Image.open(io.BytesIO(stored)) as image:
        assert max(image.size) == evidence.MAX_SIDE
        assert dict(image.getexif()) == {}
        assert "comment" not in image.info and "exif" not in image.info
    assert b"PhoneMaker" not in stored and b"secret comment" not in stored
    assert len(stored) < len(original)
    assert result.name.endswith(".jpg") and "photo" not in result.name


def test_a_photo_taken_sideways_is_stored_upright() -> None:
    # Orientation 6: the sensor's 400 x 300 picture is shown turned a quarter to the right.
    result = evidence_prepare(_upload(_jpeg((400, 300), orientation=6)))

    with Image.open(result.content) as image:
        assert image.size == (300, 400)


def test_a_png_with_transparency_stays_a_png() -> None:
    image = Image.new("RGBA", (50, 40), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")

    result = evidence_prepare(_upload(out.getvalue(), "sign.png"))

    assert result.content_type == "image/png" and result.name.endswith(".png")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.jpg"),
        (b"MZ\x90\x00" + b"\x00" * 100, "report.pdf"),
        (b"\xff\xd8\xff\xe0" + b"garbage" * 50, "broken.jpg"),
    ],
    ids=["html-named-jpg", "exe-named-pdf", "damaged-jpeg"],
)
def test_a_file_that_is_not_what_it_says_is_refused(data: bytes, name: str) -> None:
    with pytest.raises(ValidationError):
        evidence_prepare(_upload(data, name))


def test_the_type_comes_from_the_content_not_the_name() -> None:
    result = evidence_prepare(_upload(b"%PDF-1.7\n%%EOF\n", "photo.jpg"))

    assert result.kind is Kind.DOCUMENT and result.name.endswith(".pdf")


def test_an_image_declaring_too_many_pixels_is_refused_before_it_is_decoded() -> None:
    out = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(out, format="PNG")
    assert len(out.getvalue()) < evidence.MAX_BYTES

    with pytest.raises(ValidationError) as refused:
        evidence_prepare(_upload(out.getvalue(), "plan.png"))
    assert "60 million" in refused.value.messages[0]


def test_empty_and_oversized_files_are_refused() -> None:
    with pytest.raises(ValidationError):
        evidence_prepare(_upload(b""))
    big = _upload(b"%PDF-" + b"0" * evidence.MAX_BYTES, "big.pdf")
    with pytest.raises(ValidationError) as refused:
        evidence_prepare(big)
    assert "10 MB" in refused.value.messages[0]


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member, body in members.items():
            archive.writestr(member, body)
    return out.getvalue()


def test_word_and_excel_files_are_documents_but_another_zip_is_not() -> None:
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    xlsx = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"})
    other = _zip({"payload.exe": b"MZ"})

    assert evidence_prepare(_upload(docx, "minutes.docx")).name.endswith(".docx")
    assert evidence_prepare(_upload(xlsx, "register.xlsx")).name.endswith(".xlsx")
    with pytest.raises(ValidationError):
        evidence_prepare(_upload(other, "minutes.docx"))


def test_where_only_photos_are_wanted_a_document_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        evidence_prepare(_upload(b"%PDF-1.7\n", "a.pdf"), documents=False)
    assert "photo" in refused.value.messages[0]


def test_a_served_file_cannot_be_sniffed_cached_or_run(settings: object, tmp_path: object) -> None:
    setattr(settings, "MEDIA_ROOT", str(tmp_path))
    result = evidence_prepare(_upload(b"%PDF-1.7\n%%EOF\n", "audit.pdf"))
    name = default_storage.save(f"evidence/{result.name}", result.content)

    field = Answer._meta.get_field("evidence")  # any FileField: FieldFile needs an owner
    file = FieldFile(None, field, name)  # type: ignore[arg-type]
    response = evidence_response(file, download_name="audit.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[arg-type]
