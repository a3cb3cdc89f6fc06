"""A committee decision becomes an item of the factory's plan from the meeting page, once."""

import pytest
from django.urls import reverse

from fithub.committees import services as committee_services
from fithub.conftest import Cast
from fithub.improvement.models import ImprovementItem
from fithub.improvement.tests.conftest import soon


@pytest.fixture
def decision(cast: Cast):  # type: ignore[no-untyped-def]
    committee = committee_services.committee_create(factory=cast.factory_a, by=None)
    meeting = committee_services.meeting_create(
        committee=committee,
        details=committee_services.MeetingDetails(held_on=soon(-3)),
        by=None,
    )
    return committee_services.decision_add(
        meeting=meeting,
        details=committee_services.DecisionDetails(text="Fix the canteen fans", due_on=soon(30)),
        by=None,
    )


def test_the_coordinator_adds_a_decision_to_the_plan_from_the_meeting(cast: Cast, decision) -> None:  # type: ignore[no-untyped-def]
    client = cast.client(cast.coordinator_a)
    meeting = decision.meeting.get_absolute_url()
    url = reverse("improvement:from-decision", args=[decision.pk, cast.engagement_a.pk])
    assert f'action="{url}"' in client.get(meeting).content.decode()
    response = client.post(url)
    item = ImprovementItem.objects.get()
    assert response["Location"] == item.get_absolute_url()
    assert (item.decision_id, item.plan.engagement_id) == (decision.pk, cast.engagement_a.pk)
    page = client.get(meeting).content.decode()
    assert f'action="{url}"' not in page and item.get_absolute_url() in page
    client.post(url)  # a second time: still one item
    assert ImprovementItem.objects.count() == 1


@pytest.mark.parametrize("who", ["worker_rep_a", "facilitator_a", "admin_b", "buyer"])
def test_only_the_factorys_editors_add_decisions(cast: Cast, decision, who: str) -> None:  # type: ignore[no-untyped-def]
    url = reverse("improvement:from-decision", args=[decision.pk, cast.engagement_a.pk])
    assert cast.client(getattr(cast, who)).post(url).status_code == 404
    assert not ImprovementItem.objects.exists()


def test_another_factorys_engagement_is_refused(cast: Cast, decision) -> None:  # type: ignore[no-untyped-def]
    url = reverse("improvement:from-decision", args=[decision.pk, cast.engagement_b.pk])
    assert cast.client(cast.coordinator_a).post(url).status_code == 404
    assert not ImprovementItem.objects.exists()
