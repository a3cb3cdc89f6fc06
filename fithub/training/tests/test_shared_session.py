"""A classroom session two factories of provider A share: each factory's users see their own.

One rule (scoping.registrations_for, built on participant_factories_for) decides whose people
a user sees, and every output of the session follows it: the session page, its pack, and the
API's registrations and attendance (the action items: improvement/tests/test_session_items.py).
"""

from dataclasses import dataclass
from datetime import time

import pytest
from django.urls import reverse

from fithub.accounts.models import User
from fithub.catalogue.models import Module
from fithub.conftest import Cast, FactoryA2
from fithub.lib.tests.utils import needs_weasyprint, text
from fithub.tests.cast import api
from fithub.training import pack, services
from fithub.training.models import Group, Registration, Session
from fithub.training.scoping import registrations_for
from fithub.training.tests.conftest import person, plan

ALPHA_PERSON = "Aaliya Alpha"
TWO_PERSON = "Zubaida Twofold"
TWO_FACTORY = "Alpha Two Denim"


@dataclass
class Shared:
    session: Session
    alpha: Registration  # factory A's person
    two: Registration  # factory A2's person


@pytest.fixture
def shared(cast: Cast, cast_a2: FactoryA2, module: Module) -> Shared:
    """Provider A's classroom session for factories A and A2: one person each, in one group."""
    session = plan(
        cast,
        module,
        delivery_model="classroom",
        engagements=[cast.engagement_a, cast_a2.engagement],
        starts_at=time(9),
        ends_at=time(11, 30),
    )
    alpha = services.registration_add(
        session=session, participant=person(cast.factory_a, ALPHA_PERSON), by=None
    )
    two = services.registration_add(
        session=session, participant=person(cast_a2.factory, TWO_PERSON), by=None
    )
    group = Group.objects.create(session=session, number=1)
    Registration.objects.filter(pk__in=[alpha.pk, two.pk]).update(group=group)
    Registration.objects.filter(pk=alpha.pk).update(group_role="reader")
    Registration.objects.filter(pk=two.pk).update(group_role="time_keeper")
    alpha.refresh_from_db()
    two.refresh_from_db()
    return Shared(session, alpha, two)


def user(cast: Cast, a2: FactoryA2, who: str) -> User:
    return getattr(a2, who.removeprefix("a2_")) if who.startswith("a2_") else getattr(cast, who)


# Who sees which factory's people in the shared session.
SEES = {
    "admin_a": {"alpha", "two"},
    "facilitator_a": {"alpha", "two"},
    "owner": {"alpha", "two"},
    "superuser": {"alpha", "two"},
    "coordinator_a": {"alpha"},
    "manager_a": {"alpha"},
    "worker_rep_a": {"alpha"},
    "a2_coordinator": {"two"},
    "a2_worker_rep": {"two"},
}
NOT_THE_SESSION = ("admin_b", "coordinator_b", "buyer", "outsider")


@pytest.mark.parametrize(("who", "sees"), SEES.items())
def test_the_one_rule_gives_each_reader_their_factorys_people(
    cast, cast_a2, shared: Shared, who: str, sees: set[str]
) -> None:
    visible = set(registrations_for(user(cast, cast_a2, who)).filter(session=shared.session))
    assert visible == {getattr(shared, name) for name in sees}


@pytest.mark.parametrize(("who", "sees"), SEES.items())
def test_the_session_page_names_only_the_readers_factories(
    cast, cast_a2, shared: Shared, who: str, sees: set[str]
) -> None:
    # Factory A2 says its women can attend only from 10:00: the warning names the factory.
    cast_a2.factory.women_available_from = time(10)
    cast_a2.factory.save()
    response = cast.client(user(cast, cast_a2, who)).get(shared.session.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert (ALPHA_PERSON in page) == ("alpha" in sees)
    assert ("Alpha Garments" in page) == ("alpha" in sees)
    assert (TWO_PERSON in page) == ("two" in sees)
    assert (TWO_FACTORY in page) == ("two" in sees)
    # The head count stays whole: a coordinator knows others are there, not who.
    assert "of 2 registered" in page


@pytest.mark.parametrize("who", NOT_THE_SESSION)
def test_others_do_not_see_the_shared_session(cast, shared: Shared, who: str) -> None:
    response = cast.client(getattr(cast, who)).get(shared.session.get_absolute_url())
    assert response.status_code == 404


@needs_weasyprint
@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("admin_a", {"alpha", "two"}),
        ("coordinator_a", {"alpha"}),
        ("worker_rep_a", {"alpha"}),
        ("a2_coordinator", {"two"}),
    ],
)
def test_the_pack_prints_only_the_readers_factorys_people(
    cast, cast_a2, shared: Shared, who: str, sees: set[str]
) -> None:
    content = text(pack.session_pack_pdf(session=shared.session, reader=user(cast, cast_a2, who)))
    # Names on the sign-in sheet, in the group list and in the rotation of roles.
    assert (ALPHA_PERSON in content) == ("alpha" in sees)
    assert (TWO_PERSON in content) == ("two" in sees)
    assert (TWO_FACTORY in content) == ("two" in sees)
    assert ("Alpha Garments" in content) == ("alpha" in sees)
    assert "Group 1" in content


@pytest.mark.parametrize(("who", "sees"), SEES.items())
def test_the_api_lists_only_the_readers_factorys_people(
    cast, cast_a2, shared: Shared, who: str, sees: set[str]
) -> None:
    # The session's action items follow the same rule: improvement/tests/test_session_items.py.
    client = api(user(cast, cast_a2, who))
    pk = shared.session.pk
    regs = client.get(reverse("api-session-registrations", args=[pk])).json()
    assert {r["id"] for r in regs} == {getattr(shared, name).pk for name in sees}


@pytest.mark.parametrize("fmt", ["json", "multipart"])
def test_attendance_of_the_other_factorys_person_is_unknown(
    cast, cast_a2, shared: Shared, fmt: str
) -> None:
    url = reverse("api-registration-attendance", args=[shared.two.pk])
    response = api(cast.coordinator_a).put(url, {"present": True}, format=fmt)
    assert response.status_code == 404
    shared.two.refresh_from_db()
    assert shared.two.present is None
