"""Send the day's improvement reminders; run it daily (cron or a systemd timer)."""

from typing import Any

from django.core.management.base import BaseCommand

from fithub.improvement import services, tasks


class Command(BaseCommand):
    help = (
        "E-mail each factory coordinator and provider facilitator one digest of their overdue "
        "and soon-due improvement items and adoption follow-ups. Safe to run again: nobody "
        "gets two digests on the same day."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Hand the work to the background worker instead of doing it now.",
        )

    def handle(self, *args: Any, queue: bool, **kw: Any) -> None:
        if queue:
            result = tasks.reminders_task.enqueue()
            self.stdout.write(f"Queued as task {result.id}.")
            return
        sent = services.reminders_send()
        self.stdout.write(f"{sent} digest(s) sent.")
