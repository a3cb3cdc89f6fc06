"""The demo's compliance assessments: both pilots assessed, two cycles for some, one unannounced."""

from datetime import date

from django.core.management import call_command

from fithub.compliance.models import ComplianceAssessment
from fithub.compliance.selectors import cross_factory_rates, factory_rates
from fithub.improvement.models import ImprovementItem


def test_the_demo_has_assessed_factories_in_both_pilots(
    db, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    submitted = ComplianceAssessment.objects.filter(status="submitted")
    assert set(submitted.values_list("factory__country", flat=True)) == {"BD", "PK"}
    planned = ComplianceAssessment.objects.filter(status="planned")
    assert planned.exists() and all(a.planned_on > date.today() for a in planned)
    twice = [a for a in submitted if factory_rates(a).previous is not None]
    assert twice, "some factories have two cycles"
    rates = factory_rates(twice[0])
    assert rates.question_changes is not None and rates.questions.assessed >= 60
    across = cross_factory_rates(ComplianceAssessment.objects.all())
    assert across.factories == submitted.values("factory").distinct().count()
    assert ImprovementItem.objects.filter(source="finding").exists()
