"""The security foundation: headers, CSP nonces, same-origin assets, CSRF, production settings."""

import json
import os
import re
import secrets
import string
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from fithub import settings as project_settings

ROOT = Path(__file__).resolve().parents[2]


class _Tags(HTMLParser):
    """Collect every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(response) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(response.content.decode())
    return parser.tags


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.fixture
def pages(cast) -> dict[str, object]:
    """A few pages of different kinds: anonymous, logged in, a list and a form."""
    client = cast.client(cast.admin_a)
    return {
        "login": Client().get(reverse("login")),
        "factories": client.get(reverse("factories:list")),
        "factory": client.get(reverse("factories:detail", args=[cast.factory_a.pk])),
        "new factory": client.get(reverse("factories:create")),
    }


# --- headers -------------------------------------------------------------------------------


def test_it_sends_a_content_security_policy_with_a_nonce(pages) -> None:
    for name, response in pages.items():
        policy = csp(response)
        assert "default-src 'self'" in response["Content-Security-Policy"], name
        assert policy["script-src"][0] == "'self'", name
        assert any(v.startswith("'nonce-") for v in policy["script-src"]), name
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_it_puts_the_headers_nonce_on_every_script(pages) -> None:
    for name, response in pages.items():
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        scripts = [attrs for tag, attrs in tags(response) if tag == "script"]
        assert scripts, name
        for attrs in scripts:
            assert attrs.get("nonce") == nonce, (name, attrs)


def test_it_uses_a_new_nonce_for_every_response(cast) -> None:
    client = cast.client(cast.admin_a)
    first = client.get(reverse("factories:list"))["Content-Security-Policy"]
    second = client.get(reverse("factories:list"))["Content-Security-Policy"]
    nonce = re.compile(r"'nonce-([^']+)'")
    assert nonce.search(first).group(1) != nonce.search(second).group(1)


def test_it_forbids_framing_sniffing_and_cross_origin_referrers(pages) -> None:
    for name, response in pages.items():
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name


def test_it_keeps_the_session_cookie_away_from_scripts(cast) -> None:
    response = Client().post(
        reverse("login"),
        {"username": "admin.a@example.org", "password": "correct horse battery staple"},
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


# --- assets --------------------------------------------------------------------------------


def test_it_loads_every_asset_from_its_own_origin(pages) -> None:
    for name, response in pages.items():
        for tag, attrs in tags(response):
            for attr in ("src", "href", "action", "hx-get", "hx-post"):
                value = attrs.get(attr) or ""
                assert not re.match(r"^([a-z][a-z0-9+.-]*:)?//", value, re.I), (name, tag, value)


def test_it_serves_the_scripts_and_styles_it_references(pages) -> None:
    for name, response in pages.items():
        for tag, attrs in tags(response):
            value = (attrs.get("src") if tag == "script" else attrs.get("href")) or ""
            if tag in ("script", "link") and value.startswith("/static/"):
                assert finders.find(value.removeprefix("/static/")), (name, value)


def test_it_turns_off_htmx_eval_and_cross_origin_requests(pages) -> None:
    meta = next(
        attrs
        for tag, attrs in tags(pages["factories"])
        if tag == "meta" and attrs.get("name") == "htmx-config"
    )
    config = json.loads(meta["content"])
    assert config["allowEval"] is False
    assert config["selfRequestsOnly"] is True


# --- CSRF ----------------------------------------------------------------------------------


def test_it_refuses_a_form_post_without_a_csrf_token(cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin_a)
    response = client.post(
        reverse("factories:create"), {"name": "Forged", "country": "PK", "sector": "textile"}
    )
    assert response.status_code == 403
    logout = client.post(reverse("logout"))
    assert logout.status_code == 403


def test_it_gives_htmx_the_csrf_token_in_a_header(cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin_a)
    page = client.get(reverse("factories:detail", args=[cast.factory_a.pk]))
    body = next(attrs for tag, attrs in tags(page) if tag == "body")
    token = json.loads(body["hx-headers"])["X-CSRFToken"]
    response = client.post(
        reverse("factories:team-add", args=[cast.factory_a.pk]),
        {"name": "Htmx Member", "role": "worker", "department": "sewing", "sex": "female"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200
    assert "Htmx Member" in response.content.decode()


# --- production settings -------------------------------------------------------------------


def production_env(**extra: str) -> dict[str, str]:
    """A clean environment for production settings: nothing inherited from this test run.

    The settings fill unset variables from .env (which ./dev start writes with DEBUG=true),
    so DEBUG and SECRET_KEY are always given explicitly.
    """
    key = "".join(
        secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(50)
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "fithub.settings",
        "DEBUG": "false",
        "SECRET_KEY": key,
        "ALLOWED_HOSTS": "fithub.example.org",
    }
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_it_passes_the_deployment_checks_in_production() -> None:
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stdout + result.stderr


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "hasher": s.PASSWORD_HASHERS[0],
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "LANGUAGE_COOKIE_SECURE": s.LANGUAGE_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "mail": s.MAILERS["default"]["BACKEND"],
}))
"""


def test_it_is_secure_by_default_in_production() -> None:
    result = run(["-c", PRINT_SETTINGS], production_env())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "DEBUG": False,
        "hasher": "django.contrib.auth.hashers.Argon2PasswordHasher",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "mail": "django.core.mail.backends.smtp.EmailBackend",
    }


def test_it_refuses_to_start_in_production_without_a_secret_key() -> None:
    result = run(["-c", "import fithub.settings"], production_env(SECRET_KEY=""))
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_it_hashes_passwords_with_argon2() -> None:
    # The test conftest swaps in MD5 for speed, so read the project's own setting.
    assert (
        project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    assert hasher.verify("secret", hasher.encode("secret", hasher.salt()))
