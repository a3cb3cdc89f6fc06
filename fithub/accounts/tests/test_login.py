"""Logging in and out by e-mail, login throttling, and the interface language."""

import re

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from rest_framework.test import APIClient

from fithub.accounts.forms import LoginForm

PASSWORD = "correct horse battery staple"
LOGIN = reverse("login")


@pytest.fixture(autouse=True)
def _no_lockouts(db: None):
    """Start and end every test with no failed attempts on record."""
    reset()
    yield
    reset()


def log_in(client: Client, email: str, password: str = PASSWORD, **extra: object):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def logged_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def errors(response) -> str:
    match = re.search(
        r'<div class="error-summary" role="alert"[^>]*>(.*?)</div>', response.content.decode(), re.S
    )
    return match.group(1) if match else ""


# --- logging in ----------------------------------------------------------------------------


def test_it_logs_in_with_the_e_mail_address(cast) -> None:
    client = Client()
    response = log_in(client, "admin.a@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_as(client) == cast.admin_a.pk
    assert client.get(reverse("factories:list")).status_code == 200


def test_it_ignores_the_case_of_the_e_mail_address(cast) -> None:
    client = Client()
    response = log_in(client, "  Admin.A@EXAMPLE.org ")
    assert response.status_code == 302
    assert logged_in_as(client) == cast.admin_a.pk


def test_it_refuses_a_wrong_password_with_a_message(cast) -> None:
    client = Client()
    response = log_in(client, "admin.a@example.org", "wrong")
    assert response.status_code == 200
    assert "Enter a correct e-mail address and password." in errors(response)
    assert logged_in_as(client) is None


def test_it_refuses_an_unknown_e_mail_with_the_same_message(cast) -> None:
    known = errors(log_in(Client(), "admin.a@example.org", "wrong"))
    unknown = errors(log_in(Client(), "nobody@example.org", "wrong"))
    assert known == unknown != ""


def test_it_refuses_an_inactive_account(cast) -> None:
    cast.admin_a.is_active = False
    cast.admin_a.save()
    client = Client()
    assert log_in(client, "admin.a@example.org").status_code == 200
    assert logged_in_as(client) is None


@pytest.mark.parametrize("language", ["bn", "ur"])
def test_it_shows_login_errors_in_the_active_language(cast, language: str) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    wrong = log_in(client, "admin.a@example.org", "wrong")
    blank = client.post(LOGIN, {"username": "", "password": ""})
    with translation.override(language):
        invalid = str(LoginForm.error_messages["invalid_login"])
        required = translation.gettext("This field is required.")
    assert f'<html lang="{language}"' in wrong.content.decode()
    assert invalid != "Enter a correct e-mail address and password. The password is case-sensitive."
    assert escape(invalid) in errors(wrong)
    # Django ships this one in Bengali and Urdu: proof that the page really is translated.
    assert required != "This field is required."
    assert escape(required) in blank.content.decode()


def test_it_follows_a_next_link_on_the_same_site_only(cast) -> None:
    inside = log_in(Client(), "admin.a@example.org", next="/factories/")
    assert inside["Location"] == "/factories/"
    outside = log_in(Client(), "admin.a@example.org", next="https://evil.example/")
    assert outside["Location"] == reverse("home")


def test_it_sends_a_logged_in_user_on_from_the_login_page(cast) -> None:
    response = cast.client(cast.admin_a).get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


# --- throttling ----------------------------------------------------------------------------


def test_it_locks_an_e_mail_out_after_five_failures_even_with_the_right_password(cast) -> None:
    client = Client()
    for _ in range(4):
        assert log_in(client, "admin.a@example.org", "wrong").status_code == 200
    fifth = log_in(client, "admin.a@example.org", "wrong")
    assert fifth.status_code == 429
    sixth = log_in(client, "admin.a@example.org")
    assert sixth.status_code == 429
    assert "Too many failed log-in attempts" in sixth.content.decode()
    assert logged_in_as(client) is None


def test_it_counts_failures_whatever_the_case_of_the_e_mail(cast) -> None:
    client = Client()
    for email in (
        "admin.a@example.org",
        "Admin.A@example.org",
        "ADMIN.A@EXAMPLE.ORG",
        "admin.A@example.org",
        "Admin.a@Example.org",
    ):
        log_in(client, email, "wrong")
    assert log_in(client, "admin.a@example.org").status_code == 429
    assert logged_in_as(client) is None


def test_it_locks_out_only_the_e_mail_that_failed(cast) -> None:
    for _ in range(5):
        log_in(Client(), "admin.a@example.org", "wrong")
    client = Client()
    assert log_in(client, "admin.b@example.org").status_code == 302
    assert logged_in_as(client) == cast.admin_b.pk


def test_it_forgets_failures_after_a_successful_login(cast) -> None:
    client = Client()
    for _ in range(4):
        log_in(client, "admin.a@example.org", "wrong")
    assert log_in(client, "admin.a@example.org").status_code == 302
    client = Client()
    for _ in range(4):
        log_in(client, "admin.a@example.org", "wrong")
    assert log_in(client, "admin.a@example.org").status_code == 302


def test_it_lets_the_user_in_again_once_the_attempts_are_reset(cast) -> None:
    for _ in range(5):
        log_in(Client(), "admin.a@example.org", "wrong")
    assert AccessAttempt.objects.filter(username="admin.a@example.org").exists()
    reset(username="admin.a@example.org")
    assert log_in(Client(), "admin.a@example.org").status_code == 302


def test_a_locked_out_api_login_says_so_with_a_429_in_json(cast) -> None:
    client = APIClient()
    url = reverse("api-token")
    for _ in range(4):
        wrong = client.post(url, {"username": "admin.a@example.org", "password": "x"})
        assert wrong.status_code == 400
    fifth = client.post(url, {"username": "Admin.A@example.org", "password": "x"}, format="json")
    assert fifth.status_code == 429
    right = client.post(url, {"username": "admin.a@example.org", "password": PASSWORD})
    assert right.status_code == 429
    assert right["Content-Type"] == "application/json"
    assert "paused" in right.json()["detail"]
    assert "token" not in right.json()
    assert int(right["Retry-After"]) == settings.AXES_COOLOFF_TIME * 3600
    # Another address from the same place still gets its token.
    other = client.post(url, {"username": "admin.b@example.org", "password": PASSWORD})
    assert other.status_code == 200 and other.json()["token"]


# --- logging out ---------------------------------------------------------------------------


def test_it_logs_out_only_by_post(cast) -> None:
    client = cast.client(cast.admin_a)
    assert client.get(reverse("logout")).status_code == 405
    assert logged_in_as(client) == cast.admin_a.pk
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert logged_in_as(client) is None
    assert client.get(reverse("home")).status_code == 302


def test_it_offers_the_logout_button_to_logged_in_users_only(cast) -> None:
    logout = f'action="{reverse("logout")}" method="post"'
    assert logout in cast.client(cast.admin_a).get(reverse("home")).content.decode()
    assert logout not in Client().get(LOGIN).content.decode()


# --- language ------------------------------------------------------------------------------


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def test_it_sets_the_language_cookie_from_the_users_language_on_login(cast) -> None:
    cast.admin_a.language = "ur"
    cast.admin_a.save()
    client = Client()
    response = log_in(client, "admin.a@example.org")
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ur"
    assert cookie["samesite"] == "Lax"
    assert html_tag(client.get(reverse("home"))) == '<html lang="ur" dir="rtl">'


@pytest.mark.parametrize(("language", "direction"), [("ur", "rtl"), ("bn", "ltr"), ("en", "ltr")])
def test_it_switches_language_and_direction(cast, language: str, direction: str) -> None:
    client = cast.client(cast.admin_a)
    response = client.post(
        reverse("set_language"), {"language": language, "next": reverse("factories:list")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("factories:list")
    page = client.get(reverse("factories:list"))
    assert html_tag(page) == f'<html lang="{language}" dir="{direction}">'


def test_it_switches_language_before_login_too(db: None) -> None:
    client = Client()
    client.post(reverse("set_language"), {"language": "ur"})
    assert html_tag(client.get(LOGIN)) == '<html lang="ur" dir="rtl">'


def test_it_follows_the_browsers_language_when_nothing_was_chosen(db: None) -> None:
    page = Client().get(LOGIN, HTTP_ACCEPT_LANGUAGE="bn-BD,bn;q=0.9,en;q=0.5")
    assert html_tag(page) == '<html lang="bn" dir="ltr">'


def test_it_remembers_a_chosen_language_on_the_account(cast) -> None:
    cast.client(cast.admin_a).post(reverse("set_language"), {"language": "bn"})
    cast.admin_a.refresh_from_db()
    assert cast.admin_a.language == "bn"
    # ...so the next log-in, on any device, comes back in it.
    response = log_in(Client(), "admin.a@example.org")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "bn"


def test_it_ignores_a_language_that_is_not_offered(cast) -> None:
    client = cast.client(cast.admin_a)
    client.post(reverse("set_language"), {"language": "xx"})
    cast.admin_a.refresh_from_db()
    assert cast.admin_a.language == "en"
    assert html_tag(client.get(reverse("home"))) == '<html lang="en" dir="ltr">'
