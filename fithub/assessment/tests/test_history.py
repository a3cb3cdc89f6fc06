"""An assessment's history, reached from its page, for those who may answer and change it."""

import pytest
from django.urls import reverse

from fithub.assessment import services
from fithub.assessment.models import Assessment
from fithub.conftest import Cast


def history(assessment: Assessment) -> str:
    return reverse("assessment-history", args=[assessment.pk])


def test_it_shows_who_changed_the_assessment(cast: Cast, assessment_a: Assessment) -> None:
    services.assessment_update(
        assessment=assessment_a, by=cast.coordinator_a, coordinator_name="Rina Rahman"
    )
    client = cast.client(cast.coordinator_a)
    body = client.get(history(assessment_a)).content.decode()
    assert "<ins>Rina Rahman</ins>" in body and str(cast.coordinator_a) in body
    page = client.get(assessment_a.get_absolute_url()).content.decode()
    assert f'href="{history(assessment_a)}"' in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator_a", 200),
        ("admin_a", 200),
        ("facilitator_a", 200),
        ("superuser", 200),
        ("worker_rep_a", 404),
        ("owner", 404),
        ("admin_b", 404),
        ("coordinator_b", 404),
        ("buyer", 404),
        ("outsider", 404),
    ],
)
def test_only_who_may_change_the_assessment_reads_its_history(
    cast: Cast, assessment_a: Assessment, who: str, status: int
) -> None:
    assert cast.client(getattr(cast, who)).get(history(assessment_a)).status_code == status
