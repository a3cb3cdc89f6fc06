"""Load the sample needs-assessment questionnaire (labelled as a sample) and a demo sitting."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from fithub.accounts.models import FactoryMembership, Organisation
from fithub.accounts.roles import Kind
from fithub.assessment import services
from fithub.assessment.models import Assessment, Questionnaire, QuestionnaireVersion, Statement
from fithub.assessment.sample import DEMO_NOES, NOTES, OWNER, SECTIONS, SLUG, TITLE
from fithub.catalogue.models import Module
from fithub.factories.models import Factory


class Command(BaseCommand):
    help = (
        "Load the sample needs-assessment questionnaire (demo), published, and one submitted "
        "demo assessment if the demo factories exist."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if any questionnaire exists.",
        )

    def handle(self, *args: Any, if_empty: bool = False, **kw: Any) -> None:
        if if_empty and Questionnaire.objects.exists():
            self.stdout.write("Questionnaires exist already; nothing was loaded.")
            return
        if Questionnaire.objects.filter(slug=SLUG).exists():
            self.stdout.write(f"The sample questionnaire {SLUG!r} exists already.")
            return
        if not Module.objects.exists():
            call_command("seed_catalogue", no_files=True, stdout=self.stdout)
        with transaction.atomic():
            version, statements, missing = self.seed()
            demo = self.demo_assessment(version)
        self.stdout.write(
            self.style.SUCCESS(
                f"Sample questionnaire (demo): {statements} statements in {len(SECTIONS)} "
                f"sections, published as version {version.number}."
            )
        )
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    "These modules are not in the catalogue, so no statement points to them: "
                    + ", ".join(sorted(missing))
                )
            )
        if demo is not None:
            self.stdout.write(f"Demo assessment submitted for {demo.factory.name}.")

    def seed(self) -> tuple[QuestionnaireVersion, int, set[str]]:
        owner, _created = Organisation.objects.get_or_create(
            name=OWNER, defaults={"kind": Kind.PROGRAMME_OWNER}
        )
        questionnaire = services.questionnaire_create(
            owner=owner, slug=SLUG, title=TITLE, by=None, is_demo=True
        )
        version = questionnaire.versions.get()
        services.questionnaire_version_update(version=version, by=None, notes=NOTES)
        modules = {m.code: m for m in Module.objects.all()}
        missing: set[str] = set()
        count = 0
        for order, sample in enumerate(SECTIONS, start=1):
            section = services.section_save(
                version=version,
                by=None,
                code=sample.code,
                title=sample.title,
                department=sample.department,
                order=order,
            )
            for position, item in enumerate(sample.statements, start=1):
                links = []
                for code, weight in item.links:
                    if code in modules:
                        links.append((modules[code], weight))
                    else:
                        missing.add(code)
                services.statement_save(
                    section=section,
                    by=None,
                    code=item.code,
                    text=item.text,
                    links=links,
                    order=position,
                )
                count += 1
        version = services.questionnaire_version_publish(version=version, by=None)
        return version, count, missing

    def demo_assessment(self, version: QuestionnaireVersion) -> Assessment | None:
        """Submit one assessment for the first demo factory with an engagement; else none."""
        factory = (
            Factory.objects.filter(engagements__programme__is_demo=True)
            .order_by("pk")
            .distinct()
            .first()
        )
        if factory is None:
            return None
        engagement = factory.engagements.order_by("pk").first()
        coordinator = (
            FactoryMembership.objects.filter(
                factory=factory, role=FactoryMembership.Role.COORDINATOR
            )
            .select_related("user")
            .first()
        )
        user = coordinator.user if coordinator else None
        assessment = services.assessment_start(
            factory=factory,
            version=version,
            engagement=engagement,
            by=user,
            coordinator_name=user.get_full_name() if user else "FIT coordinator (demo)",
            manager_name="Factory manager (demo)",
            language=user.language if user else "en",
        )
        statements = Statement.objects.filter(section__version=version)
        services.answers_save(
            assessment=assessment,
            answers=[{"statement": s, "value": s.code not in DEMO_NOES} for s in statements],
            by=user,
        )
        return services.assessment_submit(assessment=assessment, by=user)
