"""A catalogue module, sessions of provider A and B, and people to register."""

from collections.abc import Callable
from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from fithub.catalogue.models import Module
from fithub.catalogue.tests.utils import make_module
from fithub.conftest import Cast
from fithub.factories.models import Factory
from fithub.training import services
from fithub.training.models import Participant, Registration, Session

# Relative to the real clock, not a fixed date, on purpose: the code under test compares a
# session with timezone.now() (attendance is refused before a session starts, self check-in
# opens on its day, certificates follow attendance), and freezing the clock for every test
# that uses these dates (other apps' tests too) would need a time-travel library the suite
# does not have. They are taken in the site's time zone, as the code reads the date, not the
# machine's (date.today()); tests that need an exact instant pass `now=` to the service.
TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)
NEXT_WEEK = TODAY + timedelta(days=7)


@pytest.fixture
def module(db: None) -> Module:
    """A 120-minute FIT module."""
    return Module.objects.filter(code="T-01").first() or make_module("T-01")


def plan(cast: Cast, module: Module, *, provider: str = "a", **kw: Any) -> Session:
    """Plan a session of provider A (or B) with its factory, by default yesterday 09:00-11:30."""
    data: dict[str, Any] = {
        "module": module,
        "date": YESTERDAY,
        "starts_at": time(9, 0),
        "ends_at": time(11, 30),
        "delivery_model": "in_factory",
        "language": "en",
    }
    data.update(kw)
    org = getattr(cast, f"provider_{provider}")
    engagements = data.pop("engagements", [getattr(cast, f"engagement_{provider}")])
    by = data.pop("by", getattr(cast, f"admin_{provider}"))
    details = services.SessionDetails(**data)
    return services.session_create(by=by, details=details, provider=org, engagements=engagements)


@pytest.fixture
def session_a(cast: Cast, module: Module) -> Session:
    """Provider A's session with factory A, held yesterday."""
    return plan(cast, module)


@pytest.fixture
def session_b(cast: Cast, module: Module) -> Session:
    return plan(cast, module, provider="b")


@pytest.fixture
def today_a(cast: Cast, module: Module) -> Session:
    """Provider A's session running all day today, so self check-in is open."""
    return plan(cast, module, date=timezone.localdate(), starts_at=time(0), ends_at=time(23, 59))


@pytest.fixture
def future_a(cast: Cast, module: Module) -> Session:
    return plan(cast, module, date=NEXT_WEEK)


SEXES = ("female", "male")
DEPARTMENTS = ("sewing", "cutting", "finishing", "quality")
ROLES = ("worker", "worker", "supervisor", "manager")


def person(factory: Factory, name: str, **kw: Any) -> Participant:
    data = {"sex": "female", "role": "worker", "department": "sewing", **kw}
    details = services.ParticipantDetails(name=name, **data)
    return services.participant_create(factory=factory, by=None, details=details)


@pytest.fixture
def register(cast: Cast) -> Callable[..., list[Registration]]:
    """Register n new people of the session's (first) factory; mixed sexes and departments."""

    def make(session: Session, n: int, factory: Factory | None = None) -> list[Registration]:
        factory = factory or cast.factory_a
        start = Participant.objects.count()
        regs = []
        for i in range(n):
            p = person(
                factory,
                f"Person {start + i:03d}",
                sex=SEXES[i % 2],
                department=DEPARTMENTS[i % 4],
                role=ROLES[i % 4],
            )
            regs.append(services.registration_add(session=session, participant=p, by=None))
        return regs

    return make
