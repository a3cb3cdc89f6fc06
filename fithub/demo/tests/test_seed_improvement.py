"""The demo improvement plans: stages, evidence photos, follow-ups, and who sees them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from fithub.accounts.models import User
from fithub.demo import data
from fithub.demo.seed_improvement import photo
from fithub.improvement import selectors
from fithub.improvement.models import AdoptionFollowUp, ImprovementPlan, ItemEvidence
from fithub.improvement.scoping import followups_for, plans_for
from fithub.lib.evidence import evidence_prepare


@pytest.fixture
def demo(db: None, settings, tmp_path) -> str:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    for command in ("seed_demo", "seed_catalogue", "seed_assessment"):
        call_command(command, "--if-empty", stdout=StringIO())
    out = StringIO()
    call_command("seed_training", "--if-empty", stdout=out)
    return out.getvalue()


def _login(role: str) -> User:
    return User.objects.get(email=next(lo.email for lo in data.LOGINS if lo.role == role))


def test_plans_at_different_stages_with_photos_and_follow_ups(demo: str) -> None:
    assert "Improvement plan of" in demo
    statuses = {
        plan.factory.name: set(plan.items.values_list("status", flat=True))
        for plan in ImprovementPlan.objects.select_related("factory")
    }
    assert {"verified", "returned", "in_progress", "dropped"} <= statuses[data.PK_FACTORIES[0].name]
    assert "done" in statuses[data.PK_FACTORIES[4].name]
    assert statuses[data.PK_FACTORIES[3].name] == {"open"}
    assert ItemEvidence.objects.filter(item__status="verified", stage="after").exists()
    sahil = ImprovementPlan.objects.get(factory__name=data.PK_FACTORIES[0].name)
    fixed = sahil.items.get(status="verified", transitions__to_status="returned")
    assert fixed.transitions.filter(to_status="returned").exclude(reason="").exists()
    assert sahil.sign_off_state == "partly"
    assert AdoptionFollowUp.objects.exclude(in_use="").exists()
    overdue = selectors.followups_due(AdoptionFollowUp.objects.all(), today=timezone.localdate())
    assert overdue.filter(due_on__lt=timezone.localdate()).exists()  # one left for the list


def test_the_demo_logins_see_their_plans_and_the_buyer_none(demo: str) -> None:
    coordinator = _login("Factory coordinator")
    assert [p.factory.name for p in plans_for(coordinator)] == [data.PK_FACTORIES[0].name]
    assert followups_for(_login("Facilitator")).exists()
    buyer = _login("Buyer")
    assert not plans_for(buyer).exists() and not followups_for(buyer).exists()


def test_the_drawn_photos_pass_the_evidence_checks() -> None:
    for after in (False, True):
        prepared = evidence_prepare(photo("Exit", after=after, name="x.jpg"))
        assert prepared.kind == "photo"
