"""Someone who administers several organisations says which one they act for; nobody else is
asked, and nothing is recorded for an organisation picked on their behalf."""

import pytest
from django.urls import reverse

from fithub.accounts.models import Membership, Organisation
from fithub.accounts.roles import Kind
from fithub.assessment.models import FindingMapping, Questionnaire
from fithub.catalogue.models import Adaptation
from fithub.catalogue.tests.utils import make_module
from fithub.conftest import Cast


def second(cast: Cast, kind: Kind, name: str, user: object) -> Organisation:
    org = Organisation.objects.create(name=name, kind=kind)
    Membership.objects.create(user=user, organisation=org, role=Membership.Role.ADMIN)
    return org


def test_an_adaptation_is_made_for_the_chosen_provider(cast: Cast) -> None:
    module = make_module("T-01")
    a2 = second(cast, Kind.SERVICE_PROVIDER, "Provider A2", cast.admin_a)
    client = cast.client(cast.admin_a)
    url = reverse("catalogue:adapt", args=[module.pk])
    page = client.get(url).content.decode()
    assert 'name="provider"' in page and "Provider A2" in page and "Provider B" not in page
    data = {"notes": "x", "title_0": "", "based_on_version": "2019.1"}
    refused = client.post(url, {**data, "provider": cast.provider_b.pk})
    assert refused.status_code == 200 and not Adaptation.objects.exists()
    client.post(url, {**data, "provider": a2.pk})
    assert Adaptation.objects.get().provider == a2


def test_an_administrator_of_one_provider_is_not_asked(cast: Cast) -> None:
    module = make_module("T-01")
    url = reverse("catalogue:adapt", args=[module.pk])
    assert 'name="provider"' not in cast.client(cast.admin_a).get(url).content.decode()


def test_a_questionnaire_belongs_to_the_chosen_owner(cast: Cast) -> None:
    other = second(cast, Kind.PROGRAMME_OWNER, "Better Work Cambodia", cast.owner)
    client = cast.client(cast.owner)
    url = reverse("assessment:questionnaire-create")
    assert 'name="owner"' in client.get(url).content.decode()
    data = {"slug": "cambodia-sd", "title_0": "Self-diagnosis", "kind": "self_diagnosis"}
    client.post(url, {**data, "owner": other.pk})
    assert Questionnaire.objects.get(slug="cambodia-sd").owner == other


@pytest.fixture
def two_owners(cast: Cast) -> Organisation:
    return second(cast, Kind.PROGRAMME_OWNER, "Better Work Cambodia", cast.owner)


def test_the_mapping_table_is_the_chosen_owners(cast: Cast, two_owners: Organisation) -> None:
    module = make_module("T-01")
    FindingMapping.objects.create(owner=cast.owner_org, source="BW", code="OWN-1", module=module)
    FindingMapping.objects.create(owner=two_owners, source="BW", code="KH-1", module=module)
    client = cast.client(cast.owner)
    url = reverse("assessment:mappings")
    chosen = client.get(url, {"owner": two_owners.pk}).content.decode()
    assert "KH-1" in chosen and "OWN-1" not in chosen
    assert f'href="?owner={cast.owner_org.pk}"' in chosen  # the other owner, one tap away
    assert client.get(url, {"owner": cast.provider_b.pk}).status_code == 404


def test_a_mapping_is_removed_for_its_own_owner_only(cast: Cast, two_owners: Organisation) -> None:
    module = make_module("T-01")
    mine = FindingMapping.objects.create(owner=two_owners, source="BW", code="KH-1", module=module)
    response = cast.client(cast.owner).post(reverse("assessment:mapping-delete", args=[mine.pk]))
    assert response.status_code == 302 and f"owner={two_owners.pk}" in response["Location"]
    assert not FindingMapping.objects.filter(pk=mine.pk).exists()
    theirs = Organisation.objects.create(name="Another owner", kind=Kind.PROGRAMME_OWNER)
    kept = FindingMapping.objects.create(owner=theirs, source="BW", code="Z-1", module=module)
    url = reverse("assessment:mapping-delete", args=[kept.pk])
    assert cast.client(cast.owner).post(url).status_code == 404
    assert FindingMapping.objects.filter(pk=kept.pk).exists()


def test_the_api_plans_a_session_for_the_provider_named(cast: Cast) -> None:
    from datetime import date

    from rest_framework.test import APIClient

    from fithub.training.models import Session

    module = make_module("T-01")
    a2 = second(cast, Kind.SERVICE_PROVIDER, "Provider A2", cast.admin_a)
    client = APIClient()
    client.force_authenticate(cast.admin_a)
    body = {
        "module": module.pk, "engagements": [cast.engagement_a.pk], "delivery_model": "in_factory",
        "date": date(2026, 12, 1).isoformat(), "starts_at": "09:00", "ends_at": "11:30",
    }  # fmt: skip
    unnamed = client.post("/api/v1/sessions/", body, format="json")
    assert unnamed.status_code == 400 and "provider" in unnamed.json()
    # A2 has no engagement with factory A: the engagement is not its to attach.
    wrong = client.post("/api/v1/sessions/", {**body, "provider": a2.pk}, format="json")
    assert wrong.status_code == 400 and "engagements" in wrong.json()
    assert not Session.objects.exists()
    named = client.post(
        "/api/v1/sessions/", {**body, "provider": cast.provider_a.pk}, format="json"
    )
    assert named.status_code == 201, named.json()
    assert Session.objects.get().provider == cast.provider_a
