"""The improvement API: the pages' scoping (404 unseen, 403 read-only), refusals write nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.improvement import services
from fithub.improvement.models import ImprovementItem, ItemComment, ItemEvidence, ItemTransition
from fithub.improvement.tests.conftest import (
    COMMENT_A,
    EDIT_A,
    EVERYONE,
    READ_A,
    VERIFY_A,
    add,
    api,
    photo,
    soon,
)


def status(read: bool, write: bool, ok: int) -> int:
    return ok if write else (403 if read else 404)


@pytest.mark.parametrize("who", EVERYONE)
def test_reads_follow_the_cast(cast, item_a, who) -> None:
    c = api(getattr(cast, who))
    plans = c.get(reverse("api-improvement-plans")).json()["results"]
    assert [p["id"] for p in plans] == ([item_a.plan_id] if who in READ_A else [])
    urls = [
        reverse("api-improvement-plan", args=[item_a.plan_id]),
        reverse("api-improvement-plan-items", args=[item_a.plan_id]),
        reverse("api-improvement-item", args=[item_a.pk]),
        reverse("api-improvement-item-transitions", args=[item_a.pk]),
        reverse("api-improvement-item-evidence", args=[item_a.pk]),
        reverse("api-improvement-item-comments", args=[item_a.pk]),
    ]
    for url in urls:
        assert c.get(url).status_code == (200 if who in READ_A else 404), url


@pytest.mark.parametrize("who", EVERYONE)
def test_writes_follow_the_cast(cast, plan_a, member_a, who) -> None:
    c = api(getattr(cast, who))
    read, edit = who in READ_A, who in EDIT_A
    body = {"action": "Guard the belts", "owner": member_a.pk, "due_on": soon().isoformat()}
    url = reverse("api-improvement-plan-items", args=[plan_a.pk])
    assert c.post(url, body, format="json").status_code == status(read, edit, 201)
    assert ImprovementItem.objects.exists() == edit
    item = ImprovementItem.objects.first() or add(plan_a, "Guard the belts")
    url = reverse("api-improvement-item", args=[item.pk])
    response = c.patch(url, {"root_cause": "No guards bought"}, format="json")
    assert response.status_code == status(read, edit, 200)
    item.refresh_from_db()
    assert (item.root_cause == "No guards bought") == edit
    moves = reverse("api-improvement-item-transitions", args=[item.pk])
    assert c.post(moves, {"move": "done"}, format="json").status_code == status(read, edit, 201)
    if item.transitions.count() == 0:
        services.item_done(item=item, by=None)
    verify = who in VERIFY_A
    response = c.post(moves, {"move": "verify"}, format="json")
    assert response.status_code == status(read, verify, 201)
    item.refresh_from_db()
    assert (item.status == "verified") == verify
    comments = reverse("api-improvement-item-comments", args=[item.pk])
    response = c.post(comments, {"text": "Seen"}, format="json")
    assert response.status_code == status(read, who in COMMENT_A, 201)
    assert ItemComment.objects.exists() == (who in COMMENT_A)


@pytest.mark.parametrize("who", EVERYONE)
def test_evidence_through_the_api(cast, item_a, who) -> None:
    c = api(getattr(cast, who))
    url = reverse("api-improvement-item-evidence", args=[item_a.pk])
    may = who in EDIT_A | VERIFY_A
    response = c.post(url, {"file": photo(), "stage": "after"}, format="multipart")
    assert response.status_code == status(who in READ_A, may, 201)
    assert ItemEvidence.objects.exists() == may
    evidence = services.evidence_add(item=item_a, upload=photo(), stage="before", by=None)
    response = c.get(reverse("api-improvement-evidence-file", args=[evidence.pk]))
    assert response.status_code == (200 if who in READ_A else 404)


def test_bad_input_is_a_400_and_writes_nothing(cast, plan_a, item_a) -> None:
    from fithub.factories.models import TeamMember

    c = api(cast.coordinator_a)
    other = TeamMember.objects.create(
        factory=cast.factory_b, name="B", role="worker", department="sewing", sex="male"
    )
    url = reverse("api-improvement-plan-items", args=[plan_a.pk])
    count = ImprovementItem.objects.count()
    for body in (
        {"action": "x", "owner": other.pk},
        {"action": "x", "due_on": soon(-1).isoformat()},
        {"issue": "", "action": ""},
    ):
        assert c.post(url, body, format="json").status_code == 400, body
    assert ImprovementItem.objects.count() == count
    moves = reverse("api-improvement-item-transitions", args=[item_a.pk])
    assert c.post(moves, {"move": "drop"}, format="json").status_code == 400
    assert not ItemTransition.objects.exists()
    big = b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024)
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("api-improvement-item-evidence", args=[item_a.pk])
    upload = SimpleUploadedFile("big.pdf", big, "application/pdf")
    response = c.post(url, {"file": upload, "stage": "after"}, format="multipart")
    assert response.status_code == 400
    assert not ItemEvidence.objects.exists()


@pytest.mark.parametrize("who", ["manager_a", "worker_rep_a", "coordinator_a", "admin_b"])
def test_sign_off_through_the_api(cast, item_a, who) -> None:
    c = api(getattr(cast, who))
    url = reverse("api-improvement-plan-sign-off", args=[item_a.plan_id])
    side = "worker_rep" if who == "worker_rep_a" else "manager"
    response = c.post(url, {"side": side}, format="json")
    expected = {"manager_a": 201, "worker_rep_a": 201, "coordinator_a": 403}.get(who, 404)
    assert response.status_code == expected
    if expected == 201:
        assert response.json()["sign_off_state"] == "partly"


def test_the_item_list_costs_the_same_queries_for_3_and_30_items(cast, plan_a, member_a):
    c = api(cast.coordinator_a)
    url = reverse("api-improvement-plan-items", args=[plan_a.pk])
    c.get(url)  # the user's roles are read once, on the first request
    counts = []
    for n in (3, 30):
        while plan_a.items.count() < n:
            item = add(plan_a, f"Item {plan_a.items.count()}", owner=member_a)
            services.comment_add(item=item, text="ok", by=None)
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(url)
        assert len(response.json()["results"]) == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
