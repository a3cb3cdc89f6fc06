"""Groups of 5-7: sizes, everyone placed once, sex balance, mixing, rotating roles."""

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fithub.training.groups import (
    GROUP_MAX,
    GROUP_MIN,
    ROLES,
    Person,
    assign_roles,
    form_groups,
    group_sizes,
)

people_st = st.lists(
    st.tuples(
        st.sampled_from(["female", "male", "other"]),
        st.sampled_from(["sewing", "cutting", "finishing", "quality", "hr"]),
        st.sampled_from(["worker", "supervisor", "manager"]),
    ),
    max_size=80,
).map(lambda rows: [Person(i, *row) for i, row in enumerate(rows)])


@pytest.mark.parametrize(
    ("n", "sizes"),
    [
        (0, []),
        (4, [4]),
        (5, [5]),
        (7, [7]),
        (9, [9]),
        (10, [5, 5]),
        (12, [6, 6]),
        (13, [7, 6]),
        (15, [5, 5, 5]),
        (16, [6, 5, 5]),
        (40, [7, 7, 7, 7, 6, 6]),
    ],
)
def test_group_sizes(n: int, sizes: list[int]) -> None:
    assert group_sizes(n) == sizes


@given(st.integers(min_value=0, max_value=500))
def test_sizes_are_within_five_to_seven_whenever_possible(n: int) -> None:
    sizes = group_sizes(n)
    assert sum(sizes) == n
    if n >= 2 * GROUP_MIN:
        assert all(GROUP_MIN <= s <= GROUP_MAX for s in sizes)
    elif n:
        # Fewer than ten people cannot make two groups of five: they stay together.
        assert sizes == [n]
    assert max(sizes, default=0) - min(sizes, default=0) <= 1


@given(people_st)
def test_everyone_is_placed_exactly_once(people: list[Person]) -> None:
    groups = form_groups(people)
    placed = [p.key for g in groups for p in g]
    assert sorted(placed) == sorted(p.key for p in people)
    assert [len(g) for g in groups] == group_sizes(len(people))


@given(people_st)
def test_each_sex_is_spread_evenly(people: list[Person]) -> None:
    groups = form_groups(people)
    for sex in ("female", "male", "other"):
        counts = [sum(1 for p in g if p.sex == sex) for g in groups]
        assert max(counts, default=0) - min(counts, default=0) <= 1


def test_departments_are_mixed_where_possible() -> None:
    # 12 people, 2 groups: six from sewing and six from cutting, all women.
    people = [Person(i, "female", "sewing" if i < 6 else "cutting", "worker") for i in range(12)]
    for g in form_groups(people):
        assert Counter(p.department for p in g) == {"sewing": 3, "cutting": 3}


def test_roles_go_to_three_members_and_rotate() -> None:
    members = [Person(i, "female", "sewing", "manager" if i == 0 else "worker") for i in range(6)]
    first = assign_roles(members)
    assert sorted(first.values()) == sorted(ROLES)
    # Workers take the roles before the manager does.
    assert 0 not in first
    second = assign_roles(members, turn=1)
    assert second != first
    assert sorted(second.values()) == sorted(ROLES)


def test_a_small_group_gets_as_many_roles_as_people() -> None:
    roles = assign_roles([Person(1), Person(2)])
    assert sorted(roles.values()) == sorted(ROLES[:2])
