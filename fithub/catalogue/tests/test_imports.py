"""Catalogue import and export: every bad row reported, all rows written or none."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fithub.catalogue import imports, services
from fithub.catalogue.models import Module
from fithub.catalogue.tests.utils import make_module

HEADER = imports.columns()


def row(**values: str) -> dict[str, str]:
    base = {
        "code": "P-01",
        "category": "production",
        "audience": "mixed",
        "duration_minutes": "120",
        "case_study_minutes": "20",
        "activities_minutes": "70",
        "action_plan_minutes": "30",
        "departments": "storeroom",
        "prerequisites": "",
        "title_en": "Organising materials in the storeroom",
        "title_bn": "স্টোররুমে মালামাল গুছিয়ে রাখা",
        "title_ur": "اسٹور روم میں سامان کی ترتیب",
        "summary_en": "Sort, label and place fabric and trims.",
        "summary_bn": "",
        "summary_ur": "",
        "licence": "",
        "attribution": "",
    }
    base.update(values)
    return base


def csv_file(rows: list[dict[str, str]], header: list[str] = HEADER) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("catalogue.csv", buffer.getvalue().encode("utf-8-sig"))


def xlsx_file(rows: list[list[object]]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("catalogue.xlsx", buffer.getvalue())


def upload(cast, file: SimpleUploadedFile, who: str = "owner"):
    return cast.client(getattr(cast, who)).post(reverse("catalogue:import"), {"file": file})


def test_a_good_csv_creates_and_updates_by_code(cast) -> None:
    make_module("FIT-00")
    existing = make_module("P-02", summary={"en": "Old", "bn": "পুরনো"})
    rows = [
        row(prerequisites="FIT-00"),
        row(
            code="P-02",
            title_en="Tracking production",
            title_bn="",
            title_ur="",
            summary_en="New",
            prerequisites="FIT-00;P-01",
            departments="sewing; Management",
        ),
        row(code="w-01", category="Working conditions", audience="workers", departments=""),
    ]
    response = upload(cast, csv_file(rows))
    assert response.context["result"] == {"created": 2, "updated": 1}
    p1 = Module.objects.get(code="P-01")
    assert p1.title["ur"] == "اسٹور روم میں سامان کی ترتیب"
    assert p1.licence == "CC BY-SA 4.0"
    assert [m.code for m in p1.prerequisites.all()] == ["FIT-00"]
    existing.refresh_from_db()
    # Blank cells keep what the module had.
    assert existing.title["bn"] == "মডিউল P-02"
    assert existing.summary == {"en": "New", "bn": "পুরনো"}
    assert existing.departments == ["sewing", "management"]
    assert {m.code for m in existing.prerequisites.all()} == {"FIT-00", "P-01"}
    assert Module.objects.get(code="W-01").category == "working_conditions"


def test_a_good_xlsx_is_imported(cast) -> None:
    values = row()
    file = xlsx_file([HEADER, [int(v) if v.isdigit() else v or None for v in values.values()]])
    response = upload(cast, file)
    assert response.context["result"] == {"created": 1, "updated": 0}


def test_every_bad_row_is_reported_and_nothing_is_written(cast) -> None:
    rows = [
        row(),  # fine, yet not written because others are wrong
        row(code="P-02", duration_minutes="151"),
        row(code="P-03", case_study_minutes="100"),
        row(code="P-04", category="marketing", departments="canteen"),
        row(code="P-01"),  # twice in the file
        row(code="P-05", prerequisites="X-99", title_en=""),
        row(code="P-06", activities_minutes="ninety"),
        row(code="P-07", summary_en='=HYPERLINK("http://evil")'),
    ]
    response = upload(cast, csv_file(rows))
    report = response.context["report"]
    problems = {(p.row, p.column) for p in report.errors}
    assert {
        (3, "duration_minutes"),
        (4, "duration_minutes"),  # parts take longer than the module
        (5, "category"),
        (5, "departments"),
        (6, "code"),
        (7, "prerequisites"),
        (7, "title_en"),
        (8, "activities_minutes"),
        (9, "summary_en"),
    } <= problems
    assert not Module.objects.exists()
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "at most 150 minutes" in html
    assert "Formulas are not imported" in html


def test_excel_formulas_are_refused(cast) -> None:
    values = list(row().values())
    values[HEADER.index("duration_minutes")] = "=60+60"
    response = upload(cast, xlsx_file([HEADER, values]))
    assert [(p.row, p.column) for p in response.context["report"].errors] == [
        (2, "duration_minutes")
    ]
    assert not Module.objects.exists()


def test_missing_columns_and_wrong_files_are_explained(cast) -> None:
    response = upload(cast, csv_file([row()], header=["code", "title_en"]))
    missing = {p.column for p in response.context["report"].errors}
    assert missing == {"category", "audience", "duration_minutes"}
    response = upload(cast, SimpleUploadedFile("catalogue.pdf", b"%PDF-1.4"))
    assert response.context["report"].errors[0].reason == (
        "Only CSV and Excel (.xlsx) files can be imported, not .pdf files."
    )
    response = upload(cast, SimpleUploadedFile("catalogue.xlsx", b"not a zip"))
    assert "not an Excel" in response.context["report"].errors[0].reason
    assert not Module.objects.exists()


def test_a_file_over_the_size_limit_is_refused_with_the_limit(cast, settings) -> None:
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    rows = [row(code=f"P-{n:02}", summary_en="x" * 2000) for n in range(1, 600)]
    response = upload(cast, csv_file(rows))
    assert [(p.row, p.reason) for p in response.context["report"].errors] == [
        (None, "The file is larger than 1 MB. Split it into smaller files.")
    ]
    assert not Module.objects.exists()


def test_a_file_with_more_modules_than_allowed_is_refused(cast, monkeypatch) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    rows = [row(code=f"P-{n:02}") for n in range(1, 4)]
    response = upload(cast, csv_file(rows))
    assert [p.reason for p in response.context["report"].errors] == [
        "The file has more than 2 rows. Split it into smaller files."
    ]
    assert upload(cast, csv_file(rows[:2])).context["result"] == {"created": 2, "updated": 0}


def test_prerequisites_in_a_circle_are_refused(cast) -> None:
    rows = [row(code="A-01", prerequisites="A-02"), row(code="A-02", prerequisites="A-01")]
    response = upload(cast, csv_file(rows))
    assert {p.row for p in response.context["report"].errors} == {2, 3}
    assert not Module.objects.exists()


def test_only_the_owner_imports(cast) -> None:
    assert upload(cast, csv_file([row()]), who="admin_a").status_code == 404
    assert not Module.objects.exists()


def test_an_export_imports_back_unchanged(cast) -> None:
    intro = make_module("FIT-00", summary={"en": "-5 minutes of warm-up"})
    module = make_module("P-01", departments=["sewing", "quality"])
    services.module_update(module=module, by=None, prerequisites=[intro])
    response = cast.client(cast.owner).get(reverse("catalogue:export") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["code"] for r in rows] == ["FIT-00", "P-01"]
    assert rows[0]["summary_en"] == "'-5 minutes of warm-up"  # never run as a formula
    assert rows[1]["departments"] == "sewing;quality"
    assert rows[1]["prerequisites"] == "FIT-00"
    assert rows[1]["title_bn"] == "মডিউল P-01"
    before = list(Module.objects.values().order_by("code"))
    file = SimpleUploadedFile("export.csv", response.content)
    assert upload(cast, file).context["result"] == {"created": 0, "updated": 2}
    after = list(Module.objects.values().order_by("code"))
    for a, b in zip(before, after, strict=True):
        a.pop("updated_at"), b.pop("updated_at")
        assert a == b


def test_the_excel_export_has_every_column(cast) -> None:
    make_module("P-01")
    response = cast.client(cast.admin_b).get(reverse("catalogue:export") + "?format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.values)
    assert list(rows[0]) == HEADER
    assert rows[1][0] == "P-01" and rows[1][HEADER.index("duration_minutes")] == 120


def test_the_export_holds_only_what_the_user_sees(cast) -> None:
    make_module("P-01")
    make_module("P-02", is_active=False)

    def codes(who: str) -> list[str]:
        response = cast.client(getattr(cast, who)).get(reverse("catalogue:export"))
        return [
            r["code"] for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
        ]

    assert codes("owner") == ["P-01", "P-02"]
    assert codes("facilitator_a") == ["P-01"]
    assert cast.client(cast.buyer).get(reverse("catalogue:export")).status_code == 404
