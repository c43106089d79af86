"""The report as one self-contained HTML file: inline CSS and SVG, a print stylesheet, nothing fetched."""

from __future__ import annotations

from importlib import resources

import jinja2

from maaltal.document import (
    BulletList,
    Chart,
    Paragraph,
    Report,
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
    kind=lambda block: {Paragraph: "paragraph", BulletList: "bullets", Table: "table", Chart: "chart",
                        SmileyOverview: "smileys"}[type(block)],
)
_ENV.globals.update(GLOBALS)


def stylesheet() -> str:
    return resources.files("maaltal.render").joinpath("templates/report.css").read_text(encoding="utf-8")


def render(report: Report, *, for_print: bool = False) -> str:
    """The HTML text. ``for_print`` adds the running header and page numbers that WeasyPrint lays out."""
    template = _ENV.get_template("report.html.j2")
    return template.render(report=report, css=stylesheet(), for_print=for_print)
