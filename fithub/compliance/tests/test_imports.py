"""Tool files: the whole file is checked first, every bad row named, all rows or none written."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from fithub.compliance import imports, services
from fithub.compliance.models import Question, ToolVersion
from fithub.compliance.sample import sample_file
from fithub.conftest import Cast

HEADER = "point,code,text_en,text_bn,text_ur,publicly_reported,applies_if\n"


def upload(text: str, name: str = "tool.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def problems(report: imports.Report) -> set[tuple[int | None, str]]:
    return {(p.row, p.column) for p in report.errors}


def test_every_bad_row_is_named_and_nothing_is_kept() -> None:
    text = HEADER + (
        "CL-CHL,Q1,Children?,শিশু?,بچے؟,yes,\n"  # row 2: fine
        "XX-NOPE,Q2,Unknown point,অজানা,نامعلوم,no,\n"  # row 3: unknown compliance point
        "CL-HAZ,Q1,Same code,একই,وہی,no,\n"  # row 4: duplicate code
        "OS-ACC,Q4,No Bengali,,بنگالی نہیں,no,has_accommodation\n"  # row 5: missing language
        "OS-ACC,Q5,Bad condition,শর্ত,شرط,maybe,has_pool\n"  # row 6: bad yes/no, bad condition
        "CL-CHL,Q6,=HYPERLINK(1),সূত্র,فارمولا,no,\n"  # row 7: a formula
    )
    report = imports.read_tool(upload(text))
    assert not report.ok and report.rows == []
    assert problems(report) == {
        (3, "point"), (4, "code"), (5, "text_bn"), (6, "publicly_reported"), (6, "applies_if"),
        (7, "text_en"),
    }  # fmt: skip
    duplicate = next(p for p in report.errors if p.column == "code")
    assert "row 2" in duplicate.reason


def test_a_missing_language_column_is_named() -> None:
    report = imports.read_tool(upload("point,code,text_en,text_bn\nCL-CHL,Q1,A,B\n"))
    assert problems(report) == {(1, "text_ur")}


def test_a_cluster_that_does_not_hold_the_point_is_named() -> None:
    text = "cluster," + HEADER + "DI,CL-CHL,Q1,A,B,C,no,\n"
    assert problems(imports.read_tool(upload(text))) == {(2, "cluster")}


def test_the_import_page_writes_nothing_from_a_bad_file(cast: Cast) -> None:
    tool = services.tool_create(
        owner=cast.owner_org, country="BD", slug="bd", title={"en": "BD"}, by=cast.owner
    )
    draft = tool.versions.get()
    url = reverse("compliance:version-import", args=[draft.pk])
    bad = upload(HEADER + "XX-NOPE,Q2,Unknown,অজানা,نامعلوم,no,\n")
    page = cast.client(cast.owner).post(url, {"file": bad})
    assert page.status_code == 200 and "XX-NOPE" in page.content.decode()
    assert not Question.objects.exists()
    good = upload(HEADER + "CL-CHL,Q1,Children?,শিশু?,بچے؟,yes,\n")
    for who in (cast.admin_a, cast.assessor_a, cast.buyer, cast.coordinator_a):
        assert cast.client(who).post(url, {"file": good}).status_code == 404
    assert not Question.objects.exists()
    good.seek(0)
    response = cast.client(cast.owner).post(url, {"file": good})
    assert response.status_code == 302
    assert Question.objects.get().publicly_reported


def test_export_reads_back_the_same_tool_as_csv_and_excel(cast: Cast) -> None:
    from fithub.compliance.sample import sample_tool_load

    version = sample_tool_load(owner=cast.owner_org, country="PK")
    expected = imports.read_tool(sample_file("PK")).rows
    for fmt in ("csv", "xlsx"):
        response = cast.client(cast.admin_a).get(
            reverse("compliance:version-export", args=[version.pk, fmt])
        )
        assert response.status_code == 200
        back = imports.read_tool(upload_bytes(response.content, f"t.{fmt}"))
        assert back.ok, back.errors
        strip = [{k: v for k, v in r.items() if k != "row"} for r in back.rows]
        want = [{k: v for k, v in r.items() if k != "row"} for r in expected]
        assert strip == want
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert next(book.active.iter_rows(values_only=True))[:3] == ("cluster", "point", "code")
    assert (
        cast.client(cast.buyer)
        .get(reverse("compliance:version-export", args=[version.pk, "csv"]))
        .status_code
        == 404
    )


def test_importing_into_a_draft_replaces_its_questions(cast: Cast, small: ToolVersion) -> None:
    draft = services.tool_version_new_draft(version=small, by=cast.owner)
    report = imports.read_tool(upload(HEADER + "WT-REG,H1,Hours?,ঘণ্টা?,اوقات؟,no,\n"))
    assert services.tool_version_import(version=draft, rows=report.rows, by=cast.owner) == 1
    assert list(Question.objects.filter(version=draft).values_list("code", flat=True)) == ["H1"]
    assert Question.objects.filter(version=small).count() == 8


def upload_bytes(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
