"""Write a report to a folder in the chosen formats, with the agenda item beside it if asked."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from maaltal.document import Report
from maaltal.errors import MaaltalError
from maaltal.render import agenda as agenda_render
from maaltal.render import docx, html, pdf, xlsx
from maaltal.report import agenda

FORMATS = ("html", "pdf", "docx", "xlsx")


def base_name(report: Report) -> str:
    """``rapport-167-2024M12``: the municipality and period, safe as a file name."""
    return re.sub(r"[^\w.-]", "-", f"rapport-{report.metadata.get('area', '')}-{report.metadata.get('period', '')}")


def parse_formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise MaaltalError(f"Ukendt format '{', '.join(unknown) or text}'; vælg blandt {', '.join(FORMATS)}")
    return formats


def write(report: Report, out: Path, formats: Sequence[str], *, with_agenda: bool = False) -> list[Path]:
    """The written files, in the order of ``formats`` (then the agenda item's Markdown and DOCX)."""
    out.mkdir(parents=True, exist_ok=True)
    name = base_name(report)
    written = []
    for fmt in formats:
        path = out / f"{name}.{fmt}"
        if fmt == "html":
            path.write_text(html.render(report), encoding="utf-8")
        elif fmt == "pdf":
            pdf.render(report, path)
        elif fmt == "docx":
            docx.render(report, path)
        elif fmt == "xlsx":
            xlsx.render(report, path)
        written.append(path)
    if with_agenda:
        attachment = f"{name}.pdf" if "pdf" in formats else written[0].name
        item = agenda.build(report, attachment)
        md = out / f"{name}-dagsordenspunkt.md"
        md.write_text(agenda_render.markdown(item), encoding="utf-8")
        doc = out / f"{name}-dagsordenspunkt.docx"
        agenda_render.docx(item, doc)
        written += [md, doc]
    return written
