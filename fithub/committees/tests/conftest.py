"""Committees of factory A (seated, with a meeting) and factory B, and the cast's roles in them.

Dates are computed from today when a fixture runs, never when the module is imported.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from fithub.committees import services
from fithub.committees.models import Committee, Meeting, Member
from fithub.conftest import Cast

# Everyone in the cast, and who may do what with factory A's committee.
EVERYONE = [
    "owner",
    "admin_a",
    "facilitator_a",
    "assessor_a",
    "admin_b",
    "buyer",
    "buyer_b",
    "coordinator_a",
    "manager_a",
    "worker_rep_a",
    "coordinator_b",
    "worker_rep_b",
    "outsider",
    "superuser",
]
READ_A = {
    "owner",
    "admin_a",
    "facilitator_a",
    "coordinator_a",
    "manager_a",
    "worker_rep_a",
    "superuser",
}
RECORD_A = {"coordinator_a", "manager_a", "superuser"}
REVIEW_A = {"admin_a", "facilitator_a", "superuser"}
READ_B = {"owner", "admin_b", "coordinator_b", "worker_rep_b", "superuser"}
HTMX = {"HTTP_HX_REQUEST": "true"}


def today() -> date:
    return timezone.localdate()


def days(n: int) -> date:
    return today() + timedelta(days=n)


def details(**kw: Any) -> services.MemberDetails:
    data: dict[str, Any] = {
        "name": "Someone",
        "side": "worker",
        "selection": "elected",
        "sex": "female",
        "department": "sewing",
        "term_starts_on": days(-300),
        "term_ends_on": days(400),
    }
    data.update(kw)
    return services.MemberDetails(**data)


def seat(committee: Committee, name: str, side: str = "worker", **kw: Any) -> Member:
    if side == "management":
        kw.setdefault("selection", "appointed")
        kw.setdefault("department", "management")
    return services.member_add(
        committee=committee, details=details(name=name, side=side, **kw), by=None
    )


@dataclass
class Seated:
    committee: Committee
    chair: Member  # management, linked to manager_a
    hr: Member  # management
    sadia: Member  # worker, linked to worker_rep_a
    rubina: Member  # worker
    karim: Member  # worker, a man


@pytest.fixture
def checklist(db: None) -> None:
    """The default review questions (a test before may have emptied the tables)."""
    services.checklist_defaults_load()


@pytest.fixture
def committee_a(cast: Cast, checklist: None) -> Committee:
    return services.committee_create(
        factory=cast.factory_a,
        details=services.CommitteeDetails(name="PICC"),
        by=cast.coordinator_a,
    )


@pytest.fixture
def seated(cast: Cast, committee_a: Committee) -> Seated:
    """Factory A's committee: two management and three worker members."""
    cast.factory_a.workers_female = 600
    cast.factory_a.workers_male = 400
    cast.factory_a.save()
    return Seated(
        committee_a,
        seat(committee_a, "Mona Manager", "management", role="chair", user=cast.manager_a),
        seat(committee_a, "Hasan HR", "management", sex="male", department="hr"),
        seat(committee_a, "Sadia Worker", role="secretary", user=cast.worker_rep_a),
        seat(committee_a, "Rubina Akter"),
        seat(committee_a, "Karim Uddin", sex="male", department="cutting"),
    )


@pytest.fixture
def committee_b(cast: Cast) -> Committee:
    committee = services.committee_create(factory=cast.factory_b, by=cast.coordinator_b)
    seat(committee, "Bina Worker", user=cast.worker_rep_b)
    seat(committee, "Badal Boss", "management", sex="male")
    return committee


def meet(
    seated: Seated, *, on: date | None = None, minutes: str = "We agreed.", **kw: Any
) -> Meeting:
    """A meeting of factory A's committee last week, with one member of each side present."""
    return services.meeting_create(
        committee=seated.committee,
        details=services.MeetingDetails(
            held_on=on or days(-7), agenda="1. Fans on line 4", minutes=minutes, **kw
        ),
        attendees=[seated.chair, seated.sadia],
        by=None,
    )


@pytest.fixture
def meeting_a(seated: Seated) -> Meeting:
    return meet(seated)


def api(cast: Cast, who: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(getattr(cast, who))
    return client


def get(cast: Cast, who: str, url: str, **kw: Any) -> Any:
    return cast.client(getattr(cast, who)).get(url, **kw)


def post(cast: Cast, who: str, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
    return cast.client(getattr(cast, who)).post(url, data or {}, **kw)
