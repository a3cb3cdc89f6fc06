"""Rates of non-compliance, each with its numerator and denominator written out.

For one factory (one submitted assessment):
- a question is non-compliant or not (1 of 1, 0 of 1); not applicable: 0 of 0, no rate;
- a compliance point is non-compliant when any of its applicable questions is; its rate is
  the share of its applicable questions found non-compliant;
- a cluster's rate is the share of its applicable compliance points found non-compliant (and,
  beside it, the share of its applicable questions);
- the change against the previous cycle (the factory's submitted assessment before this one),
  question by question and point by point, by their stable codes: new, resolved, persisting.

Across factories (a provider's, a programme's, a country's): each factory's latest submitted
assessment counts once; the share of assessed factories non-compliant per compliance point and
per question. Not applicable never counts in a denominator: a factory without worker
accommodation is not one of the factories assessed on accommodation.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from fithub.compliance.models import (
    Cluster,
    ComplianceAssessment,
    CompliancePoint,
    Finding,
    Question,
    SelfDiagnosis,
)

Result = Finding.Result
ASSESSED = (Result.COMPLIANT, Result.NON_COMPLIANT)


@dataclass(frozen=True)
class Rate:
    """`non_compliant` of `assessed`; no rate when nothing was assessed."""

    non_compliant: int
    assessed: int

    @property
    def percent(self) -> float | None:
        return None if not self.assessed else round(100 * self.non_compliant / self.assessed, 1)

    @property
    def compliant(self) -> int:
        return self.assessed - self.non_compliant


@dataclass
class QuestionRow:
    question: Question
    finding: Finding
    self_answer: str = ""  # the committee's answer in its self-diagnosis, if it gave one

    @property
    def rate(self) -> Rate:
        result = self.finding.result
        return Rate(int(result == Result.NON_COMPLIANT), int(result in ASSESSED))


@dataclass
class PointRow:
    point: CompliancePoint
    questions: list[QuestionRow] = field(default_factory=list)

    @property
    def rate(self) -> Rate:
        rates = [q.rate for q in self.questions]
        return Rate(sum(r.non_compliant for r in rates), sum(r.assessed for r in rates))

    @property
    def applicable(self) -> bool:
        return self.rate.assessed > 0

    @property
    def non_compliant(self) -> bool:
        return self.rate.non_compliant > 0


@dataclass
class ClusterRow:
    cluster: Cluster
    points: list[PointRow] = field(default_factory=list)

    @property
    def rate(self) -> Rate:
        """Non-compliant points of the applicable points."""
        applicable = [p for p in self.points if p.applicable]
        return Rate(sum(p.non_compliant for p in applicable), len(applicable))

    @property
    def question_rate(self) -> Rate:
        rates = [p.rate for p in self.points]
        return Rate(sum(r.non_compliant for r in rates), sum(r.assessed for r in rates))


@dataclass(frozen=True)
class Changes:
    """Codes non-compliant now and not before, before and not now, and both times."""

    new: list[str]
    resolved: list[str]
    persisting: list[str]


@dataclass
class FactoryRates:
    assessment: ComplianceAssessment
    clusters: list[ClusterRow]
    previous: ComplianceAssessment | None
    question_changes: Changes | None
    point_changes: Changes | None

    @property
    def questions(self) -> Rate:
        rates = [c.question_rate for c in self.clusters]
        return Rate(sum(r.non_compliant for r in rates), sum(r.assessed for r in rates))

    @property
    def points(self) -> Rate:
        rates = [c.rate for c in self.clusters]
        return Rate(sum(r.non_compliant for r in rates), sum(r.assessed for r in rates))


def findings_of(assessment: ComplianceAssessment) -> QuerySet[Finding]:
    return (
        Finding.objects.filter(assessment=assessment)
        .select_related("question__point__cluster", "answered_by")
        .prefetch_related("evidence")
        .order_by("question__point__cluster__order", "question__point__order", "question__order")
    )


def grouped(findings: Iterable[Finding]) -> list[ClusterRow]:
    """Arrange findings (with question, point and cluster loaded) as clusters → points."""
    clusters: dict[int, ClusterRow] = {}
    points: dict[int, PointRow] = {}
    for f in findings:
        q = f.question
        point = q.point
        if point.cluster_id not in clusters:
            clusters[point.cluster_id] = ClusterRow(point.cluster)
        if point.pk not in points:
            points[point.pk] = PointRow(point)
            clusters[point.cluster_id].points.append(points[point.pk])
        points[point.pk].questions.append(QuestionRow(q, f))
    return list(clusters.values())


def previous_assessment(assessment: ComplianceAssessment) -> ComplianceAssessment | None:
    """The factory's submitted assessment before this one: the previous cycle's."""
    return (
        ComplianceAssessment.objects.filter(
            factory_id=assessment.factory_id,
            status=ComplianceAssessment.Status.SUBMITTED,
            planned_on__lt=assessment.planned_on,
        )
        .exclude(pk=assessment.pk)
        .order_by("-planned_on", "-pk")
        .first()
    )


def _codes(assessment: ComplianceAssessment) -> tuple[dict[str, str], dict[str, str]]:
    """Return {question code: result} and {point code: "nc" | "c"} of an assessment."""
    questions: dict[str, str] = {}
    points: dict[str, str] = {}
    # No ordering: the model's joins up to the cluster, for a dict, gave PostgreSQL a plan
    # that ran for minutes inside one long transaction (the demo seed's test).
    rows = (
        Finding.objects.filter(assessment=assessment, result__in=ASSESSED)
        .order_by()
        .values_list("question__code", "question__point__code", "result")
    )
    for qcode, pcode, result in rows:
        questions[qcode] = result
        if result == Result.NON_COMPLIANT:
            points[pcode] = "nc"
        else:
            points.setdefault(pcode, "c")
    return questions, points


def changes(now: dict[str, str], before: dict[str, str], nc: str) -> Changes:
    """Compare two {code: result} maps; `nc` is the value meaning non-compliant."""
    return Changes(
        new=sorted(c for c, r in now.items() if r == nc and before.get(c) != nc),
        resolved=sorted(c for c, r in before.items() if r == nc and c in now and now[c] != nc),
        persisting=sorted(c for c, r in now.items() if r == nc and before.get(c) == nc),
    )


def factory_rates(assessment: ComplianceAssessment) -> FactoryRates:
    """Every rate of one assessment and its change against the previous cycle (5 queries)."""
    clusters = grouped(findings_of(assessment))
    previous = previous_assessment(assessment)
    q_changes = p_changes = None
    if previous is not None:
        now_q, now_p = _codes(assessment)
        before_q, before_p = _codes(previous)
        q_changes = changes(now_q, before_q, Result.NON_COMPLIANT)
        p_changes = changes(now_p, before_p, "nc")
    return FactoryRates(assessment, clusters, previous, q_changes, p_changes)


# --- across factories ------------------------------------------------------------------------


def latest_submitted(assessments: QuerySet[ComplianceAssessment]) -> QuerySet[ComplianceAssessment]:
    """Each factory's latest submitted assessment among these, so a factory counts once."""
    submitted = assessments.filter(status=ComplianceAssessment.Status.SUBMITTED)
    newer = submitted.filter(factory=OuterRef("factory")).filter(
        Q(planned_on__gt=OuterRef("planned_on"))
        | Q(planned_on=OuterRef("planned_on"), pk__gt=OuterRef("pk"))
    )
    return submitted.exclude(Exists(newer))


@dataclass(frozen=True)
class CrossRow:
    code: str
    title: str
    parent: str  # a point's cluster, a question's compliance point
    rate: Rate  # factories non-compliant of factories assessed on it
    publicly_reported: bool = False


@dataclass(frozen=True)
class CrossRates:
    factories: int  # factories with a submitted assessment in scope
    points: list[CrossRow]
    questions: list[CrossRow]


def _labels(model: Any, codes: set[str], ids: QuerySet[Any]) -> dict[str, Any]:
    """One object per code among the versions used (the newest version's wins)."""
    out: dict[str, Any] = {}
    for obj in model.objects.filter(code__in=codes, version__in=ids).order_by("version__number"):
        out[obj.code] = obj
    return out


def cross_factory_rates(assessments: QuerySet[ComplianceAssessment]) -> CrossRates:
    """The share of assessed factories non-compliant per compliance point and per question.

    Grouped in the database by code (questions keep their codes across versions), so the
    number of queries does not grow with the factories.
    """
    latest = latest_submitted(assessments)
    ids = latest.values("pk")
    findings = Finding.objects.filter(assessment__in=ids, result__in=ASSESSED)
    nc = Q(result=Result.NON_COMPLIANT)
    by_point = findings.values("question__point__code").annotate(
        assessed=Count("assessment", distinct=True),
        nc=Count("assessment", distinct=True, filter=nc),
    )
    by_question = findings.values("question__code").annotate(
        assessed=Count("pk"), nc=Count("pk", filter=nc)
    )
    point_rows = list(by_point)
    question_rows = list(by_question)
    versions = latest.values("version")
    points = _labels(CompliancePoint, {r["question__point__code"] for r in point_rows}, versions)
    questions = _labels(Question, {r["question__code"] for r in question_rows}, versions)
    clusters = {
        c.pk: c for c in Cluster.objects.filter(pk__in={p.cluster_id for p in points.values()})
    }
    qpoints = {
        p.pk: p
        for p in CompliancePoint.objects.filter(pk__in={q.point_id for q in questions.values()})
    }
    point_out = [
        CrossRow(
            code=r["question__point__code"],
            title=points[r["question__point__code"]].title_text,
            parent=clusters[points[r["question__point__code"]].cluster_id].title_text,
            rate=Rate(r["nc"], r["assessed"]),
        )
        for r in point_rows
    ]
    question_out = [
        CrossRow(
            code=r["question__code"],
            title=questions[r["question__code"]].text_text,
            parent=qpoints[questions[r["question__code"]].point_id].title_text,
            rate=Rate(r["nc"], r["assessed"]),
            publicly_reported=questions[r["question__code"]].publicly_reported,
        )
        for r in question_rows
    ]
    order = {c: i for i, c in enumerate(sorted(points))}
    point_out.sort(key=lambda row: (-(row.rate.percent or 0), order[row.code]))
    question_out.sort(key=lambda row: (-(row.rate.percent or 0), row.code))
    return CrossRates(latest.count(), point_out, question_out)


def open_findings_by_cluster(rows: list[ClusterRow]) -> dict[int, int]:
    """How many applicable questions of each cluster are still without an answer."""
    out: dict[int, int] = defaultdict(int)
    for c in rows:
        for p in c.points:
            for q in p.questions:
                if not q.finding.result:
                    out[c.cluster.pk] += 1
    return dict(out)


def self_answers_for(assessment: ComplianceAssessment) -> dict[int, str]:
    """The committee's answers {question id: result} from the engagement's latest submitted
    self-diagnosis on the same tool version, to show beside the findings."""
    latest = (
        SelfDiagnosis.objects.filter(
            engagement=assessment.engagement_id,
            version=assessment.version_id,
            submitted_at__isnull=False,
        )
        .order_by("-submitted_at")
        .first()
    )
    if latest is None:
        return {}
    return dict(latest.answers.exclude(result="").values_list("question_id", "result"))
