"""The follow-up API: the pages' scoping (404 unseen, 403 read-only), refusals write nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.improvement.models import AdoptionFollowUp
from fithub.improvement.tests.conftest import EDIT_A, EVERYONE, READ_A, VERIFY_A, api, photo
from fithub.improvement.tests.test_adoption import answer, held, one_month

ANSWER_A = EDIT_A | VERIFY_A


@pytest.fixture
def followup_a(cast, module) -> AdoptionFollowUp:  # type: ignore[no-untyped-def]
    return one_month(held(cast, module))


@pytest.mark.parametrize("who", EVERYONE)
def test_reads_follow_the_cast(cast, followup_a, who) -> None:
    c = api(getattr(cast, who))
    rows = c.get(reverse("api-improvement-followups") + "?due=true").json()["results"]
    assert (followup_a.pk in [r["id"] for r in rows]) == (who in READ_A)
    url = reverse("api-improvement-followup", args=[followup_a.pk])
    assert c.get(url).status_code == (200 if who in READ_A else 404)
    rates = c.get(reverse("api-improvement-adoption-rates") + "?by=factory").json()
    assert rates == [] or who in READ_A  # overdue follow-ups make a row of "waiting"
    if who in READ_A:
        assert rates[0]["waiting"] == 1 and rates[0]["answered"] == 0


@pytest.mark.parametrize("who", EVERYONE)
def test_answers_follow_the_cast(cast, followup_a, who) -> None:
    c = api(getattr(cast, who))
    url = reverse("api-improvement-followup", args=[followup_a.pk])
    response = c.post(url, {"in_use": "partly", "note": "Line 2 only"}, format="json")
    expected = 200 if who in ANSWER_A else (403 if who in READ_A else 404)
    assert response.status_code == expected
    followup_a.refresh_from_db()
    assert (followup_a.in_use == "partly") == (who in ANSWER_A)
    if who in ANSWER_A:
        assert response.json()["in_use"] == "partly"


def test_an_answer_with_a_photo_and_its_private_file(cast, followup_a) -> None:
    url = reverse("api-improvement-followup", args=[followup_a.pk])
    body = {"in_use": "yes", "evidence": photo()}
    response = api(cast.facilitator_a).post(url, body, format="multipart")
    assert response.status_code == 200, response.json()
    file_url = response.json()["evidence_url"]
    assert api(cast.worker_rep_a).get(file_url).status_code == 200
    assert api(cast.admin_b).get(file_url).status_code == 404
    assert api(cast.buyer).get(file_url).status_code == 404


def test_a_refused_answer_writes_nothing(cast, module) -> None:
    three = AdoptionFollowUp.objects.get(session=held(cast, module), months=3)
    url = reverse("api-improvement-followup", args=[three.pk])
    response = api(cast.coordinator_a).post(url, {"in_use": "yes"}, format="json")
    assert response.status_code == 400 and "in_use" in response.json()
    bad = api(cast.coordinator_a).post(url, {"in_use": "maybe"}, format="json")
    assert bad.status_code == 400
    three.refresh_from_db()
    assert three.in_use == "" and three.answered_by is None


def test_rates_by_module_count_the_answers(cast, followup_a) -> None:
    answer(followup_a, "yes")
    (rate,) = api(cast.owner).get(reverse("api-improvement-adoption-rates")).json()
    assert (rate["months"], rate["answered"], rate["yes"], rate["in_use_pct"]) == (1, 1, 1, 100)
    bad = api(cast.owner).get(reverse("api-improvement-adoption-rates") + "?by=colour")
    assert bad.status_code == 400


def test_the_list_costs_the_same_queries_for_3_and_15(cast, module) -> None:
    c = api(cast.facilitator_a)
    c.get(reverse("api-improvement-followups"))  # the user's roles, read once and kept
    counts = []
    for n in (3, 15):
        while AdoptionFollowUp.objects.filter(months=1).count() < n:
            held(cast, module, days_ago=35 + AdoptionFollowUp.objects.count())
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse("api-improvement-followups")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
