"""A session's action items, moved from training: they join the factory's plan, and the
session page (through its slot), its API and the factory's plan show them to the same people."""

from dataclasses import dataclass
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.conftest import Cast, FactoryA2
from fithub.improvement import services
from fithub.improvement.models import ImprovementItem
from fithub.improvement.scoping import items_for
from fithub.improvement.tests.conftest import api
from fithub.training import services as training
from fithub.training.models import Group, Registration, Session
from fithub.training.tests.conftest import NEXT_WEEK, person, plan
from fithub.training.tests.test_shared_session import SEES, user

# The training tests' cast for provider A's session.
EVERYONE = [
    "owner",
    "admin_a",
    "facilitator_a",
    "admin_b",
    "buyer",
    "coordinator_a",
    "worker_rep_a",
    "outsider",
    "superuser",
]
READ_A = {"owner", "admin_a", "facilitator_a", "coordinator_a", "worker_rep_a", "superuser"}
WRITE_A = {"admin_a", "facilitator_a", "superuser"}
HTMX = {"HTTP_HX_REQUEST": "true"}
ALPHA_OWNER = "Owner of Alpha"
TWO_OWNER = "Owner of Twofold"


def test_items_belong_to_a_factory_of_the_session(cast, session_a) -> None:
    item = services.session_item_add(
        session=session_a, by=None, description="Label the racks", owner_name="Rina"
    )
    assert item.plan.factory == cast.factory_a and item.plan.engagement == cast.engagement_a
    assert (item.source, item.action, item.module) == (
        "session",
        "Label the racks",
        session_a.module,
    )
    with pytest.raises(ValidationError):
        services.session_item_add(
            session=session_a, by=None, description="x", factory=cast.factory_b
        )
    assert ImprovementItem.objects.count() == 1


@pytest.mark.parametrize("who", EVERYONE)
def test_items_follow_the_session(cast, session_a, who) -> None:
    item = services.session_item_add(session=session_a, by=None, description="Label the racks")
    assert items_for(getattr(cast, who)).filter(pk=item.pk).exists() == (who in READ_A)


@pytest.mark.parametrize("who", EVERYONE)
def test_who_adds_items_from_the_session_page(cast, session_a, who) -> None:
    url = reverse("improvement:session-item-add", args=[session_a.pk])
    response = cast.client(getattr(cast, who)).post(url, {"description": "Fix the racks"})
    assert response.status_code == (302 if who in WRITE_A else 404)
    assert ImprovementItem.objects.filter(session=session_a).exists() == (who in WRITE_A)


def test_the_session_page_adds_and_shows_action_items(cast, session_a) -> None:
    for i in range(6):
        training.registration_add(
            session=session_a, participant=person(cast.factory_a, f"P {i}"), by=None
        )
    training.groups_form(session=session_a, by=None)
    group = session_a.groups.get()
    url = reverse("improvement:session-item-add", args=[session_a.pk])
    data = {
        "description": "Label every rack",
        "owner_name": "Rina",
        "due_on": NEXT_WEEK.isoformat(),
        "group": group.pk,
        "factory": cast.factory_a.pk,
    }
    html = cast.client(cast.facilitator_a).post(url, data, **HTMX).content.decode()
    assert "Label every rack" in html and 'id="action-items"' in html
    item = ImprovementItem.objects.get()
    assert (item.group, item.plan.factory, item.owner_name) == (group, cast.factory_a, "Rina")
    html = cast.client(cast.worker_rep_a).get(session_a.get_absolute_url()).content.decode()
    assert "Label every rack" in html
    # The group keeps its items when groups are formed again.
    training.groups_form(session=session_a, by=None)
    item.refresh_from_db()
    assert item.group_id == group.pk


@pytest.mark.parametrize("who", EVERYONE)
def test_the_factory_page_shows_the_plan_with_session_items(
    cast, session_a, session_b, who
) -> None:
    item = services.session_item_add(session=session_a, by=None, description="Label every rack")
    services.session_item_add(session=session_b, by=None, description="Sweep the floor")
    response = cast.client(getattr(cast, who)).get(item.plan.get_absolute_url())
    assert response.status_code == (200 if who in READ_A else 404)
    if who in READ_A:
        html = response.content.decode()
        assert "Label every rack" in html and "Sweep the floor" not in html


def test_the_session_page_costs_the_same_queries_for_3_and_30_items(cast, module) -> None:
    c = cast.client(cast.facilitator_a)
    counts = []
    for n in (3, 30):
        session = plan(cast, module)
        for i in range(n):
            services.session_item_add(session=session, by=None, description=f"x {i}")
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(session.get_absolute_url()).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# --- a classroom session two factories of provider A share --------------------------------


@dataclass
class Shared:
    session: Session
    alpha: Registration
    two: Registration


@pytest.fixture
def shared(cast: Cast, cast_a2: FactoryA2, module) -> Shared:  # type: ignore[no-untyped-def]
    session = plan(
        cast,
        module,
        delivery_model="classroom",
        engagements=[cast.engagement_a, cast_a2.engagement],
        starts_at=time(9),
        ends_at=time(11, 30),
    )
    alpha = training.registration_add(
        session=session, participant=person(cast.factory_a, "Aaliya Alpha"), by=None
    )
    two = training.registration_add(
        session=session, participant=person(cast_a2.factory, "Zubaida Twofold"), by=None
    )
    group = Group.objects.create(session=session, number=1)
    Registration.objects.filter(pk__in=[alpha.pk, two.pk]).update(group=group)
    services.session_item_add(
        session=session, by=None, description="Label the bins", factory=cast.factory_a,
        owner_name=ALPHA_OWNER,
    )  # fmt: skip
    services.session_item_add(
        session=session, by=None, description="Fix the lights", factory=cast_a2.factory,
        owner_name=TWO_OWNER,
    )  # fmt: skip
    return Shared(session, alpha, two)


@pytest.mark.parametrize(("who", "sees"), SEES.items())
def test_each_factorys_items_join_its_own_plan_and_only_its_readers_see_them(
    cast, cast_a2, shared: Shared, who: str, sees: set[str]
) -> None:
    reader = user(cast, cast_a2, who)
    page = cast.client(reader).get(shared.session.get_absolute_url()).content.decode()
    assert (ALPHA_OWNER in page) == ("alpha" in sees)
    assert (TWO_OWNER in page) == ("two" in sees)
    items = api(reader).get(reverse("api-session-action-items", args=[shared.session.pk])).json()
    owners = {i["owner_name"] for i in items}
    assert owners == {ALPHA_OWNER if name == "alpha" else TWO_OWNER for name in sees}
    plans = {i.plan.engagement_id for i in ImprovementItem.objects.all()}
    assert plans == {cast.engagement_a.pk, cast_a2.engagement.pk}


@pytest.mark.parametrize("who", ["admin_b", "coordinator_b", "buyer", "outsider"])
def test_others_get_no_items_of_the_shared_session(cast, shared: Shared, who: str) -> None:
    url = reverse("api-session-action-items", args=[shared.session.pk])
    assert api(getattr(cast, who)).get(url).status_code == 404
    items = api(getattr(cast, who)).get(reverse("api-action-items")).json()["results"]
    assert items == []
    assert ImprovementItem.objects.count() == 2


@pytest.mark.parametrize("fmt", ["json", "form", "multipart"])
def test_the_action_item_api_reads_every_content_type(cast, session_a, fmt) -> None:
    from fithub.training.tests.test_api_content_types import send

    url = reverse("api-session-action-items", args=[session_a.pk])
    body = {"description": "Mark the walkways", "owner_name": "Rina"}
    assert send(cast.facilitator_a, "POST", url, body, fmt).status_code == 201
    assert ImprovementItem.objects.count() == 1
    response = send(cast.facilitator_a, "POST", url, {"owner_name": "Rina"}, fmt)
    assert response.status_code == 400
    assert ImprovementItem.objects.count() == 1
