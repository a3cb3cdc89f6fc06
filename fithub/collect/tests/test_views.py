"""Offline form pages: who may download forms and import, what the pages show, query counts."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.assessment.models import Assessment, QuestionnaireVersion
from fithub.collect import importer, xlsform
from fithub.collect.models import SubmissionImport
from fithub.collect.tests.conftest import make_version
from fithub.collect.tests.utils import central_csv, submission

SEES = [
    "owner",
    "admin_a",
    "facilitator_a",
    "admin_b",
    "coordinator_a",
    "worker_rep_a",
    "superuser",
]
BLIND = ["buyer", "outsider"]
EVERYONE = SEES + BLIND
# Who records assessments of some factory: the engaged provider's admin and facilitator, the
# factory's coordinator (and manager). Worker representatives and the programme owner read.
IMPORTERS = {"admin_a", "facilitator_a", "admin_b", "coordinator_a", "superuser"}


@pytest.fixture
def xml(cast, form) -> str:
    book = xlsform.build_xlsform(form.version, factories=[cast.factory_a])
    return xlsform.build_xform(xlsform.xlsform_bytes(book))


def upload(data: bytes, name: str = "export.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


# --- who may do what ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_forms_are_downloaded_by_those_who_see_questionnaires(cast, form, who) -> None:
    client = cast.client(getattr(cast, who))
    expected = 200 if who in SEES else 404
    for url in [
        reverse("collect:list"),
        reverse("collect:xlsform", args=[form.version.pk]),
        reverse("collect:xform", args=[form.version.pk]),
    ]:
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("who", EVERYONE)
def test_only_people_who_record_assessments_import(cast, form, who) -> None:
    response = cast.client(getattr(cast, who)).get(reverse("collect:import"))
    assert response.status_code == (200 if who in IMPORTERS else 404)


@pytest.mark.parametrize("who", EVERYONE)
def test_a_draft_version_is_seen_by_the_owner_only(cast, form, who) -> None:
    draft, _statements = make_version(form.questionnaire, 3, "draft", {"s": [("1", "One")]})
    response = cast.client(getattr(cast, who)).get(reverse("collect:xlsform", args=[draft.pk]))
    assert response.status_code == (200 if who in {"owner", "superuser"} else 404)


def test_anonymous_users_are_sent_to_log_in(cast, form) -> None:
    for url in [reverse("collect:list"), reverse("collect:import")]:
        response = cast.client(None).get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def _factory_choices(response) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["choices"].iter_rows(values_only=True))
    return {str(r[1]) for r in rows[1:] if r[0] == "factories"}


def test_the_form_lists_only_the_users_own_factories(cast, form) -> None:
    url = reverse("collect:xlsform", args=[form.version.pk])
    response = cast.client(cast.admin_a).get(url)
    assert response["Content-Disposition"] == 'attachment; filename="fithub_fit_needs_v2.xlsx"'
    assert _factory_choices(response) == {str(cast.factory_a.pk)}
    assert _factory_choices(cast.client(cast.admin_b).get(url)) == {str(cast.factory_b.pk)}
    assert _factory_choices(cast.client(cast.coordinator_a).get(url)) == {str(cast.factory_a.pk)}
    # The programme owner records no assessments: a factory number to type, no list.
    assert _factory_choices(cast.client(cast.owner).get(url)) == set()


def test_the_xform_download_is_the_form_as_xml(cast, form) -> None:
    response = cast.client(cast.admin_a).get(reverse("collect:xform", args=[form.version.pk]))
    assert response["Content-Type"].startswith("application/xml")
    body = response.content.decode()
    assert '<data id="fithub_fit_needs" version="2-' in body
    assert "Alpha Garments" in body and "Beta Knit" not in body


# --- the import page ---------------------------------------------------------------------------


def post_import(cast, user, version, data: bytes, name: str = "export.csv", capture=None):
    """Upload, let the background task run (inline in tests), then open the report."""
    client = cast.client(user)
    with capture(execute=True):
        response = client.post(
            reverse("collect:import"), {"version": version.pk, "file": upload(data, name)}
        )
    assert response.status_code == 302
    return client.get(response["Location"])


def test_importing_through_the_page_reports_each_outcome(
    cast, form, xml, django_capture_on_commit_callbacks
) -> None:
    good = submission(form, cast.factory_a)
    bad = submission(form, cast.factory_b)
    data = central_csv(xml, [good, bad])
    capture = django_capture_on_commit_callbacks
    response = post_import(cast, cast.admin_a, form.version, data, capture=capture)
    record = SubmissionImport.objects.get()
    assert response.request["PATH_INFO"] == record.get_absolute_url()
    page = response.content.decode()
    assert "2 submissions read (ODK Central (CSV))" in page
    assert "1 imported as a new assessment" in page
    assert 'id="import-rejected"' in page and bad["instanceID"] in page
    assert "not a factory whose assessments you may record" in page
    assert Assessment.objects.get().instance_id == good["instanceID"]
    # The upload is not kept once it has been imported.
    record.refresh_from_db()
    assert record.status == "done" and bytes(record.data) == b""

    again = post_import(cast, cast.admin_a, form.version, data, capture=capture)
    assert "1 was imported before and is unchanged" in again.content.decode()
    assert Assessment.objects.count() == 1
    listing = cast.client(cast.admin_a).get(reverse("collect:import")).content.decode()
    assert listing.count(reverse("collect:import-detail", args=[record.pk])) == 1


def test_the_report_is_in_the_uploaders_language(
    cast, form, xml, django_capture_on_commit_callbacks
) -> None:
    from django.utils import translation

    data = central_csv(xml, [submission(form, cast.factory_a, s_1_2="maybe")])
    client = cast.client(cast.admin_a)
    client.cookies["django_language"] = "ur"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("collect:import"), {"version": form.version.pk, "file": upload(data)})
    record = SubmissionImport.objects.get()
    assert record.language == "ur"
    with translation.override("ur"):
        expected = translation.gettext("%(code)s: “%(value)s” is not yes or no.")
    assert expected % {"code": "1.2", "value": "maybe"} in record.rejected[0]["reason"]


def test_only_the_uploader_sees_an_import(
    cast, form, xml, django_capture_on_commit_callbacks
) -> None:
    data = central_csv(xml, [submission(form, cast.factory_a)])
    post_import(cast, cast.admin_a, form.version, data, capture=django_capture_on_commit_callbacks)
    url = SubmissionImport.objects.get().get_absolute_url()
    assert cast.client(cast.admin_a).get(url).status_code == 200
    for who in ["facilitator_a", "admin_b", "owner", "buyer", "outsider", "coordinator_a"]:
        assert cast.client(getattr(cast, who)).get(url).status_code == 404, who


def test_a_running_import_shows_its_progress_and_polls(cast, form) -> None:
    record = SubmissionImport.objects.create(
        version=form.version,
        created_by=cast.admin_a,
        file_name="big.csv",
        status=SubmissionImport.Status.RUNNING,
        submissions=400,
        processed=100,
    )
    client = cast.client(cast.admin_a)
    page = client.get(record.get_absolute_url()).content.decode()
    assert '<progress value="25" max="100"' in page
    assert "100 of 400 submissions done" in page
    assert 'hx-trigger="every 2s"' in page
    partial = client.get(record.get_absolute_url(), headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="import-status"')
    record.status = SubmissionImport.Status.DONE
    record.save()
    assert 'hx-trigger="every 2s"' not in client.get(record.get_absolute_url()).content.decode()


def test_an_error_inside_fithub_fails_the_import_with_a_message(cast, form, xml) -> None:
    from unittest import mock

    from fithub.collect import services

    record = SubmissionImport.objects.create(
        version=form.version, created_by=cast.admin_a, file_name="x.csv", data=b"KEY\nuuid:1\n"
    )
    with mock.patch.object(services.importer, "import_submissions", side_effect=RuntimeError):
        services.submission_import_run(record=record)
    record.refresh_from_db()
    assert record.status == "failed" and "error in FIT Hub" in record.error


def test_the_page_explains_a_file_that_is_not_an_export(
    cast, form, django_capture_on_commit_callbacks
) -> None:
    response = post_import(
        cast,
        cast.admin_a,
        form.version,
        b"%PDF-1.4 ...",
        "scan.pdf",
        capture=django_capture_on_commit_callbacks,
    )
    page = response.content.decode()
    assert 'id="import-errors"' in page and "not a CSV or JSON file" in page


def test_a_file_over_the_limit_is_refused_before_it_is_read(cast, form, settings) -> None:
    settings.IMPORT_MAX_BYTES = 100
    response = cast.client(cast.admin_a).post(
        reverse("collect:import"), {"version": form.version.pk, "file": upload(b"x" * 200)}
    )
    assert "larger than" in response.content.decode()
    assert not SubmissionImport.objects.exists()


def test_the_page_offers_published_versions_only(cast, form, xml) -> None:
    client = cast.client(cast.admin_a)
    page = client.get(reverse("collect:import")).content.decode()
    assert f'value="{form.version.pk}"' in page and f'value="{form.old.pk}"' not in page
    response = client.post(
        reverse("collect:import"),
        {"version": form.old.pk, "file": upload(central_csv(xml, []))},
    )
    assert response.context["form"].errors["version"]


def test_the_list_links_to_the_import_page_for_importers_only(cast, form) -> None:
    assert (
        reverse("collect:import")
        in cast.client(cast.admin_a).get(reverse("collect:list")).content.decode()
    )
    assert (
        reverse("collect:import")
        not in cast.client(cast.owner).get(reverse("collect:list")).content.decode()
    )


# --- the command, and query counts ---------------------------------------------------------------


def test_the_command_imports_a_file_as_a_user(cast, form, xml, tmp_path, capsys) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(
        central_csv(xml, [submission(form, cast.factory_a), submission(form, cast.factory_b)])
    )
    args = [str(path), "--questionnaire-version", str(form.version.pk)]
    call_command("import_submissions", *args, "--user", cast.admin_a.email)
    out, err = capsys.readouterr()
    assert "2 submissions, 1 imported, 0 updated by an edit, 0 already imported, 1 not" in out
    assert "not a factory whose assessments you may record" in err
    with pytest.raises(CommandError):
        call_command("import_submissions", *args, "--user", cast.buyer.email)
    with pytest.raises(CommandError):
        call_command("import_submissions", *args, "--user", "nobody@example.org")


def test_checking_a_file_takes_the_same_queries_for_3_and_30_submissions(cast, form, xml) -> None:
    def queries(n: int) -> int:
        subs = [submission(form, cast.factory_a if i % 2 else cast.factory_b) for i in range(n)]
        raws = importer.read_file(central_csv(xml, subs), "x.csv")[1]
        report = importer.ImportReport()
        with CaptureQueriesContext(connection) as ctx:
            importer.check_submissions(raws, version=form.version, user=cast.admin_a, report=report)
        return len(ctx.captured_queries)

    queries(3)  # warm up: the user's roles are read once, then kept on the user
    assert queries(3) == queries(30)


def test_the_list_takes_the_same_queries_for_1_and_6_versions(cast, form) -> None:
    client = cast.client(cast.admin_a)
    client.get(reverse("collect:list"))  # warm up

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("collect:list")).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    for number in range(3, 8):
        make_version(form.questionnaire, number, QuestionnaireVersion.Status.PUBLISHED, {})
    assert queries() == before


def test_an_imported_assessments_page_shows_what_the_field_recorded(cast, form, xml) -> None:
    from fithub.collect.tests.utils import edit_of

    sub = submission(form, cast.factory_a, fithub_language="bn", SubmitterName="field.team")
    importer.import_submissions(
        central_csv(xml, [sub]), name="c.csv", version=form.version, user=cast.admin_a
    )
    importer.import_submissions(
        central_csv(xml, [edit_of(sub, s_1_1="no")]),
        name="c.csv",
        version=form.version,
        user=cast.admin_a,
    )
    assessment = Assessment.objects.get()
    page = cast.client(cast.admin_a).get(assessment.get_absolute_url()).content.decode()
    assert "Interview date" in page and "11/19/2026" in page
    assert "Received by the server" in page and "11/20/2026" in page
    assert "field.team" in page and "collect:Xy12Ab34" in page
    assert "Form language" in page and "বাংলা" in page
    assert "Edits from the field" in page and "1 answer changed" in page


def test_writing_takes_the_same_queries_for_3_and_30_submissions(cast, form, xml) -> None:
    def queries(n: int) -> int:
        subs = [submission(form, cast.factory_a) for _ in range(n)]
        report = importer.ImportReport()
        raws = importer.read_file(central_csv(xml, subs), "x.csv")[1]
        valid = importer.check_submissions(
            raws, version=form.version, user=cast.admin_a, report=report
        )
        with CaptureQueriesContext(connection) as ctx:
            importer.write_submissions(
                valid, version=form.version, user=cast.admin_a, report=report
            )
        assert len(report.created) == n, report.rejected
        return len(ctx.captured_queries)

    queries(3)  # warm up
    assert queries(3) == queries(30)
