"""The code slips printed beside the session pack, and the facilitator's full-screen QR code."""

import math
import re

import pytest
from django.urls import reverse

from fithub.conftest import Cast
from fithub.lib.tests.utils import language, needs_weasyprint, text
from fithub.surveys import services
from fithub.surveys.models import CODE_ALPHABET, CODE_LENGTH, Code, Response
from fithub.surveys.tests.conftest import answers
from fithub.training import services as training
from fithub.training.tests.conftest import person

pytestmark = pytest.mark.django_db

# Who runs provider A's session prints its slips; nobody else learns a single code.
PRINTERS = ("facilitator_a", "admin_a")
NOT_PRINTERS = (
    "admin_b",
    "owner",
    "coordinator_a",
    "manager_a",
    "worker_rep_a",
    "coordinator_b",
    "buyer",
    "buyer_b",
    "outsider",
)


CODE_LINE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")


def _codes_on(pdf: bytes) -> list[str]:
    """Read the codes back: the lines that are a code alone (letter spacing may split them)."""
    lines = ["".join(line.split()) for line in text(pdf).splitlines()]
    return [line for line in lines if CODE_LINE.fullmatch(line)]


@needs_weasyprint
def test_the_slips_carry_valid_unused_codes_for_everyone_registered_and_a_tenth_more(
    cast: Cast, survey
) -> None:
    # Ten registered: 10 + 10 % is 11 slips (10 * 1.1 in floating point would make it 12).
    for i in range(2):
        training.registration_add(
            session=survey.session, participant=person(cast.factory_a, f"Late {i}"), by=None
        )
    survey.session.language = "bn"
    survey.session.save()

    pdf = cast.client(cast.facilitator_a).get(reverse("surveys:slips", args=[survey.pk]))

    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "private, no-store"
    assert language(pdf.content) == "bn"  # printed in the session's language
    assert "Your code" not in text(pdf.content)
    printed = _codes_on(pdf.content)
    assert len(printed) == len(set(printed)) == 10 + math.ceil(10 / 10) == 11
    assert reverse("surveys:answer", args=[survey.token]) in text(pdf.content)
    # Each printed code is one the survey takes, once; no code says whose it is.
    for code in printed:
        services.response_submit(
            survey=survey, code=code, given=services.Given(answers=answers()), language="bn"
        )
    assert Response.objects.count() == 11 and Code.objects.count() == 0


def test_printing_again_gives_the_unused_codes_and_no_new_ones(cast: Cast, survey) -> None:
    first = services.codes_issue(survey=survey, by=None)
    services.response_submit(
        survey=survey, code=first[0], given=services.Given(answers=answers()), language="en"
    )

    again = services.codes_issue(survey=survey, by=None)

    assert again == first[1:] and survey.codes_issued == len(first) == 9


@pytest.mark.parametrize("who", PRINTERS + NOT_PRINTERS)
def test_who_may_print_the_slips_and_show_the_qr_code(cast: Cast, survey, who: str) -> None:
    client = cast.client(getattr(cast, who))

    qr = client.get(reverse("surveys:qr", args=[survey.pk]))
    panel = client.get(survey.session.get_absolute_url())

    slips_url = reverse("surveys:slips", args=[survey.pk])
    if who in PRINTERS:
        assert qr.status_code == 200 and "<svg" in qr.content.decode()
        assert reverse("surveys:answer", args=[survey.token]) in qr.content.decode()
        assert slips_url in panel.content.decode()
    else:
        assert qr.status_code == 404
        assert client.get(slips_url).status_code == 404
        assert panel.status_code == 404 or slips_url not in panel.content.decode()
        assert survey.token not in panel.content.decode()
        assert Code.objects.count() == 0, "a refused print issued codes"


# --- the slips in the session pack -------------------------------------------------------------

PACK_READERS = ("facilitator_a", "admin_a", "owner", "worker_rep_a", "coordinator_a")


@needs_weasyprint
@pytest.mark.parametrize("who", PACK_READERS)
def test_the_pack_ends_with_the_slips_for_who_runs_the_survey_only(
    cast: Cast, survey, who: str
) -> None:
    response = cast.client(getattr(cast, who)).get(
        reverse("training:pack", args=[survey.session.pk])
    )
    if response.status_code == 404:  # this reader does not see the session at all
        assert Code.objects.count() == 0
        return
    assert response.status_code == 200
    printed = _codes_on(response.content)
    if who in PRINTERS:
        unused = set(Code.objects.filter(survey=survey).values_list("code", flat=True))
        assert printed and set(printed) == unused
        link = reverse("surveys:answer", args=[survey.token])
        assert link in "".join(text(response.content).split())  # wrapped in the narrow slip
    else:
        # Others get the pack without a single code, and printing it issued none.
        assert printed == []
        assert survey.token not in text(response.content)
        assert Code.objects.count() == 0


@needs_weasyprint
def test_a_closed_survey_prints_no_slips_in_the_pack(cast: Cast, survey) -> None:
    services.survey_close(survey=survey, by=None)
    response = cast.client(cast.facilitator_a).get(
        reverse("training:pack", args=[survey.session.pk])
    )
    assert response.status_code == 200
    assert _codes_on(response.content) == [] and Code.objects.count() == 0
