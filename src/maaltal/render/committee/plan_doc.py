"""The yearly plan's coming meetings as an attachment (Markdown and DOCX): Horsens' "Årsplan" (item 7)
and Slagelse's "Punkter til kommende møder" (item 11) put it before the committee at every meeting."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from docx import Document

from maaltal import formatting as fmt

Row = tuple[date, str, str]  # meeting date, item title, data period as text
HEADER = ("Møde", "Fast punkt", "Periode")


def _title(committee: str, on: date) -> str:
    return f"Årsplan for {committee} – kommende møder pr. {fmt.short_date(on)}"


def _cells(rows: list[Row]) -> list[tuple[str, str, str]]:
    return [(fmt.short_date(day), title, period) for day, title, period in rows]


def write_markdown(committee: str, on: date, rows: list[Row], path: Path) -> Path:
    lines = [f"# {_title(committee, on)}", ""]
    if not rows:
        lines.append("Årsplanen har ingen faste punkter på kommende møder.")
    else:
        lines += ["| " + " | ".join(HEADER) + " |", "|---|---|---|"]
        lines += ["| " + " | ".join(cells) + " |" for cells in _cells(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_docx(committee: str, on: date, rows: list[Row], path: Path) -> Path:
    doc = Document()
    doc.add_heading(_title(committee, on), level=1)
    if not rows:
        doc.add_paragraph("Årsplanen har ingen faste punkter på kommende møder.")
    else:
        table = doc.add_table(rows=1, cols=len(HEADER))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
            cell.text = text
        for cells in _cells(rows):
            for cell, text in zip(table.add_row().cells, cells, strict=True):
                cell.text = text
    doc.save(str(path))
    return path
