"""Helpers the tests of the fixed cast share (fithub/conftest.py builds the cast)."""

from typing import Any

from django.http import HttpResponse
from rest_framework.test import APIClient

from fithub.accounts.models import User
from fithub.conftest import Cast

# One of each kind of user in the cast, for tests that ask every one of them.
EVERYONE = [
    "owner",
    "admin_a",
    "facilitator_a",
    "admin_b",
    "buyer",
    "coordinator_a",
    "worker_rep_a",
    "outsider",
    "superuser",
]
# What htmx sends with a request it will swap into the page.
HTMX = {"HTTP_HX_REQUEST": "true"}


def api(user: User | None = None) -> APIClient:
    """An API client signed in as the user (anonymous without one)."""
    client = APIClient()
    if user is not None:
        # A fresh copy, because roles are cached on the user object for one request's life.
        client.force_authenticate(user=User.objects.get(pk=user.pk))
    return client


def api_as(cast: Cast, who: str) -> APIClient:
    """An API client signed in as the cast member named."""
    return api(getattr(cast, who))


def get(cast: Cast, who: str, url: str, **kw: Any) -> Any:
    """Get a page as the cast member named."""
    return cast.client(getattr(cast, who)).get(url, **kw)


def post(cast: Cast, who: str, url: str, data: Any = None, **kw: Any) -> Any:
    """Post to a page as the cast member named."""
    return cast.client(getattr(cast, who)).post(url, data or {}, **kw)


def text(response: HttpResponse) -> str:
    """A response's body as text."""
    return response.content.decode()
