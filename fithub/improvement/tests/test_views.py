"""Plan and item pages: who sees and changes what (the fixed cast), evidence served privately,
panels on the factory and engagement pages, and constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.improvement import services
from fithub.improvement.models import ImprovementItem, ItemComment, ItemEvidence
from fithub.improvement.scoping import items_for, plans_for
from fithub.improvement.tests.conftest import (
    COMMENT_A,
    EDIT_A,
    EVERYONE,
    READ_A,
    VERIFY_A,
    add,
    photo,
    soon,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


def client(cast, who):  # type: ignore[no-untyped-def]
    return cast.client(getattr(cast, who))


@pytest.mark.parametrize("who", EVERYONE)
def test_scoping_follows_the_cast(cast, item_a, who) -> None:
    user = getattr(cast, who)
    assert plans_for(user).filter(pk=item_a.plan_id).exists() == (who in READ_A)
    assert plans_for(user, write=True).filter(pk=item_a.plan_id).exists() == (who in EDIT_A)
    assert items_for(user).filter(pk=item_a.pk).exists() == (who in READ_A)


@pytest.mark.parametrize("who", EVERYONE)
def test_plan_and_item_pages(cast, item_a, who) -> None:
    for url in (item_a.plan.get_absolute_url(), item_a.get_absolute_url()):
        response = client(cast, who).get(url)
        assert response.status_code == (200 if who in READ_A else 404), url
        if who in READ_A:
            assert "Clear the fire exits" in response.content.decode()
    url = reverse("improvement:item-create", args=[item_a.plan_id])
    assert client(cast, who).get(url).status_code == (200 if who in EDIT_A else 404)


@pytest.mark.parametrize("who", EVERYONE)
def test_who_creates_and_updates_items(cast, plan_a, member_a, who) -> None:
    url = reverse("improvement:item-create", args=[plan_a.pk])
    data = {
        "issue": "Needles not counted",
        "action": "Needle log at each line",
        "action_type": "preventive",
        "owner": member_a.pk,
        "due_on": soon().isoformat(),
        "priority": "2",
    }
    response = client(cast, who).post(url, data)
    assert response.status_code == (302 if who in EDIT_A else 404)
    assert ImprovementItem.objects.filter(action="Needle log at each line").exists() == (
        who in EDIT_A
    )


def test_the_form_shows_the_services_refusals(cast, plan_a) -> None:
    url = reverse("improvement:item-create", args=[plan_a.pk])
    data = {"action": "x", "action_type": "corrective", "priority": "3", "due_on": soon(-2)}
    response = client(cast, "coordinator_a").post(url, data)
    assert response.status_code == 200
    assert "cannot be before the item was recorded" in response.content.decode()
    assert not ImprovementItem.objects.exists()


@pytest.mark.parametrize("who", EVERYONE)
def test_who_marks_done_and_who_verifies(cast, item_a, who) -> None:
    done = reverse("improvement:item-move", args=[item_a.pk, "done"])
    response = client(cast, who).post(done)
    assert response.status_code == (302 if who in EDIT_A else 404)
    item_a.refresh_from_db()
    assert (item_a.status == "done") == (who in EDIT_A)
    services.item_done(item=item_a, by=None) if item_a.status != "done" else None
    verify = reverse("improvement:item-move", args=[item_a.pk, "verify"])
    response = client(cast, who).post(verify)
    assert response.status_code == (302 if who in VERIFY_A else 404)
    item_a.refresh_from_db()
    assert (item_a.status == "verified") == (who in VERIFY_A)


def test_returning_without_a_reason_writes_nothing(cast, item_a) -> None:
    services.item_done(item=item_a, by=None)
    url = reverse("improvement:item-move", args=[item_a.pk, "return"])
    response = client(cast, "facilitator_a").post(url, {"reason": ""})
    assert response.status_code == 200 and "Give the reason." in response.content.decode()
    item_a.refresh_from_db()
    assert item_a.status == "done" and item_a.transitions.count() == 1
    response = client(cast, "facilitator_a").post(url, {"reason": "Photo shows bales"})
    assert response.status_code == 302
    page = client(cast, "worker_rep_a").get(item_a.get_absolute_url()).content.decode()
    assert "Photo shows bales" in page  # the history is on the item


@pytest.mark.parametrize("who", EVERYONE)
def test_who_comments(cast, item_a, who) -> None:
    url = reverse("improvement:comment-add", args=[item_a.pk])
    response = client(cast, who).post(url, {"text": "Checked on Monday"}, **HTMX)
    assert response.status_code == (200 if who in COMMENT_A else 404)
    assert ItemComment.objects.exists() == (who in COMMENT_A)


@pytest.mark.parametrize("who", EVERYONE)
def test_evidence_upload_and_private_serving(cast, item_a, who) -> None:
    url = reverse("improvement:evidence-add", args=[item_a.pk])
    response = client(cast, who).post(url, {"file": photo(), "stage": "before"})
    may_add = who in EDIT_A | VERIFY_A
    assert response.status_code == (302 if may_add else 404)
    assert ItemEvidence.objects.exists() == may_add
    evidence = services.evidence_add(item=item_a, upload=photo(), stage="after", by=None)
    response = client(cast, who).get(evidence.get_absolute_url())
    assert response.status_code == (200 if who in READ_A else 404)
    if who in READ_A:
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"


def test_bad_evidence_is_explained_and_not_kept(cast, item_a) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("improvement:evidence-add", args=[item_a.pk])
    bad = SimpleUploadedFile("x.jpg", b"MZ\x90\x00 not a photo", "image/jpeg")
    response = client(cast, "coordinator_a").post(url, {"file": bad, "stage": "after"})
    assert response.status_code == 200
    assert "Evidence can be a photo" in response.content.decode()
    assert not ItemEvidence.objects.exists()


@pytest.mark.parametrize("who", EVERYONE)
def test_sign_off_page(cast, item_a, who) -> None:
    url = reverse("improvement:sign-off", args=[item_a.plan_id])
    for side in ("manager", "worker_rep"):
        client(cast, who).post(url, {"side": side})
    signed = set(item_a.plan.sign_offs.values_list("side", flat=True))
    expected = {"manager_a": {"manager"}, "worker_rep_a": {"worker_rep"}}.get(who, set())
    assert signed == expected


@pytest.mark.parametrize("who", EVERYONE)
def test_panels_on_the_factory_and_engagement_pages(cast, item_a, who) -> None:
    for url in (
        reverse("factories:detail", args=[cast.factory_a.pk]),
        reverse("programmes:engagement", args=[cast.engagement_a.pk]),
    ):
        response = client(cast, who).get(url)
        if response.status_code != 200:
            continue  # the page itself is out of the reader's reach
        html = response.content.decode()
        assert ('id="improvement-plan"' in html) == (who in READ_A), (url, who)
        if who in READ_A:
            assert item_a.plan.get_absolute_url() in html


def test_a_coordinator_starts_the_plan_from_the_panel(cast) -> None:
    url = reverse("improvement:plan-start", args=[cast.engagement_a.pk])
    assert client(cast, "facilitator_a").post(url).status_code == 404
    assert client(cast, "worker_rep_a").post(url).status_code == 404
    response = client(cast, "coordinator_a").post(url)
    assert response.status_code == 302
    assert cast.engagement_a.improvement_plan.factory == cast.factory_a


def test_the_plan_page_filters_and_lists(cast, plan_a, member_a) -> None:
    add(plan_a, "Label the racks", owner=member_a)
    add(plan_a, "Sweep the floor")
    url = plan_a.get_absolute_url()
    html = client(cast, "coordinator_a").get(url, {"owner": member_a.pk}).content.decode()
    assert "Label the racks" in html and "Sweep the floor" not in html
    html = client(cast, "coordinator_a").get(url, {"view": "list"}).content.decode()
    assert "<table>" in html and "Sweep the floor" in html


def _queries(c, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("view", ["board", "list"])
def test_the_plan_page_costs_the_same_queries_for_3_and_30_items(cast, plan_a, member_a, view):
    c = client(cast, "coordinator_a")
    counts = []
    for n in (3, 30):
        while plan_a.items.count() < n:
            item = add(plan_a, f"Item {plan_a.items.count()}", owner=member_a)
            services.comment_add(item=item, text="ok", by=None)
            services.evidence_add(item=item, upload=photo(), stage="before", by=None)
        counts.append(_queries(c, plan_a.get_absolute_url() + f"?view={view}"))
    assert counts[0] == counts[1], counts


def test_the_item_page_costs_the_same_queries_for_3_and_30_moves(cast, item_a) -> None:
    c = client(cast, "facilitator_a")
    counts = []
    for n in (1, 10):
        while item_a.transitions.count() < 3 * n:
            services.item_done(item=item_a, by=cast.coordinator_a)
            services.item_return(item=item_a, by=cast.facilitator_a, reason="again")
            services.comment_add(item=item_a, text="ok", by=cast.coordinator_a)
            services.evidence_add(item=item_a, upload=photo(), stage="after", by=None)
            services.item_start(item=item_a, by=cast.coordinator_a)
        counts.append(_queries(c, item_a.get_absolute_url()))
    assert counts[0] == counts[1], counts
