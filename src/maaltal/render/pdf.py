"""A document as PDF: the print version of its HTML laid out by WeasyPrint (A4, running head, page numbers).

The stylesheet names DejaVu Sans (Debian's ``fonts-dejavu-core``) in the page-margin boxes too, which do
not inherit the body's font, so æ, ø, å and § print the same on every machine.
"""

from __future__ import annotations

from pathlib import Path

from maaltal.document import Document, Report
from maaltal.render import html


def render(document: Report | Document, path: Path) -> None:
    from weasyprint import HTML  # imported here: it loads pango, which only PDF output needs

    HTML(string=html.render(document, for_print=True)).write_pdf(str(path))
