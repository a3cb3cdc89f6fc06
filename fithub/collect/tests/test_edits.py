"""Edits made in ODK Central or KoboToolbox after a submission was imported: one assessment."""

import pytest

from fithub.assessment import services
from fithub.assessment.models import Answer, Assessment, AssessmentRevision
from fithub.collect import importer, xlsform
from fithub.collect.models import SubmissionImport
from fithub.collect.tests.test_importer import run
from fithub.collect.tests.utils import (
    central_csv,
    central_odata,
    edit_of,
    kobo_csv,
    kobo_json,
    kobo_xlsx,
    submission,
)


@pytest.fixture
def xml(cast, form) -> str:
    book = xlsform.build_xlsform(form.version, factories=[cast.factory_a, cast.factory_b])
    return xlsform.build_xform(xlsform.xlsform_bytes(book))


def answers_of(assessment: Assessment) -> dict[str, bool | None]:
    return {a.statement.code: a.value for a in assessment.answers.select_related("statement")}


EXPORTS = [
    pytest.param(central_csv, "central.csv", id="central-csv"),
    pytest.param(central_odata, "central.json", id="central-odata"),
    pytest.param(kobo_json, "kobo.json", id="kobo-json"),
    pytest.param(kobo_csv, "kobo.csv", id="kobo-csv"),
    pytest.param(kobo_xlsx, "kobo.xlsx", id="kobo-xlsx"),
]


@pytest.mark.parametrize(("make", "name"), EXPORTS)
def test_an_edit_updates_the_assessment_it_edits_and_keeps_the_old_answers(
    cast, form, xml, make, name
) -> None:
    original = submission(form, cast.factory_a)
    first = run(make(xml, [original]), form, cast.admin_a, name=name)
    assessment = Assessment.objects.get(pk=first.created[0])
    before = answers_of(assessment)
    edit = edit_of(original, s_1_1="no", **{xlsform.MANAGER: "Nadia Manager"})

    report = run(make(xml, [edit]), form, cast.admin_a, name=name)

    assert (report.created, report.updated, report.rejected) == ([], [assessment.pk], [])
    assert Assessment.objects.count() == 1
    assessment.refresh_from_db()
    assert answers_of(assessment) == {**before, "1.1": False}
    assert assessment.manager_name == "Nadia Manager"
    assert assessment.instance_id == original["instanceID"]  # the first one stays
    revision = AssessmentRevision.objects.get()
    assert revision.assessment == assessment
    assert revision.instance_id == edit["instanceID"]
    assert revision.changed_answers == 1
    assert revision.previous["manager_name"] == "Mohammad Manager"
    old = {a["code"]: a["value"] for a in revision.previous["answers"]}
    assert old == before
    assert revision.created_by == cast.admin_a


def test_a_central_edit_without_the_deprecated_id_is_found_by_its_key(cast, form, xml) -> None:
    original = submission(form, cast.factory_a)
    run(central_csv(xml, [original]), form, cast.admin_a)
    # An export of a form without meta/deprecatedID: the KEY (first instance ID) and the
    # edit count say it is an edit.
    edit = edit_of(original, s_1_1="no")
    del edit["deprecatedID"], edit["rootUuid"]
    report = run(central_csv(xml, [edit]), form, cast.admin_a)
    assert len(report.updated) == 1 and not report.created
    assert answers_of(Assessment.objects.get())["1.1"] is False


def test_a_kobo_edit_is_found_by_its_root_uuid(cast, form, xml) -> None:
    original = submission(form, cast.factory_a)
    run(kobo_json(xml, [original]), form, cast.admin_a, name="k.json")
    second = edit_of(original)
    third = edit_of(second, s_1_1="no")  # the second edit never reached FIT Hub
    report = run(kobo_json(xml, [third]), form, cast.admin_a, name="k.json")
    assert len(report.updated) == 1 and Assessment.objects.count() == 1
    assert AssessmentRevision.objects.get().replaces == second["instanceID"]


def test_edits_of_edits_apply_in_turn(cast, form, xml) -> None:
    original = submission(form, cast.factory_a)
    run(central_csv(xml, [original]), form, cast.admin_a)
    second = edit_of(original, s_1_1="no")
    run(central_csv(xml, [second]), form, cast.admin_a)
    third = edit_of(second, s_1_2="yes")
    report = run(central_csv(xml, [third]), form, cast.admin_a)
    assert len(report.updated) == 1
    assessment = Assessment.objects.get()
    assert answers_of(assessment)["1.1"] is False and answers_of(assessment)["1.2"] is True
    assert assessment.revisions.count() == 2


@pytest.mark.parametrize(("make", "name"), EXPORTS)
def test_importing_the_same_edit_twice_changes_nothing(cast, form, xml, make, name) -> None:
    original = submission(form, cast.factory_a)
    run(make(xml, [original]), form, cast.admin_a, name=name)
    data = make(xml, [edit_of(original, s_1_1="no")])
    run(data, form, cast.admin_a, name=name)
    state = (
        Assessment.objects.count(),
        AssessmentRevision.objects.count(),
        list(Answer.objects.order_by("pk").values_list("value", "comment", "answered_at")),
    )
    again = run(data, form, cast.admin_a, name=name)
    assert (again.created, again.updated, again.already_imported) == ([], [], 1)
    assert not again.rejected
    after = (
        Assessment.objects.count(),
        AssessmentRevision.objects.count(),
        list(Answer.objects.order_by("pk").values_list("value", "comment", "answered_at")),
    )
    assert after == state
    # The original's export, imported once more, does not undo the edit either.
    assert run(make(xml, [original]), form, cast.admin_a, name=name).already_imported == 1
    assert answers_of(Assessment.objects.get())["1.1"] is False


def test_an_edit_whose_original_is_not_in_fithub_is_imported_as_new_and_said(
    cast, form, xml
) -> None:
    edit = edit_of(submission(form, cast.factory_a))
    report = run(central_csv(xml, [edit]), form, cast.admin_a)
    assert len(report.created) == 1 and not report.updated
    assert Assessment.objects.get().instance_id == edit["instanceID"]
    assert [n.instance_id for n in report.notes] == [edit["instanceID"]]
    assert "not in FIT Hub: imported as a new assessment" in report.notes[0].reason
    # Its own later edit then finds it.
    again = run(central_csv(xml, [edit_of(edit, s_1_1="no")]), form, cast.admin_a)
    assert len(again.updated) == 1 and Assessment.objects.count() == 1


def test_an_edit_of_another_providers_assessment_is_refused(cast, form, xml) -> None:
    original = submission(form, cast.factory_b)
    run(central_csv(xml, [original]), form, cast.admin_b)
    report = run(central_csv(xml, [edit_of(original, s_1_1="no")]), form, cast.admin_a)
    assert not report.created and not report.updated
    assert "This edits an assessment you may not change." in report.rejected[0].reason
    assert not AssessmentRevision.objects.exists()


def test_an_edit_that_moves_the_submission_to_another_factory_is_refused(cast, form, xml) -> None:
    from fithub.factories.models import Factory

    other = Factory.objects.create(
        name="Gamma", country="PK", sector="garments", registered_by=cast.provider_a
    )
    original = submission(form, cast.factory_a)
    run(central_csv(xml, [original]), form, cast.admin_a)
    edit = edit_of(original, **{xlsform.FACTORY: str(other.pk)})
    report = run(central_csv(xml, [edit]), form, cast.admin_a)
    assert "another factory than the assessment it changes" in report.rejected[0].reason
    assert Assessment.objects.get().factory == cast.factory_a


def test_an_edit_beside_its_original_in_one_file_is_not_a_second_assessment(
    cast, form, xml
) -> None:
    original = submission(form, cast.factory_a)
    report = run(central_csv(xml, [original, edit_of(original)]), form, cast.admin_a)
    assert len(report.created) == 1 and "row 2 of the same file" in report.rejected[0].reason
    assert len(run(central_csv(xml, [edit_of(original)]), form, cast.admin_a).updated) == 1


def test_an_edit_applies_to_a_submitted_assessment_only_through_the_service(cast, form) -> None:
    """Answers of a submitted assessment stay closed to answers_save; the revision opens them."""
    from django.core.exceptions import ValidationError

    assessment = services.assessment_start(
        factory=cast.factory_a, version=form.version, by=cast.admin_a
    )
    items = [{"statement": s, "value": True, "comment": ""} for s in form.statements]
    services.answers_save(assessment=assessment, answers=items, by=cast.admin_a)
    services.assessment_submit(assessment=assessment, by=cast.admin_a)
    with pytest.raises(ValidationError):
        services.answers_save(assessment=assessment, answers=items[:1], by=cast.admin_a)
    revision = services.assessment_revise(
        assessment=assessment,
        answers=[{**items[0], "value": False}],
        by=cast.admin_a,
        instance_id="uuid:edit-1",
    )
    assert revision.changed_answers == 1
    assert answers_of(assessment)[form.statements[0].code] is False


def test_the_import_page_says_how_many_were_updated_by_an_edit(
    cast, form, xml, django_capture_on_commit_callbacks
) -> None:
    from fithub.collect.tests.test_views import post_import

    original = submission(form, cast.factory_a)
    run(central_csv(xml, [original]), form, cast.admin_a)
    unknown = edit_of(submission(form, cast.factory_a))
    data = central_csv(xml, [edit_of(original, s_1_1="no"), unknown])
    page = post_import(
        cast, cast.admin_a, form.version, data, capture=django_capture_on_commit_callbacks
    ).content.decode()
    assert "1 assessment updated by an edit" in page
    assert "1 imported as a new assessment" in page
    assert 'id="import-notes"' in page and unknown["instanceID"] in page
    record = SubmissionImport.objects.get()
    assert (record.updated_count, record.created_count) == (1, 1)


def test_the_report_keeps_updated_and_created_apart(cast, form, xml) -> None:
    original = submission(form, cast.factory_a)
    run(central_csv(xml, [original]), form, cast.admin_a)
    report = importer.import_submissions(
        central_csv(xml, [edit_of(original), submission(form, cast.factory_a)]),
        name="x.csv",
        version=form.version,
        user=cast.admin_a,
    )
    assert (len(report.created), len(report.updated), report.already_imported) == (1, 1, 0)
