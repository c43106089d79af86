"""Danish sentences about key figures, as an analyst would write them in a committee item.

"Bruttoledighed i Hvidovre: 2,6 pct. i juni 2022 (701 personer), 24 personer færre end i maj 2022.
Det er 0,1 procentpoint under Region Hovedstaden (2,7 pct.). Nr. 2 af 8 i Vestegnens kommuner."
What the figure measures decides the words (:mod:`maaltal.kinds` through :mod:`maaltal.formatting`):
a share's change is in procentpoint, a rank moves "1 plads frem", a count's change is also given in per
cent from a positive base. A change is the table's change rounded once (:func:`maaltal.formatting.shown_change`),
so the sentence states the change the table beside it shows; a gap to a benchmark is taken of the printed
levels.
"""

from __future__ import annotations

from collections.abc import Sequence

from maaltal import formatting as fmt
from maaltal.kinds import Kind
from maaltal.measures.keyfigures import FigureRow, KeyFigureTable, Missing
from maaltal.privacy import SMALL_COUNT


def keyfigure(table: KeyFigureTable, label: str, ranks: Sequence[str] | None = None) -> str:
    """A short paragraph on the focus area: level, development, position against each benchmark, and its
    ranks: ``ranks`` as the report words them ("nr. 3 af 8 i Vestegnens kommuner", by share), else the
    table's own ranks in each group."""
    focus = table.focus
    if focus.missing == Missing.SMALL_COUNT:
        return f"{label} i {focus.name}: tallet for {fmt.period(table.period)} {SMALL_COUNT}."
    if focus.value is None:
        reason = f" ({focus.reason})" if focus.reason else ""
        return f"{label} i {focus.name}: der er ingen tal for {fmt.period(table.period)}{reason}."
    sentences = [_level(table, focus, label) + _development(table, focus) + "."]
    for row in (r for r in table.rows if r.role == "benchmark"):
        sentences.append(_against(table, focus, row))
    if ranks is not None:
        if ranks:
            sentences.append(fmt.capital(_join(ranks)) + ".")
    else:
        for row in (r for r in table.rows if r.role == "member" and r.area == focus.area and r.rank):
            group = next(r.name for r in table.rows if r.area == row.group)
            sentences.append(f"Nr. {row.rank} af {row.rank_of} i {group}.")
    if table.synthetic:
        sentences.append("(Syntetiske demodata.)")
    return " ".join(s for s in sentences if s)


def missing(row: FigureRow) -> str:
    """Why a benchmark has no value, as a sentence: "Ikke opgjort for Hele landet (en andel kan ikke …)."
    Empty when there is nothing to say beyond the dash."""
    if not row.reason:
        return ""
    return f"Ikke opgjort for {fmt.in_text(row.name)} ({row.reason})."


def _level(table: KeyFigureTable, focus: FigureRow, label: str) -> str:
    value = fmt.value_with_unit(focus.value, table.unit, of=table.ranked_of)
    text = f"{label} i {focus.name}: {value} i {fmt.period(table.period)}"
    if table.indicator.is_share and focus.numerator is not None:
        text += f" ({fmt.value_with_unit(focus.numerator, table.numerator_unit)})"
    return text


def _development(table: KeyFigureTable, focus: FigureRow) -> str:
    if table.compare_period is None or focus.change is None:
        return ""
    since = fmt.period(table.compare_period)
    if table.indicator.is_share:
        if focus.compare_numerator is None or focus.numerator is None:
            return ""
        unit = table.numerator_unit
        amount = fmt.shown_change(focus.compare_numerator, focus.numerator, unit, 0)
        if amount == 0:
            return f", det samme antal {unit} som i {since}"
        word = "færre" if amount < 0 else "flere"
        return f", {fmt.counted(float(abs(amount)), unit)} {word} end i {since}"
    return f", {fmt.change(focus.compare_value, focus.value, table.unit)} siden {since}"


def _against(table: KeyFigureTable, focus: FigureRow, other: FigureRow) -> str:
    if other.value is None:
        return missing(other)
    if table.kind in (Kind.SHARE, Kind.POINTS):
        level = fmt.value_with_unit(other.value, table.unit)
        gap = fmt.gap(focus.value, other.value, table.unit)
        if gap is None:
            return f"Det er på niveau med {fmt.in_text(other.name)} ({level})."
        return f"Det er {gap} {fmt.in_text(other.name)} ({level})."
    if focus.change_pct is not None and other.change_pct is not None:
        return f"Antallet {fmt.relative_change(other.change_pct)} i {fmt.in_text(other.name)}."
    return ""


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]
