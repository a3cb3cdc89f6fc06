"""Background work of factories (Django's tasks framework; `manage.py db_worker` runs it)."""

from django.tasks import task

from fithub.factories import notify
from fithub.factories.models import AccessRequest


@task()
def access_requested_task(access_request_id: int) -> None:
    """E-mail the people who decide a request to work with a factory."""
    access_request = AccessRequest.objects.filter(pk=access_request_id).first()
    if access_request is not None:
        notify.access_requested(access_request)


@task()
def access_decided_task(access_request_id: int) -> None:
    """E-mail the provider's administrator who asked what the factory decided."""
    access_request = AccessRequest.objects.filter(pk=access_request_id).first()
    if access_request is not None:
        notify.access_decided(access_request)
