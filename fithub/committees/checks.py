"""The committee's rules, shown as checks: pure functions over plain facts (no database).

Better Work asks for a committee of management and elected worker representatives in equal
numbers (domain.md 3.8); the rules here are the ones a factory can act on:

- at least as many worker as management members;
- women among the worker members in proportion to the women in the workforce (rounded to the
  nearest whole person, a half up: 70 % of 5 seats is 3.5, so 4);
- worker representatives elected, not appointed;
- terms that have ended, or end within `TERM_WARNING_DAYS`.

The same proportion is asked of an election's result. The meeting's quorum (both sides present),
the election's outcome and the review's score are computed here too, so that the pages, the API
and later apps (cycles, reports) agree on them.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

TERM_WARNING_DAYS = 60

MANAGEMENT = "management"
WORKER = "worker"
FEMALE = "female"
ELECTED = "elected"

NO_MEMBERS = "no_members"
BALANCE = "balance"
WOMEN = "women"
ELECTED_WORKERS = "elected_workers"
TERMS_ENDED = "terms_ended"
TERMS_ENDING = "terms_ending"
ELECTION_WOMEN = "election_women"


class Level(StrEnum):
    OK = "ok"
    WARNING = "warning"
    PROBLEM = "problem"
    UNKNOWN = "unknown"  # a fact the check needs is not recorded


@dataclass(frozen=True)
class MemberFacts:
    name: str
    side: str
    sex: str
    selection: str = ELECTED
    term_ends_on: date | None = None


@dataclass(frozen=True)
class Workforce:
    women: int | None = None
    men: int | None = None

    @property
    def share_women(self) -> float | None:
        if self.women is None or self.men is None or self.women + self.men == 0:
            return None
        return self.women / (self.women + self.men)


@dataclass(frozen=True)
class Check:
    code: str
    level: Level
    message: str

    @property
    def ok(self) -> bool:
        return self.level == Level.OK


def women_needed(share: float, seats: int) -> int:
    """Return how many of `seats` should be women to match `share`, a half rounded up."""
    return math.floor(share * seats + 0.5)


def _percent(share: float) -> int:
    return math.floor(share * 100 + 0.5)


def _names(members: Iterable[MemberFacts]) -> str:
    return ", ".join(m.name for m in members)


def balance(members: Sequence[MemberFacts]) -> list[Check]:
    """At least as many worker as management members (none at all is its own problem)."""
    if not members:
        return [Check(NO_MEMBERS, Level.PROBLEM, _("The committee has no members yet."))]
    workers = sum(1 for m in members if m.side == WORKER)
    managers = sum(1 for m in members if m.side == MANAGEMENT)
    values = {"workers": workers, "managers": managers}
    if workers >= managers:
        return [
            Check(
                BALANCE,
                Level.OK,
                _("%(workers)s worker and %(managers)s management members.") % values,
            )
        ]
    return [
        Check(
            BALANCE,
            Level.PROBLEM,
            _(
                "%(workers)s worker and %(managers)s management members: the workers' side "
                "needs at least as many members as management."
            )
            % values,
        )
    ]


def women(members: Sequence[MemberFacts], workforce: Workforce) -> list[Check]:
    """Women among the worker members in proportion to the women in the workforce."""
    workers = [m for m in members if m.side == WORKER]
    if not workers:
        return []
    share = workforce.share_women
    if share is None:
        return [
            Check(
                WOMEN,
                Level.UNKNOWN,
                _(
                    "Enter the factory's numbers of women and men workers to check that women "
                    "are represented in proportion."
                ),
            )
        ]
    count = sum(1 for m in workers if m.sex == FEMALE)
    needed = women_needed(share, len(workers))
    values = {"women": count, "seats": len(workers), "share": _percent(share), "needed": needed}
    if count >= needed:
        message = ngettext(
            "%(women)s of %(seats)s worker member is a woman; the workforce is %(share)s%% women.",
            "%(women)s of %(seats)s worker members are women; the workforce is %(share)s%% women.",
            len(workers),
        )
        return [Check(WOMEN, Level.OK, message % values)]
    message = ngettext(
        "%(women)s of %(seats)s worker member is a woman, but the workforce is %(share)s%% "
        "women: at least %(needed)s should be.",
        "%(women)s of %(seats)s worker members are women, but the workforce is %(share)s%% "
        "women: at least %(needed)s should be.",
        len(workers),
    )
    return [Check(WOMEN, Level.PROBLEM, message % values)]


def elected_workers(members: Sequence[MemberFacts]) -> list[Check]:
    """Worker representatives are elected by the workers, not appointed by management."""
    appointed = [m for m in members if m.side == WORKER and m.selection != ELECTED]
    if not appointed:
        return []
    return [
        Check(
            ELECTED_WORKERS,
            Level.WARNING,
            _(
                "Worker representatives are elected by the workers; appointed on the workers' "
                "side: %(names)s."
            )
            % {"names": _names(appointed)},
        )
    ]


def terms(
    members: Sequence[MemberFacts], *, today: date, warn_days: int = TERM_WARNING_DAYS
) -> list[Check]:
    """Terms that have ended (a problem) or end within warn_days (a warning)."""
    ended = [m for m in members if m.term_ends_on is not None and m.term_ends_on < today]
    horizon = today + timedelta(days=warn_days)
    ending = sorted(
        (m for m in members if m.term_ends_on is not None and today <= m.term_ends_on <= horizon),
        key=lambda m: (m.term_ends_on, m.name),
    )
    found = []
    if ended:
        found.append(
            Check(
                TERMS_ENDED,
                Level.PROBLEM,
                _("Terms that have ended: %(names)s. Hold an election or renew them.")
                % {"names": _names(ended)},
            )
        )
    if ending:
        found.append(
            Check(
                TERMS_ENDING,
                Level.WARNING,
                ngettext(
                    "A term ends within %(days)s day: %(names)s (first on %(date)s).",
                    "Terms end within %(days)s days: %(names)s (first on %(date)s).",
                    warn_days,
                )
                % {
                    "days": warn_days,
                    "names": _names(ending),
                    "date": date_format(ending[0].term_ends_on),  # type: ignore[arg-type]
                },
            )
        )
    if members and not found:
        found.append(
            Check(
                TERMS_ENDING,
                Level.OK,
                ngettext(
                    "No term ends within the next %(days)s day.",
                    "No term ends within the next %(days)s days.",
                    warn_days,
                )
                % {"days": warn_days},
            )
        )
    return found


def committee_checks(
    members: Sequence[MemberFacts],
    workforce: Workforce,
    *,
    today: date,
    warn_days: int = TERM_WARNING_DAYS,
) -> list[Check]:
    """Run every committee check over its current members, most fundamental first."""
    return [
        *balance(members),
        *women(members, workforce),
        *elected_workers(members),
        *terms(members, today=today, warn_days=warn_days),
    ]


def quorum(sides_present: Iterable[str]) -> bool:
    """A meeting is quorate when both sides are present."""
    present = set(sides_present)
    return MANAGEMENT in present and WORKER in present


# --- elections -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    elected: list[int]  # candidate ids, most votes first
    tied: list[int]  # candidates tied for the last seats: a run-off decides


def election_outcome(seats: int, votes: Sequence[tuple[int, int]]) -> Outcome:
    """Return who is elected from (candidate id, votes): the most votes take the seats.

    Candidates tied across the last seat are neither elected nor beaten: they are `tied`, and
    the factory holds a run-off between them. Candidates without a vote are not elected.
    """
    ranked = sorted(((v, cid) for cid, v in votes if v > 0), key=lambda t: (-t[0], t[1]))
    if len(ranked) <= seats:
        return Outcome([cid for _v, cid in ranked], [])
    cutoff = ranked[seats - 1][0]
    if ranked[seats][0] < cutoff:
        return Outcome([cid for _v, cid in ranked[:seats]], [])
    return Outcome(
        [cid for v, cid in ranked if v > cutoff], [cid for v, cid in ranked if v == cutoff]
    )


def election_women(
    elected_sexes: Sequence[str], candidate_sexes: Sequence[str], workforce: Workforce
) -> Check:
    """Check that women are elected in proportion to the women in the workforce."""
    share = workforce.share_women
    if share is None:
        return Check(
            ELECTION_WOMEN,
            Level.UNKNOWN,
            _(
                "Enter the factory's numbers of women and men workers to compare the result "
                "with the workforce."
            ),
        )
    count = sum(1 for s in elected_sexes if s == FEMALE)
    needed = women_needed(share, len(elected_sexes))
    values = {
        "women": count,
        "seats": len(elected_sexes),
        "share": _percent(share),
        "needed": needed,
        "candidates": sum(1 for s in candidate_sexes if s == FEMALE),
    }
    if count >= needed:
        return Check(
            ELECTION_WOMEN,
            Level.OK,
            _("Women: %(women)s of %(seats)s elected; the workforce is %(share)s%% women.")
            % values,
        )
    return Check(
        ELECTION_WOMEN,
        Level.WARNING,
        _(
            "Women: %(women)s of %(seats)s elected (%(candidates)s stood), but the workforce is "
            "%(share)s%% women: %(needed)s would be in proportion. Encourage women to stand "
            "next time, or reserve seats for them."
        )
        % values,
    )


# --- reviews ---------------------------------------------------------------------------------


def review_score(answers: Iterable[tuple[int, int]], *, points: int = 2) -> int | None:
    """Return the score out of 100 from (answer, weight): no 0, partly 1, yes `points`."""
    got = total = 0
    for answer, weight in answers:
        got += answer * weight
        total += points * weight
    if not total:
        return None
    return math.floor(100 * got / total + 0.5)
