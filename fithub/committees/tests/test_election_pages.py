"""The election page: candidates, the count, the elected joining, with the whole cast."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from fithub.committees import services
from fithub.committees.models import Candidate, Election, Member
from fithub.committees.tests.conftest import EVERYONE, HTMX, READ_A, RECORD_A, days, get, post


@pytest.fixture
def election_a(cast, seated) -> Election:  # type: ignore[no-untyped-def]
    election = services.election_create(
        committee=seated.committee,
        details=services.ElectionDetails(
            title="Worker representatives 2026",
            seats=2,
            nomination_opens_on=days(-20),
            nomination_closes_on=days(-10),
            eligible_voters=150,
            guided_by=cast.facilitator_a,
        ),
        by=cast.coordinator_a,
    )
    for name, sex in (
        ("Nasrin Begum", "female"),
        ("Jamal Mia", "male"),
        ("Shirin Akter", "female"),
    ):
        services.candidate_add(
            election=election,
            details=services.CandidateDetails(name=name, sex=sex, department="sewing"),
            by=cast.coordinator_a,
        )
    return election


def _count(election: Election, voters: int, *votes: int) -> dict[str, object]:
    candidates = election.candidates.order_by("name")  # Jamal, Nasrin, Shirin
    data: dict[str, object] = {"held_on": days(-5), "voters": voters}
    data.update({f"votes_{c.pk}": v for c, v in zip(candidates, votes, strict=True)})
    return data


def _candidate(name: str) -> Candidate:
    return Candidate.objects.get(name=name)


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_factory_s_recorders_count_and_seat(cast, election_a, who) -> None:
    page = get(cast, who, election_a.get_absolute_url())
    assert page.status_code == (200 if who in READ_A else 404)
    if who in READ_A:
        # Readers see the election; only recorders are offered its forms.
        html = page.content.decode()
        assert (reverse("committees:results", args=[election_a.pk]) in html) == (who in RECORD_A)
    if who in RECORD_A:
        return
    members = Member.objects.count()
    url = reverse("committees:results", args=[election_a.pk])
    assert post(cast, who, url, _count(election_a, 120, 30, 80, 60)).status_code == 404
    url = reverse("committees:join", args=[election_a.pk])
    assert post(cast, who, url, {"term_starts_on": days(-4)}).status_code == 404
    election_a.refresh_from_db()
    assert not election_a.has_results and election_a.voters is None
    assert not Candidate.objects.filter(votes__isnull=False).exists()
    assert Member.objects.count() == members


def test_more_votes_than_voters_is_refused_in_the_reader_s_language(cast, election_a) -> None:
    client = cast.client(cast.coordinator_a)
    client.cookies["django_language"] = "ur"
    url = reverse("committees:results", args=[election_a.pk])
    response = client.post(url, _count(election_a, 50, 30, 80, 40))
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("ur"):
        message = translation.gettext(
            "%(name)s has %(votes)s votes, more than the %(voters)s workers who voted."
        ) % {"name": "Nasrin Begum", "votes": 80, "voters": 50}
    assert "more than the" not in message
    assert escape(message) in html
    election_a.refresh_from_db()
    assert not election_a.has_results and election_a.held_on is None
    assert not Candidate.objects.filter(votes__isnull=False).exists()


def test_record_the_count_and_seat_the_elected(cast, seated, election_a) -> None:
    url = reverse("committees:results", args=[election_a.pk])
    response = post(cast, "manager_a", url, _count(election_a, 120, 30, 80, 60))
    assert response.status_code == 302
    election_a.refresh_from_db()
    assert election_a.recorded_by == cast.manager_a and election_a.voters == 120
    html = get(cast, "worker_rep_a", election_a.get_absolute_url()).content.decode()
    assert html.count('<span class="badge ok">Elected</span>') == 2  # Nasrin and Shirin
    assert html.count("Not elected") == 1  # Jamal
    # 2 of 2 elected are women, the workforce is 60 % women: in proportion.
    assert 'class="level-ok" data-code="election_women"' in html
    assert "Results recorded by</dt><dd>Mona Manager" in html
    assert "Guided by (advisor)</dt><dd>Farid Facilitator" in html

    url = reverse("committees:join", args=[election_a.pk])
    response = post(cast, "coordinator_a", url, {"term_starts_on": days(-4)})
    assert response["Location"].endswith(f"/committees/{seated.committee.pk}/#members")
    seated_now = Member.objects.filter(committee=seated.committee, name__in=["Nasrin Begum"])
    assert seated_now.get().side == "worker"
    assert _candidate("Shirin Akter").member is not None
    assert _candidate("Jamal Mia").member is None
    # Seated once: a second try is refused with a message, and writes nothing.
    before = Member.objects.count()
    response = cast.client(cast.coordinator_a).post(url, {"term_starts_on": days(-4)}, follow=True)
    assert "already joined the committee" in response.content.decode()
    assert Member.objects.count() == before


def test_a_term_before_the_voting_day_is_refused(cast, election_a) -> None:
    post(cast, "coordinator_a", reverse("committees:results", args=[election_a.pk]),
         _count(election_a, 120, 30, 80, 60))  # fmt: skip
    url = reverse("committees:join", args=[election_a.pk])
    response = post(cast, "coordinator_a", url, {"term_starts_on": days(-30)})
    assert "A term starts on or after the voting day." in response.content.decode()
    assert not Member.objects.filter(name="Nasrin Begum").exists()


def test_a_candidate_added_through_htmx(cast, election_a) -> None:
    url = reverse("committees:candidate-add", args=[election_a.pk])
    data = {"name": "Roksana Parvin", "sex": "female", "department": "finishing"}
    response = post(cast, "coordinator_a", url, data, **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="candidates"')
    assert "Roksana Parvin" in html
    # A manager of the committee cannot stand for the workers.
    data = {"name": "Mona Manager", "sex": "female", "department": "management"}
    html = post(cast, "coordinator_a", url, data, **HTMX).content.decode()
    assert "sits on the management side of this committee" in html
    assert not Candidate.objects.filter(name="Mona Manager").exists()
