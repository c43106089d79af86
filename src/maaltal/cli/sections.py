"""Printing a report section on the terminal, so a command's table is the report's table.

The commands for budgets and benchmarks build the same :class:`maaltal.document.Section` the committee
report uses and print it here: what the analyst checks on the command line is what the committee reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.table import Table as RichTable
from rich.text import Text

from maaltal import formatting as fmt
from maaltal.cli.app import console, print_json
from maaltal.document import BulletList, Chart, Column, Format, Paragraph, Section, Table

_SIGNED = {Format.POINTS, Format.CHANGE}
_kinds = {"line": "kurve", "bar": "søjler", "waterfall": "vandfald"}


def cell(value: Any, column: Column) -> str:
    """One value as the report shows it in a column of this format."""
    form, decimals = column.format, column.decimals
    if value is None:
        return ""
    if form is Format.TEXT:
        return str(value)
    if form is Format.RANK:
        return f"{value[0]} af {value[1]}"
    if form in _SIGNED:
        return fmt.signed(value, decimals)
    if form is Format.CHANGE_PCT:
        return fmt.percent(value, decimals)
    return fmt.number(value, decimals)


def show(result: Any, section: Callable[[Any], Section], format: str) -> None:
    """A result as JSON (its ``to_dict()``) or as the report section ``section`` makes of it."""
    if format == "json":
        print_json(result.to_dict())
    else:
        print_section(section(result))


def print_section(section: Section) -> None:
    """Title, paragraphs, lists and tables; a chart by its text alternative. Texts from input files are
    printed as they are, never read as Rich markup."""
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
    out = RichTable(title=Text(table.title), title_justify="left", caption=_caption(table.note, table.source))
    for column in table.columns:
        out.add_column(Text(column.label), justify="left" if column.format is Format.TEXT else "right")
    for i, row in enumerate(table.rows):
        cells = [Text(cell(v, c)) for v, c in zip(row, table.columns, strict=True)]
        out.add_row(*cells, style="bold" if i in table.emphasis else None)
    return out


def _caption(*parts: str | None) -> Text | None:
    text = " ".join(p for p in parts if p)
    return Text(text) if text else None
