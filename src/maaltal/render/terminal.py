"""Rich tables for the command line."""

from __future__ import annotations

from rich.table import Table

from maaltal import formatting as fmt
from maaltal.document import Column, Format
from maaltal.measures.keyfigures import KeyFigureTable
from maaltal.measures.overview import Overview
from maaltal.render.cells import text
from maaltal.report.monthly_overview import SYNTHETIC_NOTE, overview_grid

_COUNT = Column("numerator", "", Format.NUMBER)
_CHANGE_PCT = Column("change_pct", "", Format.CHANGE_PCT, 1)
_RANK = Column("rank", "", Format.RANK)


def _decimals(unit: str) -> int:
    return fmt.decimals(unit)


def keyfigure_table(table: KeyFigureTable, title: str) -> Table:
    decimals = _decimals(table.unit)
    level, change = Column("value", "", Format.NUMBER, decimals), Column("change", "", Format.CHANGE, decimals)
    change_label = "Ændring (pct.-point)" if table.indicator.is_share else "Ændring"
    out = Table(title=f"{title} – {fmt.period(table.period)}", title_justify="left")
    out.add_column("Område")
    out.add_column(f"Niveau ({table.unit})", justify="right")
    if table.indicator.is_share:
        out.add_column(f"Antal ({table.numerator_unit})", justify="right")
    if table.compare_period:
        out.add_column(f"{change_label} siden {fmt.period(table.compare_period)}", justify="right")
        out.add_column("Ændring %", justify="right")
    out.add_column("Placering", justify="right")
    for row in table.rows:
        name = f"  {row.name}" if row.role == "member" else row.name
        cells = [f"[bold]{name}[/bold]" if row.role == "focus" else name, text(row.value, level)]
        if table.indicator.is_share:
            cells.append(text(row.numerator, _COUNT))
        if table.compare_period:
            cells += [text(row.change, change), text(row.change_pct, _CHANGE_PCT)]
        cells.append(text((row.rank, row.rank_of), _RANK))
        out.add_row(*cells)
    if table.synthetic:
        out.caption = SYNTHETIC_NOTE
    return out


def overview_table(overview: Overview, names: dict[str, str]) -> Table:
    """One line per key figure, as :func:`overview_grid` lays it out."""
    out = Table(title=f"Nøgletal for {names[overview.area]} – {fmt.period(overview.period)}, "
                      f"udvikling siden {fmt.period(overview.compare_period)}", title_justify="left")
    header, rows = overview_grid(overview, names)
    for i, label in enumerate(header):
        out.add_column(label, justify="left" if i == 0 else "right", no_wrap=True)
    for cells in rows:
        out.add_row(*cells)
    captions = ["Andele: niveau (ændring i procentpoint). Antal: fuldtidspersoner (ændring i pct.)."]
    if overview.skipped:
        captions.append("Ingen data for: " + ", ".join(k.label for k in overview.skipped) + ".")
    if overview.synthetic:
        captions.append(SYNTHETIC_NOTE)
    out.caption = " ".join(captions)
    return out
