"""The assessments panel on the factory and engagement pages: who sees which, query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.assessment import services
from fithub.assessment.models import Assessment
from fithub.lib import slots
from fithub.programmes.models import Engagement

# Who reads factory A's assessments (assessment/scoping.py), among those who open its page.
READ_A = {
    "owner",
    "admin_a",
    "facilitator_a",
    "assessor_a",
    "coordinator_a",
    "manager_a",
    "worker_rep_a",
    "superuser",
}
CAST = [
    *sorted(READ_A),
    "admin_b",
    "buyer",
    "buyer_b",
    "coordinator_b",
    "worker_rep_b",
    "outsider",
]


def make(cast, sample, *, source: str = "web", factory=None, engagement=None, n: int = 0):  # type: ignore[no-untyped-def]
    factory = factory or cast.factory_a
    return services.assessment_start(
        factory=factory,
        version=sample.version,
        engagement=engagement
        if engagement is not None
        else (cast.engagement_a if factory == cast.factory_a else cast.engagement_b),
        by=cast.admin_a if factory == cast.factory_a else cast.admin_b,
        source=source,
        instance_id=f"uuid:{source}-{factory.pk}-{n}" if source != "web" else None,
        interviewed_on=date(2026, 11, 19) if source != "web" else None,
    )


def panel_of(response, panel_id: str = "assessments") -> str:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    start = page.find(f'<section id="{panel_id}"')
    return "" if start < 0 else page[start : page.index("</section>", start)]


def test_the_panels_are_registered() -> None:
    assert "assessments" in slots.registered("factory-detail")
    assert "assessments" in slots.registered("engagement-detail")


def test_the_factory_page_lists_online_and_imported_assessments_with_links(cast, sample) -> None:
    online = make(cast, sample)
    kobo = make(cast, sample, source=Assessment.Source.KOBO)
    odk = make(cast, sample, source=Assessment.Source.ODK)
    response = cast.client(cast.admin_a).get(reverse("factories:detail", args=[cast.factory_a.pk]))
    panel = panel_of(response)
    for a in (online, kobo, odk):
        assert a.get_absolute_url() in panel
    assert "Online" in panel and "KoboToolbox" in panel and "ODK" in panel
    assert "11/19/2026" in panel  # an imported one's interview date, not the import's
    assert "In progress" in panel
    assert f"{reverse('assessment:start')}?factory={cast.factory_a.pk}" in panel


@pytest.mark.parametrize("who", CAST)
def test_only_those_who_read_the_factorys_assessments_see_them(cast, sample, who) -> None:
    mine = make(cast, sample)
    other = make(cast, sample, factory=cast.factory_b)
    response = cast.client(getattr(cast, who)).get(
        reverse("factories:detail", args=[cast.factory_a.pk])
    )
    if response.status_code == 404:
        assert who not in READ_A  # the page itself is not theirs
        return
    panel = panel_of(response)
    assert (mine.get_absolute_url() in panel) == (who in READ_A)
    assert other.get_absolute_url() not in panel  # another provider's factory's, never


def test_a_buyer_of_the_factory_sees_its_page_but_no_assessments(cast, sample) -> None:
    make(cast, sample)
    response = cast.client(cast.buyer).get(reverse("factories:detail", args=[cast.factory_a.pk]))
    assert response.status_code == 200
    assert panel_of(response) == ""


def test_the_engagement_page_lists_its_own_assessments_only(cast, sample) -> None:
    # Provider B also works with factory A; provider A's assessment is not part of it.
    engagement_b2 = Engagement.objects.create(
        programme=cast.engagement_b.programme, factory=cast.factory_a, provider=cast.provider_b
    )
    provider_a = make(cast, sample)
    provider_b = services.assessment_start(
        factory=cast.factory_a, version=sample.version, engagement=engagement_b2, by=cast.admin_b
    )
    url = reverse("programmes:engagement", args=[engagement_b2.pk])
    panel = panel_of(cast.client(cast.admin_b).get(url), "engagement-assessments")
    assert provider_b.get_absolute_url() in panel
    assert provider_a.get_absolute_url() not in panel
    url_a = reverse("programmes:engagement", args=[cast.engagement_a.pk])
    panel_a = panel_of(cast.client(cast.admin_a).get(url_a), "engagement-assessments")
    assert provider_a.get_absolute_url() in panel_a
    assert provider_b.get_absolute_url() not in panel_a
    assert cast.client(cast.admin_b).get(url_a).status_code == 404


@pytest.mark.parametrize(
    ("url_name", "obj"),
    [("factories:detail", "factory_a"), ("programmes:engagement", "engagement_a")],
)
def test_the_panels_take_the_same_queries_for_3_and_30_assessments(
    cast, sample, url_name, obj
) -> None:
    client = cast.client(cast.admin_a)
    url = reverse(url_name, args=[getattr(cast, obj).pk])

    def count(n: int) -> int:
        Assessment.objects.all().delete()
        for i in range(n):
            make(cast, sample, source=("web", "kobo", "odk")[i % 3], n=i)
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert count(3) == count(30)
