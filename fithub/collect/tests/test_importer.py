"""Importing ODK Central and KoboToolbox exports: formats, re-imports, rejections, round trip."""

import io
import zipfile

import pytest

from fithub.assessment.models import Answer, Assessment
from fithub.collect import importer, xlsform
from fithub.collect.tests.utils import (
    central_csv,
    central_odata,
    central_zip,
    kobo_csv,
    kobo_json,
    kobo_xlsx,
    submission,
)
from fithub.factories.models import Factory


@pytest.fixture
def xml(cast, form) -> str:
    """The XForm as provider A's administrator downloads it: factory A in its list."""
    book = xlsform.build_xlsform(form.version, factories=[cast.factory_a])
    return xlsform.build_xform(xlsform.xlsform_bytes(book))


def run(data: bytes, form, user, name: str = "export.csv", version=None) -> importer.ImportReport:
    return importer.import_submissions(data, name=name, version=version or form.version, user=user)


def reasons(report: importer.ImportReport) -> dict[str, str]:
    return {r.instance_id: r.reason for r in report.rejected}


# --- happy paths in every format -------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "name", "source"),
    [
        (central_csv, "fithub_fit_needs.csv", "ODK Central (CSV)"),
        (central_zip, "fithub_fit_needs.zip", "ODK Central (CSV)"),
        (central_odata, "submissions.json", "ODK Central (JSON)"),
        (kobo_json, "kobo.json", "KoboToolbox (JSON)"),
        (lambda x, s: kobo_json(x, s, api=True), "data.json", "KoboToolbox (JSON)"),
        (kobo_csv, "kobo.csv", "KoboToolbox (CSV)"),
        (lambda x, s: kobo_csv(x, s, sep=","), "kobo.csv", "KoboToolbox (CSV)"),
        (lambda x, s: kobo_csv(x, s, labels=True), "kobo-labels.csv", "KoboToolbox (CSV)"),
        (kobo_xlsx, "fit_needs_-_all_versions_-_labels_-_2026-11-20.xlsx", "KoboToolbox (Excel)"),
        (lambda x, s: kobo_xlsx(x, s, labels=True), "kobo-labels.xlsx", "KoboToolbox (Excel)"),
        (kobo_xlsx, "renamed-without-suffix", "KoboToolbox (Excel)"),
    ],
)
def test_each_export_format_imports(cast, form, xml, make, name, source) -> None:
    subs = [submission(form, cast.factory_a), submission(form, cast.factory_a, answer="no")]
    report = run(make(xml, subs), form, cast.admin_a, name=name)
    assert report.ok, report.error
    assert report.source == source
    assert (len(report.created), report.already_imported, report.rejected) == (2, 0, [])
    first = Assessment.objects.get(instance_id=subs[0]["instanceID"])
    assert first.factory == cast.factory_a
    assert first.version == form.version
    kobo = source.startswith("KoboToolbox")
    assert first.source == (Assessment.Source.KOBO if kobo else Assessment.Source.ODK)
    assert first.status == Assessment.Status.SUBMITTED
    assert first.coordinator_name == "Rina Coordinator"
    assert first.manager_name == "Mohammad Manager"
    assert first.engagement == cast.engagement_a
    answers = {a.statement.code: a for a in first.answers.select_related("statement")}
    assert {code: a.value for code, a in answers.items()} == {
        "1.1": True, "1.2": False, "P-01": True, "P_01": False, "P-02": True,
    }  # fmt: skip
    assert answers["1.1"].comment == "Comment 0"
    assert answers["1.1"].answered_by == cast.admin_a


def test_importing_the_same_file_twice_changes_nothing(cast, form, xml) -> None:
    data = central_csv(xml, [submission(form, cast.factory_a), submission(form, cast.factory_a)])
    assert len(run(data, form, cast.admin_a).created) == 2
    before = (Assessment.objects.count(), Answer.objects.count())
    again = run(data, form, cast.admin_a)
    assert (again.created, again.already_imported, again.rejected) == ([], 2, [])
    assert (Assessment.objects.count(), Answer.objects.count()) == before


def test_kobo_and_central_exports_of_one_submission_are_one_assessment(cast, form, xml) -> None:
    subs = [submission(form, cast.factory_a)]
    run(central_csv(xml, subs), form, cast.admin_a)
    report = run(kobo_json(xml, subs), form, cast.admin_a, name="kobo.json")
    assert report.already_imported == 1 and Assessment.objects.count() == 1


def test_a_submission_edited_in_central_after_the_import_updates_it(cast, form, xml) -> None:
    sub = submission(form, cast.factory_a)
    run(central_csv(xml, [sub]), form, cast.admin_a)
    # Central gives the edited version a new meta-instanceID and keeps the KEY; the edit is
    # applied to the same assessment (test_edits.py), never imported a second time.
    edited = {**sub, "instanceID": "uuid:edited-version"}
    report = run(central_csv(xml, [edited], KEY=sub["instanceID"]), form, cast.admin_a)
    assert len(report.updated) == 1 and Assessment.objects.count() == 1


def test_a_new_export_with_more_submissions_adds_only_the_new_ones(cast, form, xml) -> None:
    old = submission(form, cast.factory_a)
    run(central_csv(xml, [old]), form, cast.admin_a)
    report = run(central_csv(xml, [old, submission(form, cast.factory_a)]), form, cast.admin_a)
    assert (len(report.created), report.already_imported) == (1, 1)


# --- what is refused, and why ------------------------------------------------------------------


def test_bad_submissions_are_listed_and_the_good_ones_go_in(cast, form, xml) -> None:
    good = submission(form, cast.factory_a)
    unknown = submission(form, 999_999)
    other_tenant = submission(form, cast.factory_b)
    older = submission(form, cast.factory_a, version=1)
    invalid = submission(form, cast.factory_a, s_1_2="maybe")
    missing = submission(form, cast.factory_a, s_P_01="", s_P_02="")
    no_factory = submission(form, "")
    subs = [good, unknown, other_tenant, older, invalid, missing, no_factory]
    report = run(central_csv(xml, subs), form, cast.admin_a)
    assert report.ok
    assert len(report.created) == 1
    assert Assessment.objects.get().instance_id == good["instanceID"]
    why = reasons(report)
    assert len(why) == 6
    # An unknown factory and another provider's factory read the same: nothing leaks.
    assert why[unknown["instanceID"]] == why[other_tenant["instanceID"]].replace(
        str(cast.factory_b.pk), "999999"
    )
    assert "not a factory whose assessments you may record" in why[other_tenant["instanceID"]]
    assert "version 1" in why[older["instanceID"]]
    assert "no longer in use" in why[older["instanceID"]]
    assert "1.2: “maybe” is not yes or no." in why[invalid["instanceID"]]
    assert "Statements P-01, P-02 have no answer." in why[missing["instanceID"]]
    assert "does not say which factory" in why[no_factory["instanceID"]]
    # Rows as a spreadsheet numbers them: header = 1.
    assert [r.row for r in report.rejected] == [3, 4, 5, 6, 7, 8]


def test_a_submission_on_another_published_version_says_which_to_choose(cast, form, xml) -> None:
    form.old.status = "published"
    form.old.save()
    report = run(
        central_csv(xml, [submission(form, cast.factory_a, version=1)]), form, cast.admin_a
    )
    assert "Import it with version 1 chosen." in report.rejected[0].reason


def test_a_submission_on_a_draft_version_is_refused(cast, form, xml) -> None:
    from fithub.collect.tests.conftest import make_version

    make_version(form.questionnaire, 3, "draft", {"s": [("1", "One")]})
    report = run(
        central_csv(xml, [submission(form, cast.factory_a, version=3)]), form, cast.admin_a
    )
    assert "a draft that was never published" in report.rejected[0].reason


def test_an_unknown_version_is_refused(cast, form, xml) -> None:
    sub = submission(form, cast.factory_a, version=7)
    sub["FormVersion"] = "7-abcdef12"
    report = run(central_csv(xml, [sub]), form, cast.admin_a)
    assert "which this questionnaire does not have" in report.rejected[0].reason
    assert not Assessment.objects.exists()


def test_a_submission_without_its_version_is_refused(cast, form, xml) -> None:
    sub = submission(form, cast.factory_a, fithub_version="", FormVersion="")
    report = run(central_csv(xml, [sub]), form, cast.admin_a)
    assert "does not say which version" in report.rejected[0].reason


def test_the_form_version_column_is_enough_without_the_hidden_field(cast, form, xml) -> None:
    sub = submission(form, cast.factory_a, fithub_version="")
    report = run(central_csv(xml, [sub]), form, cast.admin_a)
    assert len(report.created) == 1


def test_submissions_rejected_by_a_reviewer_are_not_imported(cast, form, xml) -> None:
    sub = submission(form, cast.factory_a, ReviewState="rejected")
    report = run(central_csv(xml, [sub]), form, cast.admin_a)
    assert "reviewer rejected" in report.rejected[0].reason
    kobo = submission(form, cast.factory_a)
    kobo["_validation_status"] = {"uid": "validation_status_not_approved"}  # type: ignore[assignment]
    report = run(kobo_json(xml, [kobo]), form, cast.admin_a, name="k.json")
    assert "reviewer rejected" in report.rejected[0].reason


def test_a_submission_twice_in_one_file_is_imported_once(cast, form, xml) -> None:
    sub = submission(form, cast.factory_a)
    report = run(central_csv(xml, [sub, sub]), form, cast.admin_a)
    assert len(report.created) == 1
    assert report.rejected[0].row == 3 and "row 2" in report.rejected[0].reason


def test_reasons_are_in_the_users_language(cast, form, xml) -> None:
    from django.utils import translation

    data = central_csv(xml, [submission(form, cast.factory_a, s_1_2="maybe")])
    with translation.override("bn"):
        report = run(data, form, cast.admin_a)
        expected = translation.gettext("%(code)s: “%(value)s” is not yes or no.") % {
            "code": "1.2",
            "value": "maybe",
        }
    assert expected in report.rejected[0].reason


def test_a_coordinator_imports_for_their_own_factory_only(cast, form, xml) -> None:
    subs = [submission(form, cast.factory_a), submission(form, cast.factory_b)]
    report = run(central_csv(xml, subs), form, cast.coordinator_a)
    assert len(report.created) == 1 and len(report.rejected) == 1
    assessment = Assessment.objects.get()
    assert assessment.factory == cast.factory_a
    assert assessment.coordinator == cast.coordinator_a


@pytest.mark.parametrize("who", ["worker_rep_a", "owner", "buyer", "outsider", "admin_b"])
def test_people_who_do_not_record_factory_as_assessments_import_nothing(
    cast, form, xml, who
) -> None:
    report = run(central_csv(xml, [submission(form, cast.factory_a)]), form, getattr(cast, who))
    assert report.created == [] and len(report.rejected) == 1
    assert not Assessment.objects.exists()


def test_long_texts_are_cut_to_size_not_refused(cast, form, xml) -> None:
    factory_c = Factory.objects.create(
        name="Gamma", country="PK", sector="garments", registered_by=cast.provider_a
    )
    subs = [submission(form, cast.factory_a), submission(form, factory_c)]
    subs[1][xlsform.COORDINATOR] = "x" * 250  # cut to the field's 200 characters, not refused
    comment = xlsform.form_layout(form.version).statements[0].comment
    subs[0][comment] = "y" * 5000  # answers_save keeps 2,000 characters
    report = run(central_csv(xml, subs), form, cast.admin_a)
    assert len(report.created) == 2, report.rejected
    assert Assessment.objects.get(factory=factory_c).coordinator_name == "x" * 200
    answer = Answer.objects.get(assessment__factory=cast.factory_a, comment__startswith="y")
    assert len(answer.comment) == 2000 and answer.answered_at is not None


def test_a_refusal_by_the_services_is_listed_and_the_rest_go_in(cast, form, xml) -> None:
    from unittest import mock

    from django.core.exceptions import ValidationError

    from fithub.assessment import services

    subs = [submission(form, cast.factory_a) for _ in range(3)]
    real = services.assessment_submit

    def submit(*, assessment, by):
        if assessment.instance_id == subs[1]["instanceID"]:
            raise ValidationError("Refused by the service.")
        return real(assessment=assessment, by=by)

    real_batch = services.assessments_import

    def batch(*, sittings, version, by):
        # The batch applies assessment_submit's rules too: it refuses as a whole.
        if any(s.instance_id == subs[1]["instanceID"] for s in sittings):
            raise ValidationError("Refused by the service.")
        return real_batch(sittings=sittings, version=version, by=by)

    with (
        mock.patch.object(services, "assessment_submit", submit),
        mock.patch.object(services, "assessments_import", batch),
    ):
        report = run(central_csv(xml, subs), form, cast.admin_a)
    assert len(report.created) == 2
    assert reasons(report) == {subs[1]["instanceID"]: "Refused by the service."}
    # Its own transaction: nothing of the refused one is left behind, answers included.
    assert not Assessment.objects.filter(instance_id=subs[1]["instanceID"]).exists()
    assert Answer.objects.count() == 2 * len(form.statements)


# --- files that are not exports ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"%PDF-1.7 binary", "export.csv", "not a CSV or JSON file"),
        (bytes(range(256)) * 10, "export.bin", "not a CSV or JSON file"),
        (b"PK\x03\x04garbage", "export.zip", "not a CSV or JSON file"),
        (b"PK\x03\x04", "export.xlsx", "not an Excel (.xlsx) file, or it is damaged"),
        (b"\xd0\xcf\x11\xe0", "export.xls", "Old Excel files (.xls) cannot be read"),
        (b"", "export.csv", "The file is empty."),
        (b'{"value": [', "export.json", "The JSON file could not be read"),
        (b'{"hello": "world"}', "export.json", "holds no list of submissions"),
        (b"name,city\nAlpha,Karachi\n", "factories.csv", "no instance ID column"),
        (b"KEY,SubmissionDate\n", "empty.csv", "no submissions"),
    ],
)
def test_a_file_that_is_not_an_export_gets_a_clear_error(cast, form, data, name, words) -> None:
    report = run(data, form, cast.admin_a, name=name)
    assert not report.ok
    assert words in report.error
    assert not Assessment.objects.exists()


def test_an_export_of_another_form_is_refused_as_a_whole(cast, form) -> None:
    data = b"SubmissionDate,q1,q2,meta-instanceID,KEY\n2026-01-01,a,b,uuid:1,uuid:1\n"
    report = run(data, form, cast.admin_a)
    assert "is not an export of" in report.error


def test_a_file_over_the_size_limit_is_not_read(cast, form, settings) -> None:
    settings.IMPORT_MAX_BYTES = 10
    report = run(b"KEY\n" + b"uuid:1\n" * 10, form, cast.admin_a)
    assert "larger than" in report.error


def test_a_zip_that_unpacks_far_beyond_its_size_is_not_read(cast, form) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("fithub_fit_needs.csv", b"KEY\n" + b"uuid:1\n" * 3_000_000)  # 21 MB
    assert len(buffer.getvalue()) < 200_000
    report = run(buffer.getvalue(), form, cast.admin_a, name="export.zip")
    assert report.error.startswith("This file is packed in an unusual way and was not read.")
    assert not Assessment.objects.exists()


# --- the round trip ------------------------------------------------------------------------------


def test_round_trip_from_the_generated_form(cast, form) -> None:
    """Build the XLSForm, fabricate Central's CSV from the XForm's paths, import it."""
    book = xlsform.build_xlsform(form.version, factories=[cast.factory_a, cast.factory_b])
    xml = xlsform.build_xform(xlsform.xlsform_bytes(book))
    layout = xlsform.form_layout(form.version)
    subs = [submission(form, cast.factory_a, answer="yes" if i % 2 else "no") for i in range(10)]
    data = central_csv(xml, subs)
    header = data.decode().splitlines()[0].split(",")
    for f in layout.statements:
        group = next(g.name for g in layout.groups if f in g.fields)
        assert f"{group}-{f.name}" in header and f"{group}-{f.comment}" in header
    assert "meta-instanceID" in header and "FormVersion" in header
    report = importer.import_submissions(
        io.BytesIO(data).read(), name="x.csv", version=form.version, user=cast.admin_a
    )
    assert len(report.created) == 10 and not report.rejected
    assert Answer.objects.count() == 10 * len(layout.statements)
    # Five submissions answer yes, no, yes, no, yes; the other five say no throughout.
    assert Answer.objects.filter(value=True).count() == 5 * 3


# --- what the phone and the server recorded ----------------------------------------------------


@pytest.mark.parametrize(
    ("make", "name", "submitter"),
    [
        (central_csv, "central.csv", "SubmitterName"),
        (central_odata, "central.json", "SubmitterName"),
        (kobo_json, "kobo.json", "_submitted_by"),
        (kobo_csv, "kobo.csv", "_submitted_by"),
        (lambda x, s: kobo_csv(x, s, labels=True), "kobo-labels.csv", "_submitted_by"),
        (kobo_xlsx, "kobo.xlsx", "_submitted_by"),
    ],
)
def test_the_interview_date_server_time_submitter_and_language_are_kept(
    cast, form, xml, make, name, submitter
) -> None:
    from datetime import UTC, date, datetime

    sub = submission(form, cast.factory_a, fithub_language="bn", **{submitter: "field.team"})
    sub.update(SubmissionDate="2026-11-22T06:30:00.000Z", _submission_time="2026-11-22T06:30:00")
    report = run(make(xml, [sub]), form, cast.admin_a, name=name)
    assert len(report.created) == 1, report.rejected
    assessment = Assessment.objects.get()
    assert assessment.interviewed_on == date(2026, 11, 19)  # the form's today, not the server's
    assert assessment.received_at == datetime(2026, 11, 22, 6, 30, tzinfo=UTC)
    assert assessment.submitted_by_name == "field.team"
    assert assessment.language == "bn"
    assert assessment.device_id == "collect:Xy12Ab34"


def test_without_today_the_interview_date_is_the_day_the_interview_started(cast, form, xml) -> None:
    from datetime import date

    # 23:30 in Dhaka is already the next day in UTC: the day is the one the phone showed.
    sub = submission(form, cast.factory_a, today="", start="2026-11-18T23:30:00.000+06:00")
    run(central_csv(xml, [sub]), form, cast.admin_a)
    assert Assessment.objects.get().interviewed_on == date(2026, 11, 18)


def test_exports_of_older_forms_without_the_metadata_still_import(cast, form, xml) -> None:
    sub = submission(
        form, cast.factory_a, today="", start="", end="", deviceid="", fithub_language="xx"
    )
    sub["SubmissionDate"] = "not a date"
    report = run(central_csv(xml, [sub]), form, cast.admin_a)
    assert len(report.created) == 1 and not report.rejected
    assessment = Assessment.objects.get()
    assert (assessment.interviewed_on, assessment.received_at) == (None, None)
    assert assessment.language == "en"
    assert assessment.device_id == "collect:abc"  # Central's own DeviceID column


def test_a_kobo_xlsx_export_imported_twice_changes_nothing(cast, form, xml) -> None:
    data = kobo_xlsx(xml, [submission(form, cast.factory_a), submission(form, cast.factory_a)])
    assert len(run(data, form, cast.admin_a, name="kobo.xlsx").created) == 2
    again = run(data, form, cast.admin_a, name="kobo.xlsx")
    assert (again.created, again.already_imported) == ([], 2)


def test_a_kobo_xlsx_reports_rows_as_excel_numbers_them(cast, form, xml) -> None:
    subs = [submission(form, cast.factory_a), submission(form, cast.factory_a, s_1_2="maybe")]
    report = run(kobo_xlsx(xml, subs), form, cast.admin_a, name="kobo.xlsx")
    assert [r.row for r in report.rejected] == [3]
    assert "1.2: “maybe” is not yes or no." in report.rejected[0].reason


def test_an_imported_assessment_has_the_history_of_one_started_then_submitted(
    cast, form, xml
) -> None:
    # Written a batch at a time, each assessment still shows who created it and who submitted
    # it, as one entered on a page does.
    subs = [submission(form, cast.factory_a) for _ in range(3)]
    report = run(central_csv(xml, subs), form, cast.admin_a)
    assert len(report.created) == 3
    for assessment in Assessment.objects.filter(pk__in=report.created):
        rows = list(assessment.history.order_by("history_id"))
        assert [(r.history_type, r.status) for r in rows] == [
            ("+", Assessment.Status.IN_PROGRESS),
            ("~", Assessment.Status.SUBMITTED),
        ]
        assert rows[0].submitted_at is None and rows[1].submitted_at == assessment.submitted_at
        assert {r.history_user for r in rows} == {cast.admin_a}


def test_a_submission_imported_by_someone_else_meanwhile_is_counted_and_the_rest_land(
    cast, form, xml
) -> None:
    from fithub.assessment import services

    subs = [submission(form, cast.factory_a) for _ in range(3)]
    report = importer.ImportReport()
    raws = importer.read_file(central_csv(xml, subs), "x.csv")[1]
    valid = importer.check_submissions(raws, version=form.version, user=cast.admin_a, report=report)
    # Between the check and the write, another import records the second submission.
    services.assessment_start(
        factory=cast.factory_a,
        version=form.version,
        by=cast.admin_b,
        instance_id=subs[1]["instanceID"],
    )
    importer.write_submissions(valid, version=form.version, user=cast.admin_a, report=report)
    assert (len(report.created), report.already_imported, report.rejected) == (2, 1, [])
    assert Assessment.objects.filter(instance_id=subs[1]["instanceID"]).count() == 1
    assert Answer.objects.count() == 2 * len(form.statements)
