"""Demo post-training surveys: answers to look at, and one session too small to show.

The intro session at Sahil Stitchcraft gets nine answers, enough for its results; the cascade
session on Gul Bahar's sewing floor gets four, so its figures are suppressed (fewer than five
people), as a real small group's would be. Answers are drawn from a fixed seed.
"""

import random

from fithub.surveys import services
from fithub.surveys.models import Question, Survey
from fithub.training.models import Session

# Mostly agreeing, as FIT sessions tend to be answered, with a few doubters.
AGREE_WEIGHTS = [1, 2, 5, 14, 12]
COMMENTS = [
    "The group work on the line was useful.",
    "ہمیں مزید مثالیں چاہئیں",
    "More time for the action plan, please.",
    "",
]


def _answers(questions: list[Question], rng: random.Random) -> dict[str, str]:
    answers = {}
    for q in questions:
        if q.kind == Question.Kind.AGREE:
            answers[q.code] = str(rng.choices(range(1, 6), AGREE_WEIGHTS)[0])
        elif q.kind == Question.Kind.YES_NO:
            answers[q.code] = str(int(rng.random() < 0.8))
        elif text := rng.choice(COMMENTS):
            answers[q.code] = text
    return answers


def answer(session: Session, count: int, *, rng: random.Random, language: str) -> Survey:
    """Open the session's survey, hand out its slips and have `count` people answer."""
    survey = services.survey_open(session=session, by=session.facilitator)
    codes = services.codes_issue(survey=survey, by=session.facilitator)
    questions = list(Question.objects.filter(version=survey.version).order_by("order", "pk"))
    for code in codes[:count]:
        given = services.Given(
            answers=_answers(questions, rng),
            sex=rng.choice(["female", "female", "male"]),
            role=rng.choice(["worker", "worker", "supervisor"]),
        )
        services.response_submit(survey=survey, code=code, given=given, language=language)
    return survey
