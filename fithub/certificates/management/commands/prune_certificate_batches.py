"""Delete the files of old certificate batches; run it daily (cron or a systemd timer)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fithub.certificates import services


class Command(BaseCommand):
    help = (
        "Delete the files of certificate batches finished more than --days days ago and mark "
        "the batches expired, so that their links ask for a new batch. Safe to run again."
    )

    def add_arguments(self, parser: Any) -> None:
        default = settings.CERTIFICATE_BATCH_KEEP_DAYS
        parser.add_argument(
            "--days",
            type=int,
            default=default,
            help=f"Keep the files of batches finished this many days ago or later ({default}).",
        )

    def handle(self, *args: Any, days: int, **kw: Any) -> None:
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        pruned = services.batches_prune(days=days)
        for batch, name in pruned.removed:
            finished = batch.finished_at or batch.created_at
            self.stdout.write(
                f"Removed {name or '(no file)'}: batch {batch.pk} of session {batch.session_id}, "
                f"finished {finished:%Y-%m-%d}."
            )
        self.stdout.write(f"{len(pruned.removed)} batch file(s) older than {days} day(s) removed.")
        if pruned.failed:
            pks = ", ".join(str(batch.pk) for batch in pruned.failed)
            raise CommandError(f"The files of batches {pks} could not be deleted; see the log.")
