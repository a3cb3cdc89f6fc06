"""The health check that load balancers and monitors call."""

from unittest import mock

from django.db import DatabaseError
from django.test import Client, override_settings

from fithub import settings as project_settings


def test_it_reports_ok_without_a_login(db: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "version": project_settings.VERSION,
    }


def test_it_is_never_cached(db: None) -> None:
    response = Client().get("/healthz")
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_it_answers_503_when_the_database_fails(db: None) -> None:
    with mock.patch("fithub.views.connection.cursor", side_effect=DatabaseError("gone")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "error: DatabaseError",
        "version": project_settings.VERSION,
    }


def test_it_does_not_leak_the_database_error_message(db: None) -> None:
    secret = "password authentication failed for user fithub at 10.0.0.7"
    with mock.patch("fithub.views.connection.cursor", side_effect=DatabaseError(secret)):
        response = Client().get("/healthz")
    assert secret not in response.content.decode()


def test_it_answers_over_plain_http_when_https_is_enforced(db: None) -> None:
    # Load balancers probe the app directly over HTTP; a redirect to HTTPS would read as "down".
    with override_settings(SECURE_SSL_REDIRECT=True):
        client = Client()
        assert client.get("/healthz").status_code == 200
        assert client.get("/login/").status_code == 301
