"""Rich tables for the command line."""

from __future__ import annotations

from rich.table import Table

from maaltal import formatting as fmt
from maaltal.measures.keyfigures import KeyFigureTable
from maaltal.measures.overview import Overview

SYNTHETIC_NOTE = "Bemærk: syntetiske demodata – ikke officielle tal."


def _decimals(unit: str) -> int:
    return fmt.decimals(unit)


def keyfigure_table(table: KeyFigureTable, title: str) -> Table:
    decimals = _decimals(table.unit)
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
        cells = [f"[bold]{name}[/bold]" if row.role == "focus" else name, fmt.number(row.value, decimals)]
        if table.indicator.is_share:
            cells.append(fmt.number(row.numerator))
        if table.compare_period:
            cells += [fmt.signed(row.change, decimals), fmt.percent(row.change_pct)]
        cells.append(f"{row.rank} af {row.rank_of}" if row.rank else "")
        out.add_row(*cells)
    if table.synthetic:
        out.caption = SYNTHETIC_NOTE
    return out


def overview_grid(overview: Overview, names: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    """The overview's header and rows as Danish text, shared by the terminal and the agenda attachment.

    Shares show level and change in percentage points for every area; counts show the focus area's level
    and, for every area, the change in per cent (a region's count is not comparable with a
    municipality's, its development is)."""
    areas = (overview.area, *overview.benchmarks)
    rows = []
    for line in overview.lines:
        table = line.table
        is_share = table.indicator.is_share
        cells = [f"{line.keyfigure.label} ({'pct.' if is_share else 'ftp.'})"]
        for area in areas:
            row = table.row(area)
            if is_share:
                cells.append(f"{fmt.number(row.value, 1)} ({fmt.signed(row.change, 1)})")
            elif area == overview.area:
                cells.append(f"{fmt.number(row.value)} ({fmt.percent(row.change_pct)})")
            else:
                cells.append(fmt.percent(row.change_pct))
        rows.append(cells)
    return ["Nøgletal", *(names[a] for a in areas)], rows


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
