"""The follow-up visit form: it passes ODK Validate, and its ODK Central and KoboToolbox exports
import with the pages' rules, each visit whole or refused, once per instance ID."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fithub.catalogue.tests.utils import make_module
from fithub.collect import followups, xlsform
from fithub.collect.tests.test_xlsform import needs_java
from fithub.collect.tests.utils import central_csv, kobo_json
from fithub.factories.models import TeamMember
from fithub.improvement import services
from fithub.improvement.models import AdoptionFollowUp, AdvisoryVisit, ImprovementItem
from fithub.improvement.tests.conftest import EVERYONE, add
from fithub.improvement.tests.test_adoption import held, one_month

RECORD_A = {"admin_a", "facilitator_a", "coordinator_a", "manager_a", "superuser"}


@pytest.fixture
def visit(cast, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Plan A with an open item, a done item, and a follow-up open for answers."""
    settings.MEDIA_ROOT = tmp_path / "media"
    plan_a = services.plan_for(engagement=cast.engagement_a, by=None)
    member_a = TeamMember.objects.create(
        factory=cast.factory_a, name="Rina Begum", role="supervisor", department="sewing",
        sex="female",
    )  # fmt: skip
    module = make_module("T-01")
    open_item = add(plan_a, "Clear the fire exits", owner=member_a)
    done_item = add(plan_a, "Label the chemicals")
    services.item_done(item=done_item, by=None)
    followup = one_month(held(cast, module))
    xml = xlsform.build_xform(xlsform.xlsform_bytes(followups.build_visit_xlsform(plan_a)))
    return plan_a, open_item, done_item, followup, xml


def filled(plan, open_item, done_item, followup, **kw):  # type: ignore[no-untyped-def]
    values = {
        "start": "2026-11-19T09:05:00.000+05:00",
        "end": "2026-11-19T10:40:00.000+05:00",
        "today": "2026-11-19",
        "deviceid": "collect:Xy12Ab34",
        followups.PLAN_FIELD: str(plan.pk),
        f"item_{open_item.pk}": "in_progress",
        f"item_{done_item.pk}": "returned",
        f"reason_{done_item.pk}": "The labels are hand-written; print them.",
        f"fu_{followup.pk}": "partly",
        f"funote_{followup.pk}": "Two lines of five",
        "instanceID": f"uuid:{uuid.uuid4()}",
        "instanceName": "Visit",
    }
    values.update(kw)
    return values


@needs_java
def test_the_visit_form_passes_odk_validate(visit) -> None:
    plan, open_item, done_item, followup, _xml = visit
    data = xlsform.xlsform_bytes(followups.build_visit_xlsform(plan))
    xml = xlsform.build_xform(data, validate=True)
    for name in (f"item_{open_item.pk}", f"reason_{done_item.pk}", f"fu_{followup.pk}"):
        assert f"<{name}" in xml, name
    assert "Clear the fire exits" in xml and "Is the practice in use?" in xml


def test_the_form_leaves_out_closed_items_and_answered_follow_ups(cast, visit) -> None:
    plan, open_item, done_item, followup, _xml = visit
    services.item_verify(item=done_item, by=None)
    services.followup_answer(
        followup=followup, answer=services.FollowUpAnswer(in_use="yes"), by=None
    )
    xml = xlsform.build_xform(xlsform.xlsform_bytes(followups.build_visit_xlsform(plan)))
    assert f"item_{open_item.pk}" in xml
    assert f"item_{done_item.pk}" not in xml and f"fu_{followup.pk}" not in xml


def test_a_central_export_applies_moves_and_answers_once(cast, visit) -> None:
    plan, open_item, done_item, followup, xml = visit
    data = central_csv(xml, [filled(plan, open_item, done_item, followup)])
    report = followups.import_visits(plan=plan, data=data, name="v.csv", user=cast.facilitator_a)
    # The facilitator returns the done item but may not start the factory's item: refused whole.
    assert len(report.rejected) == 1 and "may not" in report.rejected[0].reason
    assert not AdvisoryVisit.objects.exists()
    open_item.refresh_from_db()
    done_item.refresh_from_db()
    assert (open_item.status, done_item.status) == ("open", "done")
    ok = filled(plan, open_item, done_item, followup, **{f"item_{open_item.pk}": "unchanged"})
    data = central_csv(xml, [ok])
    report = followups.import_visits(plan=plan, data=data, name="v.csv", user=cast.facilitator_a)
    assert len(report.visits) == 1 and report.rejected == []
    done_item.refresh_from_db()
    followup.refresh_from_db()
    assert done_item.status == "returned"
    assert done_item.transitions.last().reason == "The labels are hand-written; print them."
    assert (followup.in_use, followup.note, followup.answered_by) == (
        "partly",
        "Two lines of five",
        cast.facilitator_a,
    )
    visit_row = AdvisoryVisit.objects.get()
    assert (visit_row.items_moved, visit_row.followups_answered) == (1, 1)
    assert str(visit_row.visited_on) == "2026-11-19"
    again = followups.import_visits(plan=plan, data=data, name="v.csv", user=cast.facilitator_a)
    assert again.already_imported == 1 and not again.visits
    assert done_item.transitions.count() == 2


def test_a_kobo_export_from_the_coordinator(cast, visit) -> None:
    plan, open_item, done_item, followup, xml = visit
    values = filled(plan, open_item, done_item, followup, **{f"item_{done_item.pk}": "unchanged"})
    data = kobo_json(xml, [values])
    report = followups.import_visits(plan=plan, data=data, name="v.json", user=cast.coordinator_a)
    assert len(report.visits) == 1, report.rejected
    open_item.refresh_from_db()
    assert open_item.status == "in_progress"
    assert ImprovementItem.objects.get(pk=done_item.pk).status == "done"


def test_refusals_write_nothing_and_the_rest_goes_in(cast, visit) -> None:
    plan, open_item, done_item, followup, xml = visit
    other_plan = services.plan_for(engagement=cast.engagement_b, by=None)
    good = filled(plan, open_item, done_item, followup, **{f"item_{done_item.pk}": "unchanged"})
    wrong_plan = filled(plan, open_item, done_item, followup, fithub_plan=str(other_plan.pk))
    bad_answer = filled(
        plan, open_item, done_item, followup, **{f"item_{done_item.pk}": "unchanged",
                                                   f"fu_{followup.pk}": "maybe"}
    )  # fmt: skip
    data = central_csv(xml, [wrong_plan, bad_answer, good])
    report = followups.import_visits(plan=plan, data=data, name="v.csv", user=cast.coordinator_a)
    assert len(report.visits) == 1 and len(report.rejected) == 2
    assert AdoptionFollowUp.objects.get(pk=followup.pk).in_use == "partly"
    bad = followups.import_visits(
        plan=plan, data=b"%PDF-1.4 not an export", name="x.pdf", user=cast.coordinator_a
    )
    assert bad.error and not bad.visits


@pytest.mark.parametrize("who", EVERYONE)
def test_who_downloads_the_form_and_imports(cast, visit, who) -> None:
    plan, open_item, done_item, followup, xml = visit
    c = cast.client(getattr(cast, who))
    expected = 200 if who in RECORD_A else 404
    assert c.get(reverse("collect:visit-xlsform", args=[plan.pk])).status_code == expected
    assert c.get(reverse("collect:visits")).status_code == expected
    unchanged = {f"item_{done_item.pk}": "unchanged", f"item_{open_item.pk}": "unchanged"}
    values = filled(plan, open_item, done_item, followup, **unchanged)
    upload = central_csv(xml, [values])
    response = c.post(
        reverse("collect:visit-import", args=[plan.pk]),
        {"file": SimpleUploadedFile("v.csv", upload)},
    )
    assert response.status_code == expected
    assert AdvisoryVisit.objects.exists() == (who in RECORD_A)
