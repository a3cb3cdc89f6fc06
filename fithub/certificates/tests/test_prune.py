"""prune_certificate_batches: old batch files are deleted, their batches marked expired."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.utils import timezone

from fithub.certificates.models import Batch
from fithub.certificates.tests.conftest import Room
from fithub.training.models import Session


def finished(session: Session, kind: str, days_ago: float) -> Batch:
    """A batch done `days_ago` days ago, with its file on disk."""
    batch = Batch.objects.create(session=session, kind=kind, status=Batch.Status.DONE, total=3)
    batch.file.save(f"certificates-{batch.pk}.{kind}", ContentFile(b"%PDF-old"), save=False)
    batch.finished_at = timezone.now() - timedelta(days=days_ago)
    batch.save()
    return batch


def prune(*args: str) -> str:
    out = StringIO()
    call_command("prune_certificate_batches", *args, stdout=out)
    return out.getvalue()


def test_files_older_than_the_days_kept_are_removed_and_recent_ones_stay(room: Room) -> None:
    old_pdf = finished(room.session, "pdf", days_ago=31)
    old_zip = finished(room.session, "zip", days_ago=90)
    recent = finished(room.session, "pdf", days_ago=29)
    failed = Batch.objects.create(session=room.session, kind="pdf", status=Batch.Status.FAILED)
    names = {b.pk: b.file.name for b in (old_pdf, old_zip, recent)}
    storage = recent.file.storage

    output = prune()  # 30 days unless told otherwise

    assert names[old_pdf.pk] in output and names[old_zip.pk] in output
    assert names[recent.pk] not in output
    assert "2 batch file(s) older than 30 day(s) removed." in output
    for batch in (old_pdf, old_zip):
        batch.refresh_from_db()
        assert batch.status == Batch.Status.EXPIRED and not batch.file
        assert not storage.exists(names[batch.pk])
    recent.refresh_from_db()
    assert recent.status == Batch.Status.DONE and storage.exists(names[recent.pk])
    failed.refresh_from_db()
    assert failed.status == Batch.Status.FAILED

    # Run again (tomorrow's cron): nothing more to do, and no error.
    assert "0 batch file(s) older than 30 day(s) removed." in prune()
    recent.refresh_from_db()
    assert recent.status == Batch.Status.DONE and storage.exists(names[recent.pk])


def test_the_days_come_from_the_option_or_the_setting(room: Room, settings) -> None:
    batch = finished(room.session, "pdf", days_ago=40)
    settings.CERTIFICATE_BATCH_KEEP_DAYS = 60
    assert "0 batch file(s) older than 60 day(s)" in prune()
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DONE
    assert "1 batch file(s) older than 7 day(s)" in prune("--days", "7")
    batch.refresh_from_db()
    assert batch.status == Batch.Status.EXPIRED


def test_a_file_gone_already_still_expires_its_batch(room: Room) -> None:
    batch = finished(room.session, "zip", days_ago=31)
    batch.file.storage.delete(batch.file.name)
    prune()
    batch.refresh_from_db()
    assert batch.status == Batch.Status.EXPIRED


def test_negative_days_are_refused(room: Room) -> None:
    batch = finished(room.session, "pdf", days_ago=31)
    with pytest.raises(CommandError, match="0 or more"):
        prune("--days", "-1")
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DONE


def test_a_file_that_cannot_be_deleted_is_reported_and_tried_again(room: Room, monkeypatch) -> None:
    stuck = finished(room.session, "pdf", days_ago=31)
    other = finished(room.session, "zip", days_ago=31)

    def refuse(self, name: str) -> None:  # type: ignore[no-untyped-def]
        if name == stuck.file.name:
            raise PermissionError(name)

    monkeypatch.setattr(FileSystemStorage, "delete", refuse)
    with pytest.raises(CommandError, match=f"batches {stuck.pk} could not be deleted"):
        prune()
    stuck.refresh_from_db()
    other.refresh_from_db()
    assert stuck.status == Batch.Status.DONE  # left for the next run
    assert other.status == Batch.Status.EXPIRED
