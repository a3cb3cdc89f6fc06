"""A held session of provider A with people registered, and its open survey."""

import pytest

from fithub.catalogue.models import Module
from fithub.conftest import Cast
from fithub.surveys import services
from fithub.surveys.models import Survey
from fithub.training import services as training
from fithub.training.models import Session
from fithub.training.tests.conftest import module, person, plan  # noqa: F401


@pytest.fixture
def session(cast: Cast, module: Module) -> Session:  # noqa: F811
    session = plan(cast, module)
    for i in range(8):
        p = person(cast.factory_a, f"Survey person {i}", sex="female" if i % 2 else "male")
        training.registration_add(session=session, participant=p, by=None)
    return session


@pytest.fixture
def survey(cast: Cast, session: Session) -> Survey:
    return services.survey_open(session=session, by=cast.facilitator_a)


def answers(**overrides: str) -> dict[str, str]:
    """A full set of answers to the standard questionnaire."""
    return {"enjoyed": "5", "useful": "4", "learnt": "1", "improvements": "0", **overrides}


def give(survey: Survey, n: int, sex: str = "female", **overrides: str) -> None:
    """Record n anonymous answers through the slips' codes, as phones would."""
    codes = services.codes_issue(survey=survey, by=None, count=survey.codes_issued + n)
    for code in codes[:n]:
        services.response_submit(
            survey=survey,
            code=code,
            given=services.Given(answers=answers(**overrides), sex=sex),
            language="en",
        )
