"""Danish sentences about key figures, as an analyst would write them in a committee item.

"Bruttoledighed i Hvidovre: 2,6 pct. i juni 2022 (701 personer), 24 personer færre end i maj 2022.
Det er 0,1 procentpoint under Region Hovedstaden (2,7 pct.). Nr. 2 af 8 i Vestegnens kommuner."
Differences are taken of the unrounded figures and then rounded, so a difference may read 0,1 where the
rounded levels look alike.
"""

from __future__ import annotations

from maaltal import formatting as fmt
from maaltal.measures.keyfigures import FigureRow, KeyFigureTable
from maaltal.privacy import is_suppressed


def keyfigure(table: KeyFigureTable, label: str) -> str:
    """A short paragraph on the focus area: level, development, position against each benchmark."""
    focus = table.focus
    if is_suppressed(focus.numerator):
        return (f"{label} i {focus.name}: tallet for {fmt.period(table.period)} bygger på færre end 5 personer "
                "og vises ikke af hensyn til diskretion.")
    if focus.value is None:
        return f"{label} i {focus.name}: der er ingen tal for {fmt.period(table.period)}."
    sentences = [_level(table, focus, label) + _development(table, focus) + "."]
    for row in (r for r in table.rows if r.role == "benchmark" and r.value is not None):
        sentences.append(_against(table, focus, row))
    for row in (r for r in table.rows if r.role == "member" and r.area == focus.area and r.rank):
        group = next(r.name for r in table.rows if r.area == row.group)
        sentences.append(f"Nr. {row.rank} af {row.rank_of} i {group}.")
    if table.synthetic:
        sentences.append("(Syntetiske demodata.)")
    return " ".join(sentences)


def _level(table: KeyFigureTable, focus: FigureRow, label: str) -> str:
    text = f"{label} i {focus.name}: {fmt.value_with_unit(focus.value, table.unit)} i {fmt.period(table.period)}"
    if table.indicator.is_share and focus.numerator is not None:
        text += f" ({fmt.value_with_unit(focus.numerator, table.numerator_unit)})"
    return text


def _development(table: KeyFigureTable, focus: FigureRow) -> str:
    if table.compare_period is None or focus.change is None:
        return ""
    since = fmt.period(table.compare_period)
    if table.indicator.is_share:
        if focus.numerator_change is None:
            return ""
        amount = round(focus.numerator_change)
        if amount == 0:
            return f", det samme antal {table.numerator_unit} som i {since}"
        word = "færre" if amount < 0 else "flere"
        return f", {fmt.number(abs(amount))} {table.numerator_unit} {word} end i {since}"
    word = "et fald" if focus.change < 0 else "en stigning"
    return (f", {word} på {fmt.number(abs(focus.change))} {table.unit} "
            f"({fmt.percent(focus.change_pct)}) siden {since}")


def _against(table: KeyFigureTable, focus: FigureRow, other: FigureRow) -> str:
    if table.indicator.is_share:
        diff = focus.value - other.value
        if fmt.round_half_up(diff, 1) == 0:
            return f"Det er på niveau med {other.name} ({fmt.pct(other.value)})."
        side = "under" if diff < 0 else "over"
        return f"Det er {fmt.points(diff)} {side} {other.name} ({fmt.pct(other.value)})."
    if focus.change_pct is not None and other.change_pct is not None:
        return f"I {other.name} var udviklingen {fmt.percent(other.change_pct)}."
    return ""
