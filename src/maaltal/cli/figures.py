"""``maaltal figures`` and ``maaltal overview``: key figures against benchmarks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from maaltal.cli.app import app, console, print_json, settings
from maaltal.cli.options import FormatOption, OutputFormat, SnapshotOption
from maaltal.errors import MaaltalError
from maaltal.measures import Indicator, KeyFigureEngine, Window
from maaltal.measures.keyfigures import TOP
from maaltal.periods import Period

AllowEmptyOption = Annotated[bool, typer.Option(
    "--allow-empty", help="Skriv også, når der ingen tal er for området og perioden (ellers en fejl)")]


@contextmanager
def refusing_empty() -> Iterator[None]:
    """An empty report or overview refused with the option that would allow it."""
    from maaltal.report.build import EmptyReportError  # the report's machinery loads when a command runs

    try:
        yield
    except EmptyReportError as exc:
        raise MaaltalError(f"{exc}. Vælg en periode med tal, eller skriv --allow-empty for at få den alligevel") \
            from None


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
    top: Annotated[bool, typer.Option("--top", help="Vis også de 10 bedste og 10 dårligste af alle kommuner "
                                                    "(et antal efter andel af de 16-66-årige)")] = False,
    format: FormatOption = OutputFormat.TABLE,
    allow_empty: AllowEmptyOption = False,
) -> None:
    """Et nøgletal for et område mod sammenligningsområder: niveau, udvikling og placering."""
    cfg = settings(ctx)
    indicator = Indicator.of(series, denominator, _dims(dim, "--dim"), _dims(denominator_dim, "--denominator-dim"))
    with cfg.open_store(read_only=True) as store:
        engine = KeyFigureEngine(store, cfg.registry(), snapshot)
        if not allow_empty:
            from maaltal.report.build import require_data

            with refusing_empty():
                require_data(engine, area, Period.parse(period), [indicator])
        table = engine.table(indicator, area, Period.parse(period),
                         compare_period=Period.parse(compare_period) if compare_period else None,
                         benchmarks=benchmark or [], window=window, descending=descending)
        ranked = _top_and_bottom(engine, indicator, area, Period.parse(period), descending) if top else None
    from maaltal import formatting as fmt
    from maaltal import narrative
    from maaltal.measures import definitions
    from maaltal.render import terminal

    title = label or definitions.label(indicator)
    if format is OutputFormat.JSON:
        extra = {"top_bottom": [r.to_dict() for r in ranked]} if ranked is not None else {}
        print_json({**table.to_dict(), "text": narrative.keyfigure(table, title), **extra})
        return
    console.print(terminal.keyfigure_table(table, title))
    console.print(narrative.keyfigure(table, title))
    if ranked is not None:
        basis = " (pct.)" if indicator.is_share else " (andel af de 16-66-årige, pct.)"
        console.print(f"De {TOP} bedste og de {TOP} dårligste af alle kommuner{basis}:")
        for row in ranked:
            console.print(f"  nr. {row.rank:>2} af {row.rank_of}  {row.name:<20} {fmt.number(row.value, 1)}")


def _top_and_bottom(engine: KeyFigureEngine, indicator: Indicator, area: str, period: Period,
                    descending: bool) -> list:
    """The ten best and the ten worst of the 98 (and the area itself), ranked by share, never by count."""
    by = engine.ranking_indicator(indicator)
    if by is None:
        raise MaaltalError(f"Tallet kan ikke rangeres: {engine.unranked_reason(indicator)}")
    rows = [r for r in engine.ranked(by, area, period, descending=descending) if r.rank is not None]
    focus = engine.registry.get(area).id
    shown = rows if len(rows) <= 2 * TOP else rows[:TOP] + [r for r in rows[TOP:-TOP] if r.area == focus] + rows[-TOP:]
    return shown


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
    allow_empty: AllowEmptyOption = False,
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
        definitions = keyfigure_definitions.load(keyfigures)
        if not allow_empty:
            from maaltal.report.build import require_data

            with refusing_empty():
                require_data(engine, area, Period.parse(period), [d.indicator for d in definitions])
        result = overview_builder.build(engine, definitions, area, Period.parse(period),
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
