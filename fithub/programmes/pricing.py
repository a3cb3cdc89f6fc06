"""Price FIT sessions and engagements from the items a provider prices (FIT guide: pricing).

The sums are plain functions of numbers (`session_cost`, `price_at_margin`, `sponsor_share`,
`engagement_cost`); the readers below them fetch those numbers from the records. Decisions:

- Facilitator time is paid for the slot plus preparation (setting up the room, signing people
  in, forming groups, tidying up): `preparation_hours`, 1 hour unless the provider says
  otherwise on the page.
- Printing and stationery are priced per participant (one module copy each, FIT guide);
  marketing and the venue per session.
- Money is Decimal throughout. Every line is rounded half-up to cents, and a total is the sum
  of its rounded lines, so a printed breakdown always adds up.
- "Margin" is what providers and accountants mean by it: the share of the *price* left after
  costs, so price = cost / (1 - margin). A 20% margin on a cost of 100 is a price of 125
  (a 25% mark-up on cost), not 120. The pages show the equivalent mark-up next to it.
- Sponsors cover shares of the price. Each sponsor's amount is rounded; the factory pays the
  rest, so the parts add up to the price exactly. Shares above 100% in total are refused.
- A session attached to several engagements (a classroom session takes people from several
  factories) is shared between them in proportion to the participants registered from each
  engagement's factory; equally while nobody is registered. Cancelled sessions cost nothing.
- Factory staff see the sponsors' shares, in percent, and not the amounts: FIT Hub holds no
  agreed price yet, so any amount shown to them would reveal the provider's costs.

Who may see and change prices is decided in programmes/scoping.py, and prices and sponsorships
are written by programmes/services.py. This module never imports fithub.training (training comes
after programmes in the layout): one session's cost is training/costs.py, and an engagement's
sessions are read here through the `Engagement.sessions` relation.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from fithub.accounts.models import Organisation
from fithub.programmes.models import CostItem, Engagement

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
PREPARATION_HOURS = Decimal(1)
DEFAULT_CURRENCY = "USD"
ItemKind = CostItem.Kind
PER_PARTICIPANT = (ItemKind.PRINTING, ItemKind.STATIONERY)
PER_SESSION = (ItemKind.MARKETING, ItemKind.VENUE)


def money(value: Decimal) -> Decimal:
    """Round an amount half-up to cents."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- the sums ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One priced item of a session: quantity times unit price."""

    kind: str
    quantity: Decimal
    unit: Decimal
    amount: Decimal
    priced: bool  # False when the provider has no price for the item (counted as 0)

    @property
    def label(self) -> str:
        return str(ItemKind(self.kind).label)


@dataclass(frozen=True)
class Breakdown:
    """What one session costs, line by line."""

    lines: tuple[Line, ...]
    participants: int
    facilitator_hours: Decimal
    total: Decimal
    per_participant: Decimal | None  # None for a session without participants

    @property
    def unpriced(self) -> list[str]:
        return [line.label for line in self.lines if not line.priced]


def session_cost(
    *,
    items: Mapping[str, Decimal],
    hours: Decimal,
    participants: int,
    preparation_hours: Decimal = PREPARATION_HOURS,
) -> Breakdown:
    """Cost one session: facilitator time, per-participant and per-session items."""
    if hours < 0 or preparation_hours < 0 or participants < 0:
        raise ValueError("hours and participants cannot be negative")
    facilitator_hours = hours + preparation_hours
    quantities = {
        ItemKind.FACILITATOR_HOUR: facilitator_hours,
        ItemKind.PRINTING: Decimal(participants),
        ItemKind.STATIONERY: Decimal(participants),
        ItemKind.MARKETING: Decimal(1),
        ItemKind.VENUE: Decimal(1),
    }
    lines = []
    for kind, quantity in quantities.items():
        unit = items.get(kind)
        lines.append(
            Line(
                kind=kind,
                quantity=quantity,
                unit=unit if unit is not None else Decimal(0),
                amount=money(quantity * unit) if unit is not None else money(Decimal(0)),
                priced=unit is not None,
            )
        )
    total = money(sum((line.amount for line in lines), Decimal(0)))
    return Breakdown(
        lines=tuple(lines),
        participants=participants,
        facilitator_hours=facilitator_hours,
        total=total,
        per_participant=per_participant(total, participants),
    )


def per_participant(total: Decimal, participants: int) -> Decimal | None:
    """Divide an amount between participants, rounded; None when there is nobody."""
    return money(total / participants) if participants > 0 else None


def check_margin(margin_percent: Decimal) -> None:
    """Refuse a margin outside 0 to 100% (a 100% margin would need an infinite price)."""
    if margin_percent < 0 or margin_percent >= HUNDRED:
        raise ValidationError(
            {"margin": _("Choose a margin of at least 0% and below 100%.")}, code="margin"
        )


def price_at_margin(cost: Decimal, margin_percent: Decimal) -> Decimal:
    """Return the price whose margin (the share of the price above cost) is margin_percent."""
    check_margin(margin_percent)
    return money(cost / (1 - margin_percent / HUNDRED))


def markup_percent(margin_percent: Decimal) -> Decimal:
    """Return the mark-up on cost that gives a margin: 20% margin is a 25% mark-up."""
    check_margin(margin_percent)
    return money(margin_percent / (1 - margin_percent / HUNDRED))


class HasShare(Protocol):
    @property
    def share_percent(self) -> int: ...


@dataclass(frozen=True)
class Covered:
    """What one sponsor covers."""

    sponsorship: Any  # the object it was given (a Sponsorship on the pages)
    percent: int
    amount: Decimal


@dataclass(frozen=True)
class Coverage:
    """How an amount is split between sponsors and the factory."""

    total: Decimal
    sponsors: tuple[Covered, ...]
    sponsored: Decimal
    factory_pays: Decimal
    percent_covered: int

    @property
    def factory_percent(self) -> int:
        return 100 - self.percent_covered


def check_shares(percents: Iterable[int]) -> int:
    """Return the shares' sum; refuse shares that are not 1-100% or add up to more than 100%."""
    percents = list(percents)
    if any(p < 1 or p > 100 for p in percents):
        raise ValidationError(
            {"share_percent": _("A sponsor covers between 1% and 100%.")}, code="share"
        )
    covered = sum(percents)
    if covered > 100:
        raise ValidationError(
            {
                "share_percent": _(
                    "Sponsors would cover %(percent)s%% together; they can cover at most 100%%."
                )
                % {"percent": covered}
            },
            code="over_100",
        )
    return covered


def sponsor_share(total: Decimal, sponsorships: Iterable[HasShare]) -> Coverage:
    """Split an amount: what each sponsor covers (rounded) and what the factory pays (the rest)."""
    sponsorships = list(sponsorships)
    covered = check_shares(s.share_percent for s in sponsorships)
    lines = tuple(
        Covered(s, s.share_percent, money(total * s.share_percent / HUNDRED)) for s in sponsorships
    )
    sponsored = sum((c.amount for c in lines), Decimal(0))
    if covered == 100:
        # Rounding each share can miss or overshoot the total by a cent: the last one absorbs it.
        last = lines[-1]
        lines = (
            *lines[:-1],
            Covered(last.sponsorship, last.percent, total - sponsored + last.amount),
        )
        sponsored = total
    return Coverage(total, lines, money(sponsored), money(total - sponsored), covered)


def coverage(total: Decimal, sponsorships: Iterable[HasShare]) -> Coverage | None:
    """Split a price between sponsors; None if the shares (set outside FIT Hub) exceed 100%."""
    try:
        return sponsor_share(total, sponsorships)
    except ValidationError:
        return None


def session_share(*, from_factory: int, registered: int, engagements: int) -> Decimal:
    """Return the fraction of a session's cost that falls on one of its engagements."""
    if engagements <= 1:
        return Decimal(1)
    if registered > 0:
        return Decimal(from_factory) / Decimal(registered)
    return Decimal(1) / Decimal(engagements)


@dataclass(frozen=True)
class SessionPart:
    """One session's cost, and the part of it that falls on one engagement."""

    session: Any
    cost: Breakdown
    share: Decimal  # a fraction, 0 to 1
    participants: int  # registered from the engagement's factory
    amount: Decimal

    @property
    def share_percent(self) -> Decimal:
        return money(self.share * HUNDRED)


@dataclass(frozen=True)
class EngagementCost:
    parts: tuple[SessionPart, ...]
    total: Decimal
    participants: int
    per_participant: Decimal | None


def session_part(
    *, session: Any, cost: Breakdown, share: Decimal, participants: int
) -> SessionPart:
    """Return the engagement's part of a session's cost, rounded half-up."""
    return SessionPart(session, cost, share, participants, money(cost.total * share))


def engagement_cost(*, parts: Sequence[SessionPart]) -> EngagementCost:
    """Add up an engagement's parts of its sessions; per participant over its factory's people."""
    total = money(sum((p.amount for p in parts), Decimal(0)))
    people = sum(p.participants for p in parts)
    return EngagementCost(tuple(parts), total, people, per_participant(total, people))


# --- reading the records -------------------------------------------------------------------


@dataclass(frozen=True)
class Prices:
    """A provider's price list: amount per item kind, in one currency."""

    items: dict[str, Decimal] = field(default_factory=dict)
    currency: str = DEFAULT_CURRENCY


def prices_of(provider: Organisation | int | None) -> Prices:
    """Return a provider's prices; none for a session a factory organises itself."""
    if provider is None:
        return Prices()
    rows = list(CostItem.objects.filter(provider=provider).order_by("kind"))
    return _prices(rows)


def _prices(rows: Sequence[CostItem]) -> Prices:
    currencies = {row.currency for row in rows}
    # The cost-items form keeps one currency per provider; the first one wins if the admin
    # site was used to mix them.
    currency = sorted(currencies)[0] if currencies else DEFAULT_CURRENCY
    return Prices({row.kind: row.amount for row in rows}, currency)


def slot_hours(minutes: int) -> Decimal:
    """Return a session's slot length in hours (exact: minutes / 60, not rounded)."""
    return Decimal(max(minutes, 0)) / Decimal(60)


@dataclass(frozen=True)
class Quote:
    """A priced cost: the margin, the price and how sponsors split it."""

    cost: Decimal
    participants: int
    margin: Decimal
    markup: Decimal
    price: Decimal
    price_per_participant: Decimal | None
    currency: str


def quote(*, cost: Decimal, participants: int, margin: Decimal, currency: str) -> Quote:
    """Price a cost at a margin."""
    price = price_at_margin(cost, margin)
    return Quote(
        cost=cost,
        participants=participants,
        margin=margin,
        markup=markup_percent(margin),
        price=price,
        price_per_participant=per_participant(price, participants),
        currency=currency,
    )


def engagement_breakdown(
    engagement: Engagement, *, preparation_hours: Decimal = PREPARATION_HOURS
) -> tuple[EngagementCost, str]:
    """Cost an engagement over its sessions (cancelled ones excepted), in a fixed query count."""
    factory_people = Q(registrations__participant__factory_id=engagement.factory_id)
    related = engagement.sessions  # type: ignore[attr-defined]
    # A subquery: counting over the join that selects this engagement's sessions would see
    # this engagement only.
    engagement_count = (
        related.through.objects.filter(session=OuterRef("pk"))
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")  # type: ignore[misc]  # django-stubs does not see the annotation
    )
    sessions = list(
        related.exclude(status="cancelled")
        .select_related("module")
        .annotate(
            registered=Count("registrations", distinct=True),
            from_factory=Count("registrations", filter=factory_people, distinct=True),
            engagement_count=Subquery(engagement_count),
        )
        .order_by("date", "starts_at", "pk")
    )
    rows = CostItem.objects.filter(provider__in={s.provider_id for s in sessions} - {None})
    by_provider: dict[int, list[CostItem]] = {}
    for row in rows:
        by_provider.setdefault(row.provider_id, []).append(row)
    parts = []
    for session in sessions:
        prices = _prices(by_provider.get(session.provider_id or 0, []))
        cost = session_cost(
            items=prices.items,
            hours=slot_hours(session.slot_minutes),
            participants=session.registered,
            preparation_hours=preparation_hours,
        )
        share = session_share(
            from_factory=session.from_factory,
            registered=session.registered,
            engagements=session.engagement_count,
        )
        parts.append(
            session_part(session=session, cost=cost, share=share, participants=session.from_factory)
        )
    currency = prices_of(engagement.provider_id).currency
    return engagement_cost(parts=parts), currency


def sponsor_choices(engagement: Engagement) -> QuerySet[Organisation]:
    """Return who may sponsor an engagement: the factory's buyers and the programme's owner."""
    return Organisation.objects.filter(
        Q(supplier_links__factory_id=engagement.factory_id) | Q(pk=engagement.programme.owner_id)
    ).distinct()
