"""A small hand-made tool (for rates computed by hand), the sample tools, and assessments of them.

The small tool, for Pakistan (factory A's country):
- cluster CO, point CO-WIU with five questions W1..W5 (the "one non-compliant of five" point);
- cluster OS, point OS-ACC with A1 (applies only with accommodation) and A2; point OS-EME with E1.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from fithub.accounts.models import Membership, User
from fithub.compliance import services
from fithub.compliance.models import ComplianceAssessment, Question, ToolVersion
from fithub.conftest import Cast


def row(point: str, code: str, en: str, **kw: Any) -> dict[str, Any]:
    return {
        "point": point,
        "code": code,
        "text_en": en,
        "text_bn": f"{en} (bn)",
        "text_ur": f"{en} (ur)",
        **kw,
    }


SMALL_ROWS = [
    row("CO-WIU", "W1", "Pay slips are given"),
    row("CO-WIU", "W2", "One payroll is kept", dialogue=True),
    row("CO-WIU", "W3", "Deductions are legal"),
    row("CO-WIU", "W4", "Wages are explained"),
    row("CO-WIU", "W5", "Records are kept 3 years", publicly_reported=True),
    row("OS-ACC", "A1", "Accommodation is safe", applies_if=["has_accommodation"]),
    row("OS-ACC", "A2", "Dormitory exits are clear"),
    row("OS-EME", "E1", "Fire alarm works", publicly_reported=True, dialogue=True),
]


def make_small_tool(cast: Cast, *, country: str = "PK", slug: str = "small") -> ToolVersion:
    tool = services.tool_create(
        owner=cast.owner_org, country=country, slug=slug, title={"en": "Small tool"}, by=cast.owner
    )
    draft = tool.versions.get()
    services.tool_version_import(version=draft, rows=SMALL_ROWS, by=cast.owner)
    return services.tool_version_publish(version=draft, by=cast.owner)


def make_assessor(cast: Cast, email: str = "assessor.a2@example.org") -> User:
    user = User.objects.create_user(email, "correct horse battery staple", name="Aisha Assessor")
    Membership.objects.create(
        user=user, organisation=cast.provider_a, role=Membership.Role.ASSESSOR
    )
    return user


@dataclass
class Planned:
    assessment: ComplianceAssessment
    version: ToolVersion
    second: User  # provider A's second assessor

    def q(self, code: str) -> Question:
        return Question.objects.get(version=self.version, code=code)


PLANNED_ON = date(2026, 4, 14)


@pytest.fixture
def small(cast: Cast) -> ToolVersion:
    return make_small_tool(cast)


@pytest.fixture
def planned(cast: Cast, small: ToolVersion) -> Planned:
    second = make_assessor(cast)
    assessment = services.assessment_plan(
        engagement=cast.engagement_a,
        version=small,
        details=services.PlanDetails(planned_on=PLANNED_ON, assessors=[cast.assessor_a, second]),
        by=cast.admin_a,
    )
    return Planned(assessment, small, second)


@pytest.fixture
def started(cast: Cast, planned: Planned) -> Planned:
    services.assessment_start(assessment=planned.assessment, by=cast.assessor_a)
    planned.assessment.refresh_from_db()
    return planned


def answer_all(p: Planned, by: User, results: dict[str, str], default: str = "compliant") -> None:
    """Answer every question that applies: `results` by code, the rest `default`."""
    a = p.assessment
    for q in Question.objects.filter(version=p.version):
        if q.applies_to(a.facts):
            services.finding_save(
                assessment=a, question=q, result=results.get(q.code, default), notes="", by=by
            )
