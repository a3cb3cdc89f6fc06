"""Asking to work with a factory already in FIT Hub, found by its Open Supply Hub ID.

Factory B (registered by provider B, with its coordinator and worker representative) has an
OS ID. Provider A's administrator registers it again and is offered to ask to work with it;
factory B's coordinator decides; until then provider A sees only the public registry fields.
"""

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from fithub.accounts.models import FactoryMembership, User
from fithub.conftest import Cast
from fithub.factories import services
from fithub.factories.models import PUBLIC_REGISTRY_FIELDS, AccessRequest, Factory
from fithub.factories.scoping import access_request_deciders, access_requests_for, factories_for
from fithub.tests.cast import api

OS_ID = "BD2019085AQ1Y2N"
# What provider A must not learn about factory B before it agrees.
HIDDEN = (
    "Provider B",  # who registered it
    "Gazipur",  # the city: not among the public registry fields
    "Badal Coordinator",  # its people
    "Bina Worker",
    "Kamal Teammate",  # its improvement team
    "FIT pilot Testland",  # its engagement
)
STRANGERS = ("facilitator_a", "assessor_a", "owner", "buyer", "coordinator_a", "outsider")


@pytest.fixture
def known(cast: Cast) -> Factory:
    """Factory B, with an OS ID, an address and an improvement team."""
    Factory.objects.filter(pk=cast.factory_b.pk).update(os_id=OS_ID, address="Plot 7, Tongi Road")
    details = services.TeamMemberDetails(
        name="Kamal Teammate", role="worker", department="sewing", sex="male"
    )
    services.team_member_add(factory=cast.factory_b, by=None, details=details)
    cast.factory_b.refresh_from_db()
    return cast.factory_b


def ask(cast: Cast, who: str = "admin_a", **kw: Any) -> Any:
    data = {"os_id": OS_ID, "provider": cast.provider_a.pk, "note": "We run FIT in Gazipur", **kw}
    return cast.client(getattr(cast, who)).post(reverse("factories:access-ask"), data)


@pytest.fixture
def pending(cast: Cast, known: Factory, django_capture_on_commit_callbacks) -> AccessRequest:
    with django_capture_on_commit_callbacks(execute=True):
        return services.access_request_create(
            factory=known, provider=cast.provider_a, by=cast.admin_a, note="We run FIT nearby"
        )


def page(cast: Cast, who: str, url: str) -> str:
    response = cast.client(getattr(cast, who)).get(url)
    assert response.status_code == 200, (who, url, response.status_code)
    return response.content.decode()


# --- the registration form and the API recognise the OS ID --------------------------------


def test_registering_a_known_os_id_offers_to_ask_with_only_the_public_fields(cast, known) -> None:
    data = {"name": "Beta Knit 2", "os_id": OS_ID.lower(), "country": "BD", "sector": "knitwear"}
    response = cast.client(cast.admin_a).post(reverse("factories:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This factory is already in FIT Hub: ask to work with it." in html
    assert f"{reverse('factories:access-ask')}?os_id={OS_ID}" in html
    for shown in ("Beta Knit", OS_ID, "Plot 7, Tongi Road", "Bangladesh", "Knitwear"):
        assert shown in html, shown
    for hidden in HIDDEN:
        assert hidden not in html, hidden
    assert Factory.objects.count() == 2


def test_registering_an_os_id_the_user_works_with_says_so_without_an_offer(cast, known) -> None:
    data = {"name": "Beta Knit again", "os_id": OS_ID, "country": "BD", "sector": "knitwear"}
    html = cast.client(cast.admin_b).post(reverse("factories:create"), data).content.decode()
    assert "your organisation works with it" in html
    assert reverse("factories:access-ask") not in html
    assert Factory.objects.count() == 2


def test_the_api_create_answers_a_known_os_id_with_the_way_on(cast, known) -> None:
    data = {"name": "Beta Knit again", "os_id": OS_ID, "country": "BD", "sector": "knitwear"}
    response = api(cast.admin_a).post(reverse("api-factories"), data, format="json")
    assert response.status_code == 400
    assert response.json()["os_id"] == ["This factory is already in FIT Hub: ask to work with it."]
    assert "Provider B" not in response.content.decode()
    assert Factory.objects.count() == 2


# --- who may ask --------------------------------------------------------------------------


def test_a_provider_admin_asks_and_the_factorys_deciders_are_e_mailed_in_their_language(
    cast, known, django_capture_on_commit_callbacks
) -> None:
    cast.coordinator_b.language = "bn"
    cast.coordinator_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(cast)
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    assert response["Location"] == request.get_absolute_url()
    assert (request.factory, request.provider, request.requested_by) == (
        known, cast.provider_a, cast.admin_a
    )  # fmt: skip
    assert request.status == AccessRequest.Status.PENDING
    assert request.history.get().history_user == cast.admin_a
    # Factory B has a coordinator: only she decides, and only she is told.
    assert [m.to for m in mail.outbox] == [[cast.coordinator_b.email]]
    with translation.override("bn"):
        subject = translation.gettext("%(provider)s asks to work with %(factory)s") % {
            "provider": "Provider A", "factory": "Beta Knit",
        }  # fmt: skip
    assert subject != "Provider A asks to work with Beta Knit"  # it is translated
    assert mail.outbox[0].subject == subject
    assert request.get_absolute_url() in mail.outbox[0].body


@pytest.mark.parametrize("who", STRANGERS)
def test_only_provider_admins_may_ask(cast, known, who: str) -> None:
    assert cast.client(getattr(cast, who)).get(reverse("factories:access-ask")).status_code == 404
    assert ask(cast, who).status_code == 404
    response = api(getattr(cast, who)).post(
        reverse("api-access-requests"), {"os_id": OS_ID}, format="json"
    )
    assert response.status_code == 403
    assert not AccessRequest.objects.exists()


def test_a_provider_that_works_with_the_factory_does_not_ask(cast, known) -> None:
    response = ask(cast, "admin_b", provider=cast.provider_b.pk)
    assert response.status_code == 200
    assert "your organisation works with it" in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_a_second_pending_request_is_refused_and_after_a_no_one_may_ask_again(
    cast, pending
) -> None:
    response = ask(cast)
    assert response.status_code == 200
    assert "wait for its answer" in response.content.decode()
    again = api(cast.admin_a).post(reverse("api-access-requests"), {"os_id": OS_ID}, format="json")
    assert again.status_code == 400
    assert AccessRequest.objects.count() == 1
    services.access_request_decline(access_request=pending, by=cast.coordinator_b)
    assert ask(cast).status_code == 302
    assert AccessRequest.objects.count() == 2


def test_an_unknown_os_id_asks_nothing(cast, known) -> None:
    response = ask(cast, os_id="BD2019085ZZZZZZ")
    assert response.status_code == 200
    assert "No factory in FIT Hub has this Open Supply Hub ID." in response.content.decode()
    response = api(cast.admin_a).post(
        reverse("api-access-requests"), {"os_id": "not-an-id"}, format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["os_id"]
    assert not AccessRequest.objects.exists()


# --- what the requester sees, before and after --------------------------------------------


def test_before_approval_the_requester_sees_only_the_public_registry_fields(cast, pending) -> None:
    for who in ("admin_a", "facilitator_a"):
        detail = reverse("factories:detail", args=[pending.factory_id])
        assert cast.client(getattr(cast, who)).get(detail).status_code == 404
        api_detail = reverse("api-factory", args=[pending.factory_id])
        assert api(getattr(cast, who)).get(api_detail).status_code == 404
    html = page(cast, "admin_a", pending.get_absolute_url())
    for shown in ("Beta Knit", OS_ID, "Plot 7, Tongi Road", "Knitwear", "Amina Admin"):
        assert shown in html, shown
    for hidden in HIDDEN:
        assert hidden not in html, hidden
    body = api(cast.admin_a).get(reverse("api-access-request", args=[pending.pk])).json()
    assert set(body["factory"]) == set(PUBLIC_REGISTRY_FIELDS)
    assert body["factory_id"] is None
    for hidden in HIDDEN:
        assert hidden not in str(body), hidden
    listing = api(cast.admin_a).get(reverse("api-access-requests")).json()["results"]
    assert [row["id"] for row in listing] == [pending.pk]
    assert not any(hidden in str(listing) for hidden in HIDDEN)


def test_after_approval_the_requester_sees_the_factory(cast, pending) -> None:
    response = cast.client(cast.coordinator_b).post(
        reverse("factories:access-approve", args=[pending.pk]), {"note": "Welcome"}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == AccessRequest.Status.APPROVED
    assert pending.decided_by == cast.coordinator_b
    for who in ("admin_a", "facilitator_a"):
        assert (
            factories_for(User.objects.get(pk=getattr(cast, who).pk))
            .filter(pk=pending.factory_id)
            .exists()
        )
        html = page(cast, who, reverse("factories:detail", args=[pending.factory_id]))
        assert "Kamal Teammate" in html  # now working with the factory, they see its team
    # Only provider A's administrators change it, as for a factory they are engaged with.
    writable = factories_for(User.objects.get(pk=cast.admin_a.pk), write=True)
    assert writable.filter(pk=pending.factory_id).exists()
    assert (
        not factories_for(User.objects.get(pk=cast.facilitator_a.pk), write=True)
        .filter(pk=pending.factory_id)
        .exists()
    )
    body = api(cast.admin_a).get(reverse("api-access-request", args=[pending.pk])).json()
    assert body["factory_id"] == pending.factory_id
    assert body["decision_note"] == "Welcome"
    # Other providers still do not see it.
    assert not factories_for(User.objects.get(pk=cast.outsider.pk)).exists()


def test_a_decline_keeps_the_factory_hidden_and_the_deciders_name_from_the_requester(
    cast, pending, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client(cast.coordinator_b).post(
            reverse("factories:access-decline", args=[pending.pk]), {"note": "Not this year"}
        )
    assert response.status_code == 302
    detail = reverse("factories:detail", args=[pending.factory_id])
    assert cast.client(cast.admin_a).get(detail).status_code == 404
    html = page(cast, "admin_a", pending.get_absolute_url())
    assert "Declined" in html and "Not this year" in html
    assert "Badal Coordinator" not in html
    # The factory's side sees who decided, in the history too.
    assert "Badal Coordinator" in page(cast, "coordinator_b", pending.get_absolute_url())
    assert "Badal Coordinator" in page(cast, "admin_b", pending.get_absolute_url())
    body = api(cast.admin_a).get(reverse("api-access-request", args=[pending.pk])).json()
    assert body["decided_by"] == ""
    assert [(e["status"], e["by"]) for e in body["history"]] == [
        ("pending", "Amina Admin"), ("declined", ""),
    ]  # fmt: skip
    body = api(cast.coordinator_b).get(reverse("api-access-request", args=[pending.pk])).json()
    assert [(e["status"], e["by"]) for e in body["history"]] == [
        ("pending", "Amina Admin"), ("declined", "Badal Coordinator"),
    ]  # fmt: skip
    # The one who asked is told, in their language.
    assert mail.outbox[-1].to == [cast.admin_a.email]
    assert "declined" in mail.outbox[-1].subject


# --- who decides --------------------------------------------------------------------------

# Of a request to work with factory B, which has a coordinator: who sees it, who decides.
SEES_AND_DECIDES = {
    "coordinator_b": (True, True),
    "admin_b": (True, False),  # changes factory B, but its coordinator decides
    "admin_a": (True, False),  # asked: never decides its own request
    "worker_rep_b": (False, False),  # reads factory B: does not decide who works with it
    "facilitator_a": (False, False),
    "owner": (False, False),
    "buyer_b": (False, False),
    "coordinator_a": (False, False),
    "outsider": (False, False),
    "superuser": (True, True),
}


@pytest.mark.parametrize(("who", "rights"), SEES_AND_DECIDES.items())
def test_who_sees_and_who_decides_a_request(cast, pending, who: str, rights) -> None:
    sees, decides = rights
    user = getattr(cast, who)
    client = cast.client(user)
    assert client.get(pending.get_absolute_url()).status_code == (200 if sees else 404)
    for action in ("approve", "decline"):
        response = client.post(reverse(f"factories:access-{action}", args=[pending.pk]))
        if not decides:
            assert response.status_code == 404, action
        response = api(user).post(
            reverse(f"api-access-{action}", args=[pending.pk]), {}, format="json"
        )
        if not decides:
            assert response.status_code == (403 if sees else 404), action
            pending.refresh_from_db()
            assert pending.status == AccessRequest.Status.PENDING
            assert pending.history.count() == 1
    if decides:
        pending.refresh_from_db()
        assert pending.status == AccessRequest.Status.APPROVED  # the first decision stands
        assert pending.history.count() == 2


def test_without_a_coordinator_or_manager_a_provider_working_with_it_decides(
    cast, known, django_capture_on_commit_callbacks
) -> None:
    FactoryMembership.objects.filter(factory=known, role="coordinator").delete()
    with django_capture_on_commit_callbacks(execute=True):
        request = services.access_request_create(
            factory=known, provider=cast.provider_a, by=cast.admin_a
        )
    # Only a worker representative is left: provider B's administrator decides, and is told.
    assert list(access_request_deciders(request)) == [cast.admin_b]
    assert [m.to for m in mail.outbox] == [[cast.admin_b.email]]
    assert not access_requests_for(cast.worker_rep_b, decide=True).exists()
    assert not access_requests_for(cast.admin_a, decide=True).exists()
    response = api(cast.admin_b).post(
        reverse("api-access-approve", args=[request.pk]), {"note": "Fine"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    assert response.json()["decided_by"] == "Bilal Admin"


def test_the_deciders_are_those_the_rule_lets_decide(cast, pending) -> None:
    for user in access_request_deciders(pending):
        assert access_requests_for(user, decide=True).filter(pk=pending.pk).exists()


# --- both sides list them -----------------------------------------------------------------


def test_both_sides_list_requests_by_status(cast, pending) -> None:
    mine = page(cast, "admin_a", reverse("factories:access-requests"))
    assert pending.get_absolute_url() in mine
    theirs = page(cast, "coordinator_b", reverse("factories:access-requests"))
    assert pending.get_absolute_url() in theirs and "Decide" in theirs
    approved = page(cast, "admin_a", reverse("factories:access-requests") + "?status=approved")
    assert pending.get_absolute_url() not in approved
    services.access_request_approve(access_request=pending, by=cast.coordinator_b)
    approved = page(cast, "admin_a", reverse("factories:access-requests") + "?status=approved")
    assert pending.get_absolute_url() in approved
    rows = api(cast.coordinator_b).get(reverse("api-access-requests"), {"status": "approved"})
    assert [r["id"] for r in rows.json()["results"]] == [pending.pk]
    rows = api(cast.coordinator_b).get(reverse("api-access-requests"), {"status": "pending"})
    assert rows.json()["results"] == []
    outsider = page(cast, "outsider", reverse("factories:access-requests"))
    assert pending.get_absolute_url() not in outsider and "Beta Knit" not in outsider


def test_the_factory_page_tells_the_decider_a_request_waits(cast, pending) -> None:
    html = page(cast, "coordinator_b", reverse("factories:detail", args=[pending.factory_id]))
    assert "A service provider asks to work with this factory." in html
    html = page(cast, "admin_b", reverse("factories:detail", args=[pending.factory_id]))
    assert "asks to work with this factory" not in html


def test_factories_for_stays_one_query_with_approved_requests(cast, known) -> None:
    admin = User.objects.get(pk=cast.admin_a.pk)
    with CaptureQueriesContext(connection) as before:
        list(factories_for(admin))
    for i in range(5):
        factory = Factory.objects.create(
            name=f"Factory {i}", country="BD", sector="knitwear", registered_by=cast.provider_b
        )
        AccessRequest.objects.create(
            factory=factory, provider=cast.provider_a, status=AccessRequest.Status.APPROVED
        )
    admin = User.objects.get(pk=cast.admin_a.pk)
    with CaptureQueriesContext(connection) as after:
        names = {f.name for f in factories_for(admin)}
    assert len(before) == len(after)
    assert {f"Factory {i}" for i in range(5)} <= names
