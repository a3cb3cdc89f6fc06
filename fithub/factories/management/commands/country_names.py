"""Write fithub/factories/country_names.tsv from the CLDR names Babel carries."""

from typing import Any

from django.core.management.base import BaseCommand

from fithub.factories.countries import TSV, write_tsv


class Command(BaseCommand):
    help = "Regenerate the CLDR country names read in facility lists (after Babel upgrades)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = write_tsv()
        self.stdout.write(f"{count} names written to {TSV}")
