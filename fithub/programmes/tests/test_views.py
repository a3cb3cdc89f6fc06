"""Programme and engagement pages: who may see and change what, and what the forms offer."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.accounts.models import Membership, Organisation
from fithub.factories.models import Factory
from fithub.programmes.models import Engagement, Programme
from fithub.tests.cast import text


def url(name: str, *args: object) -> str:
    return reverse(f"programmes:{name}", args=args)


def options(body: str, field: str) -> set[str]:
    """Return the visible labels of a <select>'s options, leaving out the blank one."""
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', body, re.S)
    assert select, field
    return {
        label.strip()
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1])
        if value
    }


def engagement_data(cast, **changes: object) -> dict[str, object]:
    data = {
        "programme": cast.programme.pk,
        "factory": cast.factory_a.pk,
        "delivery_model": "classroom",
        "status": "active",
        "cycle": 2,
        "coordinator": "",
        "starts_on": "2026-03-01",
        "ends_on": "2026-09-30",
    }
    data.update(changes)
    return data


PROGRAMME = {
    "name": "FIT scale-up Bangladesh",
    "country": "BD",
    "starts_on": "2027-01-01",
    "ends_on": "2027-12-31",
    "target_enterprises": "40",
    "target_modules_per_enterprise": "5",
}


# --- programmes ----------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_the_login_page(cast) -> None:
    for page in (
        url("list"),
        url("detail", cast.programme.pk),
        url("create"),
        url("engagements"),
        url("engagement", cast.engagement_a.pk),
        url("engagement-create"),
        url("engagement-edit", cast.engagement_a.pk),
    ):
        response = cast.client(None).get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("login") + "?next="), page


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("owner", True),
        ("admin_a", True),
        ("facilitator_a", True),
        ("admin_b", True),
        ("coordinator_a", True),  # through the factory's engagement
        ("worker_rep_a", True),
        ("superuser", True),
        ("buyer", False),
        ("outsider", False),
    ],
)
def test_it_lists_the_programmes_each_user_takes_part_in(cast, who: str, sees: bool) -> None:
    client = cast.client(getattr(cast, who))
    body = text(client.get(url("list")))
    assert ("FIT pilot Testland" in body) == sees
    detail = client.get(url("detail", cast.programme.pk))
    assert detail.status_code == (200 if sees else 404)


def test_it_hides_programmes_a_provider_does_not_take_part_in(cast) -> None:
    other = Programme.objects.create(
        owner=cast.owner_org,
        name="B only",
        country="BD",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    other.providers.set([cast.provider_b])
    assert "B only" not in text(cast.client(cast.admin_a).get(url("list")))
    assert "B only" in text(cast.client(cast.admin_b).get(url("list")))
    assert cast.client(cast.admin_a).get(url("detail", other.pk)).status_code == 404


def test_it_shows_a_provider_only_its_own_engagements_in_a_programme(cast) -> None:
    body = text(cast.client(cast.admin_a).get(url("detail", cast.programme.pk)))
    assert "Alpha Garments" in body
    assert "Beta Knit" not in body
    owner_view = text(cast.client(cast.owner).get(url("detail", cast.programme.pk)))
    assert "Alpha Garments" in owner_view
    assert "Beta Knit" in owner_view


def test_it_shows_the_new_programme_button_only_to_owner_admins(cast) -> None:
    create = url("create")
    assert create in text(cast.client(cast.owner).get(url("list")))
    for user in (cast.admin_a, cast.facilitator_a, cast.coordinator_a):
        assert create not in text(cast.client(user).get(url("list"))), user


def test_it_lets_a_programme_owner_admin_create_a_programme(cast) -> None:
    data = {**PROGRAMME, "providers": [cast.provider_a.pk]}
    response = cast.client(cast.owner).post(url("create"), data)
    programme = Programme.objects.get(name="FIT scale-up Bangladesh")
    assert response.status_code == 302
    assert response["Location"] == url("detail", programme.pk)
    assert programme.owner == cast.owner_org
    assert list(programme.providers.all()) == [cast.provider_a]


def test_an_admin_of_several_owners_says_whose_programme_it_is(cast) -> None:
    second = Organisation.objects.create(name="Donor Project", kind="programme_owner")
    Membership.objects.create(user=cast.owner, organisation=second, role="admin")
    client = cast.client(cast.owner)
    assert 'name="owner"' in text(client.get(url("create")))
    response = client.post(url("create"), {**PROGRAMME, "owner": second.pk})
    assert response.status_code == 302
    assert Programme.objects.get(name=PROGRAMME["name"]).owner == second
    # An owner they do not administer is refused, and nothing is written.
    response = client.post(
        url("create"), {**PROGRAMME, "name": "Not theirs", "owner": cast.provider_a.pk}
    )
    assert response.status_code == 200 and not Programme.objects.filter(name="Not theirs").exists()


@pytest.mark.parametrize(
    "who", ["admin_a", "facilitator_a", "admin_b", "buyer", "coordinator_a", "outsider"]
)
def test_it_lets_only_programme_owner_admins_create_programmes(cast, who: str) -> None:
    client = cast.client(getattr(cast, who))
    assert client.get(url("create")).status_code == 403
    assert client.post(url("create"), PROGRAMME).status_code == 403
    assert not Programme.objects.filter(name=PROGRAMME["name"]).exists()


def test_it_offers_only_service_providers_to_take_part(cast) -> None:
    body = text(cast.client(cast.owner).get(url("create")))
    assert "Provider A" in body and "Provider B" in body
    assert "Brand C" not in body
    assert "ILO Test Office" not in body


def test_it_refuses_a_programme_that_ends_before_it_starts(cast) -> None:
    response = cast.client(cast.owner).post(url("create"), {**PROGRAMME, "ends_on": "2026-01-01"})
    assert response.status_code == 200
    assert "The programme cannot end before it starts." in text(response)
    assert re.search(r'<input[^>]*name="ends_on"[^>]*aria-invalid="true"', text(response))
    assert not Programme.objects.filter(name=PROGRAMME["name"]).exists()


# --- engagements: list and detail ----------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "alpha", "beta"),
    [
        ("admin_a", True, False),
        ("facilitator_a", True, False),
        ("admin_b", False, True),
        ("coordinator_a", True, False),
        ("worker_rep_a", True, False),
        ("owner", True, True),
        ("superuser", True, True),
        ("buyer", False, False),
        ("outsider", False, False),
    ],
)
def test_it_lists_and_shows_only_the_engagements_each_user_may_see(
    cast, who: str, alpha: bool, beta: bool
) -> None:
    client = cast.client(getattr(cast, who))
    body = text(client.get(url("engagements")))
    assert ("Alpha Garments" in body) == alpha
    assert ("Beta Knit" in body) == beta
    for engagement, sees in ((cast.engagement_a, alpha), (cast.engagement_b, beta)):
        response = client.get(url("engagement", engagement.pk))
        assert response.status_code == (200 if sees else 404)


def test_it_tells_a_buyer_there_are_no_engagements(cast) -> None:
    body = text(cast.client(cast.buyer).get(url("engagements")))
    assert "No engagements yet." in body


@pytest.mark.parametrize(
    ("who", "may"),
    [("admin_a", True), ("facilitator_a", False), ("coordinator_a", False), ("owner", False)],
)
def test_it_offers_the_edit_link_only_to_provider_admins(cast, who: str, may: bool) -> None:
    body = text(cast.client(getattr(cast, who)).get(url("engagement", cast.engagement_a.pk)))
    assert (url("engagement-edit", cast.engagement_a.pk) in body) == may


def test_it_lists_engagements_in_a_constant_number_of_queries(cast) -> None:
    client = cast.client(cast.admin_a)

    def add(cycles: range) -> None:
        for cycle in cycles:
            Engagement.objects.create(
                programme=cast.programme,
                factory=cast.factory_a,
                provider=cast.provider_a,
                delivery_model="classroom",
                cycle=cycle,
            )

    add(range(2, 4))
    client.get(url("engagements"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("engagements"))
    add(range(4, 31))
    with CaptureQueriesContext(connection) as many:
        client.get(url("engagements"))
    assert len(few) == len(many)


# --- engagements: create and edit ----------------------------------------------------------


def test_it_lets_a_provider_admin_start_an_engagement(cast) -> None:
    response = cast.client(cast.admin_a).post(
        url("engagement-create"), engagement_data(cast, coordinator=cast.coordinator_a.pk)
    )
    engagement = Engagement.objects.get(cycle=2)
    assert response.status_code == 302
    assert response["Location"] == engagement.get_absolute_url()
    assert engagement.provider == cast.provider_a
    assert engagement.factory == cast.factory_a
    assert engagement.coordinator == cast.coordinator_a
    assert engagement.history.get().history_user == cast.admin_a


def test_it_prefills_the_factory_from_the_query_string(cast) -> None:
    body = text(
        cast.client(cast.admin_a).get(url("engagement-create"), {"factory": cast.factory_a.pk})
    )
    assert re.search(rf'<option value="{cast.factory_a.pk}" selected>', body)


@pytest.mark.parametrize(
    "who",
    [
        "facilitator_a",
        "owner",
        "buyer",
        "coordinator_a",
        "worker_rep_a",
        "outsider",
        # Superusers start engagements only for providers they administer, as they register
        # factories: an engagement always belongs to a provider.
        "superuser",
    ],
)
def test_it_lets_only_provider_admins_start_engagements(cast, who: str) -> None:
    client = cast.client(getattr(cast, who))
    assert client.get(url("engagement-create")).status_code == 403
    assert client.post(url("engagement-create"), engagement_data(cast)).status_code == 403
    assert Engagement.objects.count() == 2


def test_it_offers_only_the_users_own_factories_programmes_and_coordinators(cast) -> None:
    other = Programme.objects.create(
        owner=cast.owner_org,
        name="B only",
        country="BD",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    other.providers.set([cast.provider_b])
    body = text(cast.client(cast.admin_a).get(url("engagement-create")))
    assert options(body, "factory") == {"Alpha Garments"}
    assert options(body, "programme") == {"FIT pilot Testland"}
    assert options(body, "coordinator") == {"Rina Coordinator", "Mona Manager", "Sadia Worker"}
    assert "Beta Knit" not in body
    assert "B only" not in body


def test_it_refuses_an_engagement_with_another_tenants_factory(cast) -> None:
    response = cast.client(cast.admin_a).post(
        url("engagement-create"), engagement_data(cast, factory=cast.factory_b.pk)
    )
    assert response.status_code == 200
    assert re.search(r'<select[^>]*name="factory"[^>]*aria-invalid="true"', text(response))
    assert "Beta Knit" not in text(response)
    assert Engagement.objects.count() == 2


def test_it_refuses_an_engagement_in_a_programme_the_provider_is_not_in(cast) -> None:
    other = Programme.objects.create(
        owner=cast.owner_org,
        name="B only",
        country="BD",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    other.providers.set([cast.provider_b])
    response = cast.client(cast.admin_a).post(
        url("engagement-create"), engagement_data(cast, programme=other.pk)
    )
    assert response.status_code == 200
    assert re.search(r'<select[^>]*name="programme"[^>]*aria-invalid="true"', text(response))
    assert Engagement.objects.count() == 2


def test_it_refuses_a_second_engagement_for_the_same_cycle(cast) -> None:
    response = cast.client(cast.admin_a).post(
        url("engagement-create"), engagement_data(cast, cycle=1)
    )
    assert response.status_code == 200
    assert 'class="error-summary" role="alert"' in text(response)
    assert Engagement.objects.count() == 2


def test_it_refuses_an_engagement_that_ends_before_it_starts(cast) -> None:
    response = cast.client(cast.admin_a).post(
        url("engagement-create"), engagement_data(cast, ends_on="2026-01-01")
    )
    assert response.status_code == 200
    assert "An engagement cannot end before it starts." in text(response)
    assert Engagement.objects.count() == 2


def test_it_lets_the_provider_admin_edit_its_engagement(cast) -> None:
    response = cast.client(cast.admin_a).post(
        url("engagement-edit", cast.engagement_a.pk),
        engagement_data(cast, cycle=1, status="active"),
    )
    assert response.status_code == 302
    cast.engagement_a.refresh_from_db()
    assert (cast.engagement_a.status, cast.engagement_a.delivery_model) == ("active", "classroom")
    assert cast.engagement_a.provider == cast.provider_a


@pytest.mark.parametrize(
    "who", ["admin_b", "facilitator_a", "owner", "buyer", "coordinator_a", "outsider"]
)
def test_it_hides_the_engagement_edit_page_from_everyone_else(cast, who: str) -> None:
    client = cast.client(getattr(cast, who))
    page = url("engagement-edit", cast.engagement_a.pk)
    assert client.get(page).status_code == 404
    assert client.post(page, engagement_data(cast, cycle=1, status="withdrawn")).status_code == 404
    cast.engagement_a.refresh_from_db()
    assert cast.engagement_a.status == "prospect"


def test_it_does_not_let_an_edit_move_an_engagement_to_another_tenants_factory(cast) -> None:
    response = cast.client(cast.admin_a).post(
        url("engagement-edit", cast.engagement_a.pk),
        engagement_data(cast, cycle=1, factory=cast.factory_b.pk),
    )
    assert response.status_code == 200
    cast.engagement_a.refresh_from_db()
    assert cast.engagement_a.factory == cast.factory_a


def test_it_does_not_offer_factories_outside_the_providers_reach(cast) -> None:
    # A factory registered by provider B but never engaged with A stays out of A's form.
    Factory.objects.create(
        name="Gamma Outside", country="PK", sector="textile", registered_by=cast.provider_b
    )
    Organisation.objects.create(name="Provider Z", kind=Organisation.Kind.SERVICE_PROVIDER)
    body = text(cast.client(cast.admin_a).get(url("engagement-edit", cast.engagement_a.pk)))
    assert "Gamma Outside" not in body
    assert options(body, "factory") == {"Alpha Garments"}


# --- engagements: administrators of several providers ---------------------------------------


def admin_of_both(cast) -> None:
    Membership.objects.create(
        user=cast.admin_a, organisation=cast.provider_b, role=Membership.Role.ADMIN
    )


def selected(body: str, field: str) -> str:
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', body, re.S)
    assert select, field
    found = re.search(r'<option value="[^"]*" selected>([^<]*)</option>', select[1])
    assert found, field
    return found[1].strip()


def test_it_shows_no_provider_choice_to_the_admin_of_one_provider(cast) -> None:
    body = text(cast.client(cast.admin_a).get(url("engagement-create")))
    assert 'name="provider"' not in body


def test_it_lets_the_admin_of_two_providers_choose_which_one_engages(cast) -> None:
    admin_of_both(cast)
    client = cast.client(cast.admin_a)
    body = text(client.get(url("engagement-create")))
    assert options(body, "provider") == {"Provider A", "Provider B"}
    assert '<label for="id_provider">Service provider' in body
    assert body.index('name="provider"') < body.index('name="programme"')  # the first choice
    assert selected(body, "provider") == "Provider A"  # the first by name
    assert options(body, "factory") == {"Alpha Garments", "Beta Knit"}
    data = engagement_data(cast, provider=cast.provider_b.pk, factory=cast.factory_b.pk)
    response = client.post(url("engagement-create"), data)
    assert response.status_code == 302
    engagement = Engagement.objects.get(cycle=2)
    assert (engagement.provider, engagement.factory) == (cast.provider_b, cast.factory_b)
    assert engagement.history.get().history_user == cast.admin_a


def test_it_preselects_the_provider_that_registered_the_factory(cast) -> None:
    admin_of_both(cast)
    client = cast.client(cast.admin_a)
    body = text(client.get(url("engagement-create"), {"factory": cast.factory_b.pk}))
    assert selected(body, "provider") == "Provider B"
    body = text(client.get(url("engagement-create"), {"factory": "nonsense"}))
    assert selected(body, "provider") == "Provider A"


@pytest.mark.parametrize("forged", ["facilitated", "buyer_org", "missing"])
def test_it_refuses_a_provider_the_user_does_not_administer(cast, forged: str) -> None:
    admin_of_both(cast)
    other = Organisation.objects.create(name="Provider Z", kind=Organisation.Kind.SERVICE_PROVIDER)
    Membership.objects.create(
        user=cast.admin_a, organisation=other, role=Membership.Role.FACILITATOR
    )
    cast.programme.providers.add(other)
    provider = {"facilitated": other.pk, "buyer_org": cast.buyer_org.pk, "missing": 99999}[forged]
    response = cast.client(cast.admin_a).post(
        url("engagement-create"), engagement_data(cast, provider=provider)
    )
    assert response.status_code == 200
    assert re.search(r'<select[^>]*name="provider"[^>]*aria-invalid="true"', text(response))
    assert "Provider Z" not in text(response)
    assert Engagement.objects.count() == 2


def test_it_refuses_a_programme_the_chosen_provider_is_not_in(cast) -> None:
    admin_of_both(cast)
    cast.programme.providers.set([cast.provider_a])
    response = cast.client(cast.admin_a).post(
        url("engagement-create"), engagement_data(cast, provider=cast.provider_b.pk)
    )
    assert response.status_code == 200
    assert "Your organisation does not take part in this programme." in text(response)
    assert Engagement.objects.count() == 2


def test_the_admin_of_one_provider_cannot_engage_for_another(cast) -> None:
    # The field is not on the form, so a provider smuggled into the post is ignored.
    response = cast.client(cast.admin_a).post(
        url("engagement-create"), engagement_data(cast, provider=cast.provider_b.pk)
    )
    assert response.status_code == 302
    assert Engagement.objects.get(cycle=2).provider == cast.provider_a
