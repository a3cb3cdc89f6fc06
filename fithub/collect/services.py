"""Writes of collect: queue an uploaded export for import, and run it."""

import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fithub.accounts.models import User
from fithub.assessment.models import QuestionnaireVersion
from fithub.collect import importer
from fithub.collect.models import SubmissionImport

logger = logging.getLogger(__name__)


def submission_import_queue(
    *, version: QuestionnaireVersion, data: bytes, file_name: str, language: str, by: User
) -> SubmissionImport:
    """Keep an uploaded export and import it in the background."""
    # Imported on its own: 10,000 submissions take minutes, longer than a page request may.
    from fithub.collect.tasks import submission_import_task

    record = SubmissionImport.objects.create(
        version=version,
        created_by=by,
        language=language,
        file_name=file_name[:200],
        data=data,
    )
    transaction.on_commit(lambda: submission_import_task.enqueue(record.pk))
    return record


def submission_import_run(*, record: SubmissionImport) -> SubmissionImport:
    """Import a queued export, keeping its progress and then its report on the record."""
    record.status = SubmissionImport.Status.RUNNING
    record.save(update_fields=["status"])
    pk = record.pk

    def progress(done: int, total: int) -> None:
        SubmissionImport.objects.filter(pk=pk).update(processed=done, submissions=total)

    try:
        with translation.override(record.language):
            report = importer.import_submissions(
                bytes(record.data),
                name=record.file_name,
                version=record.version,
                user=record.created_by,
                progress=progress,
            )
    except Exception:
        logger.exception("Import %s failed", pk)
        with translation.override(record.language):
            record.error = _("The import stopped because of an error in FIT Hub. Try again.")
        record.status = SubmissionImport.Status.FAILED
    else:
        record.status = (
            SubmissionImport.Status.DONE if report.ok else SubmissionImport.Status.FAILED
        )
        record.error = report.error
        record.source = report.source
        record.submissions = report.submissions
        record.processed = report.submissions
        record.created_count = len(report.created)
        record.updated_count = len(report.updated)
        record.already_imported = report.already_imported
        record.rejected = [
            {"row": r.row, "instance_id": r.instance_id, "reason": r.reason}
            for r in report.rejected
        ]
        record.notes = [
            {"row": r.row, "instance_id": r.instance_id, "reason": r.reason} for r in report.notes
        ]
    record.data = b""
    record.finished_at = timezone.now()
    record.save()
    return record
