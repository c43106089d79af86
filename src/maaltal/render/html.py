"""A document as one self-contained HTML file: inline CSS and SVG, a print stylesheet, nothing fetched.

The committee report has its front page (municipality, period, snapshot, contents); every other document
(the agenda item's text, a meeting's agenda or minutes, the plan, the key-figure overview) is its title,
its opening blocks and its sections, laid out by the same block macros and stylesheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

import jinja2

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

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("maaltal.render", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
# What the block macros of ``_blocks.html.j2`` call; the dashboard's template environment adds the same.
GLOBALS = dict(
    cell=cells.text,
    numeric=cells.is_numeric,
    chart_svg=svg_charts.render,
    smiley_svg=smileys.svg,
    Status=Status,
    visible=lambda section: visible(section),
    runs=lambda blocks: _runs(blocks),
    kind=lambda block: {Paragraph: "paragraph", BulletList: "bullets", KeyValueList: "key_values", Table: "table",
                        Chart: "chart", SmileyOverview: "smileys"}[type(block)],
)
_ENV.globals.update(GLOBALS)


def visible(section: Section) -> bool:
    """Whether a section shows anything in print: not when all it holds is appendix tables (XLSX only)."""
    return (any(not (isinstance(b, Table) and b.appendix) for b in section.blocks)
            or any(visible(s) for s in section.subsections))


def _runs(blocks: Sequence[Block]) -> list[tuple[str, list[Block]]]:
    """The blocks in runs: consecutive small charts together (a grid of small multiples), else one by one."""
    result: list[tuple[str, list[Block]]] = []
    for block in blocks:
        small = isinstance(block, Chart) and block.layout == "small"
        if small and result and result[-1][0] == "multiples":
            result[-1][1].append(block)
        else:
            result.append(("multiples" if small else "block", [block]))
    return result


_ENV.tests["visible"] = visible


def stylesheet() -> str:
    return resources.files("maaltal.render").joinpath("templates/report.css").read_text(encoding="utf-8")


def render(document: Report | Document, *, for_print: bool = False) -> str:
    """The HTML text. ``for_print`` adds the running header and page numbers that WeasyPrint lays out."""
    if isinstance(document, Report):
        return _ENV.get_template("report.html.j2").render(report=document, css=stylesheet(), for_print=for_print)
    head = _css_string(document.running_head or document.title)
    return _ENV.get_template("document.html.j2").render(document=document, css=stylesheet(), for_print=for_print,
                                                         running_head=head)


def _css_string(text: str) -> str:
    """``text`` inside a CSS string in a style element: quotes and backslashes escaped, no tag can end it."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
