"""Writes for questionnaires, assessments, module plans and findings.

Pages, the API, the ODK importer (fithub.collect) and management commands all call these.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import FactoryRole, Kind, roles_of
from fithub.assessment.models import (
    Answer,
    Assessment,
    AssessmentRevision,
    ExternalFinding,
    FindingMapping,
    ModulePlan,
    PlannedModule,
    Questionnaire,
    QuestionnaireVersion,
    Section,
    Statement,
    StatementModule,
)
from fithub.assessment.recommend import recommendations_for
from fithub.catalogue.models import Module
from fithub.factories.models import Factory
from fithub.lib.i18n import FALLBACK, clean_translations, language_codes
from fithub.programmes.models import Engagement

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Suffix -> the first bytes every genuine file of that type starts with.
EVIDENCE_TYPES: dict[str, tuple[bytes, ...]] = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".webp": (b"RIFF",),
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}


# An assessment's links arrive as model instances the caller has already read (and scoped);
# full_clean would read each one again to check it exists, a SELECT apiece on the offline
# import's hot path. The other fields, and instance_id's uniqueness, are still validated.
ASSESSMENT_LINKS = [
    "factory",
    "version",
    "engagement",
    "coordinator",
    "manager",
    "facilitator",
    "created_by",
]


def latest_published(questionnaire_id: int) -> QuestionnaireVersion | None:
    """Return the questionnaire's newest published version, which new assessments use."""
    return (
        QuestionnaireVersion.objects.filter(
            questionnaire_id=questionnaire_id, status=QuestionnaireVersion.Status.PUBLISHED
        )
        .order_by("-number")
        .first()
    )


def _role_fields(assessment: Assessment, by: User | None, factory: Factory) -> None:
    """Record the signed-in user in the role they answer in: coordinator, manager or facilitator."""
    if by is None or not by.is_authenticated:
        return
    r = roles_of(by)
    role = r.factory.get(factory.pk)
    if role == FactoryRole.COORDINATOR and assessment.coordinator_id is None:
        assessment.coordinator = by
        assessment.coordinator_name = assessment.coordinator_name or by.get_full_name()
    elif role == FactoryRole.MANAGER and assessment.manager_id is None:
        assessment.manager = by
        assessment.manager_name = assessment.manager_name or by.get_full_name()
    elif r.orgs(kind=Kind.SERVICE_PROVIDER) and assessment.facilitator_id is None:
        assessment.facilitator = by


@transaction.atomic
def assessment_start(
    *,
    factory: Factory,
    version: QuestionnaireVersion,
    by: User | None,
    engagement: Engagement | None = None,
    coordinator_name: str = "",
    manager_name: str = "",
    language: str = "en",
    source: str = Assessment.Source.WEB,
    instance_id: str | None = None,
    interviewed_on: date | None = None,
    received_at: datetime | None = None,
    submitted_by_name: str = "",
    device_id: str = "",
) -> Assessment:
    """Start a factory's assessment on a published questionnaire version."""
    assessment = _new_assessment(
        factory=factory,
        version=version,
        by=by,
        engagement=engagement,
        coordinator_name=coordinator_name,
        manager_name=manager_name,
        language=language,
        source=source,
        instance_id=instance_id,
        interviewed_on=interviewed_on,
        received_at=received_at,
        submitted_by_name=submitted_by_name,
        device_id=device_id,
    )
    assessment.full_clean(exclude=ASSESSMENT_LINKS)
    assessment.save()
    return assessment


def _new_assessment(
    *,
    factory: Factory,
    version: QuestionnaireVersion,
    by: User | None,
    engagement: Engagement | None,
    coordinator_name: str,
    manager_name: str,
    language: str,
    source: str,
    instance_id: str | None,
    interviewed_on: date | None,
    received_at: datetime | None,
    submitted_by_name: str,
    device_id: str,
) -> Assessment:
    """Build a checked, unsaved assessment: the rules assessment_start and a batch share."""
    if version.status != QuestionnaireVersion.Status.PUBLISHED:
        raise ValidationError(
            {"version": _("Only a published questionnaire version can be answered.")}
        )
    if engagement is not None and engagement.factory_id != factory.pk:
        raise ValidationError({"engagement": _("This engagement is with another factory.")})
    if language not in language_codes():
        raise ValidationError({"language": _("This language is not available.")})
    if source not in Assessment.Source.values:
        raise ValidationError({"source": _("Unknown source.")})
    assessment = Assessment(
        factory=factory,
        version=version,
        engagement=engagement,
        coordinator_name=coordinator_name.strip(),
        manager_name=manager_name.strip(),
        language=language,
        source=source,
        instance_id=instance_id or None,
        interviewed_on=interviewed_on,
        received_at=received_at,
        submitted_by_name=submitted_by_name.strip()[:200],
        device_id=device_id.strip()[:100],
        created_by=by if by is not None and by.is_authenticated else None,
    )
    _role_fields(assessment, by, factory)
    assessment._history_user = by  # type: ignore[attr-defined]
    return assessment


@transaction.atomic
def assessment_update(
    *,
    assessment: Assessment,
    by: User | None,
    coordinator_name: str | None = None,
    manager_name: str | None = None,
    engagement: Engagement | None = None,
    language: str | None = None,
) -> Assessment:
    """Change who answers an assessment, its engagement or its language."""
    if coordinator_name is not None:
        assessment.coordinator_name = coordinator_name.strip()
    if manager_name is not None:
        assessment.manager_name = manager_name.strip()
    if engagement is not None:
        if engagement.factory_id != assessment.factory_id:
            raise ValidationError({"engagement": _("This engagement is with another factory.")})
        assessment.engagement = engagement
    if language is not None:
        if language not in language_codes():
            raise ValidationError({"language": _("This language is not available.")})
        assessment.language = language
    _role_fields(assessment, by, assessment.factory)
    assessment._history_user = by  # type: ignore[attr-defined]
    assessment.full_clean(exclude=ASSESSMENT_LINKS)
    assessment.save()
    return assessment


def check_evidence(upload: UploadedFile) -> None:
    """Accept a photo (JPEG, PNG, WebP) or a document (PDF, Word, Excel); else raise."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ValidationError(
            _("Evidence can be a photo (JPEG, PNG, WebP) or a document (PDF, Word, Excel).")
        )
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."))
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.")
            % {"limit": MAX_EVIDENCE_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    try:
        head = upload.read(16)
    finally:
        upload.seek(0)
    if not any(head.startswith(magic) for magic in EVIDENCE_TYPES[suffix]):
        raise ValidationError(
            _("This file is not what its name says (%(suffix)s). It may be damaged.")
            % {"suffix": suffix}
        )


def _check_open(assessment: Assessment) -> None:
    if assessment.status == Assessment.Status.SUBMITTED:
        raise ValidationError(_("This assessment has been submitted; its answers cannot change."))


def _check_statement(assessment: Assessment, statement: Statement) -> None:
    # statement.section is usually already loaded; compare ids to avoid a query when it is.
    if statement.section.version_id != assessment.version_id:
        raise ValidationError(
            {"statement": _("This statement is not part of this assessment's questionnaire.")}
        )


@transaction.atomic
def answer_save(
    *,
    assessment: Assessment,
    statement: Statement,
    value: bool | None,
    by: User | None,
    comment: str = "",
    evidence: UploadedFile | None = None,
) -> Answer:
    """Save one answer as it is given; an existing evidence file stays unless a new one comes."""
    _check_open(assessment)
    _check_statement(assessment, statement)
    if evidence is not None:
        try:
            check_evidence(evidence)
        except ValidationError as e:
            raise ValidationError({"evidence": e.messages}) from None
    answer = Answer.objects.filter(assessment=assessment, statement=statement).first()
    if answer is None:
        answer = Answer(assessment=assessment, statement=statement)
    answer.value = value
    answer.comment = (comment or "").strip()
    answer.answered_by = by if by is not None and by.is_authenticated else None
    if evidence is not None:
        answer.evidence = evidence  # type: ignore[assignment]
    answer.full_clean(exclude=["assessment", "statement"])
    answer.save()
    return answer


def _answers_checked(
    *,
    assessment: Assessment,
    answers: Iterable[Mapping[str, Any]],
    by: User | None,
    statement_of: Callable[[Any], Statement | None],
    existing: Mapping[int, Answer],
) -> list[Answer]:
    """Apply the rules of answering to {statement, value, comment} items; raise every problem."""
    user = by if by is not None and by.is_authenticated else None
    errors: list[str] = []
    # The last answer given for a statement wins, as it would answering one by one.
    changed: dict[int, Answer] = {}
    for i, item in enumerate(answers, start=1):
        statement = statement_of(item.get("statement"))
        if statement is None:
            errors.append(
                _("Answer %(n)s: this statement is not part of this questionnaire.") % {"n": i}
            )
            continue
        value = item.get("value")
        if value is not None and not isinstance(value, bool):
            errors.append(_("Answer %(n)s: the answer must be yes, no or empty.") % {"n": i})
            continue
        answer = (
            changed.get(statement.pk)
            or existing.get(statement.pk)
            or Answer(assessment=assessment, statement=statement)
        )
        answer.value = value
        answer.comment = str(item.get("comment") or "").strip()[:2000]
        answer.answered_by = user
        changed[statement.pk] = answer
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for answer in changed.values():
        answer.answered_at = now
    return list(changed.values())


@transaction.atomic
def answers_save(
    *,
    assessment: Assessment,
    answers: Iterable[Mapping[str, Any]],
    by: User | None,
) -> list[Answer]:
    """Save many answers at once ({statement, value, comment} each), all or none."""
    statements = {
        s.pk: s
        for s in Statement.objects.filter(section__version=assessment.version).select_related(
            "section"
        )
    }

    def statement_of(given: Any) -> Statement | None:
        return statements.get(given.pk if isinstance(given, Statement) else given)

    _check_open(assessment)
    saved = _answers_checked(
        assessment=assessment,
        answers=answers,
        by=by,
        statement_of=statement_of,
        existing={a.statement_id: a for a in assessment.answers.all()},
    )
    # Two statements at most, whatever the number of answers. Split before inserting:
    # bulk_create gives the new rows their ids, which would send them through the update too.
    new = [a for a in saved if a.pk is None]
    changed = [a for a in saved if a.pk is not None]
    Answer.objects.bulk_create(new)
    Answer.objects.bulk_update(
        changed, ["value", "comment", "answered_by", "answered_at"], batch_size=500
    )
    return saved


@transaction.atomic
def answers_create(
    *,
    assessment: Assessment,
    answers: Iterable[Mapping[str, Any]],
    by: User | None,
) -> list[Answer]:
    """Write a new assessment's answers in one INSERT, by answers_save's rules, all or none.

    Each item's statement is a Statement whose section is loaded (as a form layout prefetches
    them), so that checking it belongs to the assessment's version reads nothing: no query but
    the INSERT, which is what an offline import of thousands of submissions needs.
    """

    def statement_of(given: Any) -> Statement | None:
        if isinstance(given, Statement) and given.section.version_id == assessment.version_id:
            return given
        return None

    _check_open(assessment)
    created = _answers_checked(
        assessment=assessment, answers=answers, by=by, statement_of=statement_of, existing={}
    )
    return Answer.objects.bulk_create(created)


@transaction.atomic
def assessment_revise(
    *,
    assessment: Assessment,
    answers: Iterable[Mapping[str, Any]],
    by: User | None,
    instance_id: str,
    replaces: str = "",
    coordinator_name: str | None = None,
    manager_name: str | None = None,
) -> AssessmentRevision:
    """Apply an edit made in ODK Central or KoboToolbox to an assessment, keeping what it replaced.

    The edit is the field tool's record of the sitting, so it applies to a submitted
    assessment too: those answers were given offline, and the edit corrects them.
    """
    existing = {a.statement_id: a for a in assessment.answers.select_related("statement")}
    statements = {
        s.pk: s
        for s in Statement.objects.filter(section__version=assessment.version).select_related(
            "section"
        )
    }

    def statement_of(given: Any) -> Statement | None:
        return statements.get(given.pk if isinstance(given, Statement) else given)

    previous = {
        "coordinator_name": assessment.coordinator_name,
        "manager_name": assessment.manager_name,
        "answers": [
            {
                "statement": a.statement_id,
                "code": a.statement.code,
                "value": a.value,
                "comment": a.comment,
            }
            for a in existing.values()
        ],
    }
    before = {pk: (a.value, a.comment) for pk, a in existing.items()}
    saved = _answers_checked(
        assessment=assessment,
        answers=answers,
        by=by,
        statement_of=statement_of,
        existing=existing,
    )
    changed = [a for a in saved if before.get(a.statement_id) != (a.value, a.comment)]
    Answer.objects.bulk_create([a for a in changed if a.pk is None])
    Answer.objects.bulk_update(
        [a for a in changed if a.pk is not None],
        ["value", "comment", "answered_by", "answered_at"],
        batch_size=500,
    )
    revision = AssessmentRevision(
        assessment=assessment,
        instance_id=instance_id,
        replaces=replaces or "",
        previous=previous,
        changed_answers=len(changed),
        created_by=by if by is not None and by.is_authenticated else None,
    )
    revision.full_clean(exclude=["assessment", "created_by"])
    revision.save()
    fields = []
    if coordinator_name is not None and coordinator_name.strip() != assessment.coordinator_name:
        assessment.coordinator_name = coordinator_name.strip()
        fields.append("coordinator_name")
    if manager_name is not None and manager_name.strip() != assessment.manager_name:
        assessment.manager_name = manager_name.strip()
        fields.append("manager_name")
    if fields:
        assessment._history_user = by  # type: ignore[attr-defined]
        assessment.save(update_fields=fields)
    return revision


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by: User | None) -> Assessment:
    """Submit an assessment once every statement has a yes or a no."""
    _check_open(assessment)
    total = Statement.objects.filter(section__version=assessment.version_id).count()
    answered = assessment.answers.filter(value__isnull=False).count()
    missing = total - answered
    if missing > 0:
        raise ValidationError(
            ngettext(
                "%(count)d statement has no answer yet.",
                "%(count)d statements have no answer yet.",
                missing,
            )
            % {"count": missing},
            code="missing",
        )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment._history_user = by  # type: ignore[attr-defined]
    assessment.save(update_fields=["status", "submitted_at"])
    return assessment


def _statement_of_version(given: Any, *, version_id: int) -> Statement | None:
    """Return the given Statement (section loaded) if it belongs to the version, else None."""
    if isinstance(given, Statement) and given.section.version_id == version_id:
        return given
    return None


@dataclass(frozen=True)
class Sitting:
    """One complete sitting recorded elsewhere (an offline form), as assessments_import takes it."""

    factory: Factory
    answers: Sequence[Mapping[str, Any]]  # {statement: Statement (section loaded), value, comment}
    instance_id: str
    engagement: Engagement | None = None
    coordinator_name: str = ""
    manager_name: str = ""
    language: str = "en"
    source: str = Assessment.Source.ODK
    interviewed_on: date | None = None
    received_at: datetime | None = None
    submitted_by_name: str = ""
    device_id: str = ""


@transaction.atomic
def assessments_import(
    *, sittings: Sequence[Sitting], version: QuestionnaireVersion, by: User | None
) -> list[Assessment]:
    """Record complete sittings as submitted assessments, all or none, in a few INSERTs.

    The same rules as assessment_start, answers_create and assessment_submit one after the
    other, and the same history (a "created" then a "submitted" row per assessment), for the
    offline import: that path cost 16 queries per submission. Uniqueness of instance IDs is
    left to the database: a clash raises IntegrityError for the whole batch, and the caller
    (which checked the IDs just before) writes that batch one by one to say which.
    """
    statements = Statement.objects.filter(section__version=version).count()
    now = timezone.now()
    assessments: list[Assessment] = []
    answers: list[list[Answer]] = []
    for sitting in sittings:
        assessment = _new_assessment(
            factory=sitting.factory,
            version=version,
            by=by,
            engagement=sitting.engagement,
            coordinator_name=sitting.coordinator_name,
            manager_name=sitting.manager_name,
            language=sitting.language,
            source=sitting.source,
            instance_id=sitting.instance_id,
            interviewed_on=sitting.interviewed_on,
            received_at=sitting.received_at,
            submitted_by_name=sitting.submitted_by_name,
            device_id=sitting.device_id,
        )
        assessment.full_clean(exclude=ASSESSMENT_LINKS, validate_unique=False)
        given = _answers_checked(
            assessment=assessment,
            answers=sitting.answers,
            by=by,
            statement_of=partial(_statement_of_version, version_id=version.pk),
            existing={},
        )
        missing = statements - sum(1 for a in given if a.value is not None)
        if missing > 0:
            raise ValidationError(
                ngettext(
                    "%(count)d statement has no answer yet.",
                    "%(count)d statements have no answer yet.",
                    missing,
                )
                % {"count": missing},
                code="missing",
            )
        assessments.append(assessment)
        answers.append(given)
    for assessment in assessments:
        assessment.status = Assessment.Status.SUBMITTED
        assessment.submitted_at = now
    Assessment.objects.bulk_create(assessments)
    # The history a one-by-one import leaves: the assessment as started, then as submitted.
    for assessment in assessments:
        assessment.status, assessment.submitted_at = Assessment.Status.IN_PROGRESS, None
    Assessment.history.bulk_history_create(assessments, default_user=by, default_date=now)
    for assessment in assessments:
        assessment.status, assessment.submitted_at = Assessment.Status.SUBMITTED, now
    Assessment.history.bulk_history_create(
        assessments, update=True, default_user=by, default_date=now
    )
    # Each answer was built on its (then unsaved) assessment: bulk_create reads the new pk.
    Answer.objects.bulk_create([a for given in answers for a in given], batch_size=2000)
    return assessments


def next_version_number(questionnaire_id: int) -> int:
    """Return the number the questionnaire's next version gets."""
    top = QuestionnaireVersion.objects.filter(questionnaire_id=questionnaire_id).aggregate(
        top=Max("number")
    )["top"]
    return (top or 0) + 1


# --- questionnaires ------------------------------------------------------------------------


def _check_draft(version: QuestionnaireVersion) -> None:
    if not version.is_editable:
        raise ValidationError(
            _(
                "Version %(number)s is published and cannot change. "
                "Edit it to make a new draft version."
            )
            % {"number": version.number}
        )


@transaction.atomic
def questionnaire_create(
    *,
    owner: Organisation,
    slug: str,
    title: dict[str, str],
    by: User | None,
    kind: str = Questionnaire.Kind.NEEDS_ASSESSMENT,
    is_demo: bool = False,
) -> Questionnaire:
    """Create a questionnaire owned by a programme owner, with an empty draft version 1."""
    if owner.kind != Kind.PROGRAMME_OWNER:
        raise ValidationError(_("Only programme owners own questionnaires."))
    questionnaire = Questionnaire(
        owner=owner, slug=slug, title=clean_translations(title), kind=kind, is_demo=is_demo
    )
    questionnaire.full_clean()
    questionnaire.save()
    QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, created_by=by)
    return questionnaire


@transaction.atomic
def questionnaire_update(
    *, questionnaire: Questionnaire, by: User | None, title: dict[str, str]
) -> Questionnaire:
    """Change a questionnaire's title; its versions' content changes only by new versions."""
    questionnaire.title = clean_translations(title)
    questionnaire.full_clean()
    questionnaire.save(update_fields=["title"])
    return questionnaire


@transaction.atomic
def questionnaire_version_new_draft(
    *, version: QuestionnaireVersion, by: User | None
) -> QuestionnaireVersion:
    """Start a new draft version copying the version's sections, statements and module links."""
    # Lock the questionnaire so that two owners pressing "edit" at once get one draft.
    questionnaire = Questionnaire.objects.select_for_update().get(pk=version.questionnaire_id)
    draft = questionnaire.versions.filter(status=QuestionnaireVersion.Status.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            _("Version %(number)s is already a draft; edit that one.") % {"number": draft.number},
            code="draft_exists",
        )
    new = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=next_version_number(questionnaire.pk),
        created_by=by,
        notes="",
    )
    sections = list(version.sections.all())
    statements = list(Statement.objects.filter(section__version=version))
    links = list(StatementModule.objects.filter(statement__section__version=version))
    new_sections = Section.objects.bulk_create(
        [
            Section(
                version=new,
                order=s.order,
                code=s.code,
                title=s.title,
                department=s.department,
            )
            for s in sections
        ]
    )
    section_map = {old.pk: fresh for old, fresh in zip(sections, new_sections, strict=True)}
    new_statements = Statement.objects.bulk_create(
        [
            Statement(
                section=section_map[s.section_id],
                order=s.order,
                code=s.code,
                text=s.text,
                guidance=s.guidance,
            )
            for s in statements
        ]
    )
    statement_map = {old.pk: fresh for old, fresh in zip(statements, new_statements, strict=True)}
    StatementModule.objects.bulk_create(
        [
            StatementModule(
                statement=statement_map[link.statement_id],
                module_id=link.module_id,
                weight=link.weight,
            )
            for link in links
        ]
    )
    return new


@transaction.atomic
def questionnaire_version_update(
    *, version: QuestionnaireVersion, by: User | None, notes: str
) -> QuestionnaireVersion:
    """Change what a draft version says changed."""
    _check_draft(version)
    version.notes = notes.strip()
    version.save(update_fields=["notes"])
    return version


@transaction.atomic
def questionnaire_version_publish(
    *, version: QuestionnaireVersion, by: User | None, notes: str | None = None
) -> QuestionnaireVersion:
    """Publish a draft; the version published before it is retired.

    Assessments already started on a retired version are still answered and submitted on it;
    new assessments use the newest published version.
    """
    _check_draft(version)
    statements = Statement.objects.filter(section__version=version)
    if not statements.exists():
        raise ValidationError(_("Add at least one statement before publishing."))
    untitled = [s.code for s in statements if not s.text.get(FALLBACK)]
    if untitled:
        raise ValidationError(
            _("These statements have no English text: %(codes)s.")
            % {"codes": ", ".join(untitled[:20])}
        )
    if notes is not None:
        version.notes = notes.strip()
    QuestionnaireVersion.objects.filter(
        questionnaire=version.questionnaire_id, status=QuestionnaireVersion.Status.PUBLISHED
    ).update(status=QuestionnaireVersion.Status.RETIRED)
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at", "notes"])
    return version


@transaction.atomic
def section_save(
    *,
    version: QuestionnaireVersion,
    by: User | None,
    code: str,
    title: dict[str, str],
    section: Section | None = None,
    department: str = "",
    order: int | None = None,
) -> Section:
    """Add a section to a draft version, or change one."""
    _check_draft(version)
    if section is None:
        section = Section(version=version)
        if order is None:
            top = version.sections.aggregate(top=Max("order"))["top"]
            order = (top or 0) + 1
    elif section.version_id != version.pk:
        raise ValidationError(_("This section belongs to another version."))
    section.code = code.strip()
    section.title = clean_translations(title)
    section.department = department
    if order is not None:
        section.order = order
    if not section.title.get(FALLBACK):
        raise ValidationError(
            {"title": _("Write the English text; the other languages can follow later.")}
        )
    if version.sections.filter(code__iexact=section.code).exclude(pk=section.pk).exists():
        raise ValidationError({"code": _("Another section of this version has this code.")})
    section.full_clean(exclude=["version"])
    section.save()
    return section


@transaction.atomic
def section_delete(*, section: Section, by: User | None) -> None:
    """Remove a section and its statements from a draft version."""
    _check_draft(section.version)
    section.delete()


@transaction.atomic
def statement_save(
    *,
    section: Section,
    by: User | None,
    code: str,
    text: dict[str, str],
    links: Iterable[tuple[Module, int]] = (),
    statement: Statement | None = None,
    guidance: dict[str, str] | None = None,
    order: int | None = None,
) -> Statement:
    """Add a statement to a section of a draft version, or change one, with its module links."""
    version = section.version
    _check_draft(version)
    if statement is None:
        statement = Statement(section=section)
        if order is None:
            top = section.statements.aggregate(top=Max("order"))["top"]
            order = (top or 0) + 1
    elif statement.section.version_id != version.pk:
        raise ValidationError(_("This statement belongs to another version."))
    statement.section = section
    statement.code = code.strip()
    statement.text = clean_translations(text)
    statement.guidance = clean_translations(guidance or {})
    if order is not None:
        statement.order = order
    errors: dict[str, list[str]] = {}
    if not statement.text.get(FALLBACK):
        errors["text"] = [_("Write the English text; the other languages can follow later.")]
    # Codes are unique in a version: a repeat assessment is compared statement by statement.
    if (
        Statement.objects.filter(section__version=version, code__iexact=statement.code)
        .exclude(pk=statement.pk)
        .exists()
    ):
        errors["code"] = [_("Another statement of this version has this code.")]
    weights: dict[int, tuple[Module, int]] = {}
    for module, weight in links:
        if module.pk in weights:
            errors.setdefault("links", []).append(
                _("Module %(code)s is linked twice.") % {"code": module.code}
            )
        if not 1 <= int(weight) <= 10:
            errors.setdefault("links", []).append(_("A weight is a whole number from 1 to 10."))
        weights[module.pk] = (module, int(weight))
    if errors:
        raise ValidationError(errors)
    statement.full_clean(exclude=["section"])
    statement.save()
    statement.links.exclude(module__in=list(weights)).delete()
    for module, weight in weights.values():
        StatementModule.objects.update_or_create(
            statement=statement, module=module, defaults={"weight": weight}
        )
    return statement


@transaction.atomic
def statement_delete(*, statement: Statement, by: User | None) -> None:
    """Remove a statement from a draft version."""
    _check_draft(statement.section.version)
    statement.delete()


@transaction.atomic
def questionnaire_version_import(
    *, version: QuestionnaireVersion, rows: Iterable[Mapping[str, Any]], by: User | None
) -> int:
    """Replace a draft version's sections and statements with checked file rows; return count."""
    _check_draft(version)
    codes = language_codes()
    version.sections.all().delete()
    sections: dict[str, Section] = {}
    count = 0
    for row in rows:
        key = row["section"].casefold()
        title = {code: row.get(f"section_title_{code}", "") for code in codes}
        if key not in sections:
            sections[key] = Section.objects.create(
                version=version,
                code=row["section"],
                order=len(sections) + 1,
                title=clean_translations(title),
                department=row.get("department", ""),
            )
        else:
            section = sections[key]
            merged = {**clean_translations(title), **section.title}
            if merged != section.title:
                section.title = merged
                section.save(update_fields=["title"])
        statement_save(
            section=sections[key],
            by=by,
            code=row["code"],
            text={code: row.get(f"text_{code}", "") for code in codes},
            guidance={code: row.get(f"guidance_{code}", "") for code in codes},
            links=row.get("links", []),
            order=count + 1,
        )
        count += 1
    return count


# --- module plans --------------------------------------------------------------------------


@transaction.atomic
def module_plan_agree(
    *,
    engagement: Engagement,
    assessment: Assessment | None,
    modules: Sequence[Module],
    by: User | None,
) -> ModulePlan:
    """Record the modules the provider and the factory agreed, in order, as the engagement's plan.

    A module counts as recommended when the assessment's recommendations scored it (or need
    it as a prerequisite); any other module was added by the provider.
    """
    if assessment is not None:
        if assessment.factory_id != engagement.factory_id:
            raise ValidationError(
                {"assessment": _("This assessment is of another factory than the engagement's.")}
            )
        if assessment.status != Assessment.Status.SUBMITTED:
            raise ValidationError(
                {"assessment": _("Submit the assessment before agreeing the module plan.")}
            )
    unique: dict[int, Module] = {}
    for module in modules:
        unique.setdefault(module.pk, module)
    if not unique:
        raise ValidationError({"modules": _("Choose at least one module.")})
    scores: dict[int, int] = {}
    recommended: set[int] = set()
    if assessment is not None:
        result = recommendations_for(assessment)
        for rec in result.ranked:
            scores[rec.module.id] = rec.score
            recommended.add(rec.module.id)
    plan, _created = ModulePlan.objects.select_for_update().get_or_create(engagement=engagement)
    plan.assessment = assessment
    plan.agreed_by = by if by is not None and by.is_authenticated else None
    plan.agreed_at = timezone.now()
    plan._history_user = by  # type: ignore[attr-defined]
    plan.save()
    plan.items.all().delete()
    PlannedModule.objects.bulk_create(
        [
            PlannedModule(
                plan=plan,
                module=module,
                order=i,
                origin=(
                    PlannedModule.Origin.RECOMMENDED
                    if pk in recommended
                    else PlannedModule.Origin.ADDED
                ),
                score=scores.get(pk, 0),
            )
            for i, (pk, module) in enumerate(unique.items(), start=1)
        ]
    )
    return plan


# --- findings from other tools -------------------------------------------------------------


@transaction.atomic
def findings_import(
    *, factory: Factory, rows: Iterable[Mapping[str, Any]], by: User | None
) -> tuple[int, int]:
    """Write checked finding rows for a factory, all or none; return (created, updated).

    A finding is identified by its tool, code and the date it was found, so importing the same
    file again updates the findings instead of doubling them.
    """
    created = updated = 0
    for row in rows:
        _finding, was_created = ExternalFinding.objects.update_or_create(
            factory=factory,
            source=row["source"],
            code=row["code"],
            found_on=row.get("found_on"),
            defaults={
                "description": row.get("description", ""),
                "resolved": bool(row.get("resolved", False)),
                "imported_by": by if by is not None and by.is_authenticated else None,
            },
        )
        if was_created:
            created += 1
        else:
            updated += 1
    return created, updated


@transaction.atomic
def finding_mapping_add(
    *,
    owner: Organisation,
    source: str,
    code: str,
    module: Module,
    by: User | None,
    weight: int = 1,
) -> FindingMapping:
    """Map another tool's finding code to a module, or change the weight of that mapping."""
    source, code = source.strip(), code.strip()
    if not source or not code:
        raise ValidationError(_("Give the tool and the finding code."))
    existing = FindingMapping.objects.filter(
        owner=owner, source__iexact=source, code__iexact=code, module=module
    ).first()
    mapping = existing or FindingMapping(owner=owner, source=source, code=code, module=module)
    mapping.weight = weight
    mapping.full_clean()
    mapping.save()
    return mapping


@transaction.atomic
def finding_mapping_remove(*, mapping: FindingMapping, by: User | None) -> None:
    """Remove a row of the mapping table."""
    mapping.delete()


@transaction.atomic
def finding_mappings_import(
    *, owner: Organisation, rows: Iterable[Mapping[str, Any]], by: User | None
) -> int:
    """Write checked mapping rows for an owner, all or none; return how many were written."""
    count = 0
    for row in rows:
        finding_mapping_add(
            owner=owner,
            source=row["source"],
            code=row["code"],
            module=row["module"],
            weight=row.get("weight") or 1,
            by=by,
        )
        count += 1
    return count
