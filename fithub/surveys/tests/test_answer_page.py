"""The public answer page: no account, the session's language, one answer per code."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from fithub.surveys import services
from fithub.surveys.models import Answer, Code, Response

pytestmark = pytest.mark.django_db


def _post(client, survey, code, lang="en", **over):
    data = {
        "code": code,
        "lang": lang,
        "q_enjoyed": "5",
        "q_useful": "4",
        "q_learnt": "1",
        "q_improvements": "1",
        "q_which_improvement": "Clear the fire exits",
        "sex": "female",
        "role": "worker",
        **over,
    }
    return client.post(reverse("surveys:answer", args=[survey.token]), data)


def test_anyone_with_the_link_and_a_code_answers_once(client, survey) -> None:
    code = services.codes_issue(survey=survey, by=None)[0]

    page = client.get(reverse("surveys:answer", args=[survey.token]))
    assert page.status_code == 200 and "Code on your slip" in page.content.decode()
    assert page["Cache-Control"] == "no-store"

    done = _post(client, survey, code.lower())
    assert done.status_code == 302 and "thanks" in done["Location"]
    response = Response.objects.get()
    assert (response.sex, response.role, response.source) == ("female", "worker", "online")
    assert Answer.objects.filter(response=response).count() == 5

    again = _post(client, survey, code)
    assert again.status_code == 200 and "used already" in again.content.decode()
    assert Response.objects.count() == 1


def test_the_page_speaks_the_session_language_and_switches(client, survey) -> None:
    survey.session.language = "ur"
    survey.session.save()
    url = reverse("surveys:answer", args=[survey.token])

    urdu = client.get(url).content.decode()
    assert 'lang="ur" dir="rtl"' in urdu and "مجھے یہ سیشن اچھا لگا" in urdu
    bengali = client.get(url + "?lang=bn").content.decode()
    assert 'lang="bn" dir="ltr"' in bengali and "সেশনটি আমার ভালো লেগেছে" in bengali


def test_the_page_is_light_and_needs_no_script(client, survey) -> None:
    html = client.get(reverse("surveys:answer", args=[survey.token])).content
    assert b"<script" not in html
    assert len(html) < 15_000


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"q_enjoyed": "9"}, "Select a valid choice"),
        ({"q_useful": ""}, "This field is required"),
        ({"q_comment": "x" * 100_000}, "at most 2000 characters"),
        ({"sex": "robot"}, "Select a valid choice"),
    ],
)
def test_bad_answers_are_refused_and_the_code_is_kept(client, survey, over, message) -> None:
    code = services.codes_issue(survey=survey, by=None)[0]

    page = _post(client, survey, code, **over)

    assert page.status_code == 200 and message in page.content.decode()
    assert Response.objects.count() == 0 and Code.objects.filter(code=code).exists()


def test_an_unknown_code_or_a_closed_survey_is_refused_in_the_page_language(client, survey) -> None:
    services.codes_issue(survey=survey, by=None)

    unknown = _post(client, survey, "ZZZZZZ", lang="bn")
    with translation.override("bn"):
        refused = gettext("This code is not valid for this survey, or it has been used already.")
        assert refused != "This code is not valid for this survey, or it has been used already."
    assert refused in unknown.content.decode()
    services.survey_close(survey=survey, by=None)
    closed = client.get(reverse("surveys:answer", args=[survey.token]) + "?lang=ur")
    with translation.override("ur"):
        assert gettext("This survey is closed.") in closed.content.decode()
    assert 'dir="rtl"' in closed.content.decode()
    assert Response.objects.count() == 0


def test_a_flood_from_one_phone_is_slowed_down(client, survey, settings) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from fithub.surveys import views

    for _ in range(views.RATE_LIMIT):
        _post(client, survey, "ZZZZZZ")
    flooded = _post(client, survey, "ZZZZZZ")

    assert flooded.status_code == 429 and Response.objects.count() == 0


def test_an_unknown_link_is_not_found(client, db) -> None:
    assert client.get(reverse("surveys:answer", args=["nope"])).status_code == 404
