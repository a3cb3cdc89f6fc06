"""Writes for assessment tools, compliance assessments and their findings.

Pages, the API, the tool import, the offline import (fithub/collect/compliance.py) and the demo
all call these; none of them writes a model directly. Every refusal is a ValidationError with
translated messages (keyed by field where there is one), raised before anything is written.
"""

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fithub.accounts.models import Organisation, User
from fithub.accounts.roles import Kind
from fithub.compliance import cat
from fithub.compliance.models import (
    Cluster,
    ComplianceAssessment,
    CompliancePoint,
    Fact,
    Finding,
    FindingEvidence,
    Question,
    Revision,
    SelfAnswer,
    SelfDiagnosis,
    Tool,
    ToolVersion,
)
from fithub.compliance.scoping import assessors_for
from fithub.compliance.signals import assessment_submitted
from fithub.lib.evidence import evidence_prepare
from fithub.lib.i18n import FALLBACK, clean_translations, language_codes
from fithub.programmes.models import Engagement

Status = ComplianceAssessment.Status
Result = Finding.Result
ASSESSORS = 2
MAX_DAYS = 5


def _user(by: User | None) -> User | None:
    return by if by is not None and by.is_authenticated else None


# --- tools -------------------------------------------------------------------------------------


def _check_draft(version: ToolVersion) -> None:
    if not version.is_editable:
        raise ValidationError(
            _(
                "Version %(number)s is published and cannot change. "
                "Edit it to make a new draft version."
            )
            % {"number": version.number}
        )


@transaction.atomic
def tool_create(
    *,
    owner: Organisation,
    country: str,
    slug: str,
    title: dict[str, str],
    by: User | None,
    is_sample: bool = False,
) -> Tool:
    """Create a country's tool, owned by a programme owner, with an empty draft version 1."""
    if owner.kind != Kind.PROGRAMME_OWNER:
        raise ValidationError(_("Only programme owners own assessment tools."))
    if Tool.objects.filter(owner=owner, country=country.upper()).exists():
        raise ValidationError({"country": [_("This owner already has a tool for this country.")]})
    tool = Tool(
        owner=owner,
        country=country.upper(),
        slug=slug,
        title=clean_translations(title),
        is_sample=is_sample,
    )
    tool.full_clean(exclude=["owner"])
    tool.save()
    ToolVersion.objects.create(tool=tool, number=1, created_by=_user(by))
    return tool


def next_version_number(tool_id: int) -> int:
    top = ToolVersion.objects.filter(tool_id=tool_id).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def latest_published(tool: Tool) -> ToolVersion | None:
    """Return the tool's published version, on which new assessments are planned."""
    return tool.versions.filter(status=ToolVersion.Status.PUBLISHED).order_by("-number").first()


def _copy_content(source: ToolVersion, target: ToolVersion) -> None:
    clusters = list(source.clusters.all())
    points = list(CompliancePoint.objects.filter(version=source))
    questions = list(Question.objects.filter(version=source))
    new_clusters = Cluster.objects.bulk_create(
        [Cluster(version=target, order=c.order, code=c.code, title=c.title) for c in clusters]
    )
    cluster_map = {old.pk: new for old, new in zip(clusters, new_clusters, strict=True)}
    new_points = CompliancePoint.objects.bulk_create(
        [
            CompliancePoint(
                version=target,
                cluster=cluster_map[p.cluster_id],
                order=p.order,
                code=p.code,
                title=p.title,
            )
            for p in points
        ]
    )
    point_map = {old.pk: new for old, new in zip(points, new_points, strict=True)}
    Question.objects.bulk_create(
        [
            Question(
                version=target,
                point=point_map[q.point_id],
                order=q.order,
                code=q.code,
                text=q.text,
                legal_reference=q.legal_reference,
                guidance=q.guidance,
                publicly_reported=q.publicly_reported,
                dialogue=q.dialogue,
                applies_if=list(q.applies_if or []),
            )
            for q in questions
        ]
    )


@transaction.atomic
def tool_version_new_draft(*, version: ToolVersion, by: User | None) -> ToolVersion:
    """Start a draft copying the version's clusters, points and questions (editing a frozen one)."""
    # Lock the tool so that two owners pressing "edit" at once get one draft.
    tool = Tool.objects.select_for_update().get(pk=version.tool_id)
    draft = tool.versions.filter(status=ToolVersion.Status.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            _("Version %(number)s is already a draft; edit that one.") % {"number": draft.number},
            code="draft_exists",
        )
    new = ToolVersion.objects.create(
        tool=tool, number=next_version_number(tool.pk), created_by=_user(by)
    )
    _copy_content(version, new)
    return new


@transaction.atomic
def tool_version_publish(
    *, version: ToolVersion, by: User | None, notes: str | None = None
) -> ToolVersion:
    """Publish a draft, freezing it; the version published before it is retired.

    Assessments already planned on the retired version keep it to the end.
    """
    _check_draft(version)
    questions = list(Question.objects.filter(version=version))
    if not questions:
        raise ValidationError(_("Add at least one question before publishing."))
    untitled = [q.code for q in questions if not q.text.get(FALLBACK)]
    if untitled:
        raise ValidationError(
            _("These questions have no English text: %(codes)s.")
            % {"codes": ", ".join(untitled[:20])}
        )
    if notes is not None:
        version.notes = notes.strip()
    ToolVersion.objects.filter(tool=version.tool_id, status=ToolVersion.Status.PUBLISHED).update(
        status=ToolVersion.Status.RETIRED
    )
    version.status = ToolVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at", "notes"])
    return version


@transaction.atomic
def tool_version_import(
    *, version: ToolVersion, rows: Iterable[Mapping[str, Any]], by: User | None
) -> int:
    """Replace a draft's content with checked file rows (imports.read_tool); return the count.

    Rows name their compliance point by its global code (cat.py), which gives its cluster and
    both titles; clusters and points keep the global order, questions the file's.
    """
    _check_draft(version)
    codes = language_codes()
    rows = list(rows)
    Question.objects.filter(version=version).delete()
    version.points.all().delete()
    version.clusters.all().delete()
    used = {cat.POINT_BY_CODE[row["point"]].code for row in rows}
    clusters: dict[str, Cluster] = {}
    points: dict[str, CompliancePoint] = {}
    for corder, gc in enumerate(cat.CLUSTERS, start=1):
        if not any(p.code in used for p in gc.points):
            continue
        clusters[gc.code] = Cluster.objects.create(
            version=version, code=gc.code, order=corder, title=dict(gc.title)
        )
        for porder, gp in enumerate(gc.points, start=1):
            if gp.code in used:
                points[gp.code] = CompliancePoint.objects.create(
                    version=version,
                    cluster=clusters[gc.code],
                    code=gp.code,
                    order=porder,
                    title=dict(gp.title),
                )
    questions = [
        Question(
            version=version,
            point=points[row["point"]],
            order=i,
            code=row["code"],
            text=clean_translations({code: row.get(f"text_{code}", "") for code in codes}),
            guidance=clean_translations({code: row.get(f"guidance_{code}", "") for code in codes}),
            legal_reference=row.get("legal_reference", ""),
            publicly_reported=bool(row.get("publicly_reported")),
            dialogue=bool(row.get("dialogue")),
            applies_if=list(row.get("applies_if") or []),
        )
        for i, row in enumerate(rows, start=1)
    ]
    Question.objects.bulk_create(questions)
    return len(questions)


# --- planning ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class PlanDetails:
    """What planning an assessment decides: when, for how long, by whom."""

    planned_on: date
    assessors: Sequence[User]
    days: int = 2


def _check_plan(engagement: Engagement, details: PlanDetails) -> None:
    errors: dict[str, list[str]] = {}
    people = {u.pk for u in details.assessors}
    if len(people) != ASSESSORS or len(details.assessors) != ASSESSORS:
        errors["assessors"] = [_("Choose two different assessors.")]
    elif assessors_for(engagement).filter(pk__in=people).count() != ASSESSORS:
        errors["assessors"] = [_("Both assessors must be assessors of the engagement's provider.")]
    if not 1 <= details.days <= MAX_DAYS:
        errors["days"] = [_("An assessment takes from 1 to %(max)s days.") % {"max": MAX_DAYS}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assessment_plan(
    *, engagement: Engagement, version: ToolVersion, details: PlanDetails, by: User | None
) -> ComplianceAssessment:
    """Plan an unannounced assessment of the engagement's factory on a published tool version."""
    if version.status != ToolVersion.Status.PUBLISHED:
        raise ValidationError({"version": [_("Plan assessments on a published tool version.")]})
    if version.tool.country != engagement.factory.country:
        raise ValidationError({"version": [_("This tool is for another country.")]})
    if engagement.compliance_assessments.exclude(status=Status.SUBMITTED).exists():
        raise ValidationError(_("This engagement already has an assessment that is not submitted."))
    _check_plan(engagement, details)
    assessment = ComplianceAssessment(
        engagement=engagement,
        factory_id=engagement.factory_id,
        version=version,
        planned_on=details.planned_on,
        days=details.days,
        created_by=_user(by),
    )
    assessment._history_user = _user(by)  # type: ignore[attr-defined]
    assessment.save()
    assessment.assessors.set(details.assessors)
    return assessment


@transaction.atomic
def assessment_replan(
    *, assessment: ComplianceAssessment, details: PlanDetails, by: User | None
) -> ComplianceAssessment:
    """Move a planned assessment or change its assessors, until it starts."""
    if assessment.status != Status.PLANNED:
        raise ValidationError(_("The assessment has started; its plan cannot change."))
    _check_plan(assessment.engagement, details)
    assessment.planned_on = details.planned_on
    assessment.days = details.days
    assessment._history_user = _user(by)  # type: ignore[attr-defined]
    assessment.save(update_fields=["planned_on", "days"])
    assessment.assessors.set(details.assessors)
    return assessment


@transaction.atomic
def assessment_start(*, assessment: ComplianceAssessment, by: User | None) -> ComplianceAssessment:
    """Start the assessment on site: one empty finding per question, to be filled as it goes."""
    assessment = ComplianceAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Status.PLANNED:
        return assessment  # the second assessor pressing "start" finds it started
    assessment.status = Status.IN_PROGRESS
    assessment.started_at = timezone.now()
    assessment._history_user = _user(by)  # type: ignore[attr-defined]
    assessment.save(update_fields=["status", "started_at"])
    Finding.objects.bulk_create(
        [
            Finding(assessment=assessment, question_id=pk)
            for pk in Question.objects.filter(version=assessment.version_id).values_list(
                "pk", flat=True
            )
        ]
    )
    return assessment


def _check_open(assessment: ComplianceAssessment) -> None:
    if assessment.status == Status.PLANNED:
        raise ValidationError(_("Start the assessment first."))
    if assessment.status == Status.SUBMITTED:
        raise ValidationError(
            _("This assessment has been submitted; correct it with a revision and a reason.")
        )


@transaction.atomic
def facts_save(
    *, assessment: ComplianceAssessment, facts: Mapping[str, bool], by: User | None
) -> ComplianceAssessment:
    """Record what the factory has (accommodation, a union...): it decides which questions apply."""
    _check_open(assessment)
    unknown = set(facts) - set(Fact.values)
    if unknown:
        raise ValidationError({"facts": [_("Unknown fact: %(f)s.") % {"f": ", ".join(unknown)}]})
    assessment.facts = {name: bool(facts.get(name, False)) for name in Fact.values}
    assessment._history_user = _user(by)  # type: ignore[attr-defined]
    assessment.save(update_fields=["facts"])
    return assessment


@transaction.atomic
def counts_save(
    *,
    assessment: ComplianceAssessment,
    worker_interviews: int,
    management_interviews: int,
    documents_reviewed: int,
    by: User | None,
) -> ComplianceAssessment:
    """Record how many workers and managers were interviewed and documents reviewed (numbers)."""
    _check_open(assessment)
    values = {
        "worker_interviews": worker_interviews,
        "management_interviews": management_interviews,
        "documents_reviewed": documents_reviewed,
    }
    errors = {
        name: [_("Give a whole number from 0 to 10000.")]
        for name, value in values.items()
        if not isinstance(value, int) or not 0 <= value <= 10000
    }
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment._history_user = _user(by)  # type: ignore[attr-defined]
    assessment.save(update_fields=list(values))
    return assessment


def _finding(assessment: ComplianceAssessment, question: Question) -> Finding:
    if question.version_id != assessment.version_id:
        raise ValidationError(
            {"question": [_("This question is not part of this assessment's tool version.")]}
        )
    finding = Finding.objects.filter(assessment=assessment, question=question).first()
    if finding is None:  # a question the start did not know: impossible on a frozen version
        raise ValidationError({"question": [_("This question is not part of this assessment.")]})
    return finding


def _check_result(assessment: ComplianceAssessment, question: Question, result: str) -> None:
    if result and result not in Result.values:
        raise ValidationError({"result": [_("Choose compliant, non-compliant or not applicable.")]})
    if result in (Result.COMPLIANT, Result.NON_COMPLIANT) and not question.applies_to(
        assessment.facts
    ):
        raise ValidationError(
            {"result": [_("This question does not apply to this factory (see its facts).")]}
        )


@transaction.atomic
def finding_save(
    *,
    assessment: ComplianceAssessment,
    question: Question,
    result: str,
    notes: str,
    by: User | None,
    seen: int | None = None,
) -> Finding:
    """Save one question's finding as the assessor goes.

    `seen` is the finding's revision the assessor's page showed: when another assessor saved the
    same question since, the save is refused (code "conflict") rather than overwriting theirs.
    """
    _check_open(assessment)
    finding = _finding(assessment, question)
    _check_result(assessment, question, result)
    notes = (notes or "").strip()
    if len(notes) > 2000:
        raise ValidationError({"notes": [_("At most 2000 characters.")]})
    # One UPDATE guarded by the revision: two saves of one question cannot both pass it.
    guard = Finding.objects.filter(pk=finding.pk)
    if seen is not None:
        guard = guard.filter(revision=seen)
    changed = guard.update(
        result=result,
        notes=notes,
        answered_by=_user(by),
        answered_at=timezone.now(),
        revision=F("revision") + 1,
    )
    if not changed:
        raise ValidationError(
            _("Another assessor changed this question meanwhile; here is their answer."),
            code="conflict",
        )
    finding.refresh_from_db()
    return finding


def unanswered(assessment: ComplianceAssessment) -> list[Question]:
    """Return the applicable questions still without a finding."""
    # .order_by(): the model's ordering joins up to the cluster, which nothing here needs.
    blank = (
        Finding.objects.filter(assessment=assessment, result="")
        .order_by()
        .select_related("question")
    )
    return [f.question for f in blank if f.question.applies_to(assessment.facts)]


@transaction.atomic
def assessment_submit(*, assessment: ComplianceAssessment, by: User | None) -> ComplianceAssessment:
    """Submit when every applicable question is answered; then the assessment is locked."""
    assessment = ComplianceAssessment.objects.select_for_update().get(pk=assessment.pk)
    _check_open(assessment)
    missing = unanswered(assessment)
    if missing:
        raise ValidationError(
            ngettext(
                "%(count)s question is not answered yet: %(codes)s.",
                "%(count)s questions are not answered yet: %(codes)s.",
                len(missing),
            )
            % {"count": len(missing), "codes": ", ".join(q.code for q in missing[:20])},
            code="missing",
        )
    # What the facts rule out is "not applicable", whatever was typed before the facts changed,
    # so that rates read one column and no denominator counts it.
    excluded = [
        f.pk
        for f in Finding.objects.filter(assessment=assessment).order_by().select_related("question")
        if not f.question.applies_to(assessment.facts)
    ]
    Finding.objects.filter(pk__in=excluded).update(result=Result.NOT_APPLICABLE)
    assessment.status = Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment._history_user = _user(by)  # type: ignore[attr-defined]
    assessment.save(update_fields=["status", "submitted_at"])
    transaction.on_commit(
        lambda: assessment_submitted.send(sender=ComplianceAssessment, assessment=assessment, by=by)
    )
    return assessment


@dataclasses.dataclass(frozen=True, kw_only=True)
class Correction:
    question: Question
    result: str
    notes: str = ""


@transaction.atomic
def assessment_correct(
    *,
    assessment: ComplianceAssessment,
    corrections: Sequence[Correction],
    reason: str,
    by: User | None,
) -> Revision:
    """Correct a submitted assessment: a new revision with its reason keeps the old findings."""
    assessment = ComplianceAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted assessment is corrected by a revision."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the correction.")]})
    if not corrections:
        raise ValidationError(_("Nothing to correct."))
    findings = []
    for c in corrections:
        finding = _finding(assessment, c.question)
        if not c.result:
            raise ValidationError({"result": [_("A submitted question keeps an answer.")]})
        _check_result(assessment, c.question, c.result)
        findings.append((finding, c))
    number = (assessment.revisions.aggregate(top=Max("number"))["top"] or 0) + 1
    revision = Revision.objects.create(
        assessment=assessment,
        number=number,
        reason=reason,
        created_by=_user(by),
        previous=[
            {
                "question": f.question_id,
                "code": c.question.code,
                "result": f.result,
                "notes": f.notes,
                "answered_by": f.answered_by_id,
            }
            for f, c in findings
        ],
    )
    for finding, c in findings:
        finding.result = c.result
        finding.notes = (c.notes or "").strip()
        finding.answered_by = _user(by)
        finding.answered_at = timezone.now()
        finding.revision += 1
        finding.save(update_fields=["result", "notes", "answered_by", "answered_at", "revision"])
    transaction.on_commit(
        lambda: assessment_submitted.send(sender=ComplianceAssessment, assessment=assessment, by=by)
    )
    return revision


# --- self-diagnosis --------------------------------------------------------------------------


@transaction.atomic
def self_diagnosis_start(
    *, engagement: Engagement, version: ToolVersion, by: User | None
) -> SelfDiagnosis:
    """Start the factory's self-diagnosis on a published tool: the questions for dialogue."""
    if version.status != ToolVersion.Status.PUBLISHED:
        raise ValidationError({"version": [_("Use a published tool version.")]})
    if version.tool.country != engagement.factory.country:
        raise ValidationError({"version": [_("This tool is for another country.")]})
    open_one = SelfDiagnosis.objects.filter(engagement=engagement, submitted_at__isnull=True)
    if existing := open_one.first():
        return existing
    questions = Question.objects.filter(version=version, dialogue=True)
    if not questions.exists():
        raise ValidationError(_("This tool has no questions for bipartite dialogue."))
    sd = SelfDiagnosis.objects.create(
        engagement=engagement,
        factory_id=engagement.factory_id,
        version=version,
        created_by=_user(by),
    )
    SelfAnswer.objects.bulk_create([SelfAnswer(self_diagnosis=sd, question=q) for q in questions])
    return sd


@transaction.atomic
def self_answers_save(
    *,
    self_diagnosis: SelfDiagnosis,
    answers: Mapping[int, tuple[str, str]],
    by: User | None,
    submit: bool = False,
) -> SelfDiagnosis:
    """Save the committee's answers ({question id: (result, notes)}); submit locks them."""
    if self_diagnosis.submitted_at is not None:
        raise ValidationError(_("This self-diagnosis has been submitted; it cannot change."))
    rows = {a.question_id: a for a in self_diagnosis.answers.all()}
    unknown = set(answers) - set(rows)
    if unknown:
        raise ValidationError(_("This question is not part of this self-diagnosis."))
    for pk, (result, notes) in answers.items():
        if result and result not in Result.values:
            raise ValidationError(
                {"result": [_("Choose compliant, non-compliant or not applicable.")]}
            )
        answer = rows[pk]
        answer.result, answer.notes, answer.answered_by = result, (notes or "").strip(), _user(by)
        answer.save(update_fields=["result", "notes", "answered_by"])
    if submit:
        missing = [a for a in rows.values() if not a.result]
        if missing:
            raise ValidationError(
                ngettext(
                    "%(count)s question is not answered yet.",
                    "%(count)s questions are not answered yet.",
                    len(missing),
                )
                % {"count": len(missing)}
            )
        self_diagnosis.submitted_at = timezone.now()
        self_diagnosis.save(update_fields=["submitted_at"])
    return self_diagnosis


@transaction.atomic
def evidence_add(
    *, assessment: ComplianceAssessment, question: Question, upload: File[bytes], by: User | None
) -> FindingEvidence:
    """Attach a photo or document to a question's finding while the assessment is open."""
    _check_open(assessment)
    finding = _finding(assessment, question)
    prepared = evidence_prepare(upload)  # checked by content; photos scaled, EXIF stripped
    evidence = FindingEvidence(
        finding=finding,
        kind=prepared.kind,
        original_name=prepared.original_name[:255],
        uploaded_by=_user(by),
    )
    evidence.file.save(prepared.name, prepared.content, save=False)
    evidence.save()
    return evidence
