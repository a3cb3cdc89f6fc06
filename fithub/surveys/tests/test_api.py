"""The surveys API: questionnaires, codes for the facilitator, opening, the public answer."""

import pytest
from django.test import Client

from fithub.conftest import Cast
from fithub.surveys import services
from fithub.surveys.models import Code, Response, Survey
from fithub.surveys.tests.conftest import answers, give

pytestmark = pytest.mark.django_db

RUNNERS = ("facilitator_a", "admin_a")
NOT_RUNNERS = ("admin_b", "owner", "coordinator_a", "worker_rep_a", "buyer", "outsider")


@pytest.mark.parametrize("who", RUNNERS + NOT_RUNNERS)
def test_only_who_runs_the_session_opens_its_survey_and_reads_its_codes(
    cast: Cast, session, who: str
) -> None:
    client = cast.client(getattr(cast, who))

    opened = client.post(f"/api/v1/surveys/open/{session.pk}/")

    if who in RUNNERS:
        assert opened.status_code == 201
        survey = Survey.objects.get(session=session)
        issued = client.post(f"/api/v1/surveys/{survey.pk}/codes/").json()
        unused = client.get(f"/api/v1/surveys/{survey.pk}/unused-codes/").json()
        assert len(issued) == 9 and unused == issued
    else:
        assert opened.status_code == 404 and not Survey.objects.exists()
        survey = services.survey_open(session=session, by=cast.admin_a)
        services.codes_issue(survey=survey, by=None)
        assert client.get(f"/api/v1/surveys/{survey.pk}/unused-codes/").status_code == 404
        assert client.post(f"/api/v1/surveys/{survey.pk}/codes/").status_code == 404
        assert survey.codes.count() == 9  # a refused call issued nothing more


def test_the_public_answer_endpoint_takes_a_code_once_without_an_account(survey) -> None:
    code = services.codes_issue(survey=survey, by=None)[0]
    body = {"code": code, "language": "bn", "answers": answers(), "sex": "female"}
    url = f"/api/v1/surveys/answer/{survey.token}/"

    first = Client().post(url, body, content_type="application/json")
    again = Client().post(url, body, content_type="application/json")

    assert first.status_code == 201
    assert again.status_code == 400 and "used already" in str(again.json())
    assert Response.objects.count() == 1 and not Code.objects.filter(code=code).exists()
    assert (
        Client()
        .post("/api/v1/surveys/answer/nope/", body, content_type="application/json")
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    "change",
    [
        {"answers": answers(enjoyed="9")},
        {"answers": answers(comment="x" * 100_000)},
        {"sex": "robot"},
    ],
)
def test_bad_answers_through_the_api_are_refused_and_keep_the_code(survey, change) -> None:
    code = services.codes_issue(survey=survey, by=None)[0]
    body = {"code": code, "answers": answers(), **change}

    refused = Client().post(
        f"/api/v1/surveys/answer/{survey.token}/", body, content_type="application/json"
    )

    assert refused.status_code == 400
    assert Response.objects.count() == 0 and Code.objects.filter(code=code).exists()


def test_results_through_the_api_are_suppressed_as_on_the_page(cast: Cast, survey) -> None:
    give(survey, 3, sex="female")
    give(survey, 4, sex="male")

    data = cast.client(cast.owner).get("/api/v1/survey-results/?by=session").json()

    group = data["groups"][0]
    assert group["n"] == 7 and not group["hidden"]
    assert group["by_sex"]["female"] == {"n": None, "hidden": True, "figures": []}
    assert group["by_sex"]["male"] == {"n": None, "hidden": True, "figures": []}


def test_questionnaire_versions_drafts_for_the_owner_only(cast: Cast) -> None:
    draft = services.version_new_draft(owner=cast.owner_org, by=cast.owner)
    standard = services.standard_version()

    def ids(who) -> set[int]:
        return {v["id"] for v in cast.client(who).get("/api/v1/survey-versions/").json()["results"]}

    assert ids(cast.owner) == {standard.pk, draft.pk}
    assert ids(cast.admin_a) == {standard.pk}
    assert ids(cast.buyer) == ids(cast.outsider) == ids(cast.coordinator_a) == set()
    assert cast.client(cast.admin_a).get(f"/api/v1/survey-versions/{draft.pk}/").status_code == 404
    services.version_publish(version=draft, by=cast.owner)
    # Published, it is what provider A's sessions in the owner's programme ask: A reads it.
    assert ids(cast.admin_a) == {standard.pk, draft.pk}
    detail = cast.client(cast.admin_a).get(f"/api/v1/survey-versions/{draft.pk}/").json()
    assert [q["code"] for q in detail["questions"]][:2] == ["enjoyed", "useful"]
    assert detail["questions"][0]["text"]["bn"] == "সেশনটি আমার ভালো লেগেছে।"
