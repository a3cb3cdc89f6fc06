"""A session's certificates rendered in the background: one PDF, or a ZIP of separate PDFs."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage

from fithub.certificates import render, services
from fithub.certificates.models import Batch, Certificate
from fithub.certificates.tasks import batch_render_task
from fithub.certificates.tests.conftest import Room, attend
from fithub.lib.tests.utils import fonts, language, needs_weasyprint, reader, text


def run(cast, room: Room, kind: str, capture) -> Batch:
    """Ask for a batch and let the task run (the test settings run tasks immediately)."""
    with capture(execute=True):
        batch = services.batch_create(session=room.session, kind=kind, by=cast.admin_a)
    batch.refresh_from_db()
    return batch


def content(batch: Batch) -> bytes:
    with batch.file.open("rb") as f:
        return f.read()


@needs_weasyprint
def test_all_as_one_pdf_one_page_each(
    cast, room: Room, issued, django_capture_on_commit_callbacks
) -> None:
    batch = run(cast, room, "pdf", django_capture_on_commit_callbacks)
    assert batch.status == Batch.Status.DONE, batch.error
    assert batch.done == batch.total == 3
    assert batch.finished_at is not None
    assert batch.file.name.endswith(".pdf") and "PRD-01-2026-03-14" in batch.file.name
    pdf = reader(content(batch))
    assert len(pdf.pages) == 3
    everything = "\n".join(page.extract_text() for page in pdf.pages)
    for certificate in issued:
        assert certificate.code in everything


@needs_weasyprint
def test_all_as_a_zip_of_separate_pdfs(
    cast, room: Room, issued, django_capture_on_commit_callbacks
) -> None:
    batch = run(cast, room, "zip", django_capture_on_commit_callbacks)
    assert batch.status == Batch.Status.DONE, batch.error
    assert batch.done == batch.total == 3
    with zipfile.ZipFile(io.BytesIO(content(batch))) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"certificate-{c.code}.pdf" for c in issued)
        for name in names:
            assert len(reader(archive.read(name)).pages) == 1


@needs_weasyprint
def test_each_separate_pdf_is_the_certificate_alone_as_if_printed_by_itself(
    cast, room: Room, issued, django_capture_on_commit_callbacks
) -> None:
    # The ZIP lays out all the pages at once and writes each out: every file must still be
    # its own certificate, in its own language, with its fonts embedded.
    batch = run(cast, room, "zip", django_capture_on_commit_callbacks)
    with zipfile.ZipFile(io.BytesIO(content(batch))) as archive:
        for certificate in issued:
            data = archive.read(render.filename(certificate))
            alone = render.certificate_pdf(certificate)
            assert certificate.code in text(data)
            assert text(data) == text(alone)
            assert fonts(data) == fonts(alone)
            assert fonts(data) and all(f.startswith("FIT") for f in fonts(data)), fonts(data)
            assert language(data) == language(alone) == certificate.language
            for other in issued:
                if other != certificate:
                    assert other.code not in text(data)


@needs_weasyprint
def test_revoked_certificates_are_left_out(
    cast, room: Room, issued, django_capture_on_commit_callbacks
) -> None:
    services.certificate_revoke(certificate=issued[0], reason="Duplicate", by=cast.admin_a)
    batch = run(cast, room, "pdf", django_capture_on_commit_callbacks)
    assert batch.done == batch.total == 2
    assert len(reader(content(batch)).pages) == 2
    assert issued[0].code not in "".join(p.extract_text() for p in reader(content(batch)).pages)


@needs_weasyprint
def test_a_large_pdf_is_rendered_in_chunks_and_reports_progress(
    cast, room: Room, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    for i in range(4):
        attend(room.session, cast.factory_a, f"Person {i}")
    services.certificates_issue_for_session(session=room.session, by=cast.admin_a)
    monkeypatch.setattr(services, "PDF_CHUNK", 3)
    seen: list[tuple[str, int, int]] = []
    real = render.certificates_pdf

    def spy(certificates):  # type: ignore[no-untyped-def]
        batch = Batch.objects.get()
        seen.append((batch.status, batch.done, batch.total))
        return real(certificates)

    monkeypatch.setattr(render, "certificates_pdf", spy)
    batch = run(cast, room, "pdf", django_capture_on_commit_callbacks)
    # 7 certificates in chunks of 3: the progress bar moves after each chunk.
    assert seen == [("running", 0, 7), ("running", 3, 7), ("running", 6, 7)]
    assert batch.done == batch.total == 7
    assert len(reader(content(batch)).pages) == 7


def test_a_failure_is_recorded_and_explained(
    cast, room: Room, issued, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    def broken(certificates):  # type: ignore[no-untyped-def]
        raise RuntimeError("Pango exploded")

    monkeypatch.setattr(render, "separate_pdfs", broken)  # what the ZIP renders with
    batch = run(cast, room, "zip", django_capture_on_commit_callbacks)
    assert batch.status == Batch.Status.FAILED
    assert "could not be rendered" in batch.error
    assert "Pango" not in batch.error  # the details go to the log, not to the user
    assert batch.finished_at is not None and not batch.file


def test_a_batch_needs_certificates_and_a_known_kind(cast, room: Room, issued) -> None:
    with pytest.raises(ValidationError, match="kind"):
        services.batch_create(session=room.session, kind="docx", by=cast.admin_a)
    Certificate.objects.update(revoked_reason="x", revoked_at="2026-04-01T00:00Z")
    with pytest.raises(ValidationError, match="issue them first"):
        services.batch_create(session=room.session, kind="pdf", by=cast.admin_a)


def test_the_task_leaves_a_batch_that_is_not_queued_alone(cast, room: Room, issued) -> None:
    batch = Batch.objects.create(
        session=room.session, kind="pdf", status=Batch.Status.DONE, total=3, done=3
    )
    batch_render_task.enqueue(batch.pk)
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DONE and not batch.file


# --- old files -------------------------------------------------------------------------------


@pytest.fixture
def fake_pdfs(monkeypatch) -> None:
    """Render placeholder bytes: these tests are about the files kept, not what they show."""
    monkeypatch.setattr(render, "certificates_pdf", lambda certificates: b"%PDF-all")
    monkeypatch.setattr(render, "certificate_pdf", lambda certificate: b"%PDF-one")


def stored(batch: Batch, name: str | None = None) -> bool:
    return batch.file.storage.exists(name or batch.file.name)


def test_a_new_batch_deletes_the_previous_file_of_its_session_and_kind(
    cast, room: Room, issued, cert_b, fake_pdfs, django_capture_on_commit_callbacks
) -> None:
    first_pdf = run(cast, room, "pdf", django_capture_on_commit_callbacks)
    first_zip = run(cast, room, "zip", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        other = services.batch_create(
            session=cert_b.registration.session, kind="pdf", by=cast.admin_b
        )
    other.refresh_from_db()
    old_name = first_pdf.file.name
    assert stored(first_pdf) and stored(first_zip) and stored(other)

    second_pdf = run(cast, room, "pdf", django_capture_on_commit_callbacks)

    assert second_pdf.status == Batch.Status.DONE and stored(second_pdf)
    first_pdf.refresh_from_db()
    assert first_pdf.status == Batch.Status.EXPIRED and not first_pdf.file
    assert not stored(first_pdf, old_name)
    # The ZIP of the same session and the PDF of another session are not replaced.
    for kept in (first_zip, other):
        kept.refresh_from_db()
        assert kept.status == Batch.Status.DONE and stored(kept)


def test_a_failed_batch_keeps_the_previous_file(
    cast, room: Room, issued, fake_pdfs, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    good = run(cast, room, "pdf", django_capture_on_commit_callbacks)

    def broken(certificates):  # type: ignore[no-untyped-def]
        raise RuntimeError("Pango exploded")

    monkeypatch.setattr(render, "certificates_pdf", broken)
    failed = run(cast, room, "pdf", django_capture_on_commit_callbacks)

    assert failed.status == Batch.Status.FAILED
    good.refresh_from_db()
    assert good.status == Batch.Status.DONE and stored(good)
    assert content(good) == b"%PDF-all"


def test_a_new_batch_is_done_even_if_the_old_file_cannot_be_deleted(
    cast, room: Room, issued, fake_pdfs, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    old = run(cast, room, "pdf", django_capture_on_commit_callbacks)

    def refuse(name: str) -> None:
        raise PermissionError(name)

    monkeypatch.setattr(FileSystemStorage, "delete", lambda self, name: refuse(name))
    new = run(cast, room, "pdf", django_capture_on_commit_callbacks)

    assert new.status == Batch.Status.DONE and stored(new)
    # Still on record as done, with its file, so that the prune command tries it again.
    old.refresh_from_db()
    assert old.status == Batch.Status.DONE and stored(old)


@pytest.mark.parametrize("change", ["revoke", "reissue"])
def test_a_revocation_or_name_correction_expires_the_sessions_ready_files(
    cast, room: Room, issued, cert_b, fake_pdfs, django_capture_on_commit_callbacks, change
) -> None:
    pdf = run(cast, room, "pdf", django_capture_on_commit_callbacks)
    zip_ = run(cast, room, "zip", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        other = services.batch_create(
            session=cert_b.registration.session, kind="pdf", by=cast.admin_b
        )
    names = {b.pk: b.file.name for b in (pdf, zip_)}

    # Those files still print the revoked certificate, or the name before its correction.
    with django_capture_on_commit_callbacks(execute=True):
        if change == "revoke":
            services.certificate_revoke(certificate=issued[0], reason="Not there", by=cast.admin_a)
        else:
            services.certificate_reissue(certificate=issued[0], name="Corrected", by=cast.admin_a)

    for batch in (pdf, zip_):
        batch.refresh_from_db()
        assert batch.status == Batch.Status.EXPIRED and not stored(batch, names[batch.pk])
    other.refresh_from_db()  # another session's file is not touched
    assert other.status == Batch.Status.DONE and stored(other)
