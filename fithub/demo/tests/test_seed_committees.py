"""The demo committees: a Bangladesh and a Karachi factory, each with an election and meetings."""

from io import StringIO

import pytest
from django.core.management import call_command

from fithub.accounts.models import User
from fithub.committees import selectors
from fithub.committees.models import Committee, Election, MinutesApproval
from fithub.committees.scoping import committees_for
from fithub.demo import data


@pytest.fixture
def demo(db: None) -> None:
    call_command("seed_demo", stdout=StringIO())


def test_two_demo_committees_with_elections_meetings_and_reviews(demo: None) -> None:
    committees = Committee.objects.select_related("factory").order_by("factory__country")
    assert [c.factory.country.code for c in committees] == ["BD", "PK"]
    for c in committees:
        assert Election.objects.filter(committee=c, results_recorded_at__isnull=False).exists()
        assert c.meetings.count() >= 2
        assert c.members.filter(side="worker", candidacies__isnull=False).exists()
        summary = selectors.committee_summary(c)
        assert summary.workers >= summary.managers
        assert summary.latest_review is not None and 0 < summary.latest_review.score < 100
    karachi = committees.get(factory__country="PK")
    codes = {check.code: check.level for check in selectors.committee_summary(karachi).checks}
    assert codes["terms_ending"] == "warning"  # Muhammad Aslam's term ends within 60 days


def test_the_demo_logins_see_and_approve_their_factory_s_committee(demo: None) -> None:
    rep = User.objects.get(
        email=next(lo.email for lo in data.LOGINS if lo.role == "Worker representative")
    )
    [committee] = committees_for(rep)
    assert committee.factory.country.code == "PK"
    assert MinutesApproval.objects.filter(approved_by=rep, side="worker").exists()
    buyer = User.objects.get(email=next(lo.email for lo in data.LOGINS if lo.role == "Buyer"))
    assert not committees_for(buyer).exists()
