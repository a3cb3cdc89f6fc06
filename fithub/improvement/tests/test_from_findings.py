"""Findings become plan items once, publicly reported first; a later cycle closes them."""

from datetime import date

from fithub.compliance import services as compliance
from fithub.compliance.models import ComplianceAssessment
from fithub.compliance.tests.conftest import (  # noqa: F401
    Planned,
    answer_all,
    make_assessor,
    planned,
    small,
    started,
)
from fithub.conftest import Cast
from fithub.improvement.models import ImprovementItem, ImprovementPlan
from fithub.programmes.models import Engagement


def _submit(cast: Cast, p: Planned, results: dict[str, str]) -> ComplianceAssessment:
    answer_all(p, cast.assessor_a, results)
    return compliance.assessment_submit(assessment=p.assessment, by=cast.assessor_a)


def test_each_non_compliant_question_becomes_one_item(
    cast: Cast,
    started: Planned,  # noqa: F811
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _submit(cast, started, {"W1": "non_compliant", "E1": "non_compliant"})
    plan = ImprovementPlan.objects.get(engagement=cast.engagement_a)
    items = list(plan.items.order_by("priority", "pk"))
    assert [i.source_ref for i in items] == ["finding:small:E1", "finding:small:W1"]
    # E1 is publicly reported: critical, so first in the plan.
    assert [i.priority for i in items] == [
        ImprovementItem.Priority.CRITICAL,
        ImprovementItem.Priority.HIGH,
    ]
    assert all(i.source == ImprovementItem.Source.FINDING for i in items)
    assert items[0].issue.startswith("E1: Fire alarm works")
    # A correction sends the signal again: still one item per finding.
    with django_capture_on_commit_callbacks(execute=True):
        compliance.assessment_correct(
            assessment=started.assessment,
            corrections=[compliance.Correction(question=started.q("W2"), result="non_compliant")],
            reason="Second payroll found",
            by=cast.assessor_a,
        )
    assert sorted(plan.items.values_list("source_ref", flat=True)) == [
        "finding:small:E1", "finding:small:W1", "finding:small:W2",
    ]  # fmt: skip


def test_a_later_assessment_closes_the_loop(
    cast: Cast,
    started: Planned,  # noqa: F811
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _submit(cast, started, {"W1": "non_compliant", "E1": "non_compliant"})
    engagement = Engagement.objects.create(
        programme=cast.programme, factory=cast.factory_a, provider=cast.provider_a,
        delivery_model="in_factory", cycle=2,
    )  # fmt: skip
    second = make_assessor(cast, "third@example.org")
    later = compliance.assessment_plan(
        engagement=engagement,
        version=started.version,
        details=compliance.PlanDetails(
            planned_on=date(2027, 4, 13), assessors=[cast.assessor_a, second]
        ),
        by=cast.admin_a,
    )
    compliance.assessment_start(assessment=later, by=cast.assessor_a)
    later.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(cast, Planned(later, started.version, second), {"E1": "non_compliant"})
    first = ImprovementItem.objects.get(
        plan__engagement=cast.engagement_a, source_ref="finding:small:W1"
    )
    assert first.status == "verified"
    transition = first.transitions.get()
    assert "Found compliant" in transition.reason and transition.by == cast.assessor_a
    persisting = ImprovementItem.objects.get(
        plan__engagement=cast.engagement_a, source_ref="finding:small:E1"
    )
    assert persisting.status == "open"
    # The persisting finding is in the new cycle's plan too, once.
    assert list(
        ImprovementItem.objects.filter(plan__engagement=engagement).values_list(
            "source_ref", flat=True
        )
    ) == ["finding:small:E1"]


def test_a_compliant_assessment_makes_no_item(
    cast: Cast,
    started: Planned,  # noqa: F811
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _submit(cast, started, {})
    assert not ImprovementItem.objects.exists()
