"""Evidence files (photos and documents) as every app stores and serves them.

Evidence is uploaded from cheap phones by factory staff, advisors and assessors, and it is read
by people who may see the record it belongs to, and nobody else. Three things follow:

- The type is decided by the file's content, never by its name or the browser's word: a
  renamed executable or an HTML page posing as a photo is refused.
- Photos are decoded, turned upright, scaled down and written again. That drops EXIF and every
  other metadata block (a phone's GPS position of the factory floor above all), keeps files small
  for slow connections, and means no byte the uploader chose reaches another reader's browser.
- Files live in the default storage, which no URL serves (`MEDIA_URL` has no route). An app
  serves one through its own view, after its scoping check, with `evidence_response`.

An app calls `evidence_prepare(upload)` in its service, stores the returned `Evidence.content`
in a FileField (whose `upload_to` names the app's folder), and keeps `Evidence.kind` if it
shows photos and documents differently.
"""

import io
import uuid
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from typing import cast

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
# A photo is scaled so that its longer side is at most this: enough to read a label or a
# fire-exit sign, about 300 KB as JPEG instead of the 4-8 MB a phone camera writes.
MAX_SIDE = 1600
# Refuse decoding images larger than this (a 10 MB PNG can declare 50,000 x 50,000 pixels
# and take gigabytes to decode). Pillow's own guard warns at 89 Mpx; we refuse earlier.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 82


class Kind(StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"


@dataclass(frozen=True)
class Evidence:
    """A checked evidence file, ready to be saved in a FileField."""

    content: ContentFile[bytes]
    name: str  # the stored name: random, with the suffix of the real type
    kind: Kind
    content_type: str
    original_name: str


# Content type -> (suffix, kind), for what the sniffing below recognises.
_TYPES: dict[str, tuple[str, Kind]] = {
    "image/jpeg": (".jpg", Kind.PHOTO),
    "image/png": (".png", Kind.PHOTO),
    "image/webp": (".webp", Kind.PHOTO),
    "application/pdf": (".pdf", Kind.DOCUMENT),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        ".docx",
        Kind.DOCUMENT,
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx", Kind.DOCUMENT),
}
_SUFFIX_TYPES = {suffix: content_type for content_type, (suffix, _kind) in _TYPES.items()}


def sniff(data: bytes) -> str | None:
    """Name the content type a file's bytes show, or None for anything else."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        return _office_type(data)
    return None


def _office_type(data: bytes) -> str | None:
    # Word and Excel files are zip archives; only the names of their members are read here,
    # never the (possibly huge) contents.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def evidence_prepare(upload: File[bytes], *, documents: bool = True) -> Evidence:
    """Check an uploaded file and return it ready to store; raise ValidationError otherwise."""
    size = upload.size
    name = upload.name or ""
    if not size:
        raise ValidationError(_("The file is empty."))
    if size > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    content_type = sniff(data)
    if content_type is None or (not documents and _TYPES[content_type][1] is Kind.DOCUMENT):
        raise ValidationError(
            _("Evidence can be a photo (JPEG, PNG, WebP) or a document (PDF, Word, Excel).")
            if documents
            else _("Evidence here must be a photo (JPEG, PNG or WebP).")
        )
    suffix, kind = _TYPES[content_type]
    if kind is Kind.PHOTO:
        data, content_type = _clean_photo(data)
        suffix = _TYPES[content_type][0]
    stored_name = f"{uuid.uuid4().hex}{suffix}"
    return Evidence(
        content=ContentFile(data, name=stored_name),
        name=stored_name,
        kind=kind,
        content_type=content_type,
        original_name=name,
    )


def _clean_photo(data: bytes) -> tuple[bytes, str]:
    damaged = ValidationError(_("This photo could not be read. It may be damaged."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("This photo has too many pixels (%(mpx)s million). Send a smaller one.")
                    % {"mpx": (width * height) // 1_000_000}
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise damaged from None
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A new image carries no EXIF, XMP, ICC text or comments: only pixels are copied over.
    if upright.mode in ("RGBA", "LA", "P") and _has_transparency(upright):
        clean = Image.new("RGBA", upright.size)
        clean.paste(upright.convert("RGBA"))
        clean.save(out, format="PNG", optimize=True)
        return out.getvalue(), "image/png"
    clean = Image.new("RGB", upright.size)
    clean.paste(upright.convert("RGB"))
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue(), "image/jpeg"


def _has_transparency(image: Image.Image) -> bool:
    if image.mode == "P":
        return "transparency" in image.info
    alpha = image.getchannel("A")
    extrema = cast(tuple[int, int], alpha.getextrema())
    return extrema[0] < 255


def content_type_of(name: str) -> str:
    """The content type of a stored evidence file, from the suffix this module gave it."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return _SUFFIX_TYPES.get(suffix, "application/octet-stream")


def evidence_response(file: FieldFile, *, download_name: str = "") -> FileResponse:
    """Serve a stored evidence file to a reader the caller has already checked."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    stored = (file.name or "").rsplit("/", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=False,
        filename=download_name or stored,
        content_type=content_type_of(stored),
    )
    # The reader's browser must not guess a type, cache it for the next user of a shared
    # phone, or run anything a PDF may carry.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response
