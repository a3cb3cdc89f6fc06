"""Bring the database up to date and load the demo data if it is empty, in one process."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, then load the demo data if the database is empty (used by ./dev start)."

    def handle(self, *args: Any, **options: Any) -> None:
        # One process instead of two saves a Django start-up on every ./dev start.
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", if_empty=True)
        call_command("seed_catalogue", if_empty=True)
        call_command("seed_assessment", if_empty=True)
        call_command("seed_training", if_empty=True)
