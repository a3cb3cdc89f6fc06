"""The compliance tool offline: an XLSForm that passes ODK Validate, and submissions read back."""

import csv
import io
import os
import shutil

import openpyxl
import pytest
from django.urls import reverse

from fithub.collect import compliance
from fithub.collect.xlsform import build_xform, xlsform_bytes
from fithub.compliance.models import ComplianceAssessment, Finding, OfflineSubmission
from fithub.compliance.sample import sample_tool_load
from fithub.compliance.tests.conftest import (  # noqa: F401
    Planned,
    make_assessor,
    planned,
    small,
)
from fithub.conftest import Cast

needs_java = pytest.mark.skipif(
    not shutil.which("java") and os.environ.get("CI", "").lower() != "true",
    reason="ODK Validate needs Java (apt-get install default-jre-headless); CI must have it",
)


@needs_java
def test_the_sample_tools_form_passes_odk_validate(cast: Cast) -> None:
    version = sample_tool_load(owner=cast.owner_org, country="BD")
    book = compliance.build_tool_xlsform(version)
    xml = build_xform(xlsform_bytes(book), validate=True)
    assert 'id="fithub_cat_' in xml
    survey = list(book["survey"].iter_rows(values_only=True))
    header = survey[0]
    groups = [r for r in survey if r[0] == "begin_group"]
    assert len(groups) == 8
    label = {h: i for i, h in enumerate(header)}
    first = next(r for r in survey if str(r[0]).startswith("select_one results"))
    assert first[label["label::Bengali (bn)"]].startswith("CL-CHL.01. আইনগত")
    assert first[label["label::Urdu (ur)"]].startswith("CL-CHL.01. کیا")
    accommodation = next(r for r in survey if r[1] == "q_OS_ACC_01")
    assert accommodation[label["relevant"]] == "selected(${facts}, 'has_accommodation')"


def _export(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _submission(p: Planned, uuid: str, **results: str) -> dict[str, str]:
    layout = compliance.tool_layout(p.version)
    row = {
        "meta-instanceID": f"uuid:{uuid}",
        "assessment": str(p.assessment.pk),
        "facts": "has_union",
        "worker_interviews": "22",
        "management_interviews": "4",
        "documents_reviewed": "31",
    }
    for group, _cluster, fields in layout.groups:
        for f in fields:
            applies = f.question.applies_to({"has_union": True})
            row[f"{group}-{f.name}"] = results.get(f.question.code, "compliant") if applies else ""
            row[f"{group}-{f.notes}"] = "seen payroll" if f.question.code == "W2" else ""
    return row


def test_submissions_import_into_their_assessment_once(cast: Cast, planned: Planned) -> None:  # noqa: F811
    data = _export([_submission(planned, "1111", W2="non_compliant")])
    report = compliance.import_submissions(
        data, name="export.csv", version=planned.version, user=cast.assessor_a
    )
    assert (report.imported, report.rejected) == ([planned.assessment.pk], [])
    a = ComplianceAssessment.objects.get()
    assert a.status == "in_progress" and a.worker_interviews == 22
    w2 = a.findings.get(question__code="W2")
    assert (w2.result, w2.notes) == ("non_compliant", "seen payroll")
    assert a.findings.get(question__code="A1").result == ""  # no accommodation: not asked
    again = compliance.import_submissions(
        data, name="export.csv", version=planned.version, user=cast.assessor_a
    )
    assert (again.imported, again.already_imported) == ([], 1)
    assert OfflineSubmission.objects.count() == 1


def test_every_refused_submission_is_reported_and_writes_nothing(
    cast: Cast,
    planned: Planned,  # noqa: F811
) -> None:
    bad_result = _submission(planned, "2222", W1="maybe")
    not_theirs = {**_submission(planned, "3333"), "assessment": "999999"}
    data = _export([bad_result, not_theirs])
    report = compliance.import_submissions(
        data, name="export.csv", version=planned.version, user=cast.assessor_a
    )
    assert report.imported == [] and [r.row for r in report.rejected] == [2, 3]
    assert "999999" in report.rejected[1].reason
    assert not OfflineSubmission.objects.exists()
    assert not Finding.objects.exclude(result="").exists()
    assert ComplianceAssessment.objects.get().status == "planned"  # its start was rolled back
    # Someone who may not answer it: refused too.
    report = compliance.import_submissions(
        _export([_submission(planned, "4444")]),
        name="export.csv",
        version=planned.version,
        user=cast.admin_a,
    )
    assert report.imported == [] and len(report.rejected) == 1


def test_the_pages(cast: Cast, planned: Planned) -> None:  # noqa: F811
    url = reverse("collect:compliance-xlsform", args=[planned.version.pk])
    response = cast.client(cast.assessor_a).get(url)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["survey", "choices", "settings"]
    assert cast.client(cast.buyer).get(url).status_code == 404
    upload = io.BytesIO(_export([_submission(planned, "5555")]))
    upload.name = "export.csv"
    page = cast.client(cast.assessor_a).post(
        reverse("collect:compliance-import", args=[planned.version.pk]), {"file": upload}
    )
    assert page.status_code == 200 and OfflineSubmission.objects.count() == 1
    for who in (cast.coordinator_a, cast.buyer):
        response = cast.client(who).get(
            reverse("collect:compliance-import", args=[planned.version.pk])
        )
        assert response.status_code == 404
