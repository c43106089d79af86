"""A document as PDF: the print version of its HTML laid out by WeasyPrint (A4, running head, page numbers).

The PDF is tagged as PDF/UA-1 (WeasyPrint's ``pdf_variant="pdf/ua-1"``): a structure tree over headings,
paragraphs, lists, tables and figures, the document's language (``da`` from the HTML) and its title, so a
screen reader reads it in order and in Danish.

The stylesheet names DejaVu Sans (Debian's ``fonts-dejavu-core``) in the page-margin boxes too, which do
not inherit the body's font, so æ, ø, å and § print the same on every machine.
"""

from __future__ import annotations

from pathlib import Path

from maaltal.document import Document, Report
from maaltal.render import html

PDF_VARIANT = "pdf/ua-1"


def render(document: Report | Document, path: Path) -> None:
    from weasyprint import HTML  # imported here: it loads pango, which only PDF output needs

    HTML(string=html.render(document, for_print=True)).write_pdf(str(path), pdf_variant=PDF_VARIANT)
