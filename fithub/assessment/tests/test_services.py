"""Questionnaire versions, answering, submitting, module plans, findings and mappings."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fithub.assessment import services
from fithub.assessment.models import (
    Answer,
    Assessment,
    ExternalFinding,
    FindingMapping,
    PlannedModule,
    QuestionnaireVersion,
    Statement,
)
from fithub.assessment.tests.conftest import answer_all, make_questionnaire, start
from fithub.catalogue.tests.utils import pdf

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def png(name: str = "photo.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


# --- versions ------------------------------------------------------------------------------


def test_a_published_version_cannot_change(cast, sample) -> None:
    section = sample.version.sections.first()
    with pytest.raises(ValidationError, match="published"):
        services.section_save(version=sample.version, by=cast.owner, code="x", title={"en": "X"})
    with pytest.raises(ValidationError, match="published"):
        services.statement_save(
            section=section, by=cast.owner, code="NEW", text={"en": "New statement"}
        )
    with pytest.raises(ValidationError, match="published"):
        services.statement_delete(statement=sample.statements["ST-1"], by=cast.owner)


def test_editing_a_published_version_makes_a_new_draft_with_a_copy(cast, sample) -> None:
    draft = services.questionnaire_version_new_draft(version=sample.version, by=cast.owner)
    assert (draft.number, draft.status) == (2, QuestionnaireVersion.Status.DRAFT)
    old = Statement.objects.filter(section__version=sample.version)
    new = Statement.objects.filter(section__version=draft)
    assert sorted(new.values_list("code", "text")) == sorted(old.values_list("code", "text"))
    assert set(new.values_list("links__module__code", "links__weight")) == set(
        old.values_list("links__module__code", "links__weight")
    )
    assert not set(new.values_list("pk", flat=True)) & set(old.values_list("pk", flat=True))
    # One draft at a time.
    with pytest.raises(ValidationError, match="already a draft"):
        services.questionnaire_version_new_draft(version=sample.version, by=cast.owner)


def test_publishing_retires_the_old_version_and_old_answers_keep_theirs(cast, sample) -> None:
    started = start(cast, sample)
    services.answer_save(
        assessment=started, statement=sample.statements["ST-1"], value=False, by=None
    )
    draft = services.questionnaire_version_new_draft(version=sample.version, by=cast.owner)
    statement = Statement.objects.get(section__version=draft, code="ST-1")
    services.statement_save(
        section=statement.section,
        statement=statement,
        by=cast.owner,
        code="ST-1",
        text={"en": "All materials are labelled"},
        links=[(sample.modules["P-01"], 5)],
    )
    services.questionnaire_version_publish(version=draft, by=cast.owner, notes="Clearer")
    sample.version.refresh_from_db()
    assert sample.version.status == QuestionnaireVersion.Status.RETIRED
    assert services.latest_published(sample.questionnaire.pk) == draft
    # The assessment already started stays on its version, and can still be answered.
    started.refresh_from_db()
    assert started.version == sample.version
    answer = Answer.objects.get(assessment=started)
    assert answer.statement.text["en"] == "Materials are labelled"
    services.answer_save(
        assessment=started, statement=sample.statements["ST-2"], value=True, by=None
    )
    # New assessments need the published version.
    with pytest.raises(ValidationError, match="published"):
        start(cast, sample)


def test_publishing_needs_statements_with_english_text(cast) -> None:
    q = services.questionnaire_create(
        owner=cast.owner_org, slug="empty", title={"en": "Empty"}, by=cast.owner
    )
    with pytest.raises(ValidationError, match="at least one statement"):
        services.questionnaire_version_publish(version=q.versions.get(), by=cast.owner)


def test_statement_codes_are_unique_in_a_version(cast, sample) -> None:
    draft = services.questionnaire_version_new_draft(version=sample.version, by=cast.owner)
    section = draft.sections.first()
    with pytest.raises(ValidationError) as e:
        services.statement_save(section=section, by=cast.owner, code="sw-1", text={"en": "Dup"})
    assert "code" in e.value.error_dict


def test_only_programme_owners_own_questionnaires(cast) -> None:
    with pytest.raises(ValidationError):
        services.questionnaire_create(
            owner=cast.provider_a, slug="x", title={"en": "X"}, by=cast.admin_a
        )


# --- answering -----------------------------------------------------------------------------


def test_start_records_who_answers(cast, sample) -> None:
    by_coordinator = start(cast, sample)
    assert by_coordinator.coordinator == cast.coordinator_a
    assert by_coordinator.coordinator_name == "Rina Coordinator"
    by_facilitator = start(cast, sample, by=cast.facilitator_a)
    assert by_facilitator.facilitator == cast.facilitator_a
    assert by_facilitator.coordinator is None


def test_start_refuses_an_engagement_of_another_factory(cast, sample) -> None:
    with pytest.raises(ValidationError, match="another factory"):
        services.assessment_start(
            factory=cast.factory_a,
            version=sample.version,
            engagement=cast.engagement_b,
            by=cast.admin_a,
        )


def test_answers_save_as_they_go_and_can_change(cast, assessment_a, sample) -> None:
    statement = sample.statements["SW-1"]
    services.answer_save(assessment=assessment_a, statement=statement, value=False, by=None)
    services.answer_save(
        assessment=assessment_a, statement=statement, value=True, comment=" ok ", by=None
    )
    answer = Answer.objects.get(assessment=assessment_a, statement=statement)
    assert (answer.value, answer.comment) == (True, "ok")


def test_a_statement_of_another_version_is_refused(cast, assessment_a) -> None:
    other = make_questionnaire(cast, slug="other")
    with pytest.raises(ValidationError, match="not part"):
        services.answer_save(
            assessment=assessment_a, statement=other.statements["ST-1"], value=True, by=None
        )


def test_submit_refuses_missing_answers_and_counts_them(cast, assessment_a, sample) -> None:
    services.answer_save(
        assessment=assessment_a, statement=sample.statements["ST-1"], value=True, by=None
    )
    services.answer_save(
        assessment=assessment_a, statement=sample.statements["ST-2"], value=None, by=None
    )
    with pytest.raises(ValidationError, match="5 statements have no answer"):
        services.assessment_submit(assessment=assessment_a, by=None)
    assessment_a.refresh_from_db()
    assert assessment_a.status == Assessment.Status.IN_PROGRESS


def test_answers_are_refused_once_submitted(cast, submitted_a, sample) -> None:
    assert submitted_a.submitted_at is not None
    with pytest.raises(ValidationError, match="submitted"):
        services.answer_save(
            assessment=submitted_a, statement=sample.statements["ST-1"], value=True, by=None
        )
    with pytest.raises(ValidationError, match="submitted"):
        services.answers_save(assessment=submitted_a, answers=[], by=None)


def test_bulk_answers_are_all_or_nothing(cast, assessment_a, sample) -> None:
    other = make_questionnaire(cast, slug="other")
    with pytest.raises(ValidationError):
        services.answers_save(
            assessment=assessment_a,
            answers=[
                {"statement": sample.statements["ST-1"].pk, "value": True},
                {"statement": other.statements["ST-1"].pk, "value": True},
            ],
            by=None,
        )
    assert not Answer.objects.filter(assessment=assessment_a).exists()
    services.answers_save(
        assessment=assessment_a,
        answers=[{"statement": sample.statements["ST-1"].pk, "value": False, "comment": "c"}],
        by=None,
    )
    assert Answer.objects.get(assessment=assessment_a).comment == "c"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (png("virus.exe"), "photo"),
        (png("empty.png", b""), "empty"),
        (png("fake.png", b"%PDF-1.4 not an image"), "not what its name says"),
        (png("big.png", PNG + b"\x00" * (10 * 1024 * 1024)), "larger than 10 MB"),
    ],
)
def test_evidence_must_be_a_photo_or_document(cast, assessment_a, sample, upload, message):
    with pytest.raises(ValidationError, match=message):
        services.answer_save(
            assessment=assessment_a,
            statement=sample.statements["ST-1"],
            value=True,
            evidence=upload,
            by=None,
        )


def test_evidence_is_kept_until_replaced(cast, assessment_a, sample) -> None:
    statement = sample.statements["ST-1"]
    services.answer_save(
        assessment=assessment_a, statement=statement, value=True, evidence=png(), by=None
    )
    services.answer_save(assessment=assessment_a, statement=statement, value=False, by=None)
    answer = Answer.objects.get(assessment=assessment_a)
    assert answer.evidence.name.endswith(".png")
    services.answer_save(
        assessment=assessment_a, statement=statement, value=False, evidence=pdf(), by=None
    )
    answer.refresh_from_db()
    assert answer.evidence.name.endswith(".pdf")


# --- module plans --------------------------------------------------------------------------


def test_module_plan_records_recommended_and_added_modules(cast, submitted_a, sample) -> None:
    m = sample.modules
    plan = services.module_plan_agree(
        engagement=cast.engagement_a,
        assessment=submitted_a,
        modules=[m["FIT-00"], m["P-02"], m["P-02"], m["S-01"]],
        by=cast.admin_a,
    )
    items = list(plan.items.order_by("order").values_list("module__code", "origin", "score"))
    assert items == [
        ("FIT-00", PlannedModule.Origin.RECOMMENDED, 0),
        ("P-02", PlannedModule.Origin.RECOMMENDED, 3),
        ("S-01", PlannedModule.Origin.ADDED, 0),
    ]
    assert plan.assessment == submitted_a and plan.agreed_by == cast.admin_a
    # Agreeing again replaces the plan.
    plan = services.module_plan_agree(
        engagement=cast.engagement_a, assessment=None, modules=[m["W-01"]], by=cast.admin_a
    )
    assert list(plan.items.values_list("module__code", "origin")) == [("W-01", "added")]
    assert plan.assessment is None


def test_module_plan_needs_a_submitted_assessment_of_the_factory(
    cast, sample, assessment_a
) -> None:
    m = sample.modules
    with pytest.raises(ValidationError, match="Submit"):
        services.module_plan_agree(
            engagement=cast.engagement_a, assessment=assessment_a, modules=[m["P-01"]], by=None
        )
    with pytest.raises(ValidationError, match="another factory"):
        services.module_plan_agree(
            engagement=cast.engagement_b, assessment=assessment_a, modules=[m["P-01"]], by=None
        )
    answer_all(assessment_a)
    services.assessment_submit(assessment=assessment_a, by=None)
    with pytest.raises(ValidationError, match="at least one"):
        services.module_plan_agree(
            engagement=cast.engagement_a, assessment=assessment_a, modules=[], by=None
        )


# --- findings and mappings -----------------------------------------------------------------


def test_findings_import_updates_instead_of_doubling(cast) -> None:
    rows = [{"source": "Better Work", "code": "OSH-12", "description": "Exits", "found_on": None}]
    assert services.findings_import(factory=cast.factory_a, rows=rows, by=None) == (1, 0)
    rows[0]["resolved"] = True
    assert services.findings_import(factory=cast.factory_a, rows=rows, by=None) == (0, 1)
    assert ExternalFinding.objects.get().resolved


def test_mapping_add_changes_the_weight_of_an_existing_row(cast, sample) -> None:
    module = sample.modules["W-01"]
    services.finding_mapping_add(
        owner=cast.owner_org, source="SLCP", code="A-1", module=module, by=None
    )
    services.finding_mapping_add(
        owner=cast.owner_org, source="slcp", code="a-1", module=module, weight=4, by=None
    )
    assert list(FindingMapping.objects.values_list("source", "weight")) == [("SLCP", 4)]


def test_bulk_answers_for_the_same_statement_keep_the_last(cast, assessment_a, sample) -> None:
    pk = sample.statements["ST-1"].pk
    services.answers_save(
        assessment=assessment_a,
        answers=[{"statement": pk, "value": True}, {"statement": pk, "value": False}],
        by=None,
    )
    services.answers_save(
        assessment=assessment_a, answers=[{"statement": pk, "value": None}], by=None
    )
    answer = Answer.objects.get(assessment=assessment_a)
    assert answer.value is None


def test_answers_create_writes_a_new_assessment_in_one_insert(cast, assessment_a, sample) -> None:
    # A form layout prefetches the statements of each section, so their section is loaded.
    statements = [
        s
        for section in sample.version.sections.prefetch_related("statements")
        for s in section.statements.all()
    ]
    answers = [{"statement": s, "value": s.code != "ST-1", "comment": " c "} for s in statements]
    with CaptureQueriesContext(connection) as queries:
        services.answers_create(assessment=assessment_a, answers=answers, by=cast.coordinator_a)
    assert [q["sql"].split()[0] for q in queries.captured_queries if "INSERT" in q["sql"]] == [
        "INSERT"
    ]
    # PostgreSQL's bulk INSERT reads from UNNEST(...) with a SELECT inside: count reads only.
    assert len([q for q in queries.captured_queries if q["sql"].lstrip().startswith("SELECT")]) == 0
    saved = Answer.objects.filter(assessment=assessment_a)
    assert saved.count() == 6 and set(saved.values_list("comment", flat=True)) == {"c"}
    assert saved.get(statement__code="ST-1").answered_by == cast.coordinator_a


def test_answers_create_refuses_what_answers_save_refuses(cast, assessment_a, sample) -> None:
    other = make_questionnaire(cast, slug="other")
    with pytest.raises(ValidationError, match="not part") as e:
        services.answers_create(
            assessment=assessment_a,
            answers=[
                {"statement": other.statements["ST-1"], "value": True},
                {"statement": sample.statements["ST-1"], "value": "yes"},
            ],
            by=None,
        )
    assert "yes, no or empty" in " ".join(e.value.messages)
    assert not Answer.objects.filter(assessment=assessment_a).exists()


def test_start_does_not_read_its_links_again(cast, sample) -> None:
    with CaptureQueriesContext(connection) as queries:
        start(cast, sample)
    tables = " ".join(q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT"))
    assert "assessment_questionnaireversion" not in tables and "factories_factory" not in tables
