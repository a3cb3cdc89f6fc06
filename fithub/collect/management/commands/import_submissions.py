"""Import an ODK Central or KoboToolbox export from a file, as a given user."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from fithub.accounts.models import User
from fithub.assessment.models import QuestionnaireVersion
from fithub.assessment.scoping import versions_for
from fithub.collect import importer


class Command(BaseCommand):
    help = (
        "Import submissions (ODK Central CSV/ZIP/JSON, KoboToolbox CSV/JSON) as assessments "
        "of a questionnaire version, with the rights of the given user."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--questionnaire-version", type=int, required=True, dest="version")
        parser.add_argument("--user", required=True, help="E-mail of the importing user.")
        parser.add_argument("--language", default="en", help="Language of the report.")

    def handle(self, *args: Any, file: Path, version: int, user: str, **kw: Any) -> None:
        try:
            by = User.objects.get(email__iexact=user, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active user with the e-mail {user}.") from None
        # The same rule as the page: the user must be able to see the version.
        found = versions_for(by).filter(pk=version, status=QuestionnaireVersion.Status.PUBLISHED)
        target = found.select_related("questionnaire").first()
        if target is None:
            raise CommandError(f"{user} sees no published questionnaire version {version}.")
        try:
            data = file.read_bytes()
        except OSError as e:
            raise CommandError(str(e)) from None
        with translation.override(kw["language"]):
            report = importer.import_submissions(data, name=file.name, version=target, user=by)
            if not report.ok:
                raise CommandError(report.error)
            for r in report.rejected:
                self.stderr.write(f"row {r.row} {r.instance_id}: {r.reason}")
            for r in report.notes:
                self.stdout.write(f"row {r.row} {r.instance_id}: {r.reason}")
        self.stdout.write(
            f"{report.source}: {report.submissions} submissions, {len(report.created)} imported, "
            f"{len(report.updated)} updated by an edit, "
            f"{report.already_imported} already imported, {len(report.rejected)} not imported."
        )
