"""Write a document to a folder in the chosen formats: one renderer per medium.

The committee report goes out as HTML, PDF, DOCX and XLSX (its data for the analyst); the other documents
(the agenda item's text, a meeting's agenda or minutes, the plan, the key-figure overview) as HTML, PDF,
DOCX and Markdown. What a document says is decided before it gets here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from maaltal.document import Document, Report
from maaltal.errors import MaaltalError
from maaltal.render import docx, html, markdown, pdf, xlsx

FORMATS = ("html", "pdf", "docx", "xlsx")  # the committee report's
DOCUMENT_FORMATS = ("html", "pdf", "docx", "md")  # every other document's


def base_name(report: Report) -> str:
    """``rapport-167-2024M12``: the municipality and period, safe as a file name."""
    return re.sub(r"[^\w.-]", "-", f"rapport-{report.metadata.get('area', '')}-{report.metadata.get('period', '')}")


def parse_formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise MaaltalError(f"Ukendt format '{', '.join(unknown) or text}'; vælg blandt {', '.join(FORMATS)}")
    return formats


def write(document: Report | Document, out: Path, formats: Sequence[str]) -> list[Path]:
    """The written files, in the order of ``formats``: ``base_name`` for a report, the document's name
    for any other document."""
    is_report = isinstance(document, Report)
    allowed = FORMATS if is_report else DOCUMENT_FORMATS
    if any(f not in allowed for f in formats):
        raise ValueError(f"{'a report' if is_report else 'a document'} is written as {', '.join(allowed)}, "
                         f"not {', '.join(f for f in formats if f not in allowed)}")
    out.mkdir(parents=True, exist_ok=True)
    name = base_name(document) if is_report else document.name
    written = []
    for fmt in formats:
        path = out / f"{name}.{fmt}"
        if fmt == "html":
            path.write_text(html.render(document), encoding="utf-8")
        elif fmt == "pdf":
            pdf.render(document, path)
        elif fmt == "docx":
            docx.render(document, path)
        elif fmt == "xlsx":
            xlsx.render(document, path)
        elif fmt == "md":
            path.write_text(markdown.render(document), encoding="utf-8")
        written.append(path)
    return written
