"""Working groups of 5-7 people, formed automatically (pure functions, no database).

FIT modules are run in groups of five to seven participants, mixed across departments and
roles and balanced by sex, and within each group three people take the rotating roles of
reader, time keeper and note taker.

Rules:
- a session of fewer than ten people is one group (with 8 or 9 people the only other choice
  is a group of fewer than five, which the method does not want);
- otherwise the smallest number of groups that keeps everyone within 5-7, as equal as
  possible: 12 -> 6+6, 13 -> 7+6, 16 -> 6+5+5;
- each sex is spread over the groups so that no two groups differ by more than one person of
  it; within a sex, people of one department (then one role) go to different groups.
"""

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

GROUP_MIN = 5
GROUP_MAX = 7
READER = "reader"
TIME_KEEPER = "time_keeper"
NOTE_TAKER = "note_taker"
ROLES = (READER, TIME_KEEPER, NOTE_TAKER)
# Workers first: the method wants workers, not managers, to take the active roles.
ROLE_PRIORITY = {"worker": 0, "supervisor": 1, "manager": 2}
SEX_ORDER = {"female": 0, "male": 1}


@dataclass(frozen=True)
class Person:
    key: Hashable
    sex: str = ""
    department: str = ""
    role: str = ""


def group_sizes(n: int) -> list[int]:
    """The sizes of the groups for n people, largest first."""
    if n <= 0:
        return []
    if n < 2 * GROUP_MIN:
        return [n]
    k = math.ceil(n / GROUP_MAX)
    base, extra = divmod(n, k)
    return [base + 1] * extra + [base] * (k - extra)


def form_groups(people: Sequence[Person]) -> list[list[Person]]:
    """Split people into groups (see the module's rules); each person is placed exactly once."""
    sizes = group_sizes(len(people))
    k = len(sizes)
    if k <= 1:
        return [list(people)] if people else []
    ordered = sorted(
        people,
        key=lambda p: (
            SEX_ORDER.get(p.sex, 2),
            p.sex,
            p.department,
            ROLE_PRIORITY.get(p.role, 3),
            str(p.key),
        ),
    )
    # Dealing in turn: group j gets positions j, j + k, ... which fills the sizes exactly
    # (the larger groups come first), and any run of people of one sex or department is
    # spread with at most one person of difference between groups.
    groups: list[list[Person]] = [[] for _ in range(k)]
    for i, person in enumerate(ordered):
        groups[i % k].append(person)
    assert [len(g) for g in groups] == sizes
    return groups


def assign_roles(members: Sequence[Person], *, turn: int = 0) -> dict[Hashable, str]:
    """Give the reader, time keeper and note taker roles to three members of a group.

    Workers come first. `turn` rotates the roles: turn 1 passes each role to the next person,
    so over a module's activities everyone gets a turn.
    """
    if not members:
        return {}
    ordered = sorted(members, key=lambda p: (ROLE_PRIORITY.get(p.role, 3), str(p.key)))
    n = len(ordered)
    roles: dict[Hashable, str] = {}
    for i, role in enumerate(ROLES[:n]):
        roles[ordered[(i + turn) % n].key] = role
    return roles
