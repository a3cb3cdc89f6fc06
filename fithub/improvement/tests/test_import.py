"""Importing items from CSV or Excel: the whole file checked first, all or nothing, every bad
row named; the preview, then the confirmation; who may import."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from fithub.factories.models import TeamMember
from fithub.improvement import imports
from fithub.improvement.models import ImprovementItem
from fithub.improvement.tests.conftest import EDIT_A, EVERYONE

SOON = (timezone.localdate() + timedelta(days=20)).isoformat()
PAST = (timezone.localdate() - timedelta(days=1)).isoformat()
HEADER = "issue,action,action_type,owner,due_on,priority,module,department\n"


def csv(text: str, name: str = "items.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + text).encode())


def test_good_rows_are_read_with_labels_codes_and_the_team(plan_a, member_a, module) -> None:
    report = imports.read_upload(
        csv(
            f"Exit blocked,Clear it,corrective,rina begum,{SOON},1,T-01,sewing\n"
            f"Dust,Masks for all,Preventive action,,,Low,,\n"
        ),
        plan=plan_a,
    )
    assert report.ok, report.errors
    first, second = report.rows
    assert (first.owner, first.module, first.priority, first.action_type) == (
        member_a,
        module,
        1,
        "corrective",
    )
    assert (second.action_type, second.priority, second.owner) == ("preventive", 4, None)


def test_every_bad_row_is_named_and_nothing_is_kept(cast, plan_a, member_a) -> None:
    TeamMember.objects.create(
        factory=cast.factory_b, name="Karim", role="worker", department="sewing", sex="male"
    )
    report = imports.read_upload(
        csv(
            f"Fine row,Do it,,,{SOON},,,\n"
            f"Late,Do it,,,{PAST},,,\n"  # due date in the past
            f"Other factory,Do it,,Karim,{SOON},,,\n"  # owner from factory B's team
            f"Unknown module,Do it,,,{SOON},,XX-99,\n"
            ",,,,,,,\n"  # blank: skipped, not an error
            f",,corrective,,{SOON},,,\n"  # neither issue nor action
            f"Formula,=HYPERLINK(1),,,{SOON},,,\n"
            f"Bad date,Do it,,,31.12.2099,,,\n"
        ),
        plan=plan_a,
    )
    assert not report.ok and report.rows == [] and report.preview == []
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "due_on"),
        (4, "owner"),
        (5, "module"),
        (7, "action"),
        (8, "action"),
        (9, "due_on"),
    }


def test_a_file_that_is_not_a_spreadsheet_is_refused(plan_a) -> None:
    report = imports.read_upload(SimpleUploadedFile("x.pdf", b"%PDF-1.4"), plan=plan_a)
    assert not report.ok and report.errors[0].row is None


def test_an_unknown_column_is_named(plan_a) -> None:
    report = imports.read_upload(
        SimpleUploadedFile("x.csv", b"action,colour\nDo,red\n"), plan=plan_a
    )
    assert [(e.row, e.column) for e in report.errors] == [(1, "colour")]


def test_excel_files_are_read(plan_a) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["action", "due_on"])
    sheet.append(["Label the chemicals", timezone.localdate() + timedelta(days=3)])
    buf = io.BytesIO()
    book.save(buf)
    report = imports.read_upload(SimpleUploadedFile("x.xlsx", buf.getvalue()), plan=plan_a)
    assert report.ok and report.rows[0].action == "Label the chemicals"


def _import(c, plan, upload):  # type: ignore[no-untyped-def]
    url = reverse("improvement:plan-import", args=[plan.pk])
    preview = c.post(url, {"file": upload})
    report = preview.context["report"]
    return (
        url,
        preview,
        c.post(url, {"step": "confirm", "token": preview.context["token"], "plan": report.plan}),
    )


def test_preview_then_confirm_and_the_same_file_adds_nothing_twice(cast, plan_a) -> None:
    c = cast.client(cast.coordinator_a)
    rows = f"Exit blocked,Clear it,,,{SOON},,,\nDust,Masks,,,,,,\n"
    url = reverse("improvement:plan-import", args=[plan_a.pk])
    preview = c.post(url, {"file": csv(rows)})
    assert "The import will add 2 items." in preview.content.decode()
    assert not plan_a.items.exists()  # nothing written before the confirmation
    _, _, done = _import(c, plan_a, csv(rows))
    assert done.status_code == 200 and plan_a.items.count() == 2
    assert set(plan_a.items.values_list("created_by", flat=True)) == {cast.coordinator_a.pk}
    _, again, _ = _import(c, plan_a, csv(rows))
    assert "2 rows are already in the plan" in again.content.decode()
    assert plan_a.items.count() == 2


def test_a_confirmation_after_the_plan_changed_shows_the_preview_again(cast, plan_a) -> None:
    c = cast.client(cast.coordinator_a)
    url = reverse("improvement:plan-import", args=[plan_a.pk])
    preview = c.post(url, {"file": csv(f"Exit blocked,Clear it,,,{SOON},,,\n")})
    ImprovementItem.objects.create(plan=plan_a, issue="Exit blocked", action="Clear it")
    response = c.post(
        url,
        {
            "step": "confirm",
            "token": preview.context["token"],
            "plan": preview.context["report"].plan,
        },
    )
    assert response.context["changed_since"] and plan_a.items.count() == 1


def test_a_bad_file_writes_nothing_through_the_page(cast, plan_a) -> None:
    c = cast.client(cast.coordinator_a)
    url = reverse("improvement:plan-import", args=[plan_a.pk])
    response = c.post(url, {"file": csv(f"Fine,Do it,,,{SOON},,,\nLate,Do it,,,{PAST},,,\n")})
    assert "Nothing was imported" in response.content.decode()
    response = c.post(url, {"step": "confirm", "token": "guessed", "plan": "x"})
    assert response.context["gone"]
    assert not plan_a.items.exists()


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_factorys_editors_import(cast, plan_a, who) -> None:
    c = cast.client(getattr(cast, who))
    url = reverse("improvement:plan-import", args=[plan_a.pk])
    assert c.get(url).status_code == (200 if who in EDIT_A else 404)
    response = c.post(url, {"file": csv(f"Exit blocked,Clear it,,,{SOON},,,\n")})
    assert response.status_code == (200 if who in EDIT_A else 404)
    if who in EDIT_A:
        token, plan = response.context["token"], response.context["report"].plan
        c.post(url, {"step": "confirm", "token": token, "plan": plan})
    assert plan_a.items.count() == (1 if who in EDIT_A else 0)
    template = c.get(url + "?template=1")
    assert template.status_code == (200 if who in EDIT_A else 404)
