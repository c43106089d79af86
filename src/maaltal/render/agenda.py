"""The agenda item as Markdown (for the agenda system's text fields) and as DOCX."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from maaltal.report.agenda import AgendaItem


def markdown(item: AgendaItem) -> str:
    lines = [f"# {item.title}", "", "## Resume", "", item.resume, "", "## Sagsfremstilling", ""]
    for paragraph in item.sagsfremstilling:
        lines += [paragraph, ""]
    lines += ["## Indstilling", "", "Administrationen indstiller,", ""]
    lines += [f"{i}. {point}" for i, point in enumerate(item.indstilling, start=1)]
    lines += ["", "## Bilag", ""] + [f"- {b}" for b in item.bilag]
    return "\n".join(lines) + "\n"


def docx(item: AgendaItem, path: Path) -> None:
    doc = Document()
    doc.core_properties.title = item.title
    doc.core_properties.author = "maaltal"
    doc.add_heading(item.title, level=1)
    doc.add_heading("Resume", level=2)
    doc.add_paragraph(item.resume)
    doc.add_heading("Sagsfremstilling", level=2)
    for paragraph in item.sagsfremstilling:
        doc.add_paragraph(paragraph)
    doc.add_heading("Indstilling", level=2)
    doc.add_paragraph("Administrationen indstiller,")
    for point in item.indstilling:
        doc.add_paragraph(point, style="List Number")
    doc.add_heading("Bilag", level=2)
    for attachment in item.bilag:
        doc.add_paragraph(attachment, style="List Bullet")
    doc.save(str(path))
