"""An administrator of two providers says which one registers a factory: page, import, API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from fithub.accounts.models import Membership, Organisation
from fithub.accounts.roles import Kind
from fithub.conftest import Cast
from fithub.factories.models import Factory

FORM = {"name": "Omega Apparel", "country": "BD", "sector": "garments", "tier": "unknown"}


@pytest.fixture
def second(cast: Cast) -> Organisation:
    """Provider A2, which Amina (admin of provider A) administers too."""
    org = Organisation.objects.create(name="Provider A2", kind=Kind.SERVICE_PROVIDER)
    Membership.objects.create(user=cast.admin_a, organisation=org, role=Membership.Role.ADMIN)
    return org


def test_the_page_asks_which_provider_registers(cast: Cast, second: Organisation) -> None:
    client = cast.client(cast.admin_a)
    page = client.get(reverse("factories:create")).content.decode()
    assert 'name="registered_by"' in page and "Provider A2" in page and "Provider B" not in page
    client.post(reverse("factories:create"), {**FORM, "registered_by": second.pk})
    assert Factory.objects.get(name="Omega Apparel").registered_by == second


def test_the_page_refuses_a_provider_that_is_not_theirs(cast: Cast, second: Organisation) -> None:
    response = cast.client(cast.admin_a).post(
        reverse("factories:create"), {**FORM, "registered_by": cast.provider_b.pk}
    )
    assert response.status_code == 200 and "data-error-summary" in response.content.decode()
    assert not Factory.objects.filter(name="Omega Apparel").exists()


def test_an_administrator_of_one_provider_is_not_asked(cast: Cast) -> None:
    client = cast.client(cast.admin_a)
    assert 'name="registered_by"' not in client.get(reverse("factories:create")).content.decode()
    client.post(reverse("factories:create"), FORM)
    assert Factory.objects.get(name="Omega Apparel").registered_by == cast.provider_a


def test_the_import_asks_which_provider_registers(cast: Cast, second: Organisation) -> None:
    client = cast.client(cast.admin_a)
    url = reverse("factories:import")
    upload = SimpleUploadedFile("f.csv", b"country,name\nBD,Omega Apparel\n")
    checked = client.post(url, {"file": upload})
    assert 'name="registered_by"' in checked.content.decode()
    confirm = {"step": "confirm", "token": checked.context["token"],
               "plan": checked.context["report"].plan}  # fmt: skip
    refused = client.post(url, confirm)  # no provider chosen
    assert "choose the one you act for" in refused.content.decode()
    assert not Factory.objects.filter(name="Omega Apparel").exists()
    client.post(url, {**confirm, "registered_by": second.pk})
    assert Factory.objects.get(name="Omega Apparel").registered_by == second


def test_the_api_asks_which_provider_registers(cast: Cast, second: Organisation) -> None:
    api = APIClient()
    api.force_authenticate(cast.admin_a)
    url = "/api/v1/factories/"
    missing = api.post(url, FORM, format="json")
    assert missing.status_code == 400 and "registered_by" in missing.json()
    theirs = api.post(url, {**FORM, "registered_by": cast.provider_b.pk}, format="json")
    assert theirs.status_code == 400 and "registered_by" in theirs.json()
    assert not Factory.objects.filter(name="Omega Apparel").exists()
    made = api.post(url, {**FORM, "registered_by": second.pk}, format="json")
    assert made.status_code == 201, made.json()
    assert Factory.objects.get(name="Omega Apparel").registered_by == second
