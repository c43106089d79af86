"""The monthly key-figure overview as a document to attach to an agenda item, and its grid of Danish text.

Shares show level and, in brackets, the change in percentage points; counts show the focus area's level
and every area's change in per cent, as the terminal overview does (it lays out the same grid).
"""

from __future__ import annotations

from maaltal import formatting as fmt
from maaltal import narrative
from maaltal.document import Column, Document, Paragraph, Table
from maaltal.measures.overview import Overview

SYNTHETIC_NOTE = "Bemærk: syntetiske demodata – ikke officielle tal."
# The committees lead with gross unemployment (Hvidovre item 9, Horsens' monthly figures): its sentence
# opens the overview when the store has it.
HEADLINE = "bruttoledighed"


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


def document(overview: Overview, names: dict[str, str]) -> Document:
    """The overview of ``overview.area`` with the headline's sentence first and the notes under the grid;
    ``names`` gives every area's Danish name."""
    title = f"Nøgletal for {names[overview.area]} – {fmt.period(overview.period)}"
    notes = [f"Udvikling siden {fmt.period(overview.compare_period)}. Andele: niveau (ændring i procentpoint). "
             "Antal: fuldtidspersoner (ændring i pct.).",
             f"Datagrundlag: øjebliksbillede {overview.snapshot_id}."]
    headline = next((line for line in overview.lines if line.keyfigure.id == HEADLINE), None)
    if headline:
        notes.insert(0, narrative.keyfigure(headline.table, headline.keyfigure.label))
    if overview.skipped:
        notes.append("Ingen data for: " + ", ".join(k.label for k in overview.skipped) + ".")
    if overview.synthetic:
        notes.append(SYNTHETIC_NOTE)
    header, rows = overview_grid(overview, names)
    grid = Table("noegletal", "", tuple(Column(f"c{i}", label) for i, label in enumerate(header)),
                 tuple(tuple(r) for r in rows))
    blocks = (Paragraph(notes[0]), grid, *(Paragraph(n) for n in notes[1:]))
    return Document(f"noegletal-{overview.area}-{overview.period}", title, blocks)
