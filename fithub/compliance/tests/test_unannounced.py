"""The planned date is unannounced: the factory and buyers never learn it, through any channel.

Each channel a factory user or a buyer reads is listed here: pages (their own, the factory's,
the engagement's, the lists, the home page), the API, exports, the audit trail, panels, e-mail.
FIT Hub has no calendar feed and sends no e-mail about assessments; the e-mail outbox is
checked so that one added later is caught. The same channels show the date to the provider's
administrator, so the test would fail if the date were simply never printed.
"""

from datetime import date

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from fithub.audit import audit_entries
from fithub.compliance import services
from fithub.compliance.models import ComplianceAssessment
from fithub.compliance.tests.conftest import Planned
from fithub.conftest import Cast
from fithub.lib import slots

MOVED_TO = date(2026, 5, 19)
UNTOLD = ["factory", "buyer"]


def spellings(day: date) -> list[str]:
    return [
        day.isoformat(),
        day.strftime("%d/%m/%Y"),
        day.strftime("%m/%d/%Y"),
        day.strftime("%d.%m.%Y"),
        day.strftime("%B %-d"),
        day.strftime("%-d %B"),
        day.strftime("%b. %-d"),
        f"{day:%Y%m%d}",  # an iCalendar DTSTART
    ]


def _pages(cast: Cast, a: ComplianceAssessment) -> list[str]:
    cluster = a.version.clusters.first()
    assert cluster is not None
    return [
        reverse("home"),
        reverse("factories:list"),
        reverse("factories:detail", args=[cast.factory_a.pk]),
        reverse("factories:export"),
        reverse("factory-history", args=[cast.factory_a.pk]),
        reverse("audit"),
        reverse("programmes:engagement", args=[cast.engagement_a.pk]),
        reverse("programmes:engagements"),
        reverse("compliance:list"),
        reverse("compliance:assessment", args=[a.pk]),
        reverse("compliance:cluster", args=[a.pk, cluster.pk]),
        reverse("compliance:rates-across"),
        reverse("improvement:plans"),
        "/api/v1/factories/",
        f"/api/v1/factories/{cast.factory_a.pk}/",
        f"/api/v1/engagements/{cast.engagement_a.pk}/",
        "/api/v1/engagements/",
        "/api/v1/compliance-assessments/",
        f"/api/v1/compliance-assessments/{a.pk}/",
        f"/api/v1/compliance-assessments/{a.pk}/findings/",
        "/api/v1/compliance-rates/",
    ]


def _readers(cast: Cast, who: str) -> list:  # type: ignore[type-arg]
    if who == "factory":
        return [cast.coordinator_a, cast.manager_a, cast.worker_rep_a]
    return [cast.buyer, cast.buyer_b]


def _seen(cast: Cast, user, a: ComplianceAssessment) -> str:  # type: ignore[no-untyped-def]
    """Everything the user reads about factory A through every channel, as one text."""
    client = cast.client(user)
    out = []
    for url in _pages(cast, a):
        response = client.get(url)
        body = (
            b"".join(response.streaming_content)  # type: ignore[arg-type]
            if response.streaming
            else response.content
        )
        out.append(f"{url} {response.status_code} {body.decode(errors='replace')}")
    request = RequestFactory().get("/")
    request.user = user
    for slot, obj in (("factory-detail", cast.factory_a), ("engagement-detail", cast.engagement_a)):
        out.extend(str(html) for html in slots.render(slot, request, obj))
    for change in audit_entries(user=user, factory=cast.factory_a) + audit_entries(user=user):
        out.append(repr(change))
    out.extend(f"{m.subject} {m.body}" for m in mail.outbox)
    return "\n".join(out)


def _moved(cast: Cast, planned: Planned) -> ComplianceAssessment:
    # A re-plan too, so that the history holds a change of the date.
    services.assessment_replan(
        assessment=planned.assessment,
        details=services.PlanDetails(
            planned_on=MOVED_TO, assessors=[cast.assessor_a, planned.second]
        ),
        by=cast.admin_a,
    )
    return planned.assessment


@pytest.mark.parametrize("who", UNTOLD)
def test_the_planned_date_reaches_no_factory_user_or_buyer(
    cast: Cast, planned: Planned, who: str
) -> None:
    a = _moved(cast, planned)
    for user in _readers(cast, who):
        seen = _seen(cast, user, a)
        for day in (planned.assessment.planned_on, MOVED_TO, date(2026, 4, 14)):
            for text in spellings(day):
                assert text not in seen, (user, text)
        # Not even that an assessment is planned.
        assert "compliance assessment" not in seen.lower(), user


def test_the_providers_administrator_and_assessors_see_the_date(
    cast: Cast, planned: Planned
) -> None:
    a = _moved(cast, planned)
    for user in (cast.admin_a, cast.assessor_a, cast.owner):
        seen = _seen(cast, user, a)
        assert MOVED_TO.isoformat() in seen, user  # the API's planned_on
    # Yet not provider A's facilitator, who advises the factory month by month.
    assert MOVED_TO.isoformat() not in _seen(cast, cast.facilitator_a, a)


def test_the_audit_trail_never_keeps_the_date(cast: Cast, planned: Planned) -> None:
    _moved(cast, planned)
    history = ComplianceAssessment.history.model
    assert "planned_on" not in {f.name for f in history._meta.fields}
    assert history.objects.filter(id=planned.assessment.pk).count() == 2


def test_the_api_leaves_the_date_out_once_the_assessment_started(
    cast: Cast, planned: Planned
) -> None:
    services.assessment_start(assessment=planned.assessment, by=cast.assessor_a)
    for user in (cast.coordinator_a, cast.buyer, cast.admin_b):
        response = cast.client(user).get(f"/api/v1/compliance-assessments/{planned.assessment.pk}/")
        assert response.status_code == 404, user
