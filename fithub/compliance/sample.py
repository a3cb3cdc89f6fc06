"""The labelled SAMPLE tools for Bangladesh and Pakistan, so the demo and tests run on real shapes.

The questions (data/sample_bd.csv, data/sample_pk.csv) were written for FIT Hub after the
public short forms of Better Work's questions (domain.md §3.3); they are not a published CAT,
and their legal references are marked "(sample)". The files have the tool import's shape and
load through the same reader, so a broken sample fails as loudly as a broken upload.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from fithub.accounts.models import Organisation, User
from fithub.compliance import imports, services
from fithub.compliance.models import Tool, ToolVersion

DATA = Path(__file__).parent / "data"
TITLES = {
    "BD": {
        "en": "Compliance assessment tool, Bangladesh (SAMPLE)",
        "bn": "কমপ্লায়েন্স মূল্যায়ন টুল, বাংলাদেশ (নমুনা)",
        "ur": "کمپلائنس اسیسمنٹ ٹول، بنگلہ دیش (نمونہ)",
    },
    "PK": {
        "en": "Compliance assessment tool, Pakistan (SAMPLE)",
        "bn": "কমপ্লায়েন্স মূল্যায়ন টুল, পাকিস্তান (নমুনা)",
        "ur": "کمپلائنس اسیسمنٹ ٹول، پاکستان (نمونہ)",
    },
}
NOTES = "SAMPLE questions written for FIT Hub's demo and tests; not a published CAT."


def sample_file(country: str) -> SimpleUploadedFile:
    path = DATA / f"sample_{country.lower()}.csv"
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")


@transaction.atomic
def sample_tool_load(*, owner: Organisation, country: str, by: User | None = None) -> ToolVersion:
    """Create the owner's sample tool for BD or PK and publish it; return the published version."""
    country = country.upper()
    existing = Tool.objects.filter(owner=owner, country=country).first()
    if existing is not None:
        version = services.latest_published(existing)
        if version is not None:
            return version
    report = imports.read_tool(sample_file(country))
    if not report.ok:  # the shipped file is checked like any upload
        raise ValidationError([f"{p.row} {p.column}: {p.reason}" for p in report.errors])
    tool = existing or services.tool_create(
        owner=owner,
        country=country,
        slug=f"cat-sample-{country.lower()}-{owner.pk}",
        title=TITLES[country],
        by=by,
        is_sample=True,
    )
    draft = tool.versions.get(status=ToolVersion.Status.DRAFT)
    services.tool_version_import(version=draft, rows=report.rows, by=by)
    return services.tool_version_publish(version=draft, by=by, notes=NOTES)
