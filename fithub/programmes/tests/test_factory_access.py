"""Once a factory agrees to work with a provider, the provider may start an engagement with it.

Factory B (provider B's) approves provider A's request to work with it: provider A's
administrator can then choose it for an engagement, on the page and in the API; before, and
after a refusal, factory B is refused as any factory outside provider A's scope.
"""

import pytest
from django.urls import reverse

from fithub.factories import services
from fithub.factories.models import AccessRequest
from fithub.programmes.models import Engagement
from fithub.programmes.tests.test_views import engagement_data
from fithub.tests.cast import api


@pytest.fixture
def asked(cast) -> AccessRequest:
    return services.access_request_create(
        factory=cast.factory_b, provider=cast.provider_a, by=cast.admin_a
    )


def start(cast, fmt: str):  # type: ignore[no-untyped-def]
    if fmt == "page":
        return cast.client(cast.admin_a).post(
            reverse("programmes:engagement-create"),
            engagement_data(cast, factory=cast.factory_b.pk),
        )
    data = {
        "programme": cast.programme.pk,
        "factory": cast.factory_b.pk,
        "delivery_model": "blended",
        "cycle": 2,
    }
    return api(cast.admin_a).post(reverse("api-engagements"), data, format="json")


@pytest.mark.parametrize("fmt", ["page", "api"])
def test_an_engagement_waits_for_the_factorys_approval(cast, asked, fmt: str) -> None:
    assert start(cast, fmt).status_code in (200, 400)  # the factory is not offered yet
    assert not Engagement.objects.filter(factory=cast.factory_b, provider=cast.provider_a).exists()
    services.access_request_decline(access_request=asked, by=cast.coordinator_b)
    assert start(cast, fmt).status_code in (200, 400)
    assert not Engagement.objects.filter(factory=cast.factory_b, provider=cast.provider_a).exists()


@pytest.mark.parametrize("fmt", ["page", "api"])
def test_after_approval_the_provider_starts_an_engagement(cast, asked, fmt: str) -> None:
    services.access_request_approve(access_request=asked, by=cast.coordinator_b)
    response = start(cast, fmt)
    assert response.status_code in (201, 302), response.content.decode()[:2000]
    engagement = Engagement.objects.get(factory=cast.factory_b, provider=cast.provider_a)
    assert engagement.history.get().history_user == cast.admin_a
