"""Demo compliance assessments: the SAMPLE tools, assessed factories in both pilots, two cycles for
some (so that new, resolved and persisting findings show), and one planned, unannounced visit.
Called from seed_demo.

Everything goes through the compliance services, as the assessors' phones would have written it.
Findings are drawn per compliance point at about the rates Better Work's synthesis reports
publish (paid leave ~80% of factories, wage information ~50%, child labour under 1%; domain.md
§3.3-3.4), so the rates pages look like real ones. The people are fictional.
"""

import random
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection

from fithub.accounts.models import Membership, Organisation, User
from fithub.compliance import services
from fithub.compliance.models import ComplianceAssessment, Fact, Question, ToolVersion
from fithub.compliance.sample import sample_tool_load
from fithub.demo import data
from fithub.factories.models import Factory
from fithub.programmes.models import Engagement

# Chance that a factory is non-compliant on a question of the point; the rest is 5%.
POINT_RATES = {
    "CO-PLV": 0.45, "CO-WIU": 0.3, "CO-OTW": 0.3, "WT-OVT": 0.4, "OS-EME": 0.25,
    "OS-CHE": 0.25, "OS-PRO": 0.2, "OS-WEL": 0.15, "FA-FTA": 0.1, "CL-CHL": 0.005,
    "CL-UWF": 0.0, "FL-PRI": 0.0,
}  # fmt: skip
OTHER_RATE = 0.05
ASSESSORS = {
    "PK": [("Kashif Mahmood", "kashif.mahmood"), ("Saima Qureshi", "saima.qureshi")],
    "BD": [("Tanvir Ahmed", "tanvir.ahmed"), ("Nusrat Jahan", "nusrat.jahan")],
}


def _assessors(provider: Organisation, country: str, password: str) -> list[User]:
    """Two assessors of the provider: the demo assessor login where it belongs, plus demo staff."""
    people = list(
        User.objects.filter(
            memberships__organisation=provider, memberships__role=Membership.Role.ASSESSOR
        ).order_by("pk")
    )
    for name, slug in ASSESSORS[country]:
        if len(people) >= 2:
            break
        email = f"{slug}.{provider.pk}@{data.DEMO_DOMAIN}"
        language = "bn" if country == "BD" else "en"
        user = User.objects.create(email=email, name=name, password=password, language=language)
        Membership.objects.create(user=user, organisation=provider, role=Membership.Role.ASSESSOR)
        people.append(user)
    return people[:2]


def _assess(
    *,
    engagement: Engagement,
    version: ToolVersion,
    assessors: list[User],
    day: date,
    rng: random.Random,
    facts: dict[str, bool],
) -> ComplianceAssessment:
    by = assessors[0]
    a = services.assessment_plan(
        engagement=engagement,
        version=version,
        details=services.PlanDetails(planned_on=day, assessors=assessors),
        by=None,
    )
    services.assessment_start(assessment=a, by=by)
    a.refresh_from_db()
    services.facts_save(assessment=a, facts=facts, by=by)
    services.counts_save(
        assessment=a,
        worker_interviews=rng.randint(18, 40),
        management_interviews=rng.randint(3, 8),
        documents_reviewed=rng.randint(25, 60),
        by=assessors[1],
    )
    for q in Question.objects.filter(version=version).select_related("point"):
        if not q.applies_to(a.facts):
            continue
        nc = rng.random() < POINT_RATES.get(q.point.code, OTHER_RATE)
        services.finding_save(
            assessment=a,
            question=q,
            result="non_compliant" if nc else "compliant",
            notes="",
            by=assessors[rng.randrange(2)],
        )
    return services.assessment_submit(assessment=a, by=by)


def _analyse() -> None:
    # The whole seed may run in one transaction (a test, or a first ./dev start), which no
    # autovacuum sees: PostgreSQL then plans over tables it believes empty, with nested loops
    # over thousands of findings. Fresh statistics keep each assessment's queries on indexes.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE compliance_finding, compliance_question, compliance_compliancepoint,"
                " compliance_cluster, compliance_complianceassessment"
            )


def seed(*, owner: Organisation, factories: list[Factory], today: date) -> int:
    """Assess the factories' active or completed engagements; return the assessments made."""
    rng = random.Random(2026)
    password = make_password(data.DEMO_PASSWORD)
    versions = {c: sample_tool_load(owner=owner, country=c) for c in ("BD", "PK")}
    made = 0
    for i, factory in enumerate(factories):
        _analyse()
        engagement = (
            factory.engagements.filter(status__in=["active", "completed"]).order_by("pk").first()
        )
        if engagement is None:
            continue
        assessors = _assessors(engagement.provider, factory.country, password)
        version = versions[factory.country]
        facts: dict[str, bool] = {
            Fact.HAS_ACCOMMODATION.value: i % 3 == 0,
            Fact.HAS_UNION.value: i % 2 == 0,
            Fact.HAS_CANTEEN.value: True,
            Fact.HAS_YOUNG_WORKERS.value: i % 4 == 1,
        }
        if i % 2 == 0:  # two cycles: last year's assessment, and this year's
            _assess(
                engagement=engagement, version=version, assessors=assessors,
                day=today - timedelta(days=400), rng=rng, facts=facts,
            )  # fmt: skip
            made += 1
        if i % 5 == 4:  # planned, unannounced: only the provider and the owner see the date
            services.assessment_plan(
                engagement=engagement,
                version=version,
                details=services.PlanDetails(
                    planned_on=today + timedelta(days=10 + i), assessors=assessors
                ),
                by=None,
            )
        else:
            _assess(
                engagement=engagement, version=version, assessors=assessors,
                day=today - timedelta(days=30 + i), rng=rng, facts=facts,
            )  # fmt: skip
        made += 1
    return made
