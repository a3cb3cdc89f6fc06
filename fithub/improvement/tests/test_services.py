"""The plan's rules: items from every source once, moves with reasons, evidence, sign-off."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fithub.assessment.models import Answer
from fithub.assessment.tests.conftest import answer_all, make_questionnaire, start
from fithub.factories.models import TeamMember
from fithub.improvement import services
from fithub.improvement.models import (
    ImprovementItem,
    ImprovementPlan,
    ItemEvidence,
    ItemTransition,
    PlanSignOff,
)
from fithub.improvement.tests.conftest import add, photo, soon
from fithub.lib.evidence import MAX_BYTES


def test_one_plan_per_engagement(cast) -> None:
    plan = services.plan_for(engagement=cast.engagement_a, by=None)
    assert services.plan_for(engagement=cast.engagement_a, by=None) == plan
    assert plan.factory == cast.factory_a
    assert ImprovementPlan.objects.count() == 1


def test_the_full_workflow_records_who_when_why(cast, item_a) -> None:
    services.item_start(item=item_a, by=cast.coordinator_a)
    services.item_done(item=item_a, by=cast.coordinator_a)
    services.item_return(item=item_a, by=cast.facilitator_a, reason="The exit is still blocked")
    services.item_done(item=item_a, by=cast.coordinator_a)
    services.item_verify(item=item_a, by=cast.facilitator_a)
    item_a.refresh_from_db()
    assert item_a.status == "verified"
    moves = list(item_a.transitions.values_list("from_status", "to_status", "by", "reason"))
    assert moves == [
        ("open", "in_progress", cast.coordinator_a.pk, ""),
        ("in_progress", "done", cast.coordinator_a.pk, ""),
        ("done", "returned", cast.facilitator_a.pk, "The exit is still blocked"),
        ("returned", "done", cast.coordinator_a.pk, ""),
        ("done", "verified", cast.facilitator_a.pk, ""),
    ]
    assert all(t.at for t in item_a.transitions.all())


@pytest.mark.parametrize(
    ("setup", "move"),
    [
        ([], "verify"),  # open cannot be verified
        ([], "return"),
        (["done", "verify"], "start"),  # verified is final
        (["done", "verify"], "drop"),
        (["drop"], "done"),  # dropped is final
        (["start"], "start"),
    ],
)
def test_invalid_moves_are_refused_and_write_nothing(cast, item_a, setup, move) -> None:
    acts = {
        "start": services.item_start,
        "done": services.item_done,
        "verify": services.item_verify,
        "return": services.item_return,
        "drop": services.item_drop,
    }
    for step in setup:
        acts[step](item=item_a, by=None, reason="because")
    item_a.refresh_from_db()
    before = (item_a.status, ItemTransition.objects.count())
    with pytest.raises(ValidationError) as error:
        acts[move](item=item_a, by=None, reason="because")
    assert "cannot become" in str(error.value)
    item_a.refresh_from_db()
    assert (item_a.status, ItemTransition.objects.count()) == before


@pytest.mark.parametrize("move", ["return", "drop"])
def test_return_and_drop_need_a_reason(cast, item_a, move) -> None:
    services.item_done(item=item_a, by=None)
    act = services.item_return if move == "return" else services.item_drop
    with pytest.raises(ValidationError) as error:
        act(item=item_a, by=None, reason="  ")
    assert "reason" in error.value.message_dict
    item_a.refresh_from_db()
    assert item_a.status == "done" and item_a.transitions.count() == 1


def test_due_date_before_creation_is_refused(cast, plan_a) -> None:
    yesterday = soon(-1)
    with pytest.raises(ValidationError) as error:
        add(plan_a, due_on=yesterday)
    assert "due_on" in error.value.message_dict
    assert not ImprovementItem.objects.exists()


def test_owner_from_another_factory_is_refused(cast, plan_a) -> None:
    other = TeamMember.objects.create(
        factory=cast.factory_b, name="Other", role="worker", department="sewing", sex="male"
    )
    with pytest.raises(ValidationError) as error:
        add(plan_a, owner=other)
    assert "owner" in error.value.message_dict
    assert not ImprovementItem.objects.exists()


def test_an_item_says_what_is_wrong_or_what_will_be_done(plan_a) -> None:
    with pytest.raises(ValidationError):
        services.item_create(plan=plan_a, details=services.ItemDetails(), by=None)
    assert not ImprovementItem.objects.exists()


def test_update_checks_the_same_rules_and_closed_items_stay(cast, item_a) -> None:
    details = services.ItemDetails.of(item_a)
    other = TeamMember.objects.create(
        factory=cast.factory_b, name="Other", role="worker", department="sewing", sex="male"
    )
    bad = services.ItemDetails(**{**details.__dict__, "owner": other})
    with pytest.raises(ValidationError):
        services.item_update(item=item_a, details=bad, by=None)
    item_a.refresh_from_db()
    assert item_a.owner.factory == cast.factory_a
    good = services.ItemDetails(**{**details.__dict__, "root_cause": "No storage space"})
    services.item_update(item=item_a, details=good, by=None)
    item_a.refresh_from_db()
    assert item_a.root_cause == "No storage space"
    services.item_drop(item=item_a, by=None, reason="Moved the warehouse")
    item_a.refresh_from_db()
    with pytest.raises(ValidationError):
        services.item_update(item=item_a, details=details, by=None)


def test_the_same_statement_never_makes_two_items(cast, plan_a) -> None:
    assessment = start(cast, make_questionnaire(cast))
    answer_all(assessment, {"ST-1"})
    answer = Answer.objects.get(assessment=assessment, statement__code="ST-1")
    yes = Answer.objects.filter(assessment=assessment, value=True).first()
    with pytest.raises(ValidationError):
        services.item_from_statement(plan=plan_a, answer=yes, by=None)
    item = services.item_from_statement(plan=plan_a, answer=answer, by=None)
    assert item.source == "statement" and item.answer == answer and item.issue
    with pytest.raises(ValidationError):
        services.item_from_statement(plan=plan_a, answer=answer, by=None)
    assert ImprovementItem.objects.count() == 1


def test_the_same_finding_never_makes_two_items(plan_a) -> None:
    ref = services.finding_ref(tool="bw-cat", code="OSH-12")
    details = services.ItemDetails(issue="Fire exit blocked", priority=1)
    services.item_create(plan=plan_a, details=details, by=None, source="finding", source_ref=ref)
    with pytest.raises(ValidationError):
        services.item_create(
            plan=plan_a, details=details, by=None, source="finding", source_ref=ref
        )
    assert ImprovementItem.objects.count() == 1


def test_evidence_photo_is_cleaned_and_kept(cast, item_a) -> None:
    evidence = services.evidence_add(
        item=item_a, upload=photo(), stage="before", by=cast.coordinator_a
    )
    assert evidence.kind == "photo" and evidence.file.name.endswith(".jpg")
    assert evidence.original_name == "exit.jpg"


def test_evidence_that_is_not_a_photo_or_document_is_refused(item_a) -> None:
    upload = SimpleUploadedFile("exit.jpg", b"<html><script>alert(1)</script>", "image/jpeg")
    with pytest.raises(ValidationError):
        services.evidence_add(item=item_a, upload=upload, stage="after", by=None)
    assert not ItemEvidence.objects.exists()


def test_a_too_large_file_is_refused(item_a) -> None:
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_BYTES, "application/pdf")
    with pytest.raises(ValidationError) as error:
        services.evidence_add(item=item_a, upload=upload, stage="after", by=None)
    assert "larger than" in str(error.value)
    assert not ItemEvidence.objects.exists()


def test_a_comment_needs_text(item_a) -> None:
    with pytest.raises(ValidationError):
        services.comment_add(item=item_a, text=" ", by=None)
    services.comment_add(item=item_a, text="Bales moved on Monday", by=None)
    assert item_a.comments.count() == 1


def test_sign_off_by_both_sides_and_changed_since(cast, item_a) -> None:
    plan = item_a.plan
    assert plan.sign_off_state == "none"
    services.plan_sign_off(plan=plan, side="manager", by=cast.manager_a)
    plan.refresh_from_db()
    assert plan.sign_off_state == "partly"
    services.plan_sign_off(plan=plan, side="worker_rep", by=cast.worker_rep_a)
    plan.refresh_from_db()
    assert plan.sign_off_state == "signed"
    services.item_start(item=item_a, by=cast.coordinator_a)
    plan.refresh_from_db()
    assert plan.sign_off_state == "changed"
    services.plan_sign_off(plan=plan, side="manager", by=cast.manager_a)
    services.plan_sign_off(plan=plan, side="worker_rep", by=cast.worker_rep_a)
    plan.refresh_from_db()
    assert plan.sign_off_state == "signed"


@pytest.mark.parametrize(
    ("side", "who"),
    [("manager", "coordinator_a"), ("manager", "worker_rep_a"), ("worker_rep", "manager_a")],
)
def test_only_a_manager_and_a_worker_rep_sign(cast, item_a, side, who) -> None:
    with pytest.raises(ValidationError):
        services.plan_sign_off(plan=item_a.plan, side=side, by=getattr(cast, who))
    assert not PlanSignOff.objects.exists()


def test_a_side_signs_once_while_nothing_changes(cast, item_a) -> None:
    services.plan_sign_off(plan=item_a.plan, side="manager", by=cast.manager_a)
    with pytest.raises(ValidationError):
        services.plan_sign_off(plan=item_a.plan, side="manager", by=cast.manager_a)
    assert PlanSignOff.objects.count() == 1


def test_an_empty_plan_is_not_signed(cast, plan_a) -> None:
    with pytest.raises(ValidationError):
        services.plan_sign_off(plan=plan_a, side="manager", by=cast.manager_a)


def test_a_committee_decision_makes_one_item(cast, plan_a) -> None:
    from fithub.committees import services as committee_services

    committee = committee_services.committee_create(factory=cast.factory_a, by=None)
    meeting = committee_services.meeting_create(
        committee=committee,
        details=committee_services.MeetingDetails(held_on=soon(-3)),
        by=None,
    )
    decision = committee_services.decision_add(
        meeting=meeting,
        details=committee_services.DecisionDetails(text="Fix the canteen fans", due_on=soon(30)),
        by=None,
    )
    item = services.item_from_decision(plan=plan_a, decision=decision, by=None)
    assert item.source == "decision" and item.action == "Fix the canteen fans"
    with pytest.raises(ValidationError):
        services.item_from_decision(plan=plan_a, decision=decision, by=None)
    assert ImprovementItem.objects.count() == 1
    assert item.due_on == soon(30) and item.due_on - timedelta(days=30) == soon(0)
