"""Reads for plan pages, panels and the API, in a number of queries that does not grow."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from fithub.improvement.models import (
    ImprovementItem,
    ImprovementPlan,
    ItemComment,
    ItemEvidence,
    ItemTransition,
    Status,
)

# The board's columns, in the order work moves through them.
BOARD = (
    Status.OPEN,
    Status.IN_PROGRESS,
    Status.RETURNED,
    Status.DONE,
    Status.VERIFIED,
    Status.DROPPED,
)


def plans(qs: QuerySet[ImprovementPlan]) -> QuerySet[ImprovementPlan]:
    return qs.select_related(
        "factory", "engagement__programme", "engagement__provider"
    ).prefetch_related("sign_offs__signed_by")


def items(qs: QuerySet[ImprovementItem]) -> QuerySet[ImprovementItem]:
    """Items with what a row shows: owner, module, source; evidence and comments counted."""
    return qs.select_related(
        "owner", "module", "session__module", "group", "decision", "plan__factory"
    ).annotate(
        evidence_count=Count("evidence", distinct=True),
        comment_count=Count("comments", distinct=True),
    )


def session_items(qs: QuerySet[ImprovementItem]) -> QuerySet[ImprovementItem]:
    """A session's action items, as the session page and its API list them."""
    return qs.select_related("session__module", "group", "plan__factory", "owner").order_by(
        "-session__date", "session_id", "group__number", "pk"
    )


def item_detail(qs: QuerySet[ImprovementItem]) -> QuerySet[ImprovementItem]:
    """One item with its history, evidence and comments."""
    return qs.select_related(
        "owner", "module", "session__module", "group", "decision", "answer__statement", "plan"
    ).prefetch_related(
        Prefetch("transitions", ItemTransition.objects.select_related("by")),
        Prefetch("evidence", ItemEvidence.objects.select_related("uploaded_by")),
        Prefetch("comments", ItemComment.objects.select_related("by")),
        "plan__sign_offs",
    )


@dataclass
class Column:
    status: str
    label: str
    items: list[ImprovementItem]


def board(rows: list[ImprovementItem]) -> list[Column]:
    """Group items by status, in the order work moves through them."""
    by_status: dict[str, list[ImprovementItem]] = {s: [] for s in BOARD}
    for item in rows:
        by_status[item.status].append(item)
    return [Column(s.value, str(s.label), by_status[s]) for s in BOARD]


def plan_counts(plans: list[ImprovementPlan]) -> dict[int, dict[str, int]]:
    """How many items of each status in each plan, in one query."""
    out: dict[int, dict[str, int]] = {p.pk: {s.value: 0 for s in BOARD} for p in plans}
    rows = (
        ImprovementItem.objects.filter(plan__in=[p.pk for p in plans])
        .order_by()
        .values_list("plan", "status")
        .annotate(n=Count("pk"))
    )
    for plan_id, status, n in rows:
        out[plan_id][status] = n
    return out
