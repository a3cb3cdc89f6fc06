"""A small published questionnaire on a small catalogue, and helpers to answer it."""

from dataclasses import dataclass

import pytest

from fithub.assessment import services
from fithub.assessment.models import Assessment, Questionnaire, QuestionnaireVersion, Statement
from fithub.catalogue.models import Module
from fithub.catalogue.tests.utils import make_module


@dataclass
class Sample:
    questionnaire: Questionnaire
    version: QuestionnaireVersion
    modules: dict[str, Module]
    statements: dict[str, Statement]


def make_questionnaire(cast, *, slug: str = "needs") -> Sample:  # type: ignore[no-untyped-def]
    """Build: intro module FIT-00 needed by every other; 3 sections, 6 statements."""
    categories = {"FIT": "support_systems", "P": "production", "S": "support_systems"}
    modules = {
        code: Module.objects.filter(code=code).first()
        or make_module(code, category=categories.get(code.split("-")[0], "working_conditions"))
        for code in ("FIT-00", "P-01", "P-02", "P-03", "P-04", "S-01", "W-01")
    }
    for code, module in modules.items():
        if code != "FIT-00":
            module.prerequisites.set([modules["FIT-00"]])
    q = services.questionnaire_create(
        owner=cast.owner_org, slug=slug, title={"en": "Needs assessment"}, by=cast.owner
    )
    version = q.versions.get()
    store = services.section_save(
        version=version,
        by=cast.owner,
        code="store",
        title={"en": "Storeroom", "bn": "স্টোররুম", "ur": "اسٹور روم"},
        department="storeroom",
    )
    sewing = services.section_save(
        version=version, by=cast.owner, code="sewing", title={"en": "Sewing"}
    )
    people = services.section_save(
        version=version, by=cast.owner, code="people", title={"en": "People"}
    )
    m = modules
    spec = [
        (store, "ST-1", "Materials are labelled", [(m["P-01"], 3)]),
        (store, "ST-2", "Stock is counted weekly", [(m["P-01"], 2), (m["S-01"], 1)]),
        (sewing, "SW-1", "Lines are balanced", [(m["P-02"], 3), (m["P-03"], 1)]),
        (sewing, "SW-2", "Defects are tracked", [(m["P-03"], 3), (m["P-04"], 2)]),
        (people, "PP-1", "Workers are consulted", [(m["W-01"], 3)]),
        (people, "PP-2", "Turnover is measured", [(m["S-01"], 2)]),
    ]
    statements = {}
    for section, code, text, links in spec:
        statements[code] = services.statement_save(
            section=section,
            by=cast.owner,
            code=code,
            text={"en": text, "bn": f"{text} (বাংলা)", "ur": f"{text} (اردو)"},
            links=links,
        )
    services.questionnaire_version_publish(version=version, by=cast.owner)
    version.refresh_from_db()
    return Sample(q, version, modules, statements)


@pytest.fixture
def sample(cast) -> Sample:  # type: ignore[no-untyped-def]
    return make_questionnaire(cast)


def start(cast, sample: Sample, factory=None, by=None) -> Assessment:  # type: ignore[no-untyped-def]
    return services.assessment_start(
        factory=factory or cast.factory_a,
        version=sample.version,
        engagement=cast.engagement_a if factory in (None, cast.factory_a) else None,
        by=by or cast.coordinator_a,
    )


def answer_all(
    assessment: Assessment,
    noes: set[str] = frozenset(),
    by=None,  # type: ignore[assignment]
) -> None:
    for statement in Statement.objects.filter(section__version=assessment.version):
        services.answer_save(
            assessment=assessment,
            statement=statement,
            value=statement.code not in noes,
            by=by,
        )


@pytest.fixture
def assessment_a(cast, sample) -> Assessment:  # type: ignore[no-untyped-def]
    return start(cast, sample)


@pytest.fixture
def submitted_a(cast, sample) -> Assessment:  # type: ignore[no-untyped-def]
    assessment = start(cast, sample)
    answer_all(assessment, {"ST-1", "SW-1", "SW-2", "PP-1"}, by=cast.coordinator_a)
    return services.assessment_submit(assessment=assessment, by=cast.coordinator_a)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
