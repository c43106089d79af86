"""An agenda or minutes document as PDF (A4), through HTML and WeasyPrint.

The font is DejaVu Sans from Debian's ``fonts-dejavu-core``, named in the page-margin boxes too (they do
not inherit the body's font), so æ, ø, å and § print the same on every machine.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from maaltal.committee.agenda import AgendaDocument, Block, BlockKind

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

_CSS = """
@font-face { font-family: "DejaVu Sans"; src: url("%(font)s/DejaVuSans.ttf"); }
@font-face { font-family: "DejaVu Sans"; font-weight: bold; src: url("%(font)s/DejaVuSans-Bold.ttf"); }
@page {
  size: A4; margin: 22mm 18mm 20mm 18mm;
  @top-left { content: "%(head)s"; font-family: "DejaVu Sans"; font-size: 8pt; color: #555; }
  @bottom-right { content: "Side " counter(page) " af " counter(pages); font-family: "DejaVu Sans";
                  font-size: 8pt; color: #555; }
}
body { font-family: "DejaVu Sans"; font-size: 10pt; line-height: 1.35; }
h1 { font-size: 16pt; margin: 0 0 8pt 0; }
h2 { font-size: 12.5pt; margin: 16pt 0 4pt 0; border-bottom: 0.6pt solid #888; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 10pt 0 2pt 0; break-after: avoid; }
p { margin: 0 0 5pt 0; white-space: pre-line; }
p.meta b { display: inline-block; min-width: 32mm; }
table { border-collapse: collapse; width: 100%%; margin: 4pt 0 8pt 0; font-size: 8.5pt; }
th, td { border: 0.5pt solid #777; padding: 2pt 4pt; vertical-align: top; text-align: left; }
th { background: #eee; }
"""


def html(document: AgendaDocument) -> str:
    """The document as self-contained HTML (also what the PDF is printed from)."""
    css = _CSS % {"font": FONT_DIR.as_uri(), "head": document.running_head.replace('"', "'")}
    body = "\n".join(_block(b) for b in document.blocks)
    return (f'<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>{escape(document.title)}'
            f"</title><style>{css}</style></head><body>{body}</body></html>")


def write(document: AgendaDocument, path: Path) -> Path:
    from weasyprint import HTML  # imported here: loading pango takes a moment the other commands need not wait

    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html(document)).write_pdf(str(path))
    return path


def _block(block: Block) -> str:
    text = escape(block.text)
    if block.kind is BlockKind.TITLE:
        return f"<h1>{text}</h1>"
    if block.kind is BlockKind.HEADING:
        return f"<h2>{text}</h2>"
    if block.kind is BlockKind.SECTION:
        return f"<h3>{text}</h3>"
    if block.kind is BlockKind.META:
        return f'<p class="meta"><b>{escape(block.label)}</b> {text}</p>'
    if block.kind in (BlockKind.NUMBERED, BlockKind.BULLETS):
        tag = "ol" if block.kind is BlockKind.NUMBERED else "ul"
        return f"<{tag}>" + "".join(f"<li>{escape(line)}</li>" for line in block.text.split("\n")) + f"</{tag}>"
    if block.kind is BlockKind.TABLE:
        header, *rows = block.rows
        head = "".join(f"<th>{escape(c)}</th>" for c in header)
        body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f"<p>{text}</p>"
