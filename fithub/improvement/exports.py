"""A plan's items as CSV or Excel: what the page shows, for whoever may read the plan."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from fithub.factories.exports import csv_response
from fithub.improvement.models import ImprovementItem, ImprovementPlan
from fithub.lib import tabular, xlsx


def _header() -> list[str]:
    return [
        _("Item"), _("Status"), _("Source"), _("Issue"), _("Root cause"), _("Action"),
        _("Type of action"), _("Module"), _("Owner"), _("Department"), _("By when"),
        _("Priority"), _("KPI it should move"), _("Evidence"), _("Recorded"),
    ]  # fmt: skip


def item_rows(items: QuerySet[ImprovementItem], *, excel: bool = False) -> Iterator[list[Any]]:
    """One row per item, in the reader's language for labels; users' text as they wrote it."""
    for item in items:
        owner = item.owner.name if item.owner else item.owner_name
        texts = [item.issue, item.root_cause, item.action, owner, item.kpi]
        if not excel:  # a CSV cell starting like a formula would run in a spreadsheet
            texts = [tabular.neutralise(t or "") for t in texts]
        issue, root_cause, action, owner, kpi = texts
        due = item.due_on if excel else (item.due_on.isoformat() if item.due_on else "")
        recorded = timezone.localtime(item.created_at).date()
        yield [
            item.pk, item.get_status_display(), item.get_source_display(), issue, root_cause,
            action, item.get_action_type_display(), item.module.code if item.module else "",
            owner, item.get_department_display() if item.department else "", due or "",
            item.get_priority_display(), kpi, getattr(item, "evidence_count", 0),
            recorded if excel else recorded.isoformat(),
        ]  # fmt: skip


def _name(plan: ImprovementPlan, extension: str) -> str:
    return f"fithub-plan-{plan.pk}-{timezone.localdate():%Y-%m-%d}.{extension}"


def export_csv(plan: ImprovementPlan, items: QuerySet[ImprovementItem]) -> StreamingHttpResponse:
    rows = iter([_header(), *item_rows(items)])
    return csv_response(rows, _name(plan, "csv"))


def export_xlsx(plan: ImprovementPlan, items: QuerySet[ImprovementItem]) -> HttpResponse:
    rows = [_header(), *item_rows(items, excel=True)]
    return xlsx.response(rows, sheet=_("Improvement plan"), filename=_name(plan, "xlsx"))
