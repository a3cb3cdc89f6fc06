"""Compliance findings feed the improvement plan: each non-compliant question becomes an item, once.

The compliance app sits above this one, so it cannot call us; it sends `assessment_submitted`
(compliance/signals.py) and this receiver, connected in apps.py, does the rest:

- every non-compliant finding becomes an item of the engagement's plan, its `source_ref` the
  finding's (`services.finding_ref`: tool and question code, stable across versions), so a
  second submission or a correction never makes a second item; publicly reported findings are
  critical, and the plan lists items by priority, so they come first;
- a question found compliant in a later assessment (or corrected to compliant) closes the loop:
  the factory's open items from that finding, in any of its plans, are verified, with a reason
  that names the assessment.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fithub.accounts.models import User
from fithub.compliance.models import ComplianceAssessment, Finding
from fithub.compliance.signals import assessment_submitted
from fithub.improvement import services
from fithub.improvement.models import ImprovementItem, ItemTransition, Status

Source = ImprovementItem.Source
Priority = ImprovementItem.Priority
CLOSED = (Status.VERIFIED, Status.DROPPED)


def _user(by: Any) -> User | None:
    return by if isinstance(by, User) and by.is_authenticated else None


@transaction.atomic
def items_from_findings(
    *, assessment: ComplianceAssessment, by: User | None
) -> tuple[list[ImprovementItem], list[ImprovementItem]]:
    """Add an item per new non-compliant finding, close those now compliant; return both lists."""
    tool = assessment.version.tool.slug
    findings = list(
        Finding.objects.filter(
            assessment=assessment,
            result__in=(Finding.Result.NON_COMPLIANT, Finding.Result.COMPLIANT),
        )
        .select_related("question")
        .order_by("-question__publicly_reported", "question__point__order", "question__order")
    )
    ref = {f.pk: services.finding_ref(tool=tool, code=f.question.code) for f in findings}
    plan = services.plan_for(engagement=assessment.engagement, by=by)
    existing = set(plan.items.exclude(source_ref="").values_list("source_ref", flat=True))
    created = []
    for f in findings:
        if not f.non_compliant or ref[f.pk] in existing:
            continue
        q = f.question
        details = services.ItemDetails(
            issue=f"{q.code}: {q.text_text}",
            action_type=ImprovementItem.ActionType.CORRECTIVE,
            priority=Priority.CRITICAL if q.publicly_reported else Priority.HIGH,
        )
        created.append(
            services.item_create(
                plan=plan, details=details, by=by, source=Source.FINDING, source_ref=ref[f.pk]
            )
        )
    resolved = [ref[f.pk] for f in findings if not f.non_compliant]
    open_items = list(
        ImprovementItem.objects.select_for_update()
        .filter(plan__factory=assessment.factory_id, source=Source.FINDING, source_ref__in=resolved)
        .exclude(status__in=CLOSED)
    )
    reason = _("Found compliant in the compliance assessment of %(day)s.") % {
        "day": date_format(assessment.planned_on, "SHORT_DATE_FORMAT")
    }
    now = timezone.now()
    for item in open_items:
        ItemTransition.objects.create(
            item=item,
            from_status=item.status,
            to_status=Status.VERIFIED,
            by=by,
            at=now,
            reason=reason,
        )
        item.status = Status.VERIFIED
        item._history_user = by  # type: ignore[attr-defined]
        item.save(update_fields=["status", "updated_at"])
    return created, open_items


def on_assessment_submitted(
    sender: Any, *, assessment: ComplianceAssessment, by: Any, **kw: Any
) -> None:
    items_from_findings(assessment=assessment, by=_user(by))


def connect() -> None:
    assessment_submitted.connect(on_assessment_submitted, dispatch_uid="improvement-from-findings")
