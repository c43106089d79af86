"""The command line's help in Danish, written by click's plain formatter instead of Typer's Rich panels.

Rich's help cost more than the rest of ``maaltal --help`` together (Rich, its Markdown parser and Pygments
are loaded to draw the boxes), so the help is plain text: click's layout with Danish headings ("Brug:",
"Tilvalg", "Kommandoer"), Danish placeholders and Danish words for the defaults and Typer's own options.
On a terminal it wraps to the terminal's width and the headings are bold; in a pipe or a file every
option and command stays on one line and there is no colour (as for the error messages, issue 15).
"""

from __future__ import annotations

import inspect
import os
import re
import shutil
import sys

import typer

_HEADINGS = {"Options": "Tilvalg", "Commands": "Kommandoer", "Arguments": "Argumenter"}

# Typer's placeholders in the usage line and the option column.
_PLACEHOLDERS = {
    "COMMAND [ARGS]...": "KOMMANDO [ARGUMENTER]...", "[OPTIONS]": "[TILVALG]", "<str>": "<tekst>",
    "<path>": "<sti>", "<int>": "<heltal>", "<int range>": "<heltal>", "<float>": "<tal>",
    "<float range>": "<tal>", "<list[str]>": "<tekst>…", "<list[path]>": "<sti>…", "<list[int]>": "<heltal>…",
}
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in _PLACEHOLDERS))

# The commands' arguments in Danish, where Typer writes their parameter names: the usage line ({file}), the
# help's list of arguments and the error when one is missing.
ARGUMENTS = {"file": "FIL", "meeting": "MØDE", "request": "ANMODNING", "username": "BRUGERNAVN"}
_ARGUMENT = re.compile(r"(?<=[{\[])(" + "|".join(ARGUMENTS) + r")(?=[}\]])|^(" + "|".join(ARGUMENTS) + r")(?= |$)")

# Typer's and click's own help texts and the words of the bracket after an option's help.
_TEXTS = {
    "Show this message and exit.": "Vis denne hjælp og afslut.",
    "Install completion for the current shell.": "Installér tabulatorfuldførelse i den aktuelle skal.",
    "Show completion for the current shell, to copy it or customize the installation.":
        "Vis tabulatorfuldførelsen for den aktuelle skal, så den kan kopieres eller tilpasses.",
}
_EXTRAS = (("default: ", "standard: "), ("env var: ", "miljøvariabel: "), ("required", "påkrævet"),
           ("(dynamic)", "(beregnes)"))

# Off a terminal the width is "no wrapping": one line per option and command.
_NO_WRAP = 100_000


def _on_terminal() -> bool:
    return sys.stdout.isatty()


def placeholders(text: str) -> str:
    """Typer's English placeholders (``[OPTIONS]``, ``<str>``, ``<path>`` …) and argument names in Danish."""
    text = _ARGUMENT.sub(lambda found: ARGUMENTS[found.group(0)], text)
    return _PLACEHOLDER.sub(lambda found: _PLACEHOLDERS[found.group(0)], text)


def option_help(text: str) -> str:
    """An option's help in Danish: Typer's own texts translated, and in the bracket Typer puts after the help
    (``  [default: x; required]``) ``standard: x`` and ``påkrævet``."""
    for english, danish in _TEXTS.items():
        text = text.replace(english, danish)
    if "  [" in text:
        own, bracket, extra = text.rpartition("  [")
    elif text.startswith("["):  # no help of its own
        own, bracket, extra = "", "[", text[1:]
    else:
        return text
    if not extra.endswith("]"):
        return text
    for english, danish in _EXTRAS:
        extra = extra.replace(english, danish)
    return f"{own}{bracket}{extra}"


def first_paragraph(help_text: str | None) -> str:
    """A command's line in its group's list: the first paragraph of its help, on one line (as Typer's Rich
    help showed it, where click would cut it at the first full stop)."""
    paragraph = inspect.cleandoc(help_text or "").partition("\f")[0].split("\n\n")[0]
    return " ".join(paragraph.split())


class DanishHelpFormatter(typer.Context.formatter_class):  # click's HelpFormatter, as Typer vendors it
    """click's plain help layout with Danish words; wraps only on a terminal."""

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None) -> None:
        self.colour = _on_terminal() and not os.environ.get("NO_COLOR")
        if width is None:
            width = max(shutil.get_terminal_size().columns - 2, 50) if _on_terminal() else _NO_WRAP
        super().__init__(indent_increment=indent_increment, width=width, max_width=max_width)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, placeholders(args), prefix=self._bold("Brug:") + " ")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{self._bold(_HEADINGS.get(heading, heading) + ':')}\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:  # noqa: ANN001 (click's signature)
        super().write_dl([(placeholders(first), option_help(second)) for first, second in rows],
                         col_max=col_max, col_spacing=col_spacing)

    def _bold(self, text: str) -> str:
        return typer.style(text, bold=True) if self.colour else text


class DanishContext(typer.Context):
    """A context whose help is :class:`DanishHelpFormatter`'s."""

    formatter_class = DanishHelpFormatter


def danish(command: typer.core.TyperCommand | typer.core.TyperGroup) -> typer.core.TyperCommand | typer.core.TyperGroup:
    """Give a command and all its subcommands the Danish plain help (in place): its context, no Rich panels,
    and for a group's list of subcommands each one's first paragraph whole."""
    command.context_class = DanishContext
    command.rich_markup_mode = None
    for sub in getattr(command, "commands", {}).values():
        sub.short_help = sub.short_help or first_paragraph(sub.help)
        danish(sub)
    return command
