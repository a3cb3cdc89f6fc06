"""No withheld figure can be worked out from the figures shown beside it."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from fithub.surveys.suppression import MIN_GROUP, suppressed_cells, suppressed_parts


def _solutions(total: int, shown: dict[int, int], hidden: list[int]) -> list[tuple[int, ...]]:
    """Every way the withheld parts could be filled, knowing the total and that each is > 0."""
    rest = total - sum(shown.values())
    return [
        combo
        for combo in itertools.product(range(1, rest + 1), repeat=len(hidden))
        if sum(combo) == rest
    ]


parts_strategy = st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=4)


@settings(max_examples=400, deadline=None)
@given(parts_strategy)
def test_a_withheld_part_of_a_shown_total_cannot_be_worked_out(counts: list[int]) -> None:
    parts = dict(enumerate(counts))
    total = sum(counts)
    hidden = suppressed_parts(total, parts)

    # Every small group is withheld, and no empty one needs to be.
    assert {k for k, n in parts.items() if 0 < n < MIN_GROUP} <= hidden
    if 0 < total < MIN_GROUP:
        assert hidden == set(parts)
        return
    shown = {k: n for k, n in parts.items() if k not in hidden}
    withheld = sorted(k for k in hidden if parts[k] > 0)
    if not withheld:
        return
    # An attacker who knows the total, the shown parts and that each withheld part holds
    # someone finds more than one value for every withheld part.
    solutions = _solutions(total, shown, withheld)
    assert tuple(parts[k] for k in withheld) in solutions
    for i, key in enumerate(withheld):
        assert len({s[i] for s in solutions}) > 1, (parts, hidden, key)


def test_women_in_a_small_minority_hide_the_men_too() -> None:
    assert suppressed_parts(12, {"female": 3, "male": 9}) == {"female", "male"}
    assert suppressed_parts(15, {"female": 3, "male": 6, "other": 6}) == {"female", "male"}
    assert suppressed_parts(10, {"female": 5, "male": 5}) == set()
    assert suppressed_parts(4, {"female": 2, "male": 2}) == {"female", "male"}


def test_two_groups_of_one_hide_a_third_since_they_could_only_be_one_each() -> None:
    assert suppressed_parts(12, {"a": 1, "b": 1, "c": 10}) == {"a", "b", "c"}


@settings(max_examples=150, deadline=None)
@given(st.lists(parts_strategy, min_size=1, max_size=3))
def test_in_a_table_each_row_is_protected_beside_its_total(rows: list[list[int]]) -> None:
    table = {r: dict(enumerate(row)) for r, row in enumerate(rows)}
    hidden = suppressed_cells(table)

    for r, row in table.items():
        assert {c for (rr, c) in hidden if rr == r} == suppressed_parts(sum(row.values()), row)
