"""Running an analysis kind on the command line and printing its report section, so a command's table is
the report's table.

The commands for budgets and benchmarks read their file through the registry
(:mod:`maaltal.report.analyses`) and build the same :class:`maaltal.document.Section` the committee report
uses: what the analyst checks on the command line is what the committee reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from maaltal.cli.app import console, print_json, settings
from maaltal.cli.options import OutputFormat
from maaltal.document import BulletList, Chart, Paragraph, Section, Table
from maaltal.measures import KeyFigureEngine
from maaltal.report import analyses

if TYPE_CHECKING:  # Rich loads when a section is printed
    from rich.table import Table as RichTable
    from rich.text import Text

_kinds = {"line": "kurve", "bar": "søjler", "waterfall": "vandfald"}


def command(group_app: typer.Typer, kind_name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a command function as ``maaltal <group> <command>`` of the kind ``kind_name``, with the
    command name the registry gives it."""
    return group_app.command(analyses.KINDS[kind_name].command)


def run(ctx: typer.Context, kind_name: str, file: Path, format: OutputFormat, *, snapshot: int | None = None,
        **options: Any) -> None:
    """Read ``file`` as the kind ``kind_name`` and print its report section or its JSON.

    The store is opened (read-only) only for a kind that reads it."""
    cfg = settings(ctx)
    kind = analyses.KINDS[kind_name]
    request = analyses.AnalysisRequest(file, cfg.registry(), **options)
    if kind.needs_engine:
        with cfg.open_store(read_only=True) as store:
            engine = KeyFigureEngine(store, request.registry, snapshot)
            result = kind.load(replace(request, engine=engine))
    else:
        result = kind.load(request)
    show(result, kind.section, format)


def show(result: Any, section: Callable[[Any], Section], format: OutputFormat) -> None:
    """A result as JSON (its ``to_dict()``) or as the report section ``section`` makes of it."""
    if format is OutputFormat.JSON:
        print_json(result.to_dict())
    else:
        print_section(section(result))


def print_section(section: Section) -> None:
    """Title, paragraphs, lists and tables; a chart by its text alternative. Texts from input files are
    printed as they are, never read as Rich markup."""
    from rich.text import Text

    console.print(Text(section.title, style="bold"))
    for block in section.blocks:
        if isinstance(block, Paragraph):
            console.print(Text(block.text))
        elif isinstance(block, BulletList):
            for item in block.items:
                console.print(Text(f"  • {item.text}"))
        elif isinstance(block, Table):
            console.print(_table(block))
        elif isinstance(block, Chart):
            console.print(Text(f"Figur ({_kinds.get(block.kind, block.kind)}): {block.title}. {block.description}"))
    for sub in section.subsections:
        console.print()
        print_section(sub)


def _table(table: Table) -> RichTable:
    from rich.table import Table as RichTable
    from rich.text import Text

    from maaltal.render.cells import is_numeric, text

    out = RichTable(title=Text(table.title), title_justify="left", caption=_caption(table.note, table.source))
    for column in table.columns:
        out.add_column(Text(column.label), justify="right" if is_numeric(column) else "left")
    for i, row in enumerate(table.rows):
        cells = [Text(text(v, c)) for v, c in zip(row, table.columns, strict=True)]
        out.add_row(*cells, style="bold" if i in table.emphasis else None)
    return out


def _caption(*parts: str | None) -> Text | None:
    from rich.text import Text

    joined = " ".join(p for p in parts if p)
    return Text(joined) if joined else None
