"""Rates against a fixture computed by hand (see conftest.py for the small tool).

Factory A, cycle 1 (no accommodation): W1 non-compliant, W2-W5 compliant, A1 ruled out by the
facts, A2 not applicable, E1 non-compliant.
  questions 2 of 6; CO-WIU non-compliant, 1 question of 5; OS-ACC not applicable (0 of 0);
  OS-EME 1 of 1; cluster CO: points 1 of 1, questions 1 of 5; cluster OS: points 1 of 1
  (OS-ACC does not count), questions 1 of 1; points overall 2 of 2.
Factory A, cycle 2 (accommodation): W2 and E1 non-compliant, the rest compliant.
  against cycle 1: new W2, resolved W1, persisting E1; points persisting CO-WIU, OS-EME.
Factory A2 (no accommodation): W1 non-compliant, A2 not applicable, the rest compliant.
Across A (latest: cycle 2) and A2: CO-WIU 2 of 2, OS-EME 1 of 2, OS-ACC 0 of 1 (A2 not
assessed on it); W1 1 of 2, W3 0 of 2, A1 0 of 1, A2 0 of 1.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fithub.compliance import selectors, services
from fithub.compliance.models import ComplianceAssessment, ToolVersion
from fithub.compliance.scoping import assessments_for
from fithub.compliance.selectors import Rate
from fithub.compliance.tests.conftest import Planned, answer_all, make_assessor
from fithub.conftest import Cast, FactoryA2
from fithub.programmes.models import Engagement


def _assess(
    cast: Cast,
    version: ToolVersion,
    engagement: Engagement,
    day: date,
    results: dict[str, str],
    facts: dict[str, bool],
) -> ComplianceAssessment:
    second = make_assessor(cast, f"a{day:%Y%m%d}{engagement.pk}@example.org")
    a = services.assessment_plan(
        engagement=engagement,
        version=version,
        details=services.PlanDetails(planned_on=day, assessors=[cast.assessor_a, second]),
        by=cast.admin_a,
    )
    services.assessment_start(assessment=a, by=cast.assessor_a)
    a.refresh_from_db()
    services.facts_save(assessment=a, facts=facts, by=cast.assessor_a)
    answer_all(Planned(a, version, second), cast.assessor_a, results)
    return services.assessment_submit(assessment=a, by=cast.assessor_a)


@pytest.fixture
def cycle1(cast: Cast, small: ToolVersion) -> ComplianceAssessment:
    return _assess(
        cast, small, cast.engagement_a, date(2026, 4, 14),
        {"W1": "non_compliant", "A2": "not_applicable", "E1": "non_compliant"}, {},
    )  # fmt: skip


@pytest.fixture
def cycle2(cast: Cast, small: ToolVersion, cycle1: ComplianceAssessment) -> ComplianceAssessment:
    engagement = Engagement.objects.create(
        programme=cast.programme, factory=cast.factory_a, provider=cast.provider_a,
        delivery_model="in_factory", cycle=2,
    )  # fmt: skip
    return _assess(
        cast, small, engagement, date(2027, 4, 13),
        {"W2": "non_compliant", "E1": "non_compliant"}, {"has_accommodation": True},
    )  # fmt: skip


def points_of(rates: selectors.FactoryRates) -> dict[str, selectors.PointRow]:
    return {p.point.code: p for c in rates.clusters for p in c.points}


def test_one_factorys_rates_by_hand(cycle1: ComplianceAssessment) -> None:
    rates = selectors.factory_rates(cycle1)
    assert rates.questions == Rate(2, 6) and rates.questions.percent == 33.3
    assert rates.points == Rate(2, 2)
    points = points_of(rates)
    wiu = points["CO-WIU"]
    assert wiu.non_compliant and wiu.rate == Rate(1, 5) and wiu.rate.percent == 20.0
    acc = points["OS-ACC"]
    assert not acc.applicable and acc.rate == Rate(0, 0) and acc.rate.percent is None
    assert points["OS-EME"].rate == Rate(1, 1)
    clusters = {c.cluster.code: c for c in rates.clusters}
    assert (clusters["CO"].rate, clusters["CO"].question_rate) == (Rate(1, 1), Rate(1, 5))
    assert (clusters["OS"].rate, clusters["OS"].question_rate) == (Rate(1, 1), Rate(1, 1))
    assert rates.previous is None and rates.question_changes is None


def test_the_change_against_the_previous_cycle(
    cycle1: ComplianceAssessment, cycle2: ComplianceAssessment
) -> None:
    rates = selectors.factory_rates(cycle2)
    assert rates.previous == cycle1
    assert rates.question_changes == selectors.Changes(
        new=["W2"], resolved=["W1"], persisting=["E1"]
    )
    assert rates.point_changes == selectors.Changes(
        new=[], resolved=[], persisting=["CO-WIU", "OS-EME"]
    )
    assert rates.questions == Rate(2, 8)  # accommodation now applies: A1 and A2 count
    assert points_of(rates)["OS-ACC"].rate == Rate(0, 2)


def test_across_factories_by_hand(
    cast: Cast, cast_a2: FactoryA2, small: ToolVersion, cycle2: ComplianceAssessment
) -> None:
    qs = assessments_for(cast.admin_a)
    with CaptureQueriesContext(connection) as one:
        selectors.cross_factory_rates(qs)
    _assess(
        cast, small, cast_a2.engagement, date(2026, 6, 2),
        {"W1": "non_compliant", "A2": "not_applicable"}, {},
    )  # fmt: skip
    with CaptureQueriesContext(connection) as two:
        rates = selectors.cross_factory_rates(qs)
    assert len(one) == len(two)
    assert rates.factories == 2
    points = {r.code: r.rate for r in rates.points}
    assert points == {"CO-WIU": Rate(2, 2), "OS-EME": Rate(1, 2), "OS-ACC": Rate(0, 1)}
    questions = {r.code: r.rate for r in rates.questions}
    assert questions == {
        "W1": Rate(1, 2), "W2": Rate(1, 2), "W3": Rate(0, 2), "W4": Rate(0, 2), "W5": Rate(0, 2),
        "A1": Rate(0, 1), "A2": Rate(0, 1), "E1": Rate(1, 2),
    }  # fmt: skip
    # Provider B's administrator sees no factory of provider A in the rates.
    assert selectors.cross_factory_rates(assessments_for(cast.admin_b)).factories == 0


def test_the_rates_pages_and_api(cast: Cast, cycle2: ComplianceAssessment) -> None:
    page = cast.client(cast.owner).get(reverse("compliance:rates", args=[cycle2.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "W2" in html and "1 of 5" in html
    api = cast.client(cast.admin_a).get(f"/api/v1/compliance-assessments/{cycle2.pk}/rates/")
    body = api.json()
    assert body["questions"] == {"non_compliant": 2, "assessed": 8, "percent": 25.0}
    assert body["changes"] == {"new": ["W2"], "resolved": ["W1"], "persisting": ["E1"]}
    across = cast.client(cast.owner).get("/api/v1/compliance-rates/?country=PK").json()
    assert across["factories"] == 1
    assert {"code": "CO-WIU", "non_compliant": 1, "assessed": 1, "percent": 100.0} in across[
        "points"
    ]
    html = cast.client(cast.owner).get(reverse("compliance:rates-across")).content.decode()
    assert "1 of 1" in html
    for who in (cast.coordinator_a, cast.buyer, cast.admin_b, cast.facilitator_a):
        assert (
            cast.client(who).get(reverse("compliance:rates", args=[cycle2.pk])).status_code == 404
        )
        api = cast.client(who).get(f"/api/v1/compliance-assessments/{cycle2.pk}/rates/")
        assert api.status_code == 404
        assert cast.client(who).get("/api/v1/compliance-rates/").json()["factories"] == 0
