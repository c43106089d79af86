"""Secondary suppression over many blocks at once (:func:`maaltal.privacy.secondary`), pinned to the
cell-by-cell rule it replaced and to the property it exists for: no hidden part can be worked out from a
shown total and the other parts."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest

from maaltal import privacy


def crossed(*sizes: int) -> privacy.AdditiveGroups:
    """The groups of a full cross-classification, coordinate 0 of each dimension being its total, visited
    in the cells' order (as the spell figures' lattice does it), ties broken by the cell number."""
    cells = list(product(*(range(size) for size in sizes)))
    number = {cell: index for index, cell in enumerate(cells)}
    lines: dict[tuple[int, int], list[int]] = {}
    for cell in cells:
        for axis, coordinate in enumerate(cell):
            if coordinate:
                lines.setdefault((number[cell[:axis] + (0,) + cell[axis + 1:]], axis), []).append(number[cell])
    return privacy.AdditiveGroups(tuple(total for total, _ in lines), tuple(tuple(p) for p in lines.values()),
                                  tuple(range(len(cells))))


def cell_by_cell(groups: list[tuple[int, list[int]]], counts: dict[int, float | None], hidden: set[int]) -> set[int]:
    """The rule as it was first written (until December 2026), one group and one cell at a time: the reference."""
    part_of: dict[int, list[int]] = {}
    for index, (_, parts) in enumerate(groups):
        for part in parts:
            part_of.setdefault(part, []).append(index)
    result = set(hidden)

    def opened(cell: int, current: int) -> int:
        score = 0
        for index in part_of.get(cell, ()):
            total, parts = groups[index]
            if index == current or total in result:
                continue
            already = sum(1 for p in parts if p in result)
            score += 1 if already == 0 else -1 if already == 1 else 0
        return score

    changed = True
    while changed:
        changed = False
        for index, (total, parts) in enumerate(groups):
            if total in result or sum(1 for p in parts if p in result) != 1:
                continue
            candidates = [p for p in parts if p not in result and counts.get(p) is not None] + [total]
            result.add(min(candidates, key=lambda c: (opened(c, index), (counts.get(c) or 0) <= 0,
                                                      counts.get(c) or 0, c == total, f"{c:05d}")))
            changed = True
    return result


def random_blocks(rng: np.random.Generator, blocks: int, cells: int, missing: float, scale: float = 1.0):
    counts = rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 30], size=(blocks, cells)) * scale
    present = rng.random((blocks, cells)) >= missing
    hidden = present & (counts > 0) & (counts < privacy.DEFAULT_THRESHOLD)
    return counts, present, hidden


@pytest.mark.parametrize(("sizes", "missing", "scale"), [((11,), 0.0, 1), ((11, 7), 0.0, 1), ((4, 3, 3), 0.0, 1),
                                                         ((5, 4), 0.15, 1), ((3, 3, 3), 0.2, 1), ((5, 4), 0.1, 0.7)])
def test_every_block_gets_what_the_cell_by_cell_rule_gives(sizes, missing, scale):
    """Counts of persons, and (scale 0,7) values that are not whole numbers, ordered by their ranks."""
    groups = crossed(*sizes)
    counts, present, hidden = random_blocks(np.random.default_rng(sum(sizes)), 300, groups.cells, missing, scale)
    result = privacy.secondary(groups, counts, present, hidden)
    for block in range(counts.shape[0]):
        there = {c for c in range(groups.cells) if present[block, c]}
        reference = cell_by_cell(
            [(t, [p for p in parts if p in there]) for t, parts in zip(groups.totals, groups.parts, strict=True)
             if t in there],
            {c: (None if hidden[block, c] else counts[block, c]) for c in there},
            {c for c in there if hidden[block, c]})
        assert set(np.flatnonzero(result[block])) == reference, f"block {block}"


def test_no_shown_total_has_exactly_one_hidden_part():
    groups = crossed(6, 4, 3)
    counts, present, hidden = random_blocks(np.random.default_rng(2026), 500, groups.cells, 0.1)
    result = privacy.secondary(groups, counts, present, hidden)
    assert (result & hidden == hidden).all() and not (result & ~present).any()
    assert result.sum() > hidden.sum()  # the rule had work to do
    for total, parts in zip(groups.totals, groups.parts, strict=True):
        shown = present[:, total] & ~result[:, total]
        assert not (shown & ((result[:, list(parts)]).sum(axis=1) == 1)).any()


def test_a_block_without_hidden_cells_is_left_alone():
    groups = crossed(11, 7)
    counts = np.full((2, groups.cells), 20.0)
    present = np.ones_like(counts, dtype=bool)
    assert not privacy.secondary(groups, counts, present, np.zeros_like(present)).any()
