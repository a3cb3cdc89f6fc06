"""Catalogue test helpers: modules and files to test with."""

import io
import zipfile
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from fithub.catalogue import services
from fithub.catalogue.models import Module, ModuleFile
from fithub.catalogue.sample import sample_pdf


def pdf(name: str = "module.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample_pdf(["Test module"]), content_type=content_type)


def docx(name: str = "module.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def make_module(code: str = "T-01", **kw: Any) -> Module:
    data: dict[str, Any] = {
        "title": {"en": f"Module {code}", "bn": f"মডিউল {code}", "ur": f"ماڈیول {code}"},
        "summary": {"en": "A test module."},
        "category": "production",
        "audience": "mixed",
        "duration_minutes": 120,
        "case_study_minutes": 20,
        "activities_minutes": 70,
        "action_plan_minutes": 30,
        "departments": ["sewing"],
    }
    data.update(kw)
    return services.module_create(by=None, details=services.ModuleDetails(code=code, **data))


def add_file(
    module: Module,
    language: str = "en",
    version: str = "2020.1",
    released_on: date = date(2020, 6, 1),
    upload: SimpleUploadedFile | None = None,
) -> ModuleFile:
    return services.module_file_add(
        by=None,
        module=module,
        upload=upload or pdf(),
        language=language,
        version=version,
        released_on=released_on,
    )
