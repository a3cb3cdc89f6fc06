"""The one rule: who sees and who records each factory's committee business."""

import pytest

from fithub.committees import scoping
from fithub.committees.tests.conftest import EVERYONE, READ_A, READ_B, RECORD_A, REVIEW_A


@pytest.mark.parametrize("who", EVERYONE)
def test_committee_factories_for_the_whole_cast(cast, who) -> None:
    user = getattr(cast, who)
    seen = set(scoping.committee_factories_for(user).values_list("pk", flat=True))
    assert (cast.factory_a.pk in seen) == (who in READ_A)
    assert (cast.factory_b.pk in seen) == (who in READ_B)
    recorded = set(scoping.committee_factories_for(user, write=True).values_list("pk", flat=True))
    assert (cast.factory_a.pk in recorded) == (who in RECORD_A)
    assert (cast.factory_b.pk in recorded) == (who in {"coordinator_b", "superuser"})
    guided = set(scoping.guided_factories_for(user).values_list("pk", flat=True))
    assert (cast.factory_a.pk in guided) == (who in REVIEW_A)


def test_two_factories_of_one_provider_never_see_each_other(cast, cast_a2, seated) -> None:
    for user in (cast_a2.coordinator, cast_a2.worker_rep):
        assert not scoping.committees_for(user).exists()
        assert not scoping.members_for(user).exists()
    # Provider A's advisors see both factories' committees.
    both = set(scoping.committee_factories_for(cast.facilitator_a).values_list("pk", flat=True))
    assert {cast.factory_a.pk, cast_a2.factory.pk} <= both


def test_every_model_follows_its_committee(cast, seated, meeting_a, committee_b) -> None:
    for fn in (
        scoping.members_for,
        scoping.meetings_for,
        scoping.decisions_for,
        scoping.elections_for,
        scoping.reviews_for,
    ):
        for who, factory in (("worker_rep_a", cast.factory_a), ("worker_rep_b", cast.factory_b)):
            qs = fn(getattr(cast, who))
            assert all(
                row.committee.factory_id == factory.pk for row in qs.select_related("committee")
            ), (fn.__name__, who)
    assert scoping.members_for(cast.worker_rep_a).count() == 5
    assert not scoping.members_for(cast.buyer).exists()


def test_approvers_are_recorders_or_the_member_themself(cast, seated) -> None:
    c = seated.committee
    assert set(scoping.approving_members_for(cast.coordinator_a, committee=c)) == set(
        c.members.all()
    )
    assert list(scoping.approving_members_for(cast.worker_rep_a, committee=c)) == [seated.sadia]
    assert not scoping.approving_members_for(cast.facilitator_a, committee=c).exists()
    assert not scoping.approving_members_for(cast.worker_rep_b, committee=c).exists()


def test_advisors_of_a_factory_are_its_providers_admins_and_facilitators(cast) -> None:
    advisors = set(scoping.advisors_of(cast.factory_a))
    assert advisors == {cast.admin_a, cast.facilitator_a}
