"""An agenda or minutes document as DOCX, for the municipality's agenda system."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt

from maaltal.committee.agenda import AgendaDocument, BlockKind


def write(document: AgendaDocument, path: Path) -> Path:
    doc = Document()
    doc.core_properties.title = document.title
    doc.core_properties.language = "da-DK"
    doc.styles["Normal"].font.name = "DejaVu Sans"
    doc.styles["Normal"].font.size = Pt(10)
    doc.sections[0].header.paragraphs[0].text = document.running_head
    for block in document.blocks:
        if block.kind is BlockKind.TITLE:
            doc.add_heading(block.text, level=0)
        elif block.kind is BlockKind.HEADING:
            doc.add_heading(block.text, level=1)
        elif block.kind is BlockKind.SECTION:
            doc.add_heading(block.text, level=2)
        elif block.kind is BlockKind.META:
            paragraph = doc.add_paragraph()
            paragraph.add_run(f"{block.label} ").bold = True
            paragraph.add_run(block.text)
        elif block.kind is BlockKind.PARAGRAPH:
            doc.add_paragraph(block.text)
        elif block.kind is BlockKind.NUMBERED:
            # Written out, not Word's "List Number": that numbering runs on from one item to the next.
            for number, line in enumerate(block.text.split("\n"), start=1):
                paragraph = doc.add_paragraph(f"{number}. {line}")
                paragraph.paragraph_format.left_indent = Cm(0.7)
                paragraph.paragraph_format.first_line_indent = Cm(-0.7)
        elif block.kind is BlockKind.BULLETS:
            for line in block.text.split("\n"):
                doc.add_paragraph(line, style="List Bullet")
        elif block.kind is BlockKind.TABLE:
            header, *rows = block.rows
            table = doc.add_table(rows=1, cols=len(header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, header, strict=True):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for row in rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
