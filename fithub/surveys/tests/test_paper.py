"""Paper forms entered one by one, and paper tally sheets: same checks, same anonymity."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fithub.conftest import Cast
from fithub.surveys import services
from fithub.surveys.models import Answer, Response, Survey
from fithub.surveys.selectors import survey_results

pytestmark = pytest.mark.django_db

ENTERERS = ("facilitator_a", "admin_a")
NOT_ENTERERS = ("admin_b", "owner", "coordinator_a", "worker_rep_a", "buyer", "outsider")

# Six forms: four strongly agree and two disagree that they enjoyed it, and so on.
SHEET = {
    "forms": "6",
    "t_enjoyed_5": "4",
    "t_enjoyed_2": "2",
    "t_useful_4": "6",
    "t_learnt_1": "5",
    "t_learnt_0": "1",
    "t_improvements_1": "6",
}


def test_a_tally_sheet_gives_each_questions_counts_exactly(cast: Cast, survey: Survey) -> None:
    page = cast.client(cast.facilitator_a).post(reverse("surveys:tally", args=[survey.pk]), SHEET)

    assert page.status_code == 302
    assert set(Response.objects.values_list("source", "sex", "role")) == {("tally", "", "")}
    group = survey_results(Survey.objects.filter(pk=survey.pk)).groups[0]
    assert group.n == 6 and not group.hidden
    enjoyed, learnt = group.figures["enjoyed"], group.figures["learnt"]
    assert (enjoyed.answered, enjoyed.positive, enjoyed.mean) == (6, 4, 4.0)
    assert (learnt.answered, learnt.positive) == (6, 5)
    # No sex on the sheet: the split shows them all as not said, never as women or men.
    assert set(group.by_sex) == {""}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"t_enjoyed_2": "3"}, "add up to 7, not the 6 forms"),
        ({"t_useful_4": ""}, "add up to 0, not the 6 forms"),
        ({"forms": "0"}, "greater than or equal to 1"),
        ({"t_learnt_0": "-1"}, "greater than or equal to 0"),
    ],
)
def test_a_tally_that_does_not_add_up_is_refused_and_writes_nothing(
    cast: Cast, survey: Survey, change: dict[str, str], message: str
) -> None:
    page = cast.client(cast.facilitator_a).post(
        reverse("surveys:tally", args=[survey.pk]), {**SHEET, **change}
    )

    assert page.status_code == 200 and message in page.content.decode()
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_a_tally_of_an_answer_the_question_does_not_offer_is_refused(survey: Survey) -> None:
    bad = services.Tally(forms=2, counts={"learnt": {0: 1, 7: 1}, "enjoyed": {5: 2}})

    with pytest.raises(ValidationError, match="choose one of the answers offered"):
        services.tally_enter(survey=survey, tally=bad, language="en", by=None)
    assert Response.objects.count() == 0


@pytest.mark.parametrize("who", ENTERERS + NOT_ENTERERS)
def test_who_may_enter_a_tally_or_a_paper_form(cast: Cast, survey: Survey, who: str) -> None:
    client = cast.client(getattr(cast, who))
    form = {"q_enjoyed": "4", "q_useful": "5", "q_learnt": "1", "q_improvements": "0"}

    tally = client.post(reverse("surveys:tally", args=[survey.pk]), SHEET)
    paper = client.post(reverse("surveys:paper", args=[survey.pk]), form)

    if who in ENTERERS:
        assert (tally.status_code, paper.status_code) == (302, 302)
        assert Response.objects.filter(source="tally").count() == 6
        assert Response.objects.filter(source="paper").count() == 1
    else:
        assert (tally.status_code, paper.status_code) == (404, 404)
        assert Response.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [({"q_enjoyed": "9"}, "Select a valid choice"), ({"q_comment": "x" * 100_000}, "at most 2000")],
)
def test_a_paper_form_is_checked_as_an_answer_online_is(
    cast: Cast, survey: Survey, change: dict[str, str], message: str
) -> None:
    form = {"q_enjoyed": "4", "q_useful": "5", "q_learnt": "1", "q_improvements": "0", **change}

    page = cast.client(cast.facilitator_a).post(reverse("surveys:paper", args=[survey.pk]), form)

    assert page.status_code == 200 and message in page.content.decode()
    assert Response.objects.count() == 0


def test_a_paper_form_keeps_nothing_of_who_entered_it(cast: Cast, survey: Survey) -> None:
    form = {"q_enjoyed": "4", "q_useful": "5", "q_learnt": "1", "q_improvements": "0"}
    cast.client(cast.facilitator_a).post(reverse("surveys:paper", args=[survey.pk]), form)

    row = Response.objects.values().get()

    assert set(row) == {
        "id", "survey_id", "answered_on", "sex", "role", "language", "source", "instance_id"
    }  # fmt: skip
