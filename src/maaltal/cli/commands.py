"""Which module holds each ``maaltal`` command, so that a command's module is imported only when it runs.

``maaltal --help`` lists every command from :data:`COMMANDS` without importing one of them; ``maaltal
figures …`` imports :mod:`maaltal.cli.figures` alone (click's "lazy loading of subcommands"). Importing all
command modules to list them cost most of the start-up: each brings the parts of the library it calls.
A command's line here is the first paragraph of its help; ``tests/test_cli_help.py`` checks the two agree
and that no registered command is missing.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, MutableMapping
from importlib import import_module
from typing import Any, NamedTuple

import typer
from typer.core import TyperGroup

from maaltal.cli.helpformat import DanishContext, danish


class CommandEntry(NamedTuple):
    module: str  # in maaltal.cli
    help: str


# In the order of the help: data in, the figures, the committee's documents, the dashboard.
COMMANDS: dict[str, CommandEntry] = {
    "demo": CommandEntry("demo", "Byg et datalager med syntetiske demodata for alle 98 kommuner, månedligt 2019–2024."),
    "import": CommandEntry("spells", "Indlæs data i datalageret. Hver indlæsning bliver ét øjebliksbillede."),
    "fetch": CommandEntry("fetch", "Hent tabeller fra jobindsats og StatBank og indlæs dem som øjebliksbilleder."),
    "snapshots": CommandEntry("store", "Vis datalagerets øjebliksbilleder (én pr. indlæsning)."),
    "series": CommandEntry("store", "Vis serierne i datalageret med dimensioner, enhed og perioder."),
    "sources": CommandEntry("sources", "Datakilder: hvor aktuelle serierne er."),
    "compute": CommandEntry("spells", "Beregn tal fra data i datalageret."),
    "areas": CommandEntry(
        "areas",
        "Vis områderne: kommuner, regioner, RAR-områder, hele landet og sammenligningsgrupper."),
    "figures": CommandEntry(
        "figures",
        "Et nøgletal for et område mod sammenligningsområder: niveau, udvikling og placering."),
    "overview": CommandEntry(
        "figures",
        "Nøgletalsoversigt for en kommune mod regionen, RAR-området (når det ikke dækker regionen) og hele "
        "landet."),
    "report": CommandEntry("report", "Byg udvalgsrapporten for en kommune og en periode fra ét øjebliksbillede."),
    "goals": CommandEntry("goals", "Målkataloget: kontrol, målopfølgning med smileys og kommentarer."),
    "budget": CommandEntry("budget", "Budgetopfølgning: rammer, budgetbroer og prognoser for overførselsudgifter."),
    "benchmark": CommandEntry(
        "benchmarks",
        "Driftsbenchmarks: sagsantal, enhedsomkostninger, omgørelser, puljeprojekter og brugerundersøgelser."),
    "plan": CommandEntry("committee", "Årsplanen: hvilke faste punkter skal på hvilket møde, og for hvilken periode."),
    "agenda": CommandEntry(
        "committee",
        "Dagsorden (med udvalgets åbne anmodninger) eller referat for et møde, som DOCX og PDF."),
    "minutes": CommandEntry("committee", "Referater: indlæs publicerede referater og vis møder."),
    "requests": CommandEntry("committee", "Udvalgets anmodninger til administrationen, fulgt til de er besvaret."),
    "serve": CommandEntry("serve", "Start dashboardet: siderne til udvalg, ledere og analytikere (stop med Ctrl+C)."),
    "users": CommandEntry("users", "Dashboardets brugere."),
    "audit": CommandEntry("audit", "Dashboardets log over hændelser."),
}


class LazyCommands(MutableMapping[str, Any]):
    """A group's commands by name: every name of :data:`COMMANDS` is there, its module imported on first use.

    Listing the names (the help, click's "did you mean") imports nothing; looking one up imports its module.
    """

    def __init__(self, loaded: dict[str, Any]) -> None:
        self.loaded = {name: danish(command) for name, command in loaded.items()}

    def __getitem__(self, name: str) -> Any:
        entry = COMMANDS.get(name)
        if entry is not None and (name not in self.loaded or f"maaltal.cli.{entry.module}" not in sys.modules):
            self._load(entry.module)
        return self.loaded[name]

    def __contains__(self, name: object) -> bool:
        return name in self.loaded or name in COMMANDS

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self.loaded if name not in COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS.keys() | self.loaded.keys())

    def __setitem__(self, name: str, command: Any) -> None:
        self.loaded[name] = danish(command)

    def __delitem__(self, name: str) -> None:
        del self.loaded[name]

    def _load(self, module: str) -> None:
        """Import the module (its commands register themselves on the app) and take the commands Typer
        builds from the app now: the module's anew (a group may have been built before the module added
        its commands, as ``import spells`` to ``import``), the others where they are missing."""
        import_module(f"maaltal.cli.{module}")
        from maaltal.cli.app import app

        for name, command in typer.main.get_command(app).commands.loaded.items():
            if name not in self.loaded or COMMANDS.get(name, CommandEntry("", "")).module == module:
                self.loaded[name] = command


class LazyGroup(TyperGroup):
    """The ``maaltal`` group: its commands are :class:`LazyCommands`, its help is Danish and plain."""

    context_class = DanishContext

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = LazyCommands(dict(self.commands))
        self.rich_markup_mode = None

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        for param in self.get_params(ctx):  # with --help and --install-completion, added after __init__
            _absent_as_none(param)
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:
        """Every command with its line, without importing a command's module."""
        loaded = self.commands.loaded
        rows = [(name, COMMANDS[name].help if name in COMMANDS else loaded[name].get_short_help_str())
                for name in self.commands if name not in loaded or not loaded[name].hidden]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _absent_as_none(param: Any) -> None:
    """An option not given is None without Typer's coercion (in place, once).

    Typer builds a pydantic adapter for every option it processes, given or not, so ``maaltal figures
    --help`` imported pydantic (about 50 ms) for ``--store``, ``--groups`` and ``--help``
    alone. A command's own options
    are not processed for its ``--help``; the group's are, before the command is known. Coercing None gives
    None, so only the option's callback is left to run.
    """
    if "process_value" in vars(param):
        return
    coerce = param.process_value

    def process_value(ctx: typer.Context, value: Any) -> Any:
        if value is not None or param.required:
            return coerce(ctx, value)
        return param.callback(ctx, param, None) if param.callback is not None else None

    param.process_value = process_value
