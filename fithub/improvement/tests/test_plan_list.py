"""The list of improvement plans: each reader sees the plans of engagements they may see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.conftest import Cast
from fithub.improvement import services
from fithub.improvement.tests.conftest import add

URL = reverse("improvement:plans")


@pytest.mark.parametrize(
    ("who", "sees_a", "sees_b", "status"),
    [
        ("coordinator_a", True, False, 200), ("worker_rep_a", True, False, 200),
        ("admin_a", True, False, 200), ("facilitator_a", True, False, 200),
        ("admin_b", False, True, 200), ("owner", True, True, 200), ("superuser", True, True, 200),
        ("buyer", False, False, 404), ("outsider", False, False, 404),
    ],
)  # fmt: skip
def test_each_reader_sees_the_plans_they_may(cast: Cast, who, sees_a, sees_b, status) -> None:
    plan_a = services.plan_for(engagement=cast.engagement_a, by=None)
    add(plan_a, issue="Exit blocked by bales")
    services.plan_for(engagement=cast.engagement_b, by=None)
    response = cast.client(getattr(cast, who)).get(URL)
    assert response.status_code == status
    body = response.content.decode()
    assert ("Alpha Garments" in body) == sees_a
    assert ("Beta Knit" in body) == sees_b
    if sees_a:
        assert "1 open, 0 in progress, 0 done, 0 verified" in body


def test_the_menu_offers_plans_to_the_factory_and_not_to_buyers(cast: Cast) -> None:
    assert URL in cast.client(cast.coordinator_a).get("/").content.decode()
    assert URL not in cast.client(cast.buyer).get("/").content.decode()


def test_the_list_costs_the_same_queries_for_one_plan_or_many(cast: Cast) -> None:
    services.plan_for(engagement=cast.engagement_a, by=None)
    client = cast.client(cast.owner)
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    services.plan_for(engagement=cast.engagement_b, by=None)
    with CaptureQueriesContext(connection) as two:
        client.get(URL)
    assert len(two) == len(one)
