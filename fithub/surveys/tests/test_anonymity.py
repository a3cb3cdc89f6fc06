"""Anonymity from the database up: nothing leads from an answer to a person."""

from django.apps import apps
from django.db import models

from fithub.surveys.models import Answer, Code, Response
from fithub.surveys.services import Given, response_submit
from fithub.surveys.tests.conftest import answers

PERSONAL = {"accounts.User", "training.Participant", "training.Registration"}


# The session is where every respondent meets: from it one reaches its facilitator and its
# registrations, the same for every answer of the session, so never the one who answered.
SHARED = "training.Session"


def _reachable(model: type[models.Model], seen: set[str] | None = None) -> set[str]:
    """Every model an answer's foreign keys lead to, however far, short of the session."""
    seen = seen if seen is not None else set()
    for field in model._meta.get_fields():
        if (field.many_to_one or field.one_to_one or field.many_to_many) and field.concrete:
            target = field.related_model
            label = target._meta.label  # type: ignore[union-attr]
            if label not in seen:
                seen.add(label)
                if label != SHARED:
                    _reachable(target, seen)  # type: ignore[arg-type]
    return seen


def test_no_foreign_key_path_leads_from_an_answer_to_a_person_or_an_attendance_row() -> None:
    for model in (Response, Answer):
        reached = _reachable(model)
        assert not reached & PERSONAL, (model, reached & PERSONAL)
        assert SHARED in reached


def test_a_response_keeps_no_time_address_agent_or_code() -> None:
    for model in (Response, Answer):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField | models.TimeField), field
            assert not isinstance(field, models.GenericIPAddressField), field
            assert field.name not in {"user_agent", "ip", "code", "created_by"}, field
        assert isinstance(model._meta.pk, models.UUIDField), "a sequence orders the answers"
    assert not any(m._meta.label.startswith("surveys.Historical") for m in apps.get_models())


def test_a_used_code_is_gone_and_cannot_be_used_again(survey) -> None:
    code = Code.objects.create(survey=survey, code="ACDEFG")

    response_submit(survey=survey, code="acd efg", given=Given(answers=answers()), language="en")

    assert not Code.objects.filter(pk=code.pk).exists()
    assert Response.objects.count() == 1
    try:
        response_submit(survey=survey, code="ACDEFG", given=Given(answers=answers()), language="en")
    except Exception as e:
        assert "used already" in str(e)
    else:
        raise AssertionError("a used code was accepted")
    assert Response.objects.count() == 1 and Answer.objects.count() == 4
