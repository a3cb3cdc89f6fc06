"""What a session costs, and its part in an engagement's cost: the sums read from the records,
and who sees the pages (the price lists and the sums alone are tested in programmes)."""

from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.accounts.models import Organisation
from fithub.catalogue.models import Module
from fithub.conftest import Cast
from fithub.programmes import pricing
from fithub.programmes.models import Engagement, Sponsorship
from fithub.programmes.tests.test_pricing import body, set_prices
from fithub.training import costs
from fithub.training.models import Participant, Registration, Session

D = Decimal


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def session_cost_url(pk: int) -> str:
    return reverse("training:session-cost", args=[pk])


def make_session(
    cast: Cast,
    *,
    engagements: list[Engagement],
    people: dict[Any, int],
    ends: time = time(11, 30),
    status: str = "planned",
    provider: Organisation | None = None,
    code: str = "PRD-01",
) -> Session:
    module, _created = Module.objects.get_or_create(
        code=code,
        defaults={
            "title": {"en": "Production planning"},
            "category": "production",
            "audience": "mixed",
            "duration_minutes": 120,
        },
    )
    session = Session.objects.create(
        module=module,
        provider=provider or cast.provider_a,
        delivery_model="classroom" if len(engagements) > 1 else "in_factory",
        date=date(2026, 5, 12),
        starts_at=time(9),
        ends_at=ends,
        status=status,
    )
    session.engagements.set(engagements)
    for factory, count in people.items():
        for i in range(count):
            participant = Participant.objects.create(
                factory=factory, name=f"P{i}", sex="female", role="worker", department="sewing"
            )
            Registration.objects.create(session=session, participant=participant)
    return session


def test_session_breakdown_reads_slot_people_and_the_organisers_prices(cast: Cast) -> None:
    set_prices(cast.provider_a)
    session = make_session(cast, engagements=[cast.engagement_a], people={cast.factory_a: 12})
    cost, prices = costs.session_breakdown(session)
    assert prices.currency == "PKR"
    assert cost.total == D("244.50")
    cost, _prices = costs.session_breakdown(session, participants=10)
    assert cost.total == D("235.00")  # two fewer copies and stationery sets: 2 x 4.75
    # A session the factory organises itself has no provider prices.
    session.provider = None
    session.organising_factory = cast.factory_a
    session.save()
    cost, prices = costs.session_breakdown(session)
    assert cost.total == D("0.00") and len(cost.unpriced) == 5


def test_engagement_totals_share_classroom_sessions(cast: Cast) -> None:
    set_prices(cast.provider_a)
    make_session(cast, engagements=[cast.engagement_a], people={cast.factory_a: 12})
    # A classroom session for both factories: 6 people from A, 2 from B; 2 h slot: 213.00.
    make_session(
        cast,
        engagements=[cast.engagement_a, cast.engagement_b],
        people={cast.factory_a: 6, cast.factory_b: 2},
        ends=time(11),
    )
    make_session(
        cast, engagements=[cast.engagement_a], people={cast.factory_a: 9}, status="cancelled"
    )
    total_a, currency = pricing.engagement_breakdown(cast.engagement_a)
    assert currency == "PKR"
    assert [p.amount for p in total_a.parts] == [D("244.50"), D("159.75")]
    assert total_a.total == D("404.25")
    assert total_a.participants == 18
    assert total_a.per_participant == D("22.46")
    total_b, _currency = pricing.engagement_breakdown(cast.engagement_b)
    assert [p.amount for p in total_b.parts] == [D("53.25")]
    assert total_b.per_participant == D("26.63")  # 26.625


def test_engagement_totals_take_a_fixed_number_of_queries(cast: Cast) -> None:
    set_prices(cast.provider_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            pricing.engagement_breakdown(Engagement.objects.get(pk=cast.engagement_a.pk))
        return len(queries)

    make_session(cast, engagements=[cast.engagement_a], people={cast.factory_a: 3})
    few = count()
    for _i in range(5):
        make_session(cast, engagements=[cast.engagement_a], people={cast.factory_a: 3})
    assert count() == few


# --- pages: session and engagement costs -------------------------------------------------------


@pytest.fixture
def priced(cast: Cast) -> Any:
    set_prices(cast.provider_a)
    session = make_session(cast, engagements=[cast.engagement_a], people={cast.factory_a: 12})
    Sponsorship.objects.create(
        engagement=cast.engagement_a, sponsor=cast.buyer_org, share_percent=40
    )
    return session


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin_a", 200),
        ("facilitator_a", 200),
        ("owner", 200),
        ("superuser", 200),
        ("admin_b", 404),
        ("coordinator_a", 404),
        ("worker_rep_a", 404),
        ("buyer", 404),
        ("outsider", 404),
    ],
)
def test_who_sees_a_session_cost(cast: Cast, priced: Any, who: str, status: int) -> None:
    response = cast.client(getattr(cast, who)).get(session_cost_url(priced.pk))
    assert response.status_code == status


def test_session_cost_page_prices_at_the_chosen_margin(cast: Cast, priced: Any) -> None:
    client = cast.client(cast.admin_a)
    page = body(client.get(session_cost_url(priced.pk) + "?margin=20"))
    assert "244.50 PKR" in page  # the cost
    assert "20.38 PKR" in page  # per participant
    assert "305.63 PKR" in page  # the price at a 20% margin
    assert "25.47 PKR" in page  # the price per participant (25.469...)
    assert "122.25" in page  # the buyer's 40% of 305.63 (122.252)
    assert "183.38 PKR" in page  # what the factory pays
    page = body(client.get(session_cost_url(priced.pk) + "?participants=10&margin=0"))
    assert "235.00 PKR" in page
    page = body(client.get(session_cost_url(priced.pk) + "?margin=100"))
    assert "99.99" in page  # the form says what it takes
    assert "244.50 PKR" in page  # and the page still shows the cost at no margin


def test_provider_b_may_not_see_provider_as_session(cast: Cast) -> None:
    set_prices(cast.provider_b)
    session = make_session(
        cast, engagements=[cast.engagement_b], people={cast.factory_b: 6}, provider=cast.provider_b
    )
    assert cast.client(cast.admin_b).get(session_cost_url(session.pk)).status_code == 200
    assert cast.client(cast.admin_a).get(session_cost_url(session.pk)).status_code == 404


@pytest.mark.parametrize(
    ("who", "status", "full", "edits"),
    [
        ("admin_a", 200, True, True),
        ("facilitator_a", 200, True, False),
        ("owner", 200, True, False),
        ("coordinator_a", 200, False, False),
        ("worker_rep_a", 200, False, False),
        ("admin_b", 404, False, False),
        ("buyer", 404, False, False),
        ("outsider", 404, False, False),
    ],
)
def test_who_sees_what_of_an_engagement_cost(
    cast: Cast, priced: Any, who: str, status: int, full: bool, edits: bool
) -> None:
    response = cast.client(getattr(cast, who)).get(
        url("programmes:engagement-cost", cast.engagement_a.pk) + "?margin=20"
    )
    assert response.status_code == status
    if status != 200:
        return
    page = body(response)
    assert "Brand C" in page and "40%" in page  # everyone who sees the page sees the shares
    assert ("244.50" in page) is full  # the cost
    assert ("305.63" in page) is full  # the price
    assert "Facilitator time, per hour" not in page  # items are on the session page only
    assert ("Add a sponsor" in page) is edits


def test_engagement_cost_page_totals(cast: Cast, priced: Any) -> None:
    make_session(
        cast,
        engagements=[cast.engagement_a, cast.engagement_b],
        people={cast.factory_a: 6, cast.factory_b: 2},
        ends=time(11),
    )
    page = body(
        cast.client(cast.owner).get(url("programmes:engagement-cost", cast.engagement_a.pk))
    )
    assert "404.25 PKR" in page
    assert "159.75" in page
    assert "75%" in page
    assert "22.46 PKR" in page


def test_engagement_cost_page_query_count_does_not_grow(cast: Cast, priced: Any) -> None:
    client = cast.client(cast.admin_a)
    page = url("programmes:engagement-cost", cast.engagement_a.pk)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    few = count()
    for _i in range(4):
        make_session(cast, engagements=[cast.engagement_a], people={cast.factory_a: 2})
    assert count() == few


def test_anonymous_visitors_go_to_the_login_page(cast: Cast) -> None:
    response = cast.client(None).get(session_cost_url(1))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_old_session_cost_address_leads_to_the_page(cast: Cast, priced: Any) -> None:
    old = reverse("programmes:session-cost", args=[priced.pk]) + "?margin=20"
    response = cast.client(cast.admin_a).get(old)
    assert response.status_code == 302
    assert response["Location"] == session_cost_url(priced.pk) + "?margin=20"


def test_the_engagement_cost_page_links_to_each_sessions_cost(cast: Cast, priced: Any) -> None:
    page = body(
        cast.client(cast.admin_a).get(url("programmes:engagement-cost", cast.engagement_a.pk))
    )
    assert f'href="{session_cost_url(priced.pk)}"' in page
