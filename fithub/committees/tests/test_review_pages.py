"""The advisor's effectiveness review, through its pages: who enters it, its score, refusals."""

import pytest
from django.urls import reverse

from fithub.committees import selectors
from fithub.committees.models import ChecklistItem, Review
from fithub.committees.tests.conftest import EVERYONE, REVIEW_A, days, get, post


def _answers(*values: int) -> dict[str, object]:
    items = list(ChecklistItem.objects.filter(is_active=True).order_by("order", "pk"))
    assert len(items) == len(values)
    return {f"q_{item.pk}": v for item, v in zip(items, values, strict=True)}


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_factory_s_advisors_enter_a_review(cast, seated, who) -> None:
    url = reverse("committees:review-create", args=[seated.committee.pk])
    data = {"reviewed_on": days(0), **_answers(2, 2, 2, 2, 2, 2)}
    response = post(cast, who, url, data)
    assert response.status_code == (302 if who in REVIEW_A else 404)
    assert Review.objects.exists() == (who in REVIEW_A)


def test_the_score_is_computed_and_shown(cast, seated) -> None:
    url = reverse("committees:review-create", args=[seated.committee.pk])
    # Weights 2, 2, 1, 2, 2, 1: (2*2 + 1*2 + 0*1 + 2*2 + 1*2 + 2*1) / (2*10) = 14/20 = 70.
    data = {
        "reviewed_on": days(-1),
        "notes": "Minutes not on the board.",
        **_answers(2, 1, 0, 2, 1, 2),
    }
    response = post(cast, "facilitator_a", url, data)
    review = Review.objects.get()
    assert response["Location"] == review.get_absolute_url()
    assert review.reviewer == cast.facilitator_a
    html = get(cast, "worker_rep_a", review.get_absolute_url()).content.decode()
    assert '<span class="score">70</span>' in html
    assert "Minutes not on the board." in html
    latest = selectors.latest_review(factory=cast.factory_a)
    assert latest is not None and latest.score == 70
    detail = get(cast, "owner", seated.committee.get_absolute_url()).content.decode()
    assert "70 of 100" in detail


def test_an_unanswered_question_or_a_future_date_writes_nothing(cast, seated) -> None:
    url = reverse("committees:review-create", args=[seated.committee.pk])
    answers = _answers(2, 2, 2, 2, 2, 2)
    answers.pop(next(iter(answers)))
    response = post(cast, "admin_a", url, {"reviewed_on": days(0), **answers})
    assert response.status_code == 200
    assert 'class="review-q invalid"' in response.content.decode()
    response = post(cast, "admin_a", url, {"reviewed_on": days(3), **_answers(2, 2, 2, 2, 2, 2)})
    assert "A review cannot be dated in the future." in response.content.decode()
    assert not Review.objects.exists()
