"""The survey's offline form (XLSForm) and imports of its ODK Central and Kobo exports."""

import io
import uuid

import openpyxl
import pytest
from django.db import models
from django.urls import reverse

from fithub.collect import surveys, xlsform
from fithub.collect.tests.test_xlsform import needs_java, sheet_rows
from fithub.collect.tests.utils import (
    central_csv,
    central_odata,
    central_zip,
    kobo_csv,
    kobo_json,
    kobo_xlsx,
)
from fithub.conftest import Cast
from fithub.surveys import services
from fithub.surveys.models import Answer, Response, Survey
from fithub.training import services as training
from fithub.training.tests.conftest import make_module, person, plan

pytestmark = pytest.mark.django_db

RUNNERS = ("facilitator_a", "admin_a")
NOT_RUNNERS = ("admin_b", "owner", "coordinator_a", "worker_rep_a", "buyer", "outsider")


@pytest.fixture
def survey(cast: Cast) -> Survey:
    """Provider A's held session with five people registered, and its open survey."""
    session = plan(cast, make_module("T-01"))
    for i in range(5):
        training.registration_add(
            session=session, participant=person(cast.factory_a, f"Tablet {i}"), by=None
        )
    return services.survey_open(session=session, by=cast.facilitator_a)


def xform(survey: Survey) -> str:
    book = surveys.build_survey_xlsform(survey)
    return xlsform.build_xform(xlsform.xlsform_bytes(book))


def filled(survey: Survey, **overrides: str) -> dict[str, str]:
    """One tablet's submission of the survey form, by field name."""
    return {
        surveys.SURVEY_FIELD: str(survey.pk),
        xlsform.VERSION_FIELD: str(survey.version.number),
        xlsform.LANGUAGE_FIELD: "bn",
        "q_enjoyed": "5",
        "q_useful": "4",
        "q_learnt": "1",
        "q_improvements": "0",
        "q_which_improvement": "Clear the fire exits",
        "sex": "female",
        "role": "worker",
        "instanceID": f"uuid:{uuid.uuid4()}",
        **overrides,
    }


def run(survey: Survey, data: bytes, name: str = "export.csv") -> surveys.SurveyImportReport:
    return surveys.survey_submissions_import(survey=survey, data=data, file_name=name, by=None)  # type: ignore[arg-type]


@needs_java
def test_the_survey_form_passes_odk_validate_in_three_languages(survey: Survey) -> None:
    book = surveys.build_survey_xlsform(survey)
    data = xlsform.xlsform_bytes(book)

    # validate=True runs ODK_Validate.jar, shipped with pyxform, and raises on any error.
    xml = xlsform.build_xform(data, validate=True)

    rows = sheet_rows(openpyxl.load_workbook(io.BytesIO(data)), "survey")
    enjoyed = next(r for r in rows if r["name"] == "q_enjoyed")
    assert enjoyed["label::English (en)"] == "I enjoyed the session."
    assert enjoyed["label::Bengali (bn)"] == "সেশনটি আমার ভালো লেগেছে।"
    assert enjoyed["label::Urdu (ur)"] == "مجھے یہ سیشن اچھا لگا۔"  # noqa: RUF001
    assert enjoyed["type"] == "select_one agree5" and enjoyed["required"] == "yes"
    # Nothing the phone records of itself: no time, no device.
    assert not {"start", "end", "today", "deviceid"} & {r["type"] for r in rows}
    assert f"fithub_survey_{survey.pk}" in xml


def test_a_central_csv_imports_once_and_keeps_only_a_hash_of_the_instance_id(
    survey: Survey,
) -> None:
    subs = [filled(survey), filled(survey, sex="male", q_enjoyed="2"), filled(survey, sex="")]
    data = central_csv(xform(survey), subs)

    first = run(survey, data)
    again = run(survey, data)

    assert (first.source, first.created, first.rejected) == ("ODK Central (CSV)", 3, [])
    assert (again.created, again.already_imported, again.rejected) == (0, 3, [])
    assert Response.objects.filter(source="offline").count() == 3
    assert Response.objects.get(sex="male").answers.get(question__code="enjoyed").number == 2
    assert set(Response.objects.values_list("language", flat=True)) == {"bn"}
    # The instance ID is in no column of any survey row, only its keyed hash.
    stored = set(Response.objects.values_list("instance_id", flat=True))
    assert stored == {services.instance_key(s["instanceID"]) for s in subs}
    for model in (Response, Answer):
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        for row in model.objects.values_list(*text_fields):
            assert not any(
                s["instanceID"].removeprefix("uuid:") in str(v) for s in subs for v in row
            )


@pytest.mark.parametrize(
    ("export", "name"),
    [
        (central_odata, "export.json"),
        (central_zip, "export.zip"),
        (kobo_json, "export.json"),
        (kobo_csv, "export.csv"),
        (kobo_xlsx, "export.xlsx"),
        (lambda xml, subs: kobo_csv(xml, subs, labels=True), "labels.csv"),
    ],
)
def test_odata_and_kobo_exports_import_and_are_idempotent(survey: Survey, export, name) -> None:
    data = export(xform(survey), [filled(survey), filled(survey)])

    first = run(survey, data, name)
    again = run(survey, data, name)

    assert (first.created, first.rejected) == (2, [])
    assert (again.created, again.already_imported) == (0, 2)
    assert Response.objects.count() == 2


def test_every_refused_submission_is_reported_and_the_others_go_in(survey: Survey) -> None:
    good = filled(survey)
    subs = [
        good,
        filled(survey, q_enjoyed="9"),
        filled(survey, **{surveys.SURVEY_FIELD: str(survey.pk + 1)}),
        filled(survey, **{xlsform.VERSION_FIELD: "7"}),
        filled(survey, q_useful=""),
        filled(survey, ReviewState="rejected"),
        {**good},  # the same submission twice in one file
        filled(survey, q_comment="x" * 100_000),
    ]

    report = run(survey, central_csv(xform(survey), subs))

    assert report.created == 1 and Response.objects.count() == 1
    reasons = {r.row: r.reason for r in report.rejected}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]  # spreadsheet rows, the header is row 1
    assert "not one of the answers offered" in reasons[3]
    assert "another session's survey form" in reasons[4]
    assert "version 7" in reasons[5]
    assert "Please answer this question." in reasons[6] and "The session was useful" in reasons[6]
    assert "reviewer rejected" in reasons[7]
    assert "same submission is in row 2" in reasons[8]
    assert "under 2000 characters" in reasons[9]


def test_an_edit_of_an_imported_submission_leaves_the_first_answers(survey: Survey) -> None:
    original = filled(survey)
    run(survey, central_csv(xform(survey), [original]))
    edit = {
        **original,
        "instanceID": f"uuid:{uuid.uuid4()}",
        "deprecatedID": original["instanceID"],
        "KEY": original["instanceID"],
        "Edits": "1",
        "q_enjoyed": "1",
    }

    report = run(survey, central_csv(xform(survey), [edit]))

    assert report.created == 0 and "edited after it was imported" in report.rejected[0].reason
    assert Response.objects.get().answers.get(question__code="enjoyed").number == 5


def test_a_file_that_is_not_an_export_of_the_survey_imports_nothing(survey: Survey) -> None:
    assert "no instance ID column" in run(survey, b"a,b\n1,2\n").error
    other = b"meta-instanceID,colour\nuuid:1,red\n"
    assert "not an export of this session's survey form" in run(survey, other).error
    assert "empty" in run(survey, b"").error
    assert Response.objects.count() == 0


@pytest.mark.parametrize("who", RUNNERS + NOT_RUNNERS)
def test_who_may_download_the_form_and_import_answers(cast: Cast, survey: Survey, who) -> None:
    client = cast.client(getattr(cast, who))
    data = central_csv(xform(survey), [filled(survey)])
    upload = io.BytesIO(data)
    upload.name = "export.csv"

    form = client.get(reverse("collect:survey-xlsform", args=[survey.pk]))
    done = client.post(reverse("collect:survey-import", args=[survey.pk]), {"file": upload})
    panel = client.get(survey.session.get_absolute_url())

    if who in RUNNERS:
        assert form.status_code == 200 and form.content.startswith(b"PK")
        assert done.status_code == 200 and "1 answer imported" in done.content.decode()
        assert reverse("collect:survey-import", args=[survey.pk]) in panel.content.decode()
        assert Response.objects.count() == 1
    else:
        assert (form.status_code, done.status_code) == (404, 404)
        assert panel.status_code == 404 or "survey-offline" not in panel.content.decode()
        assert Response.objects.count() == 0
