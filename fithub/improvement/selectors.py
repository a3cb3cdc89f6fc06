"""Reads for plan pages, panels and the API, in a number of queries that does not grow."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from fithub.accounts.models import Organisation
from fithub.catalogue.models import Module
from fithub.factories.models import Factory
from fithub.improvement.models import (
    AdoptionFollowUp,
    ImprovementItem,
    ImprovementPlan,
    ItemComment,
    ItemEvidence,
    ItemTransition,
    Status,
)
from fithub.programmes.models import Programme
from fithub.training.models import Session

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


# --- adoption follow-ups ---------------------------------------------------------------------

# A follow-up or an item is "soon due" this many days ahead (lists and the reminder digest).
SOON_DAYS = 14
OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.RETURNED)
InUse = AdoptionFollowUp.InUse


def followups(qs: QuerySet[AdoptionFollowUp]) -> QuerySet[AdoptionFollowUp]:
    """Follow-ups of held sessions, with what a row shows."""
    return qs.filter(session__status=Session.Status.HELD).select_related(
        "session__module", "factory", "engagement__provider", "answered_by"
    )


def followups_due(qs: QuerySet[AdoptionFollowUp], *, today: date) -> QuerySet[AdoptionFollowUp]:
    """Unanswered follow-ups overdue or due within SOON_DAYS, the most overdue first."""
    return followups(qs).filter(in_use="", due_on__lte=today + timedelta(days=SOON_DAYS))


def items_due(qs: QuerySet[ImprovementItem], *, today: date) -> QuerySet[ImprovementItem]:
    """Items still to do whose due date is past or within SOON_DAYS, the most overdue first."""
    return (
        qs.filter(status__in=OPEN_STATUSES, due_on__lte=today + timedelta(days=SOON_DAYS))
        .select_related("owner", "plan__factory")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class Rate:
    """Adoption in one group of follow-ups of one round, with its denominators written out.

    `answered` is the denominator of both rates; `waiting` counts those due and not answered,
    which the rate leaves out (so that a late visit does not count as "not in use").
    """

    key: int
    label: str
    months: int
    answered: int
    yes: int
    partly: int
    no: int
    waiting: int

    @property
    def in_use_pct(self) -> int | None:
        return round(100 * self.yes / self.answered) if self.answered else None

    @property
    def at_least_partly_pct(self) -> int | None:
        return round(100 * (self.yes + self.partly) / self.answered) if self.answered else None


# What a rate can be grouped by: the follow-up's field, and how to name one of its values.
RATE_GROUPS = {
    "module": "session__module",
    "factory": "factory",
    "provider": "engagement__provider",
    "programme": "engagement__programme",
}


def _labels(by: str, keys: set[int]) -> dict[int, str]:
    models: dict[str, type[Module | Factory | Organisation | Programme]] = {
        "module": Module,
        "factory": Factory,
        "provider": Organisation,
        "programme": Programme,
    }
    return {pk: str(obj) for pk, obj in models[by]._default_manager.in_bulk(keys).items()}


def adoption_rates(qs: QuerySet[AdoptionFollowUp], *, by: str, today: date) -> list[Rate]:
    """Adoption per module, factory, provider or programme and round, in two queries."""
    field = RATE_GROUPS[by]
    rows = (
        qs.filter(session__status=Session.Status.HELD)
        .order_by()
        .values_list(field, "months")
        .annotate(
            n_answered=Count("pk", filter=~Q(in_use="")),
            n_yes=Count("pk", filter=Q(in_use=InUse.YES)),
            n_partly=Count("pk", filter=Q(in_use=InUse.PARTLY)),
            n_no=Count("pk", filter=Q(in_use=InUse.NO)),
            n_waiting=Count("pk", filter=Q(in_use="", due_on__lt=today)),
        )
    )
    found = [r for r in rows if r[2] or r[6]]  # nothing answered nor due yet: nothing to say
    labels = _labels(by, {r[0] for r in found}) if found else {}
    rates = [Rate(key, labels.get(key, ""), *rest) for key, *rest in found]
    return sorted(rates, key=lambda r: (r.label.casefold(), r.key, r.months))
