"""The options many commands share, typed once so that Typer refuses a value no command understands.

``--format`` of a command that prints a result is :class:`OutputFormat` (a table on the terminal or JSON):
``--format xml`` is refused with the choices instead of printing a table. ``--snapshot`` is a positive
integer everywhere. Report formats (``html,pdf,…``) are a validated comma list of their own
(:func:`maaltal.render.files.parse_formats`).

:data:`AttachOption` names the registered analysis kinds, so it is made on first use (PEP 562): the registry
brings the key-figure engine and the store, which a command without ``--attach`` (and its help) can do
without.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer


class OutputFormat(StrEnum):
    """How a command prints its result."""

    TABLE = "table"
    JSON = "json"


FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table eller json")]
SnapshotOption = Annotated[int | None, typer.Option(min=1, help="Øjebliksbillede (standard: det nyeste)")]


def __getattr__(name: str) -> Any:
    if name != "AttachOption":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from maaltal.report.analyses import KINDS

    made = globals()[name] = Annotated[list[str] | None, typer.Option(
        help=f"Egen datafil som sektion: TYPE=FIL med TYPE en af {', '.join(KINDS)}, fx budget=budget.csv; "
             "kan gentages")]
    return made
