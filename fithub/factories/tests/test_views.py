"""The factory registry pages: who may see and change what, forms, htmx partials, query counts."""

import re
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.accounts.models import FactoryMembership, Invitation
from fithub.factories.models import Factory, TeamMember
from fithub.programmes.models import Engagement
from fithub.tests.cast import text

VALID = {
    "name": "Gamma Textiles",
    "os_id": "",
    "country": "PK",
    "city": "Lahore",
    "address": "",
    "latitude": "",
    "longitude": "",
    "sector": "textile",
    "product_types": "",
    "tier": "direct",
    "workers_female": "120",
    "workers_male": "80",
    "consent_date": "",
}


def url(name: str, *args: object) -> str:
    return reverse(f"factories:{name}", args=args)


def form_data(factory: Factory, **changes: object) -> dict[str, object]:
    """Return the edit form's data for a factory as it stands, with some changes."""
    data = {
        "name": factory.name,
        "os_id": factory.os_id or "",
        "country": str(factory.country),
        "city": factory.city,
        "address": factory.address,
        "latitude": "" if factory.latitude is None else str(factory.latitude),
        "longitude": "" if factory.longitude is None else str(factory.longitude),
        "sector": factory.sector,
        "product_types": factory.product_types,
        "tier": factory.tier,
        "workers_female": factory.workers_female or "",
        "workers_male": factory.workers_male or "",
        "consent_date": factory.consent_date or "",
    }
    data.update(changes)
    return data


def make_factories(provider, n: int, **extra: object) -> None:
    Factory.objects.bulk_create(
        Factory(
            name=f"Extra {i:03d}",
            country=extra.get("country", "PK"),
            sector=extra.get("sector", "garments"),
            registered_by=provider,
        )
        for i in range(n)
    )


# --- list ----------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_the_login_page(cast) -> None:
    for page in (url("list"), url("detail", cast.factory_a.pk), url("create")):
        response = cast.client(None).get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_it_lists_only_the_factories_each_user_may_see(cast) -> None:
    expected = {
        cast.admin_a: {"Alpha Garments"},
        cast.facilitator_a: {"Alpha Garments"},
        cast.admin_b: {"Beta Knit"},
        cast.buyer: {"Alpha Garments"},
        cast.coordinator_a: {"Alpha Garments"},
        cast.worker_rep_a: {"Alpha Garments"},
        cast.owner: {"Alpha Garments", "Beta Knit"},
        cast.superuser: {"Alpha Garments", "Beta Knit"},
        cast.outsider: set(),
    }
    for user, names in expected.items():
        body = text(cast.client(user).get(url("list")))
        for name in ("Alpha Garments", "Beta Knit"):
            assert (name in body) == (name in names), (user, name)


def test_it_tells_an_outsider_that_no_factory_matches(cast) -> None:
    body = text(cast.client(cast.outsider).get(url("list")))
    assert "No factories match." in body


def test_it_finds_nothing_when_searching_for_another_tenants_factory(cast) -> None:
    body = text(cast.client(cast.admin_a).get(url("list"), {"q": "Beta"}))
    assert "Beta Knit" not in body
    assert "No factories match." in body


def test_it_searches_by_name_city_and_os_id(cast) -> None:
    cast.factory_a.os_id = "PK2024001ABC123"
    cast.factory_a.save()
    client = cast.client(cast.admin_a)
    for q in ("alpha", "KARACHI", "pk2024001abc123"):
        assert "Alpha Garments" in text(client.get(url("list"), {"q": q})), q
    assert "Alpha Garments" not in text(client.get(url("list"), {"q": "Lahore"}))


def test_it_filters_by_country_and_sector(cast) -> None:
    Factory.objects.create(
        name="Delta Denim", country="BD", sector="denim", registered_by=cast.provider_a
    )
    client = cast.client(cast.admin_a)

    by_country = text(client.get(url("list"), {"country": "BD"}))
    assert "Delta Denim" in by_country
    assert "Alpha Garments" not in by_country

    by_sector = text(client.get(url("list"), {"sector": "garments"}))
    assert "Alpha Garments" in by_sector
    assert "Delta Denim" not in by_sector


def test_it_offers_only_the_countries_of_factories_the_user_sees(cast) -> None:
    body = text(cast.client(cast.admin_a).get(url("list")))
    assert 'value="PK"' in body
    # Factory B is in Bangladesh; admin A must not learn that any factory is there.
    assert 'value="BD"' not in body


def test_it_paginates_fifty_factories_a_page(cast) -> None:
    make_factories(cast.provider_a, 59)  # with Alpha Garments: 60
    client = cast.client(cast.admin_a)

    first = text(client.get(url("list")))
    assert "60 factories" in first
    assert first.count('href="/factories/') - first.count('href="/factories/new') >= 50
    assert "Page 1 of 2" in first
    assert 'rel="next"' in first

    second = client.get(url("list"), {"page": 2})
    assert "Page 2 of 2" in text(second)
    rows = re.findall(r'<a href="/factories/\d+/">', text(second))
    assert len(rows) == 10


def test_it_keeps_the_filters_in_the_pagination_links(cast) -> None:
    make_factories(cast.provider_a, 60, sector="denim")
    body = text(cast.client(cast.admin_a).get(url("list"), {"sector": "denim"}))
    assert "sector=denim&amp;page=2" in body


def test_it_returns_only_the_results_partial_to_htmx(cast) -> None:
    response = cast.client(cast.admin_a).get(url("list"), {"q": "Alpha"}, HTTP_HX_REQUEST="true")
    body = text(response).strip()
    assert response.status_code == 200
    assert body.startswith('<div id="results">')
    assert "<html" not in body
    assert 'role="search"' not in body
    assert "Alpha Garments" in body


def test_it_lists_in_a_constant_number_of_queries(cast) -> None:
    client = cast.client(cast.admin_a)
    make_factories(cast.provider_a, 2)
    client.get(url("list"))  # warm up: session, content types
    with CaptureQueriesContext(connection) as few:
        client.get(url("list"))
    make_factories(cast.provider_a, 27)
    with CaptureQueriesContext(connection) as many:
        client.get(url("list"))
    assert len(few) == len(many)


# --- detail --------------------------------------------------------------------------------


@pytest.fixture
def internals(cast):
    """Give factory A a team member and a consent date, the things buyers must not see."""
    cast.factory_a.consent_date = date(2026, 2, 3)
    cast.factory_a.save()
    TeamMember.objects.create(
        factory=cast.factory_a,
        name="Nadia Sewing",
        role="worker",
        department="sewing",
        sex="female",
    )
    return cast


def test_it_shows_the_whole_factory_to_its_provider_and_staff(internals) -> None:
    cast = internals
    for user in (cast.admin_a, cast.facilitator_a, cast.coordinator_a, cast.worker_rep_a):
        body = text(cast.client(user).get(url("detail", cast.factory_a.pk)))
        assert "Alpha Garments" in body
        assert "Nadia Sewing" in body
        assert "FIT pilot Testland" in body  # the engagement
        assert "Rina Coordinator" in body  # the factory's users
        assert "Consent to join" in body


def test_it_shows_a_buyer_the_profile_but_not_the_internals(internals) -> None:
    cast = internals
    response = cast.client(cast.buyer).get(url("detail", cast.factory_a.pk))
    body = text(response)
    assert response.status_code == 200
    assert "Alpha Garments" in body
    assert "Karachi" in body
    assert "Nadia Sewing" not in body
    assert "Factory improvement team" not in body
    assert "FIT pilot Testland" not in body
    assert "Provider A" not in body
    assert "Rina Coordinator" not in body
    assert "Consent to join" not in body
    assert "2026" not in body
    assert url("edit", cast.factory_a.pk) not in body


def test_it_hides_a_factory_from_users_outside_it(cast) -> None:
    for user, factory in (
        (cast.outsider, cast.factory_a),
        (cast.admin_b, cast.factory_a),
        (cast.admin_a, cast.factory_b),
        (cast.buyer, cast.factory_b),
        (cast.coordinator_a, cast.factory_b),
    ):
        assert cast.client(user).get(url("detail", factory.pk)).status_code == 404, user


def test_it_offers_edit_links_only_to_those_who_may_edit(cast) -> None:
    edit = url("edit", cast.factory_a.pk)
    for user, may in (
        (cast.admin_a, True),
        (cast.coordinator_a, True),
        (cast.facilitator_a, False),
        (cast.worker_rep_a, False),
        (cast.owner, False),
    ):
        body = text(cast.client(user).get(url("detail", cast.factory_a.pk)))
        assert (edit in body) == may, user


def test_it_shows_a_factory_in_a_constant_number_of_queries(cast) -> None:
    client = cast.client(cast.admin_a)

    def add(n: int) -> None:
        TeamMember.objects.bulk_create(
            TeamMember(
                factory=cast.factory_a,
                name=f"M{i}",
                role="worker",
                department="sewing",
                sex="female",
            )
            for i in range(n)
        )

    add(3)
    client.get(url("detail", cast.factory_a.pk))
    with CaptureQueriesContext(connection) as few:
        client.get(url("detail", cast.factory_a.pk))
    add(27)
    for cycle in range(2, 10):
        Engagement.objects.create(
            programme=cast.programme,
            factory=cast.factory_a,
            provider=cast.provider_a,
            delivery_model="classroom",
            cycle=cycle,
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url("detail", cast.factory_a.pk))
    assert len(few) == len(many)


# --- create --------------------------------------------------------------------------------


def test_it_lets_a_provider_admin_register_a_factory(cast) -> None:
    response = cast.client(cast.admin_a).post(url("create"), VALID)
    factory = Factory.objects.get(name="Gamma Textiles")
    assert response.status_code == 302
    assert response["Location"] == factory.get_absolute_url()
    assert factory.registered_by == cast.provider_a
    assert factory.headcount == 200
    assert factory.history.get().history_user == cast.admin_a


def test_it_lets_only_provider_admins_register_factories(cast) -> None:
    for user in (
        cast.facilitator_a,
        cast.owner,
        cast.buyer,
        cast.coordinator_a,
        cast.outsider,
        cast.superuser,  # a factory is always registered on behalf of a provider
    ):
        client = cast.client(user)
        assert client.get(url("create")).status_code == 403, user
        assert client.post(url("create"), VALID).status_code == 403, user
    assert not Factory.objects.filter(name="Gamma Textiles").exists()


def test_it_offers_the_register_button_only_to_provider_admins(cast) -> None:
    create = url("create")
    assert create in text(cast.client(cast.admin_a).get(url("list")))
    for user in (cast.facilitator_a, cast.buyer, cast.owner, cast.superuser):
        assert create not in text(cast.client(user).get(url("list"))), user


def test_it_ties_errors_to_their_fields_and_writes_nothing(cast) -> None:
    before = Factory.objects.count()
    data = {**VALID, "name": "", "sector": "spaceships"}
    response = cast.client(cast.admin_a).post(url("create"), data)
    body = text(response)
    assert response.status_code == 200
    assert Factory.objects.count() == before
    for field in ("name", "sector"):
        tag = re.search(rf'<(input|select)[^>]*name="{field}"[^>]*>', body)
        assert tag, field
        assert 'aria-invalid="true"' in tag.group(0)
        assert f"id_{field}_error" in tag.group(0)  # aria-describedby
        assert f'id="id_{field}_error"' in body
    city = re.search(r'<input[^>]*name="city"[^>]*>', body).group(0)
    assert "aria-invalid" not in city
    # What the user typed is kept.
    assert 'value="Lahore"' in body


@pytest.mark.parametrize(
    ("os_id", "ok"),
    [
        ("BD2019085AQ1Y2N", True),
        ("bd2019085aq1y2n", True),  # stored upper-case
        ("  PK2024001ABC123 ", True),
        ("BD20190", False),
        ("2019085AQ1Y2NBD", False),
        ("BD2019085AQ-Y2N", False),
    ],
)
def test_it_validates_the_open_supply_hub_id(cast, os_id: str, ok: bool) -> None:
    response = cast.client(cast.admin_a).post(url("create"), {**VALID, "os_id": os_id})
    created = Factory.objects.filter(name="Gamma Textiles").first()
    if ok:
        assert response.status_code == 302
        assert created.os_id == os_id.strip().upper()
    else:
        assert response.status_code == 200
        assert created is None
        assert "An Open Supply Hub ID looks like BD2019085AQ1Y2N." in text(response)


def test_it_refuses_an_os_id_another_factory_has(cast) -> None:
    cast.factory_b.os_id = "BD2019085AQ1Y2N"
    cast.factory_b.save()
    response = cast.client(cast.admin_a).post(url("create"), {**VALID, "os_id": "BD2019085AQ1Y2N"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in text(response)
    assert not Factory.objects.filter(name="Gamma Textiles").exists()


def test_it_stores_a_blank_os_id_as_unknown_for_many_factories(cast) -> None:
    client = cast.client(cast.admin_a)
    client.post(url("create"), VALID)
    client.post(url("create"), {**VALID, "name": "Delta"})
    assert Factory.objects.filter(os_id=None).count() == 4


@pytest.mark.parametrize(
    ("field", "value"),
    [("latitude", "91"), ("latitude", "-90.5"), ("longitude", "180.1"), ("workers_male", "-1")],
)
def test_it_refuses_values_out_of_range(cast, field: str, value: str) -> None:
    response = cast.client(cast.admin_a).post(
        url("create"), {**VALID, "latitude": "24.86", "longitude": "67.01", field: value}
    )
    assert response.status_code == 200
    assert re.search(rf'<input[^>]*name="{field}"[^>]*aria-invalid="true"', text(response))
    assert not Factory.objects.filter(name="Gamma Textiles").exists()


# --- edit ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin_a", "coordinator_a", "superuser"])
def test_it_lets_the_provider_admin_and_factory_coordinator_edit(cast, who: str) -> None:
    user = getattr(cast, who)
    client = cast.client(user)
    assert client.get(url("edit", cast.factory_a.pk)).status_code == 200
    response = client.post(url("edit", cast.factory_a.pk), form_data(cast.factory_a, city="Lahore"))
    assert response.status_code == 302
    cast.factory_a.refresh_from_db()
    assert cast.factory_a.city == "Lahore"
    assert cast.factory_a.history.first().history_user == user


@pytest.mark.parametrize(
    "who", ["worker_rep_a", "facilitator_a", "owner", "buyer", "admin_b", "outsider"]
)
def test_it_hides_the_edit_page_from_everyone_else(cast, who: str) -> None:
    client = cast.client(getattr(cast, who))
    assert client.get(url("edit", cast.factory_a.pk)).status_code == 404
    response = client.post(url("edit", cast.factory_a.pk), form_data(cast.factory_a, city="Lahore"))
    assert response.status_code == 404
    cast.factory_a.refresh_from_db()
    assert cast.factory_a.city == "Karachi"


def test_it_keeps_the_factory_unchanged_when_the_edit_is_invalid(cast) -> None:
    response = cast.client(cast.admin_a).post(
        url("edit", cast.factory_a.pk), form_data(cast.factory_a, name="", city="Lahore")
    )
    assert response.status_code == 200
    cast.factory_a.refresh_from_db()
    assert (cast.factory_a.name, cast.factory_a.city) == ("Alpha Garments", "Karachi")


# --- improvement team ----------------------------------------------------------------------

MEMBER = {"name": "Karim Cutting", "role": "supervisor", "department": "cutting", "sex": "male"}


def test_it_adds_a_team_member_and_returns_the_team_partial_to_htmx(cast) -> None:
    response = cast.client(cast.coordinator_a).post(
        url("team-add", cast.factory_a.pk), MEMBER, HTTP_HX_REQUEST="true"
    )
    body = text(response).strip()
    assert response.status_code == 200
    assert body.startswith('<section id="team"')
    assert "<html" not in body
    assert "Karim Cutting" in body
    member = TeamMember.objects.get(factory=cast.factory_a)
    assert url("team-remove", cast.factory_a.pk, member.pk) in body


def test_it_redirects_to_the_factory_after_adding_without_htmx(cast) -> None:
    response = cast.client(cast.admin_a).post(url("team-add", cast.factory_a.pk), MEMBER)
    assert response.status_code == 302
    assert response["Location"] == cast.factory_a.get_absolute_url()
    assert cast.factory_a.team.filter(name="Karim Cutting").exists()


def test_it_shows_team_form_errors_in_the_partial(cast) -> None:
    response = cast.client(cast.admin_a).post(
        url("team-add", cast.factory_a.pk), {**MEMBER, "name": ""}, HTTP_HX_REQUEST="true"
    )
    assert 'aria-invalid="true"' in text(response)
    assert not cast.factory_a.team.exists()


def test_it_removes_a_team_member_through_htmx(cast) -> None:
    member = TeamMember.objects.create(factory=cast.factory_a, **MEMBER)
    response = cast.client(cast.admin_a).post(
        url("team-remove", cast.factory_a.pk, member.pk), HTTP_HX_REQUEST="true"
    )
    body = text(response)
    assert response.status_code == 200
    assert "Karim Cutting" not in body
    assert "No team members yet." in body
    assert not TeamMember.objects.exists()


@pytest.mark.parametrize(
    "who", ["facilitator_a", "worker_rep_a", "buyer", "owner", "admin_b", "outsider"]
)
def test_it_refuses_team_changes_from_non_editors(cast, who: str) -> None:
    member = TeamMember.objects.create(factory=cast.factory_a, **MEMBER)
    client = cast.client(getattr(cast, who))
    add = client.post(url("team-add", cast.factory_a.pk), {**MEMBER, "name": "Intruder"})
    remove = client.post(url("team-remove", cast.factory_a.pk, member.pk))
    assert (add.status_code, remove.status_code) == (404, 404)
    assert list(cast.factory_a.team.values_list("name", flat=True)) == ["Karim Cutting"]


def test_it_does_not_remove_another_factorys_member_through_this_factory(cast) -> None:
    theirs = TeamMember.objects.create(factory=cast.factory_b, **MEMBER)
    response = cast.client(cast.admin_a).post(url("team-remove", cast.factory_a.pk, theirs.pk))
    assert response.status_code == 404
    assert TeamMember.objects.filter(pk=theirs.pk).exists()


def test_it_accepts_team_changes_only_by_post(cast) -> None:
    assert cast.client(cast.admin_a).get(url("team-add", cast.factory_a.pk)).status_code == 405


# --- invitations ---------------------------------------------------------------------------


PASSPHRASE = "a long new passphrase"


def test_it_invites_factory_staff_by_e_mail_and_the_link_works(
    cast, django_capture_on_commit_callbacks
) -> None:
    client = cast.client(cast.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invite", cast.factory_a.pk),
            {"email": "New.Manager@Example.org", "role": "manager"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.manager@example.org"]
    assert "Alpha Garments" in message.body
    link = re.search(r"https?://\S+/accounts/invitations/(\S+)/", message.body)
    assert link

    accept = cast.client(None).post(
        f"/accounts/invitations/{link.group(1)}/",
        {"name": "Mina Manager", "password1": PASSPHRASE, "password2": PASSPHRASE},
    )
    assert accept.status_code == 302
    membership = FactoryMembership.objects.get(user__email="new.manager@example.org")
    assert (membership.factory, membership.role) == (cast.factory_a, "manager")


def test_it_offers_only_factory_roles_in_the_factory_invitation(cast) -> None:
    response = cast.client(cast.coordinator_a).post(
        url("invite", cast.factory_a.pk), {"email": "x@example.org", "role": "admin"}
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in text(response)
    assert not Invitation.objects.exists()
    assert len(mail.outbox) == 0


@pytest.mark.parametrize("who", ["facilitator_a", "worker_rep_a", "buyer", "admin_b", "owner"])
def test_it_lets_only_editors_invite_factory_staff(cast, who: str) -> None:
    client = cast.client(getattr(cast, who))
    assert client.get(url("invite", cast.factory_a.pk)).status_code == 404
    response = client.post(
        url("invite", cast.factory_a.pk), {"email": "x@example.org", "role": "manager"}
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


# --- history -------------------------------------------------------------------------------


def test_it_shows_what_changed_from_what_to_what(cast) -> None:
    client = cast.client(cast.admin_a)
    client.post(url("edit", cast.factory_a.pk), form_data(cast.factory_a, city="Lahore"))
    body = text(client.get(reverse("factory-history", args=[cast.factory_a.pk])))
    assert "<del>Karachi</del> → <ins>Lahore</ins>" in body
    assert "Amina Admin" in body


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin_a", 200),
        ("coordinator_a", 200),
        ("superuser", 200),
        ("worker_rep_a", 404),
        ("facilitator_a", 404),
        ("buyer", 404),
        ("owner", 404),
        ("admin_b", 404),
        ("outsider", 404),
    ],
)
def test_it_shows_the_history_only_to_editors(cast, who: str, status: int) -> None:
    response = cast.client(getattr(cast, who)).get(
        reverse("factory-history", args=[cast.factory_a.pk])
    )
    assert response.status_code == status
