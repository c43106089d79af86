"""``maaltal figures`` and ``maaltal overview``: key figures against benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maaltal.cli.app import app, console, print_json, settings
from maaltal.cli.options import FormatOption, OutputFormat, SnapshotOption
from maaltal.errors import MaaltalError
from maaltal.measures import Indicator, KeyFigureEngine, Window
from maaltal.periods import Period


def _dims(pairs: list[str] | None, option: str) -> dict[str, str]:
    result = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise MaaltalError(f"{option} '{pair}' skal skrives som navn=værdi, fx ydelse=a-dagpenge")
        result[name.strip()] = value.strip()
    return result


@app.command("figures")
def figures(
    ctx: typer.Context,
    series: Annotated[str, typer.Option(help="Serien (tælleren), fx bruttoledige")],
    area: Annotated[str, typer.Option(help="Område: kode eller navn, fx 167 eller Hvidovre")],
    period: Annotated[str, typer.Option(help="Periode, fx 2022M06, 2023Q3, 2023")],
    denominator: Annotated[str | None, typer.Option(help="Nævner: giver en andel i pct.")] = None,
    dim: Annotated[list[str] | None, typer.Option(help="Dimensionsfilter på tælleren: navn=værdi")] = None,
    denominator_dim: Annotated[list[str] | None, typer.Option(help="Dimensionsfilter på nævneren")] = None,
    compare_period: Annotated[str | None, typer.Option(help="Sammenlign med denne periode")] = None,
    benchmark: Annotated[list[str] | None, typer.Option(
        help="Sammenligningsområde; kan gentages (1084, 000, rar:vestjylland, group:vestegnen)")] = None,
    window: Annotated[Window, typer.Option(
        help="period: perioden selv; ytd: gns. år til dato; year: gns. kalenderår; last12: seneste 12 mdr.")
    ] = Window.PERIOD,
    descending: Annotated[bool, typer.Option(help="Placering 1 til den højeste værdi")] = False,
    snapshot: SnapshotOption = None,
    label: Annotated[str | None, typer.Option(help="Nøgletallets navn i teksten")] = None,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Et nøgletal for et område mod sammenligningsområder: niveau, udvikling og placering."""
    from maaltal import narrative
    from maaltal.render import terminal
    cfg = settings(ctx)
    indicator = Indicator.of(series, denominator, _dims(dim, "--dim"), _dims(denominator_dim, "--denominator-dim"))
    with cfg.open_store(read_only=True) as store:
        engine = KeyFigureEngine(store, cfg.registry(), snapshot)
        table = engine.table(indicator, area, Period.parse(period),
                         compare_period=Period.parse(compare_period) if compare_period else None,
                         benchmarks=benchmark or [], window=window, descending=descending)
    title = label or str(indicator)
    if format is OutputFormat.JSON:
        print_json({**table.to_dict(), "text": narrative.keyfigure(table, title)})
        return
    console.print(terminal.keyfigure_table(table, title))
    console.print(narrative.keyfigure(table, title))


@app.command("overview")
def overview(
    ctx: typer.Context,
    area: Annotated[str, typer.Option(help="Kommune: kode eller navn")],
    period: Annotated[str, typer.Option(help="Periode, fx 2024M06")],
    compare_period: Annotated[str | None, typer.Option(help="Standard: samme periode sidste år")] = None,
    benchmark: Annotated[list[str] | None, typer.Option(
        help="Standard: regionen, RAR-området (når det ikke dækker regionen) og hele landet")] = None,
    keyfigures: Annotated[Path | None, typer.Option(help="Egen nøgletalsfil (YAML)")] = None,
    snapshot: SnapshotOption = None,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Nøgletalsoversigt for en kommune mod regionen, RAR-området (når det ikke dækker regionen) og hele landet."""
    from maaltal import narrative
    from maaltal.measures import definitions as keyfigure_definitions
    from maaltal.measures import overview as overview_builder
    from maaltal.render import terminal
    cfg = settings(ctx)
    registry = cfg.registry()
    with cfg.open_store(read_only=True) as store:
        engine = KeyFigureEngine(store, registry, snapshot)
        result = overview_builder.build(engine, keyfigure_definitions.load(keyfigures), area, Period.parse(period),
                                        benchmarks=benchmark,
                                        compare_period=Period.parse(compare_period) if compare_period else None)
    if format is OutputFormat.JSON:
        print_json(result.to_dict())
        return
    names = {a.id: a.name for a in registry}
    console.print(terminal.overview_table(result, names))
    headline = next((line for line in result.lines if line.keyfigure.id == "bruttoledighed"), None)
    if headline:
        console.print(narrative.keyfigure(headline.table, headline.keyfigure.label))
