"""Writes of certificates: issue, revoke, reissue, render and expire batches, a provider's logo."""

import io
import itertools
import logging
import re
import zipfile
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from fithub.accounts.models import Organisation, User
from fithub.certificates import render
from fithub.certificates.models import Batch, Certificate
from fithub.training.models import Registration, Session

logger = logging.getLogger(__name__)

# Pages per WeasyPrint run in a one-PDF batch: each run advances the progress bar, and a
# session of a thousand does not hold a thousand laid-out pages in memory at once.
PDF_CHUNK = 100
# A logo is printed about 70 x 22 mm: this many pixels is sharp at 300 dpi and keeps every
# certificate PDF small, whatever size of photo was uploaded.
LOGO_MAX_PIXELS = (1200, 400)
LOGO_MAX_BYTES = 5 * 1024 * 1024
CODE_CLEAN = re.compile(r"[\s\-\u2010-\u2015]+")  # spaces, hyphens and dashes


def normalise_code(code: str) -> str:
    """Return a code as stored: typed in any case, with or without spaces and dashes."""
    return CODE_CLEAN.sub("", code).upper()


def _new_certificate(registration: Registration, by: User | None, language: str) -> Certificate:
    # A code clash is one in 800 million million; a second try makes it as good as never.
    for _attempt in range(3):
        certificate = Certificate(
            registration=registration,
            name=registration.participant.name.strip(),
            language=language,
            issued_at=timezone.now(),
            issued_by=by,
        )
        certificate._history_user = by  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:
            if Certificate.objects.filter(registration=registration).exists():
                raise  # issued meanwhile by someone else: the caller answers with that one
            continue
        return certificate
    raise RuntimeError("Could not find an unused verification code.")


def certificate_issue(
    *, registration: Registration, by: User | None, language: str | None = None
) -> Certificate:
    """Issue a participant who attended a certificate, or return the one already issued."""
    existing = Certificate.objects.filter(registration=registration).first()
    if existing is not None:
        return existing
    if registration.present is not True:
        raise ValidationError(_("Only participants who attended receive a certificate."))
    if registration.session.status == Session.Status.CANCELLED:
        raise ValidationError(_("The session was cancelled: it gives no certificates."))
    if language is not None and language not in render.LANGUAGES:
        raise ValidationError(
            {"language": _("A certificate can be printed in English, Bengali, Urdu or Khmer.")}
        )
    if not registration.participant.name.strip():
        raise ValidationError(_("The participant has no name to print."))
    chosen = language or render.certificate_language(registration.participant.language)
    try:
        return _new_certificate(registration, by, chosen)
    except IntegrityError:
        return Certificate.objects.get(registration=registration)


def certificates_issue_for_session(*, session: Session, by: User | None) -> list[Certificate]:
    """Issue certificates to everyone present at a session who has none yet; return them."""
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("The session was cancelled: it gives no certificates."))
    waiting = (
        session.registrations.filter(present=True, certificate__isnull=True)
        .select_related("participant", "session")
        .order_by("participant__name", "pk")
    )
    issued = []
    for registration in waiting:
        if not registration.participant.name.strip():
            continue
        # The query above already did certificate_issue's checks for the whole session, so
        # each certificate costs its insert only, not a lookup more.
        language = render.certificate_language(registration.participant.language)
        try:
            issued.append(_new_certificate(registration, by, language))
        except IntegrityError:
            issued.append(Certificate.objects.get(registration=registration))
    return issued


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, by: User | None) -> Certificate:
    """Revoke a certificate: its verification page says so from now on."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate is revoked already."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:300]
    certificate.revoked_by = by
    certificate._history_user = by  # type: ignore[attr-defined]
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    _expire_session_batches(certificate.registration.session_id)
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, name: str, by: User | None) -> Certificate:
    """Reissue a certificate with a corrected name: same code, next revision."""
    # The code stays: it is on the paper and in the QR code the participant already holds,
    # and a verifier scanning the old paper then sees the corrected name.
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Write the name to print.")})
    if certificate.revoked_at is not None:
        raise ValidationError(_("A revoked certificate cannot be reissued."))
    if name == certificate.name:
        raise ValidationError({"name": _("This is the name already printed.")})
    certificate.name = name
    certificate.revision += 1
    certificate.issued_at = timezone.now()
    certificate.issued_by = by
    certificate._history_user = by  # type: ignore[attr-defined]
    certificate.save(update_fields=["name", "revision", "issued_at", "issued_by"])
    _expire_session_batches(certificate.registration.session_id)
    return certificate


def batch_certificates(session: Session) -> QuerySet[Certificate]:
    """Return the certificates a batch prints: the session's valid ones, by name."""
    return Certificate.objects.filter(
        registration__session=session, revoked_at__isnull=True
    ).order_by("name", "pk")


def batch_create(*, session: Session, kind: str, by: User | None) -> Batch:
    """Queue all of a session's valid certificates to be rendered as one PDF or a ZIP."""
    from fithub.certificates.tasks import batch_render_task

    if kind not in Batch.Kind.values:
        raise ValidationError({"kind": _("Choose one PDF or a ZIP of separate PDFs.")})
    total = batch_certificates(session).count()
    if not total:
        raise ValidationError(_("There are no certificates to print: issue them first."))
    batch = Batch.objects.create(session=session, kind=kind, total=total, requested_by=by)
    transaction.on_commit(lambda: batch_render_task.enqueue(batch.pk))
    return batch


def _batch_name(batch: Batch, suffix: str) -> str:
    session = batch.session
    return f"certificates-{session.module.code}-{session.date:%Y-%m-%d}-{batch.pk}.{suffix}"


def batch_run(*, batch: Batch) -> Batch:
    """Render a queued batch, keeping its progress on the record for the progress bar."""
    pk = batch.pk
    Batch.objects.filter(pk=pk).update(status=Batch.Status.RUNNING)
    certificates = render.with_relations(batch_certificates(batch.session))
    total = len(certificates)
    Batch.objects.filter(pk=pk).update(total=total, done=0)
    language = batch.requested_by.language if batch.requested_by else "en"
    try:
        if not certificates:  # all revoked since the batch was asked for
            with translation.override(language):
                raise ValidationError(_("There are no certificates to print: issue them first."))
        if batch.kind == Batch.Kind.PDF:
            data = _render_one_pdf(pk, certificates)
            name = _batch_name(batch, "pdf")
        else:
            data = _render_zip(pk, certificates)
            name = _batch_name(batch, "zip")
    except Exception as exc:
        if isinstance(exc, ValidationError):
            error = " ".join(exc.messages)
        else:
            logger.exception("Certificate batch %s failed", pk)
            with translation.override(language):
                error = _("The certificates could not be rendered because of an error in FIT Hub.")
        Batch.objects.filter(pk=pk).update(
            status=Batch.Status.FAILED, error=error, finished_at=timezone.now()
        )
    else:
        batch.refresh_from_db()
        batch.file.save(name, ContentFile(data), save=False)
        batch.status = Batch.Status.DONE
        batch.done = batch.total = total
        batch.finished_at = timezone.now()
        batch.save(update_fields=["file", "status", "done", "total", "finished_at"])
        # Only now that the new file is saved: a failed render leaves the last good one.
        _expire_previous(batch)
    batch.refresh_from_db()
    return batch


def _expire_previous(batch: Batch) -> None:
    # Earlier batches only: a batch asked for later, and finished sooner, stays the newest.
    # The new batch is done whatever happens here; prune_certificate_batches retries failures.
    _expire_each(
        Batch.objects.filter(
            session_id=batch.session_id, kind=batch.kind, status=Batch.Status.DONE, pk__lt=batch.pk
        )
    )


def _expire_session_batches(session_id: int) -> None:
    # A session's ready batches still print a revoked certificate or the name before its
    # correction: once the change is committed, they go, and the page offers a new batch.
    transaction.on_commit(
        lambda: _expire_each(Batch.objects.filter(session_id=session_id, status=Batch.Status.DONE))
    )


def batch_expire(*, batch: Batch) -> str:
    """Delete a finished batch's file and mark the batch expired; return the file's name."""
    name = batch.file.name or ""
    if name:
        # The file goes first: if the record were marked first and the delete then failed, the
        # file (naming people) would be left with nothing pointing at it, never deleted.
        batch.file.storage.delete(name)  # a file gone already is no error
    Batch.objects.filter(pk=batch.pk).update(status=Batch.Status.EXPIRED, file="")
    batch.status = Batch.Status.EXPIRED
    batch.file.name = ""
    return name


@dataclass(frozen=True)
class Pruned:
    """What an expiry (batches_prune, or a replacement) removed, and what it could not."""

    removed: list[tuple[Batch, str]]
    failed: list[Batch]


def batches_prune(*, days: int) -> Pruned:
    """Delete the files of batches finished more than `days` days ago; mark them expired."""
    if days < 0:
        raise ValueError("days must not be negative")
    cutoff = timezone.now() - timedelta(days=days)
    return _expire_each(
        Batch.objects.filter(status=Batch.Status.DONE)
        .filter(Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff))
        .order_by("pk")
    )


def _expire_each(batches: QuerySet[Batch]) -> Pruned:
    """Expire each batch; one whose file cannot be deleted stays done, for the next prune."""
    removed: list[tuple[Batch, str]] = []
    failed: list[Batch] = []
    for batch in batches:
        try:
            removed.append((batch, batch_expire(batch=batch)))
        except OSError:
            logger.exception("Certificate batch %s: its file could not be deleted", batch.pk)
            failed.append(batch)
    return Pruned(removed, failed)


def _render_one_pdf(pk: int, certificates: list[Certificate]) -> bytes:
    from pypdf import PdfWriter

    parts = []
    done = 0
    for chunk in itertools.batched(certificates, PDF_CHUNK):
        parts.append(render.certificates_pdf(chunk))
        done += len(chunk)
        Batch.objects.filter(pk=pk).update(done=done)
    if len(parts) == 1:
        return parts[0]
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _render_zip(pk: int, certificates: list[Certificate]) -> bytes:
    out = io.BytesIO()
    # PDFs are compressed already: stored, the ZIP is as small and much faster to write.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        # Laid out a chunk at a time (one WeasyPrint pass each, not one per certificate),
        # then written out a page per file; the progress bar moves a chunk at a time.
        done = 0
        for chunk in itertools.batched(certificates, PDF_CHUNK):
            for certificate, data in render.separate_pdfs(chunk):
                archive.writestr(render.filename(certificate), data)
            done += len(chunk)
            Batch.objects.filter(pk=pk).update(done=done)
    return out.getvalue()


def organisation_logo_set(
    *, organisation: Organisation, image: UploadedFile | None, by: User | None
) -> Organisation:
    """Set (or, with None, remove) the logo printed on a provider's certificates."""
    old = organisation.logo.name if organisation.logo else ""
    if image is None:
        organisation.logo = ""  # type: ignore[assignment]
    else:
        if (image.size or 0) > LOGO_MAX_BYTES:
            raise ValidationError({"logo": _("The logo may be at most 5 MB.")})
        try:
            picture = Image.open(image)
            picture.load()
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
            raise ValidationError({"logo": _("Upload a PNG or JPEG picture.")}) from exc
        # Stored as PNG at print size: any upload (a phone photo, a CMYK JPEG) prints alike,
        # and the picture's metadata (a camera's location) is left behind.
        printable = picture.convert("RGBA")
        printable.thumbnail(LOGO_MAX_PIXELS)
        buffer = io.BytesIO()
        printable.save(buffer, format="PNG", optimize=True)
        organisation.logo.save(f"{organisation.pk}.png", ContentFile(buffer.getvalue()), save=False)
    organisation._history_user = by  # type: ignore[attr-defined]
    organisation.save(update_fields=["logo"])
    if old and old != organisation.logo.name:
        organisation.logo.storage.delete(old)
    return organisation
