"""Load the SAMPLE compliance assessment tools (Bangladesh, Pakistan) for a programme owner."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fithub.accounts.models import Organisation
from fithub.accounts.roles import Kind
from fithub.compliance.sample import sample_tool_load

DEFAULT_OWNER = "ILO FIT pilots (demo)"


class Command(BaseCommand):
    help = "Load the labelled SAMPLE tools for Bangladesh and Pakistan, published as version 1."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--owner", default=DEFAULT_OWNER, help="The programme owner's name.")

    def handle(self, *args: Any, owner: str = DEFAULT_OWNER, **kw: Any) -> None:
        org = Organisation.objects.filter(name=owner, kind=Kind.PROGRAMME_OWNER).first()
        if org is None:
            raise CommandError(f"No programme owner is named {owner!r}.")
        for country in ("BD", "PK"):
            version = sample_tool_load(owner=org, country=country)
            self.stdout.write(
                f"{version}: {version.questions.count()} questions in "
                f"{version.clusters.count()} clusters (SAMPLE)."
            )
