"""The monthly key-figure overview as a document to attach to an agenda item (Markdown and DOCX).

Shares show level and, in brackets, the change in percentage points; counts show the focus area's level
and every area's change in per cent, as the terminal overview does.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document

from maaltal import formatting as fmt
from maaltal import narrative
from maaltal.measures.overview import Overview
from maaltal.render.terminal import SYNTHETIC_NOTE, overview_grid


def _texts(overview: Overview, names: dict[str, str]) -> tuple[str, list[str]]:
    title = f"Nøgletal for {names[overview.area]} – {fmt.period(overview.period)}"
    notes = [f"Udvikling siden {fmt.period(overview.compare_period)}. Andele: niveau (ændring i procentpoint). "
             "Antal: fuldtidspersoner (ændring i pct.).",
             f"Datagrundlag: øjebliksbillede {overview.snapshot_id}."]
    headline = next((line for line in overview.lines if line.keyfigure.id == "bruttoledighed"), None)
    if headline:
        notes.insert(0, narrative.keyfigure(headline.table, headline.keyfigure.label))
    if overview.skipped:
        notes.append("Ingen data for: " + ", ".join(k.label for k in overview.skipped) + ".")
    if overview.synthetic:
        notes.append(SYNTHETIC_NOTE)
    return title, notes


def write_markdown(overview: Overview, names: dict[str, str], path: Path) -> Path:
    title, notes = _texts(overview, names)
    header, rows = overview_grid(overview, names)
    lines = [f"# {title}", "", notes[0], "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    for note in notes[1:]:
        lines += ["", note]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_docx(overview: Overview, names: dict[str, str], path: Path) -> Path:
    title, notes = _texts(overview, names)
    header, rows = overview_grid(overview, names)
    doc = Document()
    doc.add_heading(title, level=1)
    doc.add_paragraph(notes[0])
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for cells in rows:
        for cell, text in zip(table.add_row().cells, cells, strict=True):
            cell.text = text
    for note in notes[1:]:
        doc.add_paragraph(note)
    doc.save(str(path))
    return path
