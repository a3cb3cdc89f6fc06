"""The committee's rules as checks: each rule alone, on plain facts, then all of them together."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fithub.committees import checks
from fithub.committees.checks import Level, MemberFacts, Workforce

TODAY = date(2026, 3, 1)
MOSTLY_WOMEN = Workforce(women=700, men=300)


def worker(name: str = "W", sex: str = "female", **kw) -> MemberFacts:  # type: ignore[no-untyped-def]
    return MemberFacts(name, "worker", sex, **kw)


def manager(name: str = "M", sex: str = "male", **kw) -> MemberFacts:  # type: ignore[no-untyped-def]
    return MemberFacts(name, "management", sex, selection="appointed", **kw)


def levels(found: list[checks.Check]) -> dict[str, Level]:
    return {c.code: c.level for c in found}


def test_no_members_is_a_problem_and_says_so() -> None:
    found = checks.committee_checks([], MOSTLY_WOMEN, today=TODAY)
    assert levels(found) == {"no_members": Level.PROBLEM}


def test_at_least_as_many_workers_as_managers() -> None:
    assert checks.balance([worker(), manager()])[0].level == Level.OK
    assert checks.balance([worker(), worker(), manager()])[0].level == Level.OK
    found = checks.balance([worker(), manager(), manager("M2")])
    assert found[0].level == Level.PROBLEM
    assert "1 worker and 2 management members" in found[0].message


def test_women_in_proportion_to_the_workforce_rounding_half_up() -> None:
    # 70 % of 5 seats is 3.5: 4 women are needed, 3 are not enough.
    three = [worker(f"W{i}") for i in range(3)] + [worker(f"Man{i}", "male") for i in range(2)]
    found = checks.women(three, MOSTLY_WOMEN)
    assert found[0].level == Level.PROBLEM
    assert "3 of 5 worker members are women" in found[0].message
    assert "at least 4 should be" in found[0].message
    four = [worker(f"W{i}") for i in range(4)] + [worker("Man", "male")]
    assert checks.women(four, MOSTLY_WOMEN)[0].level == Level.OK


def test_women_check_needs_the_workforce_and_a_worker_side() -> None:
    assert checks.women([worker()], Workforce())[0].level == Level.UNKNOWN
    assert checks.women([worker()], Workforce(women=0, men=0))[0].level == Level.UNKNOWN
    assert checks.women([manager()], MOSTLY_WOMEN) == []
    # A mostly male workforce: one woman of three worker members is in proportion (20 %).
    assert checks.women(
        [worker(), worker("A", "male"), worker("B", "male")], Workforce(women=200, men=800)
    )[0].ok


def test_appointed_worker_representatives_are_flagged() -> None:
    found = checks.elected_workers([worker("Ayesha", selection="appointed"), worker("Bina")])
    assert levels(found) == {"elected_workers": Level.WARNING}
    assert "Ayesha" in found[0].message and "Bina" not in found[0].message
    assert checks.elected_workers([worker(), manager()]) == []


def test_terms_ended_and_ending_soon() -> None:
    members = [
        worker("Ended", term_ends_on=date(2026, 2, 28)),
        worker("Soon", term_ends_on=date(2026, 4, 30)),  # 60 days ahead
        worker("Later", term_ends_on=date(2026, 5, 1)),  # 61 days
        worker("Open"),
    ]
    found = checks.terms(members, today=TODAY)
    assert levels(found) == {"terms_ended": Level.PROBLEM, "terms_ending": Level.WARNING}
    ended, ending = found
    assert "Ended" in ended.message and "Soon" not in ended.message
    assert "Soon" in ending.message and "Later" not in ending.message
    # A shorter horizon sees nothing coming.
    assert levels(checks.terms(members[1:], today=TODAY, warn_days=30)) == {
        "terms_ending": Level.OK
    }


def test_a_term_ending_today_is_ending_not_ended() -> None:
    found = checks.terms([worker("Today", term_ends_on=TODAY)], today=TODAY)
    assert levels(found) == {"terms_ending": Level.WARNING}


def test_a_good_committee_passes_every_check() -> None:
    members = [
        worker("A"),
        worker("B"),
        worker("C", "male"),
        manager("D"),
        manager("E", "female"),
    ]
    found = checks.committee_checks(members, Workforce(women=600, men=400), today=TODAY)
    assert all(c.ok for c in found), [c.message for c in found if not c.ok]
    assert [c.code for c in found] == ["balance", "women", "terms_ending"]


def test_quorum_needs_both_sides() -> None:
    assert checks.quorum(["worker", "management", "worker"])
    assert not checks.quorum(["worker", "worker"])
    assert not checks.quorum([])


# --- elections -------------------------------------------------------------------------------


def test_the_most_votes_take_the_seats() -> None:
    outcome = checks.election_outcome(2, [(1, 40), (2, 55), (3, 12), (4, 0)])
    assert outcome == checks.Outcome([2, 1], [])


def test_a_tie_across_the_last_seat_goes_to_a_run_off() -> None:
    outcome = checks.election_outcome(2, [(1, 40), (2, 30), (3, 30), (4, 5)])
    assert outcome == checks.Outcome([1], [2, 3])
    # A tie that all fit in the seats is no tie.
    assert checks.election_outcome(3, [(1, 40), (2, 30), (3, 30)]).tied == []


def test_nobody_without_a_vote_is_elected() -> None:
    assert checks.election_outcome(3, [(1, 4), (2, 0)]) == checks.Outcome([1], [])


@given(
    seats=st.integers(min_value=1, max_value=6),
    votes=st.lists(st.integers(min_value=0, max_value=50), max_size=12),
)
def test_the_outcome_never_fills_more_seats_than_there_are(seats: int, votes: list[int]) -> None:
    outcome = checks.election_outcome(seats, list(enumerate(votes)))
    assert len(outcome.elected) <= seats
    assert not set(outcome.elected) & set(outcome.tied)
    # Everyone elected has at least as many votes as anyone not elected.
    by_id = dict(enumerate(votes))
    if outcome.elected:
        lowest = min(by_id[i] for i in outcome.elected)
        others = [v for i, v in by_id.items() if i not in outcome.elected]
        assert all(v <= lowest for v in others)
    if not outcome.tied:
        assert len(outcome.elected) == min(seats, sum(1 for v in votes if v > 0))


def test_gender_balance_of_the_result() -> None:
    found = checks.election_women(["male", "male", "female"], ["female"] * 4, MOSTLY_WOMEN)
    assert found.level == Level.WARNING
    assert "1 of 3 elected (4 stood)" in found.message
    assert checks.election_women(["female", "female", "male"], [], MOSTLY_WOMEN).ok
    assert checks.election_women(["male"], [], Workforce()).level == Level.UNKNOWN


# --- reviews ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "score"),
    [
        ([(2, 2), (2, 1)], 100),
        ([(0, 2), (0, 1)], 0),
        ([(1, 1), (1, 1)], 50),
        ([(2, 2), (0, 1)], 67),  # 4 of 6
        ([], None),
    ],
)
def test_the_review_score_is_weighted(answers, score) -> None:  # type: ignore[no-untyped-def]
    assert checks.review_score(answers) == score


def test_women_needed_rounds_half_up() -> None:
    assert checks.women_needed(0.7, 5) == 4
    assert checks.women_needed(0.5, 3) == 2
    assert checks.women_needed(0.2, 2) == 0
    assert checks.women_needed(0.25, 2) == 1
