"""Small counts are not shown: a count of persons (or of their decisions, answers) below the limit could
point at someone, so outputs show it as suppressed, as the official statistics do. Totals still include
it, because they are not small."""

from __future__ import annotations

MIN_COUNT = 5


def is_small(count: float | None) -> bool:
    """Whether a count of persons is too small to show (0 is shown: it points at no one)."""
    return count is not None and 0 < count < MIN_COUNT
