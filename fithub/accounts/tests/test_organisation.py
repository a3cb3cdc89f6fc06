"""The organisation pages: who sees the members, and who may remove them."""

import pytest
from django.urls import reverse

from fithub.accounts.models import Membership


def org_page(org) -> str:
    return reverse("accounts:organisation", args=[org.pk])


def remove_url(membership: Membership) -> str:
    return reverse("accounts:membership-remove", args=[membership.pk])


def membership(user, org) -> Membership:
    return Membership.objects.get(user=user, organisation=org)


def test_it_sends_anonymous_visitors_to_the_login_page(cast) -> None:
    for page in (reverse("accounts:organisations"), org_page(cast.provider_a)):
        response = cast.client(None).get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_it_lists_only_the_users_own_organisations(cast) -> None:
    body = cast.client(cast.admin_a).get(reverse("accounts:organisations")).content.decode()
    assert "Provider A" in body
    assert "Provider B" not in body
    assert "Brand C" not in body
    outsider = cast.client(cast.outsider).get(reverse("accounts:organisations")).content.decode()
    assert "Provider" not in outsider


@pytest.mark.parametrize("who", ["admin_a", "facilitator_a", "superuser"])
def test_it_lists_the_members_to_members(cast, who: str) -> None:
    response = cast.client(getattr(cast, who)).get(org_page(cast.provider_a))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Amina Admin" in body
    assert "facilitator.a@example.org" in body
    assert "Bilal Admin" not in body


@pytest.mark.parametrize("who", ["admin_b", "owner", "buyer", "coordinator_a", "outsider"])
def test_it_hides_the_members_from_everyone_else(cast, who: str) -> None:
    assert cast.client(getattr(cast, who)).get(org_page(cast.provider_a)).status_code == 404


def test_it_offers_remove_buttons_only_to_admins(cast) -> None:
    target = remove_url(membership(cast.facilitator_a, cast.provider_a))
    assert target in cast.client(cast.admin_a).get(org_page(cast.provider_a)).content.decode()
    facilitator = cast.client(cast.facilitator_a).get(org_page(cast.provider_a))
    assert target not in facilitator.content.decode()


def test_it_lets_an_admin_remove_a_member(cast) -> None:
    client = cast.client(cast.admin_a)
    response = client.post(remove_url(membership(cast.facilitator_a, cast.provider_a)))
    assert response.status_code == 302
    assert response["Location"] == org_page(cast.provider_a)
    assert not Membership.objects.filter(user=cast.facilitator_a).exists()
    # Removed from the organisation, the facilitator no longer sees its factories.
    assert (
        cast.client(cast.facilitator_a)
        .get(reverse("factories:detail", args=[cast.factory_a.pk]))
        .status_code
        == 404
    )


def test_it_refuses_to_remove_the_last_admin(cast) -> None:
    client = cast.client(cast.admin_a)
    response = client.post(remove_url(membership(cast.admin_a, cast.provider_a)), follow=True)
    assert "An organisation needs at least one administrator." in response.content.decode()
    assert membership(cast.admin_a, cast.provider_a).role == "admin"


def test_it_lets_an_admin_leave_when_another_admin_remains(cast) -> None:
    Membership.objects.filter(user=cast.facilitator_a).update(role="admin")
    client = cast.client(cast.admin_a)
    client.post(remove_url(membership(cast.admin_a, cast.provider_a)))
    assert not Membership.objects.filter(user=cast.admin_a).exists()


@pytest.mark.parametrize("who", ["facilitator_a", "admin_b", "outsider", "buyer"])
def test_it_lets_only_the_organisations_admins_remove_members(cast, who: str) -> None:
    target = membership(cast.facilitator_a, cast.provider_a)
    client = cast.client(getattr(cast, who))
    assert client.post(remove_url(target)).status_code == 404
    assert Membership.objects.filter(pk=target.pk).exists()


def test_it_removes_members_only_by_post(cast) -> None:
    target = membership(cast.facilitator_a, cast.provider_a)
    assert cast.client(cast.admin_a).get(remove_url(target)).status_code == 405
    assert Membership.objects.filter(pk=target.pk).exists()


def test_it_answers_404_for_a_membership_that_does_not_exist(cast) -> None:
    assert (
        cast.client(cast.admin_a)
        .post(reverse("accounts:membership-remove", args=[999999]))
        .status_code
        == 404
    )
