"""An id that names nobody and one of another organisation get the same answer.

Otherwise the answer tells which ids are accounts (or records) of other tenants: a facilitator
id of provider B's administrator and one that does not exist are refused in the same words,
in the API and in the session form alike.
"""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fithub.accounts.models import User
from fithub.conftest import Cast
from fithub.training.models import Session
from fithub.training.tests.conftest import NEXT_WEEK
from fithub.training.tests.test_views import form_data

NOBODY = 987654321


def candidates(cast: Cast) -> dict[str, int]:
    """Facilitator ids that are not provider A's team: nobody, and people of other tenants."""
    return {
        "nobody": NOBODY,
        "provider B's admin": cast.admin_b.pk,
        "factory B's coordinator": cast.coordinator_b.pk,
        "an outsider": cast.outsider.pk,
    }


def test_the_api_answers_an_unknown_and_another_tenants_facilitator_alike(cast, module) -> None:
    client = APIClient()
    client.force_authenticate(user=User.objects.get(pk=cast.admin_a.pk))
    answers = {}
    for label, pk in candidates(cast).items():
        data = {
            "module": module.pk,
            "delivery_model": "in_factory",
            "date": NEXT_WEEK.isoformat(),
            "starts_at": "09:00",
            "ends_at": "11:00",
            "engagements": [cast.engagement_a.pk],
            "facilitator": pk,
        }
        response = client.post(reverse("api-sessions"), data, format="json")
        answers[label] = (response.status_code, response.json())
    assert len({repr(a) for a in answers.values()}) == 1, answers
    status, body = answers["nobody"]
    assert status == 400 and list(body) == ["facilitator"]
    assert not Session.objects.exists()
    # Provider A's own facilitator is accepted: the refusal is about the team, not the id.
    data["facilitator"] = cast.facilitator_a.pk
    assert client.post(reverse("api-sessions"), data, format="json").status_code == 201


@pytest.mark.parametrize("who", ["admin_a", "facilitator_a"])
def test_the_form_answers_an_unknown_and_another_tenants_facilitator_alike(
    cast, module, who: str
) -> None:
    client = cast.client(getattr(cast, who))
    errors = {}
    for label, pk in candidates(cast).items():
        response = client.post(
            reverse("training:session-create"), form_data(cast, module, facilitator=pk)
        )
        assert response.status_code == 200
        html = response.content.decode()
        # The page, less what changes with every response (CSRF token, script nonce).
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        html = re.sub(r'nonce="[^"]+"|"X-CSRFToken": "[^"]+"', "", html)
        errors[label] = html
    assert len(set(errors.values())) == 1
    assert not Session.objects.exists()
