"""A document as DOCX, so the secretariat can edit it before it goes on the agenda: the committee report,
the agenda item's text, a meeting's agenda or minutes, the plan and the key-figure overview.

Word cannot show SVG reliably, so charts and smileys go in as PNG, converted from the same SVG the HTML
uses (vl-convert's resvg, no browser needed).

So that the file drops into a Danish office as it is: the document's default language is da-DK (Word
spell-checks the text as Danish), every page has its number in the footer (PAGE and NUMPAGES fields),
a report opens with a table-of-contents field that Word fills in on opening (``w:updateFields`` makes Word
offer it), every image carries its text alternative (``descr``: the chart's description, the smiley's
status), and a table's header row repeats at the top of every page it runs onto (``w:tblHeader``).
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from maaltal.document import (
    Block,
    BulletList,
    Chart,
    Document,
    KeyValueList,
    Paragraph,
    Report,
    Section,
    SmileyOverview,
    Status,
    Table,
)
from maaltal.render import cells, smileys, svg_charts


def _png(svg: str, scale: float = 2.0) -> bytes:
    import vl_convert

    return bytes(vl_convert.svg_to_png(svg, scale=scale))


@cache
def _smiley_png(status: Status) -> bytes:
    return _png(smileys.svg(status, 48))


LANGUAGE = "da-DK"
TOC_PLACEHOLDER = "Indholdsfortegnelsen udfyldes, når dokumentet åbnes i Word (eller med F9)."


def render(document: Report | Document, path: Path) -> None:
    doc = docx.Document()
    _page_setup(doc)
    _danish(doc)
    doc.core_properties.title = document.title
    doc.core_properties.author = "maaltal"
    doc.core_properties.language = LANGUAGE
    _footer(doc, "Syntetiske demodata – ikke officielle tal"
            if isinstance(document, Report) and document.synthetic else None)
    doc.add_heading(document.title, level=0)
    if isinstance(document, Report):
        _front(doc, document)
        _toc(doc)
    else:
        if document.running_head:
            doc.sections[0].header.paragraphs[0].text = document.running_head
        for block in document.blocks:
            _block(doc, block)
    for section in document.sections:
        _section(doc, section, 1)
    if isinstance(document, Report):
        for source in document.sources:
            doc.add_paragraph(source, style="Caption")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


def _front(doc, report: Report) -> None:
    facts = [("Kommune", report.municipality), ("Udvalg", report.committee or ""),
             ("Periode", report.period_label), ("Data", report.data_vintage),
             ("Øjebliksbillede", str(report.snapshot_id))]
    if report.catalogue_hash:
        facts.append(("Målkatalog (SHA-256)", report.catalogue_hash))
    for label, value in facts:
        if value:
            p = doc.add_paragraph()
            p.add_run(f"{label}: ").bold = True
            p.add_run(value)
    if report.synthetic:
        p = doc.add_paragraph()
        p.add_run("Syntetiske demodata. ").bold = True
        p.add_run("Tallene i rapporten er opdigtede og er ikke officielle tal.")


def _danish(doc) -> None:
    """da-DK as the language of every run that does not say otherwise (the styles' document defaults)."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attribute in ("w:val", "w:eastAsia"):
        lang.set(qn(attribute), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC) in ``paragraph``: Word computes it, ``placeholder`` shows until then."""
    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _footer(doc, note: str | None) -> None:
    """"Side 3 af 12" on every page, with the document's note (synthetic data) in front."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if note:
        paragraph.add_run(f"{note}    ")
    paragraph.add_run("Side ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" af ")
    _field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _toc(doc) -> None:
    """A table-of-contents field over the headings, and the setting that makes Word offer to fill it in."""
    doc.add_paragraph().add_run("Indhold").bold = True
    _field(doc.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u', TOC_PLACEHOLDER)
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    later = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
             "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping")
    follower = next((e for e in settings if e.tag in {qn(t) for t in later}), None)
    if follower is not None:
        follower.addprevious(update)
    else:
        settings.append(update)


def _picture(container, png: bytes, width, description: str):
    """An image with its text alternative, so a screen reader says what a chart shows."""
    shape = container.add_picture(io.BytesIO(png), width=width)
    shape._inline.docPr.set("descr", description)
    return shape


def _header_row(row) -> None:
    """Repeat the row at the top of every page the table runs onto."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))


def _page_setup(doc) -> None:
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)


def _section(doc, section: Section, depth: int) -> None:
    level = section.level or depth
    doc.add_heading(section.title, level=min(level, 4))
    for block in section.blocks:
        _block(doc, block)
    for sub in section.subsections:
        _section(doc, sub, level + 1)


def _block(doc, block: Block) -> None:
    if isinstance(block, Paragraph):
        p = doc.add_paragraph(block.text)
        if block.style in ("note",):
            p.runs[0].font.size = Pt(9)
            p.runs[0].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        elif block.style == "comment":
            p.runs[0].italic = True
            p.paragraph_format.left_indent = Cm(0.8)
        elif block.style == "warning":
            p.runs[0].bold = True
    elif isinstance(block, BulletList):
        _list(doc, block)
    elif isinstance(block, KeyValueList):
        for label, value in block.items:
            p = doc.add_paragraph()
            p.add_run(f"{label} ").bold = True
            p.add_run(value)
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Chart):
        _picture(doc, _png(svg_charts.render(block)), Cm(16.5), f"{block.title}. {block.description}")
        doc.add_paragraph(block.title + (f". {block.source}" if block.source else ""), style="Caption")
    elif isinstance(block, SmileyOverview):
        _smileys(doc, block)


def _list(doc, block: BulletList) -> None:
    for number, item in enumerate(block.items, start=1):
        if block.numbered:
            # Written out, not Word's "List Number": that numbering runs on from one list to the next.
            p = doc.add_paragraph()
            p.paragraph_format.left_indent = Cm(0.7)
            p.paragraph_format.first_line_indent = Cm(-0.7)
            run = p.add_run(f"{number}. {item.text}")
        else:
            run = doc.add_paragraph(style="List Bullet").add_run(item.text)
        run.bold = item.bold


def _table(doc, block: Table) -> None:
    if block.title:
        doc.add_paragraph(block.title, style="Caption")
    table = doc.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _header_row(table.rows[0])
    for cell, column in zip(table.rows[0].cells, block.columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(column.label)
        run.bold = True
        if cells.is_numeric(column):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for index, row in enumerate(block.rows):
        row_cells = table.add_row().cells
        for cell, value, column in zip(row_cells, row, block.columns, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(cells.text(value, column))
            run.bold = index in block.emphasis
            if cells.is_numeric(column):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    for note in (block.note, block.source):
        if note:
            doc.add_paragraph(note, style="Caption")


def _smileys(doc, block: SmileyOverview) -> None:
    counts = block.counts
    p = doc.add_paragraph()
    for status in Status:
        _picture(p.add_run(), _smiley_png(status), Cm(0.7), status.label)
        p.add_run(f" {counts[status]} {status.label.lower()}    ")
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Mål", "Status"
    _header_row(table.rows[0])
    for item in block.items:
        cells_ = table.add_row().cells
        cells_[0].text = ("    " if item.parent else "") + item.title
        run = cells_[1].paragraphs[0].add_run()
        _picture(run, _smiley_png(item.status), Cm(0.5), item.status.label)
        cells_[1].paragraphs[0].add_run(f" {item.status.label}")
