"""Load the sample catalogue: fictional FIT-style modules in English, Bengali and Urdu."""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction

from fithub.catalogue import services
from fithub.catalogue.models import Module, ModuleFile
from fithub.catalogue.sample import INTRO, MODULES, SAMPLE_ATTRIBUTION, sample_pdf

# (version, released on) of the sample files, so that the translation status shows every state.
OLD = ("2019.1", date(2019, 11, 1))
CURRENT = ("2020.1", date(2020, 6, 1))
NEW = ("2021.1", date(2021, 3, 1))


def _file_plan(index: int) -> dict[str, list[tuple[str, date]]]:
    """Pick the sample files of the index-th module in each language."""
    return {
        "en": [CURRENT, NEW] if index % 7 == 3 else [CURRENT],
        "bn": [] if index % 5 == 4 else [CURRENT],
        "ur": [[OLD], [CURRENT], []][index % 3],
    }


class Command(BaseCommand):
    help = "Load the sample module catalogue (fictional, labelled as samples); update by code."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if the catalogue has any module."
        )
        parser.add_argument("--no-files", action="store_true", help="Load no sample PDFs.")

    def handle(self, *args: Any, if_empty: bool = False, no_files: bool = False, **kw: Any) -> None:
        if if_empty and Module.objects.exists():
            self.stdout.write("The catalogue has modules already; nothing was loaded.")
            return
        with transaction.atomic():
            created, updated, files = self.seed(files=not no_files)
        self.stdout.write(
            self.style.SUCCESS(
                f"Sample catalogue (demo): {created} modules created, {updated} updated, "
                f"{files} sample files added."
            )
        )

    def seed(self, *, files: bool) -> tuple[int, int, int]:
        existing = {m.code: m for m in Module.objects.filter(code__in=[s.code for s in MODULES])}
        created = updated = added = 0
        modules = {}
        for order, sample in enumerate(MODULES):
            duration, case, activities, plan = sample.minutes
            data: dict[str, Any] = {
                "title": sample.title,
                "summary": sample.summary,
                "category": sample.category,
                "audience": sample.audience,
                "duration_minutes": duration,
                "case_study_minutes": case,
                "activities_minutes": activities,
                "action_plan_minutes": plan,
                "departments": list(sample.departments),
                "attribution": SAMPLE_ATTRIBUTION,
                "sort_order": order * 10,
                "is_demo": True,
            }
            if sample.code in existing:
                current = existing[sample.code]
                details = services.ModuleDetails.of(current).changed(data)
                module = services.module_update(module=current, by=None, details=details)
                updated += 1
            else:
                details = services.ModuleDetails(code=sample.code, **data)
                module = services.module_create(by=None, details=details)
                created += 1
            modules[sample.code] = module
        intro = modules[INTRO]
        for index, (code, module) in enumerate(modules.items()):
            if code != INTRO:
                services.module_update(module=module, by=None, prerequisites=[intro])
            if files:
                added += self.add_files(module, index)
        return created, updated, added

    def add_files(self, module: Module, index: int) -> int:
        added = 0
        for language, versions in _file_plan(index).items():
            for version, released_on in versions:
                if ModuleFile.objects.filter(
                    module=module, language=language, format="pdf", version=version
                ).exists():
                    continue
                content = sample_pdf(
                    [
                        f"{module.code} - sample module (demo)",
                        f"Language: {language}. Version {version}.",
                        "The real catalogue is imported by its owner.",
                    ]
                )
                upload = SimpleUploadedFile(
                    f"{module.code}.pdf", content, content_type="application/pdf"
                )
                services.module_file_add(
                    by=None,
                    module=module,
                    upload=upload,
                    language=language,
                    version=version,
                    released_on=released_on,
                )
                added += 1
        return added
