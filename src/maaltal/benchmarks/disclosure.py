"""Small counts are not shown: a count of persons (or of their decisions, answers) below the limit could
point at someone, so outputs show it as suppressed, as the official statistics do. Totals still include
it, because they are not small.

The rule is :func:`maaltal.privacy.is_suppressed`, the one rule every output uses (0 is shown, 1 to 4 are
not); :func:`note` says in Danish exactly what a table hides, so that a note never claims more than that.
"""

from __future__ import annotations

from maaltal.privacy import DEFAULT_THRESHOLD, is_suppressed

MIN_COUNT = DEFAULT_THRESHOLD


def is_small(count: float | None) -> bool:
    """Whether a count of persons is too small to show (0 is shown: it points at no one)."""
    return is_suppressed(count, MIN_COUNT)


def note(line: str, counted: str) -> str:
    """What a table hides: ``Paragraffer med 1–4 afgørelser i alt vises ikke (–) …``.

    ``line`` names the rows the rule applies to (plural, capitalised), ``counted`` what their total counts.
    The counts in a row that is shown are shown whatever their size, because its total is not small."""
    return (f"{line} med 1–{MIN_COUNT - 1} {counted} i alt vises ikke (–) af hensyn til diskretion; de tæller med i "
            "totalen.")
