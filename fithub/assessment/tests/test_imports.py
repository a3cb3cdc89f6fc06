"""Findings from other tools and the owner's mapping table: CSV imports and their pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fithub.assessment import imports
from fithub.assessment.models import ExternalFinding, FindingMapping
from fithub.assessment.recommend import recommendations_for

GOOD_FINDINGS = (
    "source,code,description,found_on,resolved\n"
    "Better Work,OSH-12,Emergency exit blocked,2025-11-03,no\n"
    "Better Work,HR-04,No written contracts,03/11/2025,\n"
    "SLCP,WH-2,Overtime above the limit,,yes\n"
)
BAD_FINDINGS = (
    "source,code,description,found_on,resolved\n"
    ",OSH-12,Missing tool,2025-11-03,no\n"
    "Better Work,,Missing code,yesterday,maybe\n"
    "Better Work,=HYPERLINK(1),Formula,2025-11-03,no\n"
    "Better Work,OSH-12,Same again,2025-11-03,no\n"
)


def csv(text: str, name: str = "findings.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_a_good_findings_file_reads_every_row() -> None:
    report = imports.read_findings(csv(GOOD_FINDINGS))
    assert report.ok
    assert [(r["code"], str(r["found_on"]), r["resolved"]) for r in report.rows] == [
        ("OSH-12", "2025-11-03", False),
        ("HR-04", "2025-11-03", False),
        ("WH-2", "None", True),
    ]


def test_a_bad_findings_file_reports_every_row_and_column() -> None:
    report = imports.read_findings(csv(BAD_FINDINGS))
    assert not report.ok and report.rows == []
    problems = {(p.row, p.column) for p in report.errors}
    assert {(2, "source"), (3, "code"), (3, "found_on"), (3, "resolved"), (4, "code")} <= problems


def test_a_file_with_unknown_or_missing_columns_is_refused() -> None:
    report = imports.read_findings(csv("tool,description\nBW,x\n"))
    reasons = " ".join(p.reason for p in report.errors)
    assert "Unknown column" in reasons and "missing" in reasons


def test_other_files_are_refused_in_words() -> None:
    report = imports.read_findings(SimpleUploadedFile("f.pdf", b"%PDF-1.4"))
    assert not report.ok and "CSV" in report.errors[0].reason


def test_a_findings_file_is_refused_in_the_words_of_every_import(settings) -> None:
    report = imports.read_findings(csv(BAD_FINDINGS))
    assert (
        4,
        "code",
        "=HYPERLINK(1)",
        "Formulas are not imported. Replace the formula by its value.",
    ) in {(p.row, p.column, p.value, p.reason) for p in report.errors}
    assert [p.reason for p in imports.read_findings(csv("")).errors] == ["The file is empty."]
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    big = csv(GOOD_FINDINGS + "SLCP,WH-3,Long description,,no\n" * 40_000)
    assert [(p.row, p.reason) for p in imports.read_findings(big).errors] == [
        (None, "The file is larger than 1 MB. Split it into smaller files.")
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator_a", 200),
        ("admin_a", 200),
        ("facilitator_a", 200),
        ("worker_rep_a", 404),
        ("owner", 404),
        ("admin_b", 404),
        ("buyer", 404),
    ],
)
def test_who_imports_findings(cast, who, status) -> None:
    url = reverse("assessment:findings", args=[cast.factory_a.pk])
    response = cast.client(getattr(cast, who)).post(url, {"file": csv(GOOD_FINDINGS)})
    assert response.status_code == status
    assert ExternalFinding.objects.count() == (3 if status == 200 else 0)


def test_importing_findings_shows_the_result_and_nothing_on_error(cast) -> None:
    url = reverse("assessment:findings", args=[cast.factory_a.pk])
    client = cast.client(cast.admin_a)
    response = client.post(url, {"file": csv(BAD_FINDINGS)})
    html = response.content.decode()
    assert "Nothing was imported" in html and "This column must not be blank." in html
    assert not ExternalFinding.objects.exists()
    response = client.post(url, {"file": csv(GOOD_FINDINGS)})
    assert "3 findings added, 0 updated." in response.content.decode()
    response = client.post(url, {"file": csv(GOOD_FINDINGS)})
    assert "0 findings added, 3 updated." in response.content.decode()
    assert "Emergency exit blocked" in cast.client(cast.worker_rep_a).get(url).content.decode()


def test_imported_findings_feed_the_recommendations(cast, submitted_a, sample) -> None:
    FindingMapping.objects.create(
        owner=cast.owner_org, source="Better Work", code="OSH-12", module=sample.modules["S-01"]
    )
    cast.client(cast.admin_a).post(
        reverse("assessment:findings", args=[cast.factory_a.pk]), {"file": csv(GOOD_FINDINGS)}
    )
    s01 = recommendations_for(submitted_a).by_module()[sample.modules["S-01"].pk]
    assert s01.score == 1 and s01.reasons[0].description == "Emergency exit blocked"


# --- the mapping table ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "reads", "writes"),
    [
        ("owner", True, True),
        ("admin_a", False, False),
        ("coordinator_a", False, False),
        ("buyer", False, False),
    ],
)
def test_who_keeps_the_mapping_table(cast, sample, who, reads, writes) -> None:
    client = cast.client(getattr(cast, who))
    assert client.get(reverse("assessment:mappings")).status_code == (200 if reads else 404)
    data = {"source": "SLCP", "code": "HR-9", "module": sample.modules["S-01"].pk, "weight": 2}
    response = client.post(reverse("assessment:mappings"), data)
    assert response.status_code == (302 if writes else 404)
    assert FindingMapping.objects.exists() == writes
    if writes:
        mapping = FindingMapping.objects.get()
        assert mapping.owner == cast.owner_org
        assert client.get(reverse("assessment:mappings")).content.decode().count("HR-9") >= 1
        client.post(reverse("assessment:mapping-delete", args=[mapping.pk]))
        assert not FindingMapping.objects.exists()


def test_a_viewer_of_the_owner_reads_the_table_but_does_not_change_it(cast, sample) -> None:
    from fithub.accounts.models import Membership, User

    viewer = User.objects.create_user("viewer@example.org", "x")
    Membership.objects.create(user=viewer, organisation=cast.owner_org, role="viewer")
    mapping = FindingMapping.objects.create(
        owner=cast.owner_org, source="BW", code="X", module=sample.modules["P-01"]
    )
    client = cast.client(viewer)
    html = client.get(reverse("assessment:mappings")).content.decode()
    assert "BW" in html and "Add a mapping" not in html
    assert client.post(reverse("assessment:mapping-delete", args=[mapping.pk])).status_code == 404
    assert client.get(reverse("assessment:mappings-import")).status_code == 404


def test_mappings_import_all_or_nothing(cast, sample) -> None:
    client = cast.client(cast.owner)
    url = reverse("assessment:mappings-import")
    bad = "source,code,module,weight\nSLCP,HR-9,S-01,2\nSLCP,HR-9,NOPE,11\n"
    response = client.post(url, {"file": csv(bad, "m.csv")})
    html = response.content.decode()
    assert "No module in the catalogue has this code." in html
    assert "A weight is a whole number from 1 to 10." in html
    assert not FindingMapping.objects.exists()
    good = "source,code,module,weight\nSLCP,HR-9,s-01,2\nBetter Work,OSH-12,W-01,\n"
    response = client.post(url, {"file": csv(good, "m.csv")})
    assert "2 mappings imported." in response.content.decode()
    assert set(FindingMapping.objects.values_list("code", "module__code", "weight")) == {
        ("HR-9", "S-01", 2),
        ("OSH-12", "W-01", 1),
    }


# --- a questionnaire version ---------------------------------------------------------------


def test_a_version_exports_and_imports_back_into_a_new_draft(cast, sample) -> None:
    from fithub.assessment import services
    from fithub.assessment.models import Statement, StatementModule

    # Text a spreadsheet would run as a formula is protected on export and comes back as written.
    statement = Statement.objects.filter(section__version=sample.version).first()
    statement.text = {**statement.text, "en": "-5% rework is our target"}
    statement.save()
    client = cast.client(cast.owner)
    response = client.get(reverse("assessment:version-export", args=[sample.version.pk]))
    exported = response.content
    assert exported.startswith("\ufeff".encode()) and b"P-03:3; P-04:2" in exported
    assert b"'-5% rework" in exported
    # Members read it too; the buyer does not.
    url = reverse("assessment:version-export", args=[sample.version.pk])
    assert cast.client(cast.worker_rep_a).get(url).status_code == 200
    assert cast.client(cast.buyer).get(url).status_code == 404

    q = services.questionnaire_create(
        owner=cast.owner_org, slug="copy", title={"en": "Copy"}, by=cast.owner
    )
    draft = q.versions.get()
    upload = SimpleUploadedFile("q.csv", exported, content_type="text/csv")
    response = client.post(reverse("assessment:version-import", args=[draft.pk]), {"file": upload})
    assert response.status_code == 302
    old = Statement.objects.filter(section__version=sample.version)
    new = Statement.objects.filter(section__version=draft)
    assert sorted(new.values_list("code", "text", "section__code")) == sorted(
        old.values_list("code", "text", "section__code")
    )
    links = StatementModule.objects.filter(statement__section__version=draft)
    assert sorted(links.values_list("statement__code", "module__code", "weight")) == sorted(
        StatementModule.objects.filter(statement__section__version=sample.version).values_list(
            "statement__code", "module__code", "weight"
        )
    )
    assert draft.sections.get(code="store").title["bn"] == "স্টোররুম"


def test_a_bad_questionnaire_file_imports_nothing(cast, sample) -> None:
    from fithub.assessment import services

    draft = services.questionnaire_version_new_draft(version=sample.version, by=cast.owner)
    before = list(draft.sections.values_list("code", flat=True))
    bad = (
        "section,section_title_en,code,text_en,modules\n"
        "gen,General,G-1,Targets are shown,P-01:3\n"
        "gen,,G-1,Duplicate code,NOPE\n"
        "other,,bad code!,,P-02:11\n"
    )
    client = cast.client(cast.owner)
    url = reverse("assessment:version-import", args=[draft.pk])
    response = client.post(url, {"file": csv(bad, "q.csv")})
    html = response.content.decode()
    for message in [
        "This statement code is also in row 2.",
        "No module in the catalogue has this code.",
        "A weight is a whole number from 1 to 10.",
        "A code uses letters, digits",
        "Give the section&#x27;s English title",
    ]:
        assert message in html, message
    assert list(draft.sections.values_list("code", flat=True)) == before
    # Only drafts import, and only the owner's administrators import.
    assert (
        cast.client(cast.owner)
        .get(reverse("assessment:version-import", args=[sample.version.pk]))
        .status_code
        == 404
    )
    assert cast.client(cast.admin_a).get(url).status_code == 404
