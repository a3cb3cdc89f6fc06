"""Suppression of small groups, so that no shown figure tells what a few people answered.

Primary suppression: a group with 1 to 4 responses shows no figure. Complementary suppression:
where a total is shown beside its parts (the women and the men of a session, the sessions of a
module), one withheld part could be worked out as the total minus the others, so more parts are
withheld with it, the smallest that have responses first, until none can be worked out. Parts
with no responses are shown as such: a withheld part is then known to hold at least one, so two
withheld parts that add up to 2 would each be 1, and a third is withheld.

A table (sessions by sex, say) shows each row beside its total and the rule applies per row;
column totals are not shown beside the cells (see `suppressed_cells`).
"""

from collections.abc import Hashable, Mapping

MIN_GROUP = 5


def small(count: int) -> bool:
    """Whether a group of this many responses is too small to show."""
    return 0 < count < MIN_GROUP


def _derivable[K: Hashable](hidden: Mapping[K, int]) -> bool:
    # With the total shown, the withheld parts' sum is known and each is at least 1: one part
    # alone is known, and so are parts that can only all be 1.
    return len(hidden) == 1 or (bool(hidden) and sum(hidden.values()) == len(hidden))


def _complete[K: Hashable](parts: Mapping[K, int], hidden: set[K]) -> set[K]:
    hidden = set(hidden)
    while _derivable({key: parts[key] for key in hidden}):
        candidates = sorted(
            (count, index, key)
            for index, (key, count) in enumerate(parts.items())
            if key not in hidden and count > 0
        )
        if not candidates:
            return {key for key, count in parts.items() if count > 0 or key in hidden}
        hidden.add(candidates[0][2])
    return hidden


def suppressed_parts[K: Hashable](total: int, parts: Mapping[K, int]) -> set[K]:
    """Return the parts of a total (their counts add up to it) whose figures are withheld."""
    if small(total):
        return set(parts)
    return _complete(parts, {key for key, count in parts.items() if small(count)})


def suppressed_cells[R: Hashable, C: Hashable](
    table: Mapping[R, Mapping[C, int]],
) -> set[tuple[R, C]]:
    """Return the cells of a table whose figures are withheld, each row beside its total.

    Only row totals are shown beside the cells (a session's answers beside its women and men);
    column totals (all women across the sessions) are never shown next to them, since a column
    with a single withheld cell and nothing to pair it with could not be protected.
    """
    hidden: set[tuple[R, C]] = set()
    for r, row in table.items():
        hidden |= {(r, c) for c in suppressed_parts(sum(row.values()), row)}
    return hidden
