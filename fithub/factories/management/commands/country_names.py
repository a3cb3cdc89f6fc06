"""Write country_names.tsv and locale-countries/ from the CLDR names Babel carries."""

from typing import Any

from django.core.management.base import BaseCommand

from fithub.factories.countries import CATALOGUES, TSV, write_catalogues, write_tsv


class Command(BaseCommand):
    help = "Regenerate the CLDR country names read in facility lists (after Babel upgrades)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = write_tsv()
        self.stdout.write(f"{count} names written to {TSV}")
        write_catalogues()
        self.stdout.write(f"Bengali and Urdu catalogues written to {CATALOGUES}")
