"""The report as PDF: the print version of the HTML laid out by WeasyPrint (A4, header, page numbers)."""

from __future__ import annotations

from pathlib import Path

from maaltal.document import Report
from maaltal.render import html


def render(report: Report, path: Path) -> None:
    from weasyprint import HTML  # imported here: it loads pango, which only PDF output needs

    HTML(string=html.render(report, for_print=True)).write_pdf(str(path))
