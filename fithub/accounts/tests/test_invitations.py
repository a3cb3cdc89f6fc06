"""Inviting people to an organisation, and accepting an invitation."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fithub.accounts.models import Invitation, Membership, User

PASSWORD = "a long new passphrase"


def org_page(org) -> str:
    return reverse("accounts:organisation", args=[org.pk])


def accept_url(invitation: Invitation) -> str:
    return reverse("accounts:accept", args=[invitation.token])


def invite(cast, email: str = "new.person@example.org", role: str = "facilitator") -> Invitation:
    return Invitation.objects.create(
        email=email, role=role, organisation=cast.provider_a, invited_by=cast.admin_a
    )


def new_account(name: str = "Nora New") -> dict[str, str]:
    return {"name": name, "password1": PASSWORD, "password2": PASSWORD}


# --- sending -------------------------------------------------------------------------------


def test_it_lets_an_organisation_admin_invite_by_e_mail(
    cast, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client(cast.admin_a).post(
            org_page(cast.provider_a), {"email": "New.Person@Example.org", "role": "facilitator"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("new.person@example.org", "facilitator")
    assert (invitation.organisation, invitation.invited_by) == (cast.provider_a, cast.admin_a)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert "Provider A" in mail.outbox[0].body
    assert accept_url(invitation) in mail.outbox[0].body
    page = cast.client(cast.admin_a).get(org_page(cast.provider_a)).content.decode()
    assert "new.person@example.org" in page  # listed as not yet accepted


def test_it_sends_no_e_mail_when_the_invitation_is_not_saved(
    cast, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client(cast.admin_a).post(
            org_page(cast.provider_a), {"email": "not an address", "role": "facilitator"}
        )
    assert response.status_code == 200
    assert re.search(r'<input[^>]*name="email"[^>]*aria-invalid="true"', response.content.decode())
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_it_refuses_a_role_that_organisations_do_not_have(cast) -> None:
    response = cast.client(cast.admin_a).post(
        org_page(cast.provider_a), {"email": "x@example.org", "role": "coordinator"}
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("who", "org"),
    [
        ("facilitator_a", "provider_a"),  # a member, but not an administrator
        ("admin_b", "provider_a"),
        ("outsider", "provider_a"),
        ("buyer", "provider_a"),
        ("coordinator_a", "provider_a"),
        ("buyer", "buyer_org"),  # the buyer is a viewer in its own organisation
    ],
)
def test_it_lets_only_the_organisations_admins_invite(cast, who: str, org: str) -> None:
    response = cast.client(getattr(cast, who)).post(
        org_page(getattr(cast, org)), {"email": "x@example.org", "role": "admin"}
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_it_shows_the_invitation_form_only_to_admins(cast) -> None:
    admin = cast.client(cast.admin_a).get(org_page(cast.provider_a)).content.decode()
    member = cast.client(cast.facilitator_a).get(org_page(cast.provider_a)).content.decode()
    assert "Invite someone" in admin
    assert "Invite someone" not in member
    assert 'name="email"' not in member


# --- accepting -----------------------------------------------------------------------------


def test_it_shows_who_invited_whom_to_what(cast) -> None:
    response = Client().get(accept_url(invite(cast)))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Amina Admin invited you to join Provider A." in body
    assert 'name="password1"' in body


def test_it_creates_the_account_and_membership_and_logs_in(cast) -> None:
    invitation = invite(cast, email="nora@example.org")
    client = Client()
    response = client.post(accept_url(invitation), new_account())
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="nora@example.org")
    assert user.name == "Nora New"
    assert user.check_password(PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (cast.provider_a, "facilitator")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(reverse("factories:list")).status_code == 200
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_it_refuses_passwords_that_differ_and_creates_nothing(cast) -> None:
    invitation = invite(cast)
    response = Client().post(
        accept_url(invitation), {**new_account(), "password2": "something else entirely"}
    )
    assert response.status_code == 200
    assert "The two passwords are not the same." in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_it_refuses_a_weak_password(cast) -> None:
    invitation = invite(cast)
    response = Client().post(
        accept_url(invitation), {"name": "Nora", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    assert re.search(
        r'<input[^>]*name="password1"[^>]*aria-invalid="true"', response.content.decode()
    )
    assert not User.objects.filter(email=invitation.email).exists()


def test_it_gives_an_existing_user_the_membership(cast) -> None:
    invitation = invite(cast, email="Admin.B@example.org", role="viewer")
    page = Client().get(accept_url(invitation)).content.decode()
    assert 'name="password1"' not in page  # no new account, so no password to choose
    response = Client().post(accept_url(invitation))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert Membership.objects.get(user=cast.admin_b, organisation=cast.provider_a).role == "viewer"
    # The existing account keeps its password and its other membership.
    cast.admin_b.refresh_from_db()
    assert cast.admin_b.check_password("correct horse battery staple")
    assert Membership.objects.filter(user=cast.admin_b, organisation=cast.provider_b).exists()


def test_it_says_an_accepted_invitation_is_no_longer_valid(cast) -> None:
    invitation = invite(cast)
    Client().post(accept_url(invitation), new_account())
    for method in ("get", "post"):
        response = getattr(Client(), method)(accept_url(invitation), new_account("Mallory"))
        assert response.status_code == 410
        assert "Invitation no longer valid" in response.content.decode()
    assert User.objects.get(email=invitation.email).name == "Nora New"


def test_it_says_an_invitation_older_than_fourteen_days_is_no_longer_valid(cast) -> None:
    invitation = invite(cast)
    invitation.created_at = timezone.now() - timedelta(days=14, minutes=1)
    invitation.save()
    response = Client().post(accept_url(invitation), new_account())
    assert response.status_code == 410
    assert "Invitation no longer valid" in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()


def test_it_still_accepts_an_invitation_thirteen_days_old(cast) -> None:
    invitation = invite(cast)
    invitation.created_at = timezone.now() - timedelta(days=13)
    invitation.save()
    assert Client().post(accept_url(invitation), new_account()).status_code == 302


def test_it_answers_404_to_an_unknown_token(db: None) -> None:
    assert Client().get(reverse("accounts:accept", args=["not-a-token"])).status_code == 404
