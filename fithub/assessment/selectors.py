"""Reads that span relations: progress, the answer sheet, two sittings compared, module plans."""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from fithub.assessment.models import (
    Answer,
    Assessment,
    ModulePlan,
    PlannedModule,
    Section,
    Statement,
)


def with_progress(qs: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate each assessment with `answered` and `total` statements (two subqueries)."""
    total = (
        Statement.objects.filter(section__version=OuterRef("version"))
        .order_by()
        .values("section__version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    answered = (
        Answer.objects.filter(assessment=OuterRef("pk"), value__isnull=False)
        .order_by()
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        total=Coalesce(Subquery(total, output_field=IntegerField()), 0),
        answered=Coalesce(Subquery(answered, output_field=IntegerField()), 0),
    )


@dataclass
class Row:
    statement: Statement
    answer: Answer | None

    @property
    def value(self) -> bool | None:
        return self.answer.value if self.answer else None

    @property
    def value_code(self) -> str:
        return {True: "yes", False: "no"}.get(self.value, "")  # type: ignore[arg-type]


@dataclass
class SheetSection:
    section: Section
    rows: list[Row] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(1 for r in self.rows if r.value is not None)


@dataclass
class Sheet:
    sections: list[SheetSection]
    total: int
    answered: int

    @property
    def missing(self) -> int:
        return self.total - self.answered

    @property
    def first_unanswered(self) -> Statement | None:
        for s in self.sections:
            for r in s.rows:
                if r.value is None:
                    return r.statement
        return None


def answer_sheet(assessment: Assessment) -> Sheet:
    """Return the version's sections and statements with the assessment's answers (3 queries)."""
    sections = {s.pk: SheetSection(s) for s in assessment.version.sections.all()}
    answers = {a.statement_id: a for a in assessment.answers.all()}
    statements = Statement.objects.filter(section__version=assessment.version_id).order_by(
        "section__order", "section_id", "order", "pk"
    )
    total = answered = 0
    for statement in statements:
        sheet_section = sections[statement.section_id]
        statement.section = sheet_section.section
        answer = answers.get(statement.pk)
        sheet_section.rows.append(Row(statement, answer))
        total += 1
        answered += answer is not None and answer.value is not None
    return Sheet(list(sections.values()), total, answered)


def progress(assessment: Assessment) -> tuple[int, int]:
    """Return (answered, total) for one assessment (two queries)."""
    total = Statement.objects.filter(section__version=assessment.version_id).count()
    answered = assessment.answers.filter(value__isnull=False).count()
    return answered, total


@dataclass
class Change:
    code: str
    text: dict[str, str]
    before: bool | None
    after: bool | None


@dataclass
class SectionChanges:
    section: Section | None  # None: statements the later version no longer asks
    improved: list[Change] = field(default_factory=list)  # "no" became "yes"
    worse: list[Change] = field(default_factory=list)  # "yes" became "no"
    still_no: list[Change] = field(default_factory=list)
    still_yes: int = 0
    new: list[Change] = field(default_factory=list)  # not asked (or not answered) before


@dataclass
class Comparison:
    earlier: Assessment
    later: Assessment
    sections: list[SectionChanges]

    @property
    def improved(self) -> int:
        return sum(len(s.improved) for s in self.sections)

    @property
    def worse(self) -> int:
        return sum(len(s.worse) for s in self.sections)


def _answers_by_code(assessment: Assessment) -> dict[str, tuple[Statement, bool | None]]:
    rows = Answer.objects.filter(assessment=assessment).select_related("statement")
    return {a.statement.code.casefold(): (a.statement, a.value) for a in rows}


def compare(earlier: Assessment, later: Assessment) -> Comparison:
    """Compare two sittings statement by statement, matched by code across versions."""
    before = _answers_by_code(earlier)
    after = _answers_by_code(later)
    result: dict[int | None, SectionChanges] = {
        s.pk: SectionChanges(s) for s in later.version.sections.all()
    }
    statements = Statement.objects.filter(section__version=later.version_id).order_by(
        "section__order", "order", "pk"
    )
    seen: set[str] = set()
    for statement in statements:
        key = statement.code.casefold()
        seen.add(key)
        changes = result[statement.section_id]
        now = after.get(key, (statement, None))[1]
        was = before[key][1] if key in before else None
        change = Change(statement.code, statement.text, was, now)
        if was is None:
            if now is not None:
                changes.new.append(change)
        elif was is False and now is True:
            changes.improved.append(change)
        elif was is True and now is False:
            changes.worse.append(change)
        elif was is False and now is False:
            changes.still_no.append(change)
        elif was is True and now is True:
            changes.still_yes += 1
    dropped = SectionChanges(None)
    for key, (statement, was) in before.items():
        if key not in seen and was is not None:
            dropped.new.append(Change(statement.code, statement.text, was, None))
    sections = list(result.values())
    if dropped.new:
        sections.append(dropped)
    return Comparison(earlier, later, sections)


def earlier_assessments(
    assessment: Assessment, visible: QuerySet[Assessment]
) -> QuerySet[Assessment]:
    """Return the factory's other submitted sittings of the same questionnaire, newest first."""
    return (
        visible.filter(
            factory=assessment.factory_id,
            version__questionnaire=assessment.version.questionnaire_id,
            status=Assessment.Status.SUBMITTED,
        )
        .exclude(pk=assessment.pk)
        .select_related("version")
        .order_by("-started_at", "-pk")
    )


def module_plan(engagement_id: int) -> ModulePlan | None:
    """Return the engagement's module plan with its modules in order, or None (two queries)."""
    items = PlannedModule.objects.select_related("module").order_by("order")
    return (
        ModulePlan.objects.filter(engagement=engagement_id)
        .select_related("assessment", "agreed_by")
        .prefetch_related(Prefetch("items", queryset=items))
        .first()
    )
