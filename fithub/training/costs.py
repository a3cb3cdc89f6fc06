"""The cost of a session, from its organiser's price list (the sums are programmes/pricing.py).

Training comes after programmes in the layout, so the piece that reads both a session and
the prices is here; programmes keeps the price lists, the arithmetic and the engagement totals.
"""

from decimal import Decimal

from fithub.programmes import pricing
from fithub.programmes.pricing import PREPARATION_HOURS, Breakdown, Prices
from fithub.training.models import Session


def registered_count(session: Session) -> int:
    """Return the number of people registered for a session."""
    return session.registrations.count()


def session_breakdown(
    session: Session,
    *,
    participants: int | None = None,
    preparation_hours: Decimal = PREPARATION_HOURS,
    prices: Prices | None = None,
) -> tuple[Breakdown, Prices]:
    """Cost a session from its organiser's prices, slot and registered (or given) participants."""
    prices = prices if prices is not None else pricing.prices_of(session.provider_id)
    people = registered_count(session) if participants is None else participants
    cost = pricing.session_cost(
        items=prices.items,
        hours=pricing.slot_hours(session.slot_minutes),
        participants=people,
        preparation_hours=preparation_hours,
    )
    return cost, prices
