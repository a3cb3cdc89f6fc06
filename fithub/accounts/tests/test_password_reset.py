"""Resetting a forgotten password through an e-mailed link."""

import re

import pytest
from axes.utils import reset
from django.core import mail
from django.db import connection
from django.tasks import task_backends
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.accounts.tasks import password_reset_task

NEW_PASSWORD = "a brand new passphrase 42"


@pytest.fixture(autouse=True)
def _no_lockouts(db: None):
    reset()
    yield
    reset()


def ask_for_reset(email: str) -> str:
    """Ask for a reset link and return the page the form redirected to."""
    response = Client().post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302
    return response["Location"]


def reset_link() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"https?://testserver(/accounts/reset/\S+/\S+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def test_it_shows_the_reset_form_to_anyone(db: None) -> None:
    response = Client().get(reverse("password_reset"))
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_it_e_mails_a_link_that_sets_a_new_password(cast) -> None:
    assert ask_for_reset("admin.a@example.org") == reverse("password_reset_done")
    assert mail.outbox[0].to == ["admin.a@example.org"]
    assert mail.outbox[0].subject == "Reset your FIT Hub password"

    client = Client()
    # The link trades its token for a session and redirects to a token-free address, so the
    # token does not leak through the Referer header.
    landing = client.get(reset_link())
    assert landing.status_code == 302
    form = client.get(landing["Location"])
    assert 'name="new_password1"' in form.content.decode()
    saved = client.post(
        landing["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert saved.status_code == 302
    assert saved["Location"] == reverse("password_reset_complete")

    cast.admin_a.refresh_from_db()
    assert cast.admin_a.check_password(NEW_PASSWORD)
    login = Client().post(
        reverse("login"), {"username": "admin.a@example.org", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


def test_it_finds_the_account_whatever_the_case_of_the_e_mail(cast) -> None:
    ask_for_reset("Admin.A@Example.ORG")
    assert len(mail.outbox) == 1


def test_it_does_not_reveal_whether_an_account_exists(cast) -> None:
    assert ask_for_reset("nobody@example.org") == reverse("password_reset_done")
    assert mail.outbox == []


def test_it_sends_no_link_to_an_inactive_account(cast) -> None:
    cast.admin_a.is_active = False
    cast.admin_a.save()
    ask_for_reset("admin.a@example.org")
    assert mail.outbox == []


def test_it_refuses_a_weak_new_password_and_keeps_the_old_one(cast) -> None:
    ask_for_reset("admin.a@example.org")
    client = Client()
    landing = client.get(reset_link())
    response = client.post(landing["Location"], {"new_password1": "1234", "new_password2": "1234"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    cast.admin_a.refresh_from_db()
    assert cast.admin_a.check_password("correct horse battery staple")


def test_it_lets_a_link_be_used_only_once(cast) -> None:
    ask_for_reset("admin.a@example.org")
    link = reset_link()
    client = Client()
    landing = client.get(link)
    client.post(landing["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = Client().get(link, follow=True)
    assert "This link has expired or has already been used." in again.content.decode()
    assert 'name="new_password1"' not in again.content.decode()


def test_it_refuses_a_forged_link(cast) -> None:
    ask_for_reset("admin.a@example.org")
    forged = re.sub(r"/[^/]+/$", "/abc-0123456789abcdef/", reset_link())
    response = Client().get(forged, follow=True)
    assert "This link has expired or has already been used." in response.content.decode()


def test_it_writes_the_e_mail_in_the_account_s_language(cast) -> None:
    """The link may be asked for from an English screen; the e-mail follows the account."""
    from django.utils import translation

    cast.coordinator_a.language = "ur"
    cast.coordinator_a.save()
    ask_for_reset("coordinator.a@example.org")
    with translation.override("ur"):
        subject = translation.gettext("Reset your FIT Hub password")
    assert subject != "Reset your FIT Hub password"
    assert mail.outbox[0].subject == subject
    assert reset_link()


def test_the_request_only_queues_the_e_mail_the_same_for_every_address(cast, settings) -> None:
    """Sending takes time; done in the request, it told which addresses have an account."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    queued = task_backends["default"].results
    work = []
    for email in ("admin.a@example.org", "nobody@example.org"):
        with CaptureQueriesContext(connection) as queries:
            assert ask_for_reset(email) == reverse("password_reset_done")
        work.append([q["sql"] for q in queries.captured_queries])
    assert work[0] == work[1]  # the same queries, whoever has the address
    assert mail.outbox == []  # nothing sent while the visitor waits
    assert [(r.task.name, r.kwargs["email"]) for r in queued] == [
        (password_reset_task.name, "admin.a@example.org"),
        (password_reset_task.name, "nobody@example.org"),
    ]
    # The worker then sends the one e-mail there is to send.
    for result in queued:
        password_reset_task.call(**result.kwargs)
    assert [m.to for m in mail.outbox] == [["admin.a@example.org"]]
    assert reset_link()
