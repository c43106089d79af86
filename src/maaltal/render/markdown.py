"""A document as Markdown: the text the secretariat pastes into the agenda system's fields (the agenda
item's text, the plan, the key-figure overview), readable as it is and in any Markdown viewer."""

from __future__ import annotations

from maaltal.document import (
    Block,
    BulletList,
    Chart,
    Document,
    KeyValueList,
    Paragraph,
    Section,
    SmileyOverview,
    Table,
)
from maaltal.render import cells


def render(document: Document) -> str:
    parts = [f"# {document.title}", *(_block(b) for b in document.blocks)]
    for section in document.sections:
        parts += _section(section, 1)
    return "\n\n".join(parts) + "\n"


def _section(section: Section, depth: int) -> list[str]:
    level = section.level or depth
    parts = [f"{'#' * min(level + 1, 6)} {section.title}", *(_block(b) for b in section.blocks)]
    for sub in section.subsections:
        parts += _section(sub, level + 1)
    return parts


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"*{block.text}*" if block.style == "comment" else block.text
    if isinstance(block, BulletList):
        return "\n".join((f"{n}. " if block.numbered else "- ") + (f"**{i.text}**" if i.bold else i.text)
                         for n, i in enumerate(block.items, start=1))
    if isinstance(block, KeyValueList):
        return "\n".join(f"- **{label}:** {value}" for label, value in block.items)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        return f"*{block.title}.* {block.description}"
    if isinstance(block, SmileyOverview):
        return "\n".join(f"{'  ' if i.parent else ''}- {i.title}: {i.status.label}" for i in block.items)
    raise TypeError(f"unknown block {type(block).__name__}")


def _table(block: Table) -> str:
    def line(texts) -> str:
        return "| " + " | ".join(t.replace("|", "\\|") for t in texts) + " |"

    lines = [f"**{block.title}**", ""] if block.title else []
    lines += [line(c.label for c in block.columns),
              "|" + "|".join("---:" if cells.is_numeric(c) else "---" for c in block.columns) + "|"]
    lines += [line(cells.text(v, c) for v, c in zip(row, block.columns, strict=True)) for row in block.rows]
    lines += [f"\n{note}" for note in (block.note, block.source) if note]
    return "\n".join(lines)
