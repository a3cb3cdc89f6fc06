"""Who sees the catalogue, who edits it, and whose adaptations each user sees."""

import pytest
from django.contrib.auth.models import AnonymousUser

from fithub.catalogue import services
from fithub.catalogue.scoping import adaptations_for, can_edit_catalogue, modules_for
from fithub.catalogue.tests.utils import make_module

SEES = [
    "owner",
    "admin_a",
    "facilitator_a",
    "admin_b",
    "coordinator_a",
    "worker_rep_a",
    "superuser",
]
BLIND = ["buyer", "outsider"]


@pytest.fixture
def modules(cast):
    return make_module("T-01"), make_module("T-02", is_active=False)


@pytest.mark.parametrize("who", SEES)
def test_members_see_the_active_catalogue(cast, modules, who) -> None:
    codes = set(modules_for(getattr(cast, who)).values_list("code", flat=True))
    assert "T-01" in codes
    assert ("T-02" in codes) == (who in ("owner", "superuser"))


@pytest.mark.parametrize("who", BLIND)
def test_buyers_and_outsiders_see_no_catalogue(cast, modules, who) -> None:
    assert not modules_for(getattr(cast, who)).exists()
    assert not modules_for(AnonymousUser()).exists()


def test_only_the_programme_owner_admin_edits(cast) -> None:
    editors = {who for who in [*SEES, *BLIND] if can_edit_catalogue(getattr(cast, who))}
    assert editors == {"owner", "superuser"}


@pytest.fixture
def adaptations(cast):
    module = make_module("T-01")
    a = services.adaptation_create(
        module=module,
        provider=cast.provider_a,
        by=cast.admin_a,
        details=services.AdaptationDetails(changes=["case_study"]),
    )
    b = services.adaptation_create(
        module=module,
        provider=cast.provider_b,
        by=cast.admin_b,
        details=services.AdaptationDetails(changes=["local_names"]),
    )
    return a, b


@pytest.mark.parametrize(
    ("who", "sees", "changes"),
    [
        ("admin_a", {"A"}, {"A"}),
        ("facilitator_a", {"A"}, set()),
        ("admin_b", {"B"}, {"B"}),
        ("owner", {"A", "B"}, set()),
        ("coordinator_a", {"A"}, set()),  # provider A is engaged with factory A
        ("worker_rep_a", {"A"}, set()),
        ("buyer", set(), set()),
        ("outsider", set(), set()),
        ("superuser", {"A", "B"}, {"A", "B"}),
    ],
)
def test_adaptations_are_seen_by_their_provider_and_the_owner(
    cast, adaptations, who, sees, changes
) -> None:
    a, b = adaptations
    label = {a.pk: "A", b.pk: "B"}
    user = getattr(cast, who)
    assert {label[x.pk] for x in adaptations_for(user)} == sees
    assert {label[x.pk] for x in adaptations_for(user, write=True)} == changes
