"""Background work of certificates (Django's tasks framework; `manage.py db_worker` runs it)."""

from django.tasks import task

from fithub.certificates import services
from fithub.certificates.models import Batch


@task()
def batch_render_task(batch_id: int) -> None:
    """Render a session's certificates as one PDF or a ZIP."""
    batch = Batch.objects.filter(pk=batch_id, status=Batch.Status.QUEUED).first()
    if batch is not None:  # gone, or run already by another worker
        services.batch_run(batch=batch)
