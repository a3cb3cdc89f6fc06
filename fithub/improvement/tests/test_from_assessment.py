"""A statement the factory answered "no" becomes an item of its engagement's plan, once."""

import pytest
from django.urls import reverse

from fithub.assessment.models import Answer
from fithub.assessment.tests.conftest import sample, submitted_a  # noqa: F401
from fithub.conftest import Cast
from fithub.improvement.models import ImprovementItem


def no_answer(assessment, code: str) -> Answer:  # type: ignore[no-untyped-def]
    return assessment.answers.get(statement__code=code)


def test_the_coordinator_acts_on_a_no_from_the_assessment_page(cast: Cast, submitted_a) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = cast.client(cast.coordinator_a)
    page = client.get(submitted_a.get_absolute_url()).content.decode()
    assert 'id="plan-from-assessment"' in page and "ST-1" in page
    answer = no_answer(submitted_a, "ST-1")
    url = reverse("improvement:from-answer", args=[answer.pk])
    response = client.post(url)
    item = ImprovementItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert (item.source, item.answer_id, item.plan.engagement_id) == (
        "statement", answer.pk, cast.engagement_a.pk,
    )  # fmt: skip
    # The same statement never makes two items; the page now links to the one it made.
    client.post(url)
    assert ImprovementItem.objects.count() == 1
    assert item.get_absolute_url() in client.get(submitted_a.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["worker_rep_a", "facilitator_a", "admin_b", "buyer"])
def test_only_the_factorys_editors_add_items(cast: Cast, submitted_a, who: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    answer = no_answer(submitted_a, "ST-1")
    response = cast.client(getattr(cast, who)).post(
        reverse("improvement:from-answer", args=[answer.pk])
    )
    assert response.status_code == 404
    assert not ImprovementItem.objects.exists()


def test_a_yes_does_not_become_an_item(cast: Cast, submitted_a) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    answer = submitted_a.answers.filter(value=True).first()
    client = cast.client(cast.coordinator_a)
    client.post(reverse("improvement:from-answer", args=[answer.pk]))
    assert not ImprovementItem.objects.exists()
