"""Background work of collect (Django's tasks framework; `manage.py db_worker` runs it)."""

from django.tasks import task

from fithub.collect import services
from fithub.collect.models import SubmissionImport


@task()
def submission_import_task(import_id: int) -> None:
    """Import an uploaded export of submissions."""
    record = SubmissionImport.objects.filter(
        pk=import_id, status=SubmissionImport.Status.QUEUED
    ).first()
    if record is not None:  # gone, or run already by another worker
        services.submission_import_run(record=record)
