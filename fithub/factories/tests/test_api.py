"""The factory API: who sees, who changes, and what each of them gets back."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from fithub.factories import services
from fithub.factories.models import Factory, TeamMember
from fithub.tests.cast import api

LIST = reverse("api-factories")
ALPHA, BETA = "Alpha Garments", "Beta Knit"
PASSWORD = "correct horse battery staple"


def detail(factory: Factory | int) -> str:
    return reverse("api-factory", args=[getattr(factory, "pk", factory)])


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def add_member(factory: Factory, name: str) -> TeamMember:
    return services.team_member_add(
        factory=factory,
        by=None,
        details=services.TeamMemberDetails(
            name=name, role="worker", department="sewing", sex="female"
        ),
    )


def add_factories(cast, n: int, **kw) -> None:
    Factory.objects.bulk_create(
        Factory(
            name=f"Bulk {i:03}",
            country="PK",
            sector="garments",
            registered_by=cast.provider_a,
            **kw,
        )
        for i in range(n)
    )


# --- list --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin_a", {ALPHA}),
        ("facilitator_a", {ALPHA}),
        ("admin_b", {BETA}),
        ("buyer", {ALPHA}),
        ("owner", {ALPHA, BETA}),
        ("coordinator_a", {ALPHA}),
        ("worker_rep_a", {ALPHA}),
        ("outsider", set()),
        ("superuser", {ALPHA, BETA}),
    ],
)
def test_list_shows_each_user_only_their_factories(cast, who, expected) -> None:
    assert names(api(getattr(cast, who)).get(LIST)) == expected


def test_list_needs_authentication(cast) -> None:
    assert api().get(LIST).status_code == 401


def test_list_gives_the_profile_fields_and_no_team(cast) -> None:
    add_member(cast.factory_a, "Nasreen")
    row = api(cast.buyer).get(LIST).json()["results"][0]
    assert set(row) == {
        "id", "name", "os_id", "country", "city", "address", "latitude", "longitude", "sector",
        "product_types", "tier", "workers_female", "workers_male", "score_graduate",
        "better_work", "consent_date", "registered_by", "created_at", "updated_at",
    }  # fmt: skip
    assert row["country"] == "PK"
    assert row["registered_by"] == cast.provider_a.pk


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "alph"}, {ALPHA}),
        ({"q": "KARACHI"}, {ALPHA}),
        ({"q": "gazipur"}, {BETA}),
        ({"country": "BD"}, {BETA}),
        ({"country": "pk"}, {ALPHA}),
        ({"sector": "knitwear"}, {BETA}),
        ({"tier": "unknown"}, {ALPHA, BETA}),
        ({"tier": "direct"}, set()),
        ({"q": "", "country": "", "sector": "", "tier": ""}, {ALPHA, BETA}),
    ],
)
def test_list_filters(cast, query, expected) -> None:
    assert names(api(cast.owner).get(LIST, query)) == expected


def test_search_by_open_supply_hub_id(cast) -> None:
    Factory.objects.filter(pk=cast.factory_b.pk).update(os_id="BD2019085AQ1Y2N")
    assert names(api(cast.owner).get(LIST, {"q": "085aq1"})) == {BETA}
    assert names(api(cast.admin_a).get(LIST, {"q": "085aq1"})) == set()


@pytest.mark.parametrize("query", ["Beta", "Knit", "Gazipur", "BD"])
def test_search_does_not_leak_other_tenants(cast, query) -> None:
    for who in ("admin_a", "facilitator_a", "buyer", "coordinator_a", "outsider"):
        client = api(getattr(cast, who))
        assert names(client.get(LIST, {"q": query})) == set(), who
        assert names(client.get(LIST, {"country": "BD"})) == set(), who


def test_bad_filter_is_400(cast) -> None:
    response = api(cast.owner).get(LIST, {"sector": "spaceships"})
    assert response.status_code == 400
    assert "sector" in response.json()


def test_cursor_pagination_walks_every_factory_once(cast) -> None:
    add_factories(cast, 60)
    client = api(cast.admin_a)
    seen: list[int] = []
    url: str | None = LIST
    pages = 0
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
        pages += 1
    assert pages == 2  # 50 a page by default
    assert len(seen) == len(set(seen)) == 61
    assert set(seen) == set(
        Factory.objects.filter(registered_by=cast.provider_a).values_list("pk", flat=True)
    )
    assert seen == sorted(seen, reverse=True)


def test_page_size_can_be_chosen(cast) -> None:
    add_factories(cast, 60)
    body = api(cast.admin_a).get(LIST, {"page_size": 25}).json()
    assert len(body["results"]) == 25
    assert body["next"]


def test_list_runs_a_constant_number_of_queries(cast) -> None:
    add_factories(cast, 4)
    client = api(cast.admin_a)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(LIST).json()["results"]) == 5
    add_factories(cast, 45)
    client = api(cast.admin_a)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(LIST).json()["results"]) == 50
    assert len(few) == len(many)


# --- detail ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("admin_a", {ALPHA}),
        ("facilitator_a", {ALPHA}),
        ("admin_b", {BETA}),
        ("buyer", {ALPHA}),
        ("owner", {ALPHA, BETA}),
        ("coordinator_a", {ALPHA}),
        ("worker_rep_a", {ALPHA}),
        ("outsider", set()),
        ("superuser", {ALPHA, BETA}),
    ],
)
def test_detail_is_404_outside_scope(cast, who, visible) -> None:
    client = api(getattr(cast, who))
    for factory in (cast.factory_a, cast.factory_b):
        response = client.get(detail(factory))
        assert response.status_code == (200 if factory.name in visible else 404), factory
        if response.status_code == 200:
            assert response.json()["name"] == factory.name
    assert client.get(detail(999_999)).status_code == 404


def test_detail_needs_authentication(cast) -> None:
    assert api().get(detail(cast.factory_a)).status_code == 401


@pytest.mark.parametrize(
    ("who", "sees_team"),
    [
        ("admin_a", True),
        ("facilitator_a", True),
        ("coordinator_a", True),
        ("worker_rep_a", True),
        ("owner", True),
        ("superuser", True),
        ("buyer", False),
    ],
)
def test_team_only_for_users_who_see_internals(cast, who, sees_team) -> None:
    member = add_member(cast.factory_a, "Nasreen")
    body = api(getattr(cast, who)).get(detail(cast.factory_a)).json()
    if sees_team:
        assert body["team"] == [
            {
                "id": member.pk,
                "name": "Nasreen",
                "role": "worker",
                "department": "sewing",
                "sex": "female",
            }
        ]
    else:
        assert "team" not in body
        assert "Nasreen" not in str(body)


def test_detail_runs_a_constant_number_of_queries(cast) -> None:
    add_member(cast.factory_a, "M0")
    client = api(cast.admin_a)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(detail(cast.factory_a)).json()["team"]) == 1
    for i in range(1, 20):
        add_member(cast.factory_a, f"M{i}")
    client = api(cast.admin_a)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(detail(cast.factory_a)).json()["team"]) == 20
    assert len(few) == len(many)


# --- change ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("admin_a", 200),
        ("coordinator_a", 200),
        ("superuser", 200),
        ("facilitator_a", 403),
        ("worker_rep_a", 403),
        ("owner", 403),
        ("buyer", 403),
        ("admin_b", 404),
        ("outsider", 404),
    ],
)
def test_patch_who_may_change(cast, who, code) -> None:
    response = api(getattr(cast, who)).patch(
        detail(cast.factory_a), {"city": "Lahore"}, format="json"
    )
    assert response.status_code == code, response.content
    cast.factory_a.refresh_from_db()
    assert cast.factory_a.city == ("Lahore" if code == 200 else "Karachi")


def test_patch_records_the_api_user_in_history(cast) -> None:
    response = api(cast.admin_a).patch(
        detail(cast.factory_a), {"workers_female": 120, "tier": "direct"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["workers_female"] == 120
    latest = cast.factory_a.history.latest()
    assert latest.history_user == cast.admin_a
    assert latest.workers_female == 120
    assert latest.tier == "direct"


def test_patch_is_404_for_out_of_scope_even_when_invalid(cast) -> None:
    response = api(cast.admin_a).patch(
        detail(cast.factory_b), {"sector": "nonsense"}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"os_id": "not-an-id"}, "os_id"),
        ({"latitude": "123.5"}, "latitude"),
        ({"sector": "spaceships"}, "sector"),
        ({"country": "XX"}, "country"),
        ({"name": ""}, "name"),
    ],
)
def test_patch_bad_input_is_400_with_field_errors(cast, data, field) -> None:
    response = api(cast.admin_a).patch(detail(cast.factory_a), data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert cast.factory_a.history.count() == 1  # nothing written


def test_patch_duplicate_os_id_is_400(cast) -> None:
    Factory.objects.filter(pk=cast.factory_b.pk).update(os_id="BD2019085AQ1Y2N")
    response = api(cast.admin_a).patch(
        detail(cast.factory_a), {"os_id": "BD2019085AQ1Y2N"}, format="json"
    )
    assert response.status_code == 400
    assert "os_id" in response.json()


def test_put_replaces_and_needs_the_required_fields(cast) -> None:
    client = api(cast.admin_a)
    response = client.put(detail(cast.factory_a), {"city": "Lahore"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"name", "country", "sector"}
    data = {"name": "Alpha Apparel", "country": "PK", "sector": "denim", "city": "Lahore"}
    response = client.put(detail(cast.factory_a), data, format="json")
    assert response.status_code == 200
    assert {k: response.json()[k] for k in data} == data
    assert cast.factory_a.history.latest().history_user == cast.admin_a


@pytest.mark.parametrize(("who", "code"), [("buyer", 403), ("owner", 403), ("admin_b", 404)])
def test_put_who_may_not(cast, who, code) -> None:
    data = {"name": "Taken over", "country": "PK", "sector": "denim"}
    response = api(getattr(cast, who)).put(detail(cast.factory_a), data, format="json")
    assert response.status_code == code
    cast.factory_a.refresh_from_db()
    assert cast.factory_a.name == ALPHA


def test_changes_need_authentication(cast) -> None:
    client = api()
    assert client.patch(detail(cast.factory_a), {"city": "X"}, format="json").status_code == 401
    assert client.post(LIST, {"name": "X", "country": "PK", "sector": "denim"}).status_code == 401


# --- create ------------------------------------------------------------------------------

NEW = {"name": "Gamma Denim", "country": "BD", "city": "Savar", "sector": "denim", "os_id": ""}


def test_provider_admin_registers_a_factory(cast) -> None:
    response = api(cast.admin_a).post(LIST, NEW, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["registered_by"] == cast.provider_a.pk
    assert body["os_id"] is None
    assert body["team"] == []
    factory = Factory.objects.get(pk=body["id"])
    assert factory.history.latest().history_user == cast.admin_a
    assert "Gamma Denim" in names(api(cast.admin_a).get(LIST))
    assert "Gamma Denim" not in names(api(cast.admin_b).get(LIST))
    # A blank Open Supply Hub ID is stored as "not known", so a second one is no clash.
    assert api(cast.admin_a).post(LIST, {**NEW, "name": "Delta"}, format="json").status_code == 201


@pytest.mark.parametrize(
    "who",
    # A superuser belongs to no provider, so has nobody to register a factory for.
    ["facilitator_a", "owner", "buyer", "coordinator_a", "worker_rep_a", "outsider", "superuser"],
)
def test_others_may_not_register_factories(cast, who) -> None:
    response = api(getattr(cast, who)).post(LIST, NEW, format="json")
    assert response.status_code == 403
    assert not Factory.objects.filter(name="Gamma Denim").exists()


def test_create_bad_input_is_400(cast) -> None:
    response = api(cast.admin_a).post(LIST, {"name": "", "country": "ZZ"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"name", "country", "sector"}


# --- authentication ----------------------------------------------------------------------


def test_token_from_the_token_endpoint_works(cast) -> None:
    response = APIClient().post(
        reverse("api-token"), {"username": "admin.b@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert names(client.get(LIST)) == {BETA}
    assert client.get(detail(cast.factory_a)).status_code == 404


def test_wrong_password_gets_no_token(cast) -> None:
    response = APIClient().post(
        reverse("api-token"), {"username": "admin.b@example.org", "password": "wrong"}
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_bad_token_is_401(cast) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(LIST).status_code == 401


def test_session_login_works_too(cast) -> None:
    assert names(cast.client(cast.buyer).get(LIST)) == {ALPHA}


@pytest.mark.parametrize("fmt", ["json", "multipart"])
def test_a_put_that_leaves_a_yes_no_field_out_keeps_it(cast, fmt: str) -> None:
    # DRF would read a form's missing boolean as an unticked box and clear it.
    Factory.objects.filter(pk=cast.factory_a.pk).update(better_work=True, score_graduate=True)
    data = {"name": ALPHA, "country": "PK", "sector": "garments", "city": "Karachi"}
    response = api(cast.admin_a).put(detail(cast.factory_a), data, format=fmt)
    assert response.status_code == 200, response.content
    cast.factory_a.refresh_from_db()
    assert cast.factory_a.better_work and cast.factory_a.score_graduate
