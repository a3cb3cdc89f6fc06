"""Background work of improvement (Django's tasks framework; `manage.py db_worker` runs it)."""

from django.tasks import task

from fithub.improvement import services


@task()
def reminders_task() -> int:
    """Send today's reminder digests; a second run the same day sends nothing again."""
    return services.reminders_send()
