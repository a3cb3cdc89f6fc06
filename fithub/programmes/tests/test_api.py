"""The engagement API: who sees, who starts and who changes an engagement."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.accounts.models import Membership, Organisation
from fithub.programmes.models import Engagement, Programme
from fithub.tests.cast import api

LIST = reverse("api-engagements")


def detail(engagement: Engagement | int) -> str:
    return reverse("api-engagement", args=[getattr(engagement, "pk", engagement)])


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def other_programme(cast) -> Programme:
    """A second programme of the same owner, in which only provider B takes part."""
    programme = Programme.objects.create(
        owner=cast.owner_org,
        name="FIT scale-up",
        country="BD",
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 12, 31),
    )
    programme.providers.set([cast.provider_b])
    return programme


def new_engagement(cast, **kw) -> dict:
    return {
        "programme": cast.programme.pk,
        "factory": cast.factory_a.pk,
        "delivery_model": "blended",
        "cycle": 2,
        **kw,
    }


# --- list --------------------------------------------------------------------------------

SEES = {
    "admin_a": {"a"},
    "facilitator_a": {"a"},
    "admin_b": {"b"},
    "buyer": set(),  # what reaches a buyer goes through a release
    "owner": {"a", "b"},
    "coordinator_a": {"a"},
    "worker_rep_a": {"a"},
    "outsider": set(),
    "superuser": {"a", "b"},
}


def engagements(cast, letters: set[str]) -> set[int]:
    return {getattr(cast, f"engagement_{letter}").pk for letter in letters}


@pytest.mark.parametrize(("who", "letters"), SEES.items())
def test_list_shows_each_user_only_their_engagements(cast, who, letters) -> None:
    assert ids(api(getattr(cast, who)).get(LIST)) == engagements(cast, letters)


def test_list_needs_authentication(cast) -> None:
    assert api().get(LIST).status_code == 401


def test_list_fields(cast) -> None:
    (row,) = api(cast.admin_a).get(LIST).json()["results"]
    e = cast.engagement_a
    assert row == {
        "id": e.pk,
        "programme": cast.programme.pk,
        "factory": cast.factory_a.pk,
        "provider": cast.provider_a.pk,
        "delivery_model": "in_factory",
        "status": "prospect",
        "cycle": 1,
        "coordinator": None,
        "starts_on": None,
        "ends_on": None,
        "created_at": row["created_at"],
    }


def test_list_filters(cast) -> None:
    Engagement.objects.filter(pk=cast.engagement_b.pk).update(status="active")
    client = api(cast.owner)
    a, b = cast.engagement_a.pk, cast.engagement_b.pk
    assert ids(client.get(LIST, {"factory": cast.factory_b.pk})) == {b}
    assert ids(client.get(LIST, {"status": "active"})) == {b}
    assert ids(client.get(LIST, {"status": "prospect"})) == {a}
    assert ids(client.get(LIST, {"programme": cast.programme.pk})) == {a, b}
    assert ids(client.get(LIST, {"programme": other_programme(cast).pk})) == set()
    assert ids(client.get(LIST, {"programme": "", "factory": "", "status": ""})) == {a, b}


def test_filters_do_not_leak_other_tenants(cast) -> None:
    for who in ("admin_a", "facilitator_a", "coordinator_a", "buyer", "outsider"):
        client = api(getattr(cast, who))
        assert ids(client.get(LIST, {"factory": cast.factory_b.pk})) == set(), who
        assert cast.engagement_b.pk not in ids(client.get(LIST, {"programme": cast.programme.pk}))


@pytest.mark.parametrize("query", [{"status": "lost"}, {"factory": "abc"}, {"programme": "x"}])
def test_bad_filter_is_400(cast, query) -> None:
    response = api(cast.owner).get(LIST, query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_list_runs_a_constant_number_of_queries(cast) -> None:
    def add(n: int, start: int) -> None:
        Engagement.objects.bulk_create(
            Engagement(
                programme=cast.programme,
                factory=cast.factory_a,
                provider=cast.provider_a,
                delivery_model="classroom",
                coordinator=cast.coordinator_a,
                cycle=start + i,
            )
            for i in range(n)
        )

    add(4, start=2)
    client = api(cast.admin_a)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(LIST).json()["results"]) == 5
    add(45, start=6)
    client = api(cast.admin_a)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(LIST).json()["results"]) == 50
    assert len(few) == len(many)


# --- detail ------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "letters"), SEES.items())
def test_detail_is_404_outside_scope(cast, who, letters) -> None:
    client = api(getattr(cast, who))
    for letter in ("a", "b"):
        engagement = getattr(cast, f"engagement_{letter}")
        response = client.get(detail(engagement))
        assert response.status_code == (200 if letter in letters else 404), letter
        if response.status_code == 200:
            assert response.json()["factory"] == engagement.factory_id
    assert client.get(detail(999_999)).status_code == 404


def test_detail_needs_authentication(cast) -> None:
    assert api().get(detail(cast.engagement_a)).status_code == 401


# --- change ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("admin_a", 200),
        ("superuser", 200),
        ("facilitator_a", 403),
        ("coordinator_a", 403),
        ("worker_rep_a", 403),
        ("owner", 403),
        ("admin_b", 404),
        ("buyer", 404),
        ("outsider", 404),
    ],
)
def test_patch_who_may_change(cast, who, code) -> None:
    response = api(getattr(cast, who)).patch(
        detail(cast.engagement_a), {"status": "active"}, format="json"
    )
    assert response.status_code == code, response.content
    cast.engagement_a.refresh_from_db()
    assert cast.engagement_a.status == ("active" if code == 200 else "prospect")


def test_patch_needs_authentication(cast) -> None:
    response = api().patch(detail(cast.engagement_a), {"status": "active"}, format="json")
    assert response.status_code == 401


def test_patch_records_the_api_user_in_history(cast) -> None:
    data = {"status": "active", "starts_on": "2026-02-01", "coordinator": cast.coordinator_a.pk}
    response = api(cast.admin_a).patch(detail(cast.engagement_a), data, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["coordinator"] == cast.coordinator_a.pk
    latest = cast.engagement_a.history.latest()
    assert latest.history_user == cast.admin_a
    assert latest.status == "active"


def test_patch_service_check_becomes_a_field_error(cast) -> None:
    data = {"starts_on": "2026-06-01", "ends_on": "2026-05-01"}
    response = api(cast.admin_a).patch(detail(cast.engagement_a), data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["ends_on"]
    cast.engagement_a.refresh_from_db()
    assert cast.engagement_a.starts_on is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("factory", "factory_b"),  # another provider's factory
        ("coordinator", "outsider"),  # not on the staff of any factory the admin may change
        ("delivery_model", None),
        ("status", None),
    ],
)
def test_patch_bad_or_foreign_values_are_400(cast, field, value) -> None:
    data = {field: getattr(cast, value).pk if value else "nonsense"}
    response = api(cast.admin_a).patch(detail(cast.engagement_a), data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert cast.engagement_a.history.count() == 1


# --- create ------------------------------------------------------------------------------


def test_provider_admin_starts_an_engagement(cast) -> None:
    data = new_engagement(cast, coordinator=cast.coordinator_a.pk)
    response = api(cast.admin_a).post(LIST, data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["provider"] == cast.provider_a.pk
    assert body["coordinator"] == cast.coordinator_a.pk
    engagement = Engagement.objects.get(pk=body["id"])
    assert engagement.history.latest().history_user == cast.admin_a
    assert body["id"] in ids(api(cast.owner).get(LIST))
    assert body["id"] not in ids(api(cast.admin_b).get(LIST))


@pytest.mark.parametrize(
    "who",
    # A superuser, too, starts engagements only for a provider they administer (see the views).
    ["facilitator_a", "owner", "buyer", "coordinator_a", "worker_rep_a", "outsider", "superuser"],
)
def test_others_may_not_start_engagements(cast, who) -> None:
    response = api(getattr(cast, who)).post(LIST, new_engagement(cast), format="json")
    assert response.status_code == 403
    assert Engagement.objects.count() == 2


def test_create_needs_authentication(cast) -> None:
    assert api().post(LIST, new_engagement(cast), format="json").status_code == 401


def test_create_for_a_factory_out_of_write_scope_is_400(cast) -> None:
    data = new_engagement(cast, factory=cast.factory_b.pk)
    response = api(cast.admin_a).post(LIST, data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["factory"]
    assert Engagement.objects.count() == 2


def test_create_in_a_programme_the_user_cannot_see_is_400(cast) -> None:
    data = new_engagement(cast, programme=other_programme(cast).pk)
    response = api(cast.admin_a).post(LIST, data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["programme"]
    assert Engagement.objects.count() == 2


def test_create_in_a_programme_without_the_provider_is_400(cast) -> None:
    # Admin A also works for provider B, so sees B's programme, but engages for provider A.
    Membership.objects.create(
        user=cast.admin_a, organisation=cast.provider_b, role=Membership.Role.FACILITATOR
    )
    data = new_engagement(cast, programme=other_programme(cast).pk)
    response = api(cast.admin_a).post(LIST, data, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "programme": ["Your organisation does not take part in this programme."]
    }
    assert Engagement.objects.count() == 2


def test_create_duplicate_engagement_is_400(cast) -> None:
    data = new_engagement(cast, cycle=1, delivery_model="in_factory")
    response = api(cast.admin_a).post(LIST, data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert Engagement.objects.count() == 2


def test_create_bad_input_is_400(cast) -> None:
    response = api(cast.admin_a).post(LIST, {"delivery_model": "telepathy"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"programme", "factory", "delivery_model"}


# --- create: administrators of several providers -----------------------------------------


def admin_of_both(cast) -> None:
    Membership.objects.create(
        user=cast.admin_a, organisation=cast.provider_b, role=Membership.Role.ADMIN
    )


def test_admin_of_one_provider_may_name_it(cast) -> None:
    data = new_engagement(cast, provider=cast.provider_a.pk)
    response = api(cast.admin_a).post(LIST, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["provider"] == cast.provider_a.pk


def test_admin_of_two_providers_starts_an_engagement_for_the_one_named(cast) -> None:
    admin_of_both(cast)
    data = new_engagement(cast, provider=cast.provider_b.pk, factory=cast.factory_b.pk)
    response = api(cast.admin_a).post(LIST, data, format="json")
    assert response.status_code == 201, response.content
    engagement = Engagement.objects.get(pk=response.json()["id"])
    assert (engagement.provider, engagement.factory) == (cast.provider_b, cast.factory_b)
    assert engagement.history.get().history_user == cast.admin_a
    assert engagement.pk in ids(api(cast.admin_b).get(LIST))


def test_admin_of_two_providers_must_name_one(cast) -> None:
    admin_of_both(cast)
    response = api(cast.admin_a).post(LIST, new_engagement(cast), format="json")
    assert response.status_code == 400
    assert response.json() == {"provider": ["This field is required."]}
    assert Engagement.objects.count() == 2


@pytest.mark.parametrize(
    ("two", "forged"),
    [
        (False, "provider_b"),  # admin A does not run provider B
        (False, "facilitated"),  # admin A only facilitates for provider Z
        (True, "facilitated"),
        (False, "buyer_org"),
        (True, "buyer_org"),
        (True, "missing"),
    ],
)
def test_create_for_a_provider_the_user_does_not_administer_is_400(cast, two, forged) -> None:
    if two:
        admin_of_both(cast)
    other = Organisation.objects.create(name="Provider Z", kind=Organisation.Kind.SERVICE_PROVIDER)
    Membership.objects.create(
        user=cast.admin_a, organisation=other, role=Membership.Role.FACILITATOR
    )
    cast.programme.providers.add(other)
    provider = {
        "provider_b": cast.provider_b.pk,
        "facilitated": other.pk,
        "buyer_org": cast.buyer_org.pk,
        "missing": 99999,
    }[forged]
    response = api(cast.admin_a).post(LIST, new_engagement(cast, provider=provider), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["provider"]
    assert Engagement.objects.count() == 2


def test_patch_cannot_move_an_engagement_to_another_provider(cast) -> None:
    admin_of_both(cast)
    data = {"provider": cast.provider_b.pk, "status": "active"}
    response = api(cast.admin_a).patch(detail(cast.engagement_a), data, format="json")
    assert response.status_code == 200, response.content
    cast.engagement_a.refresh_from_db()
    assert (cast.engagement_a.provider, cast.engagement_a.status) == (cast.provider_a, "active")
