"""``maaltal fetch …``: fetch a table from jobindsats or StatBank and import the answer as one snapshot.

``--show-request`` prints the requests instead (URL, parameters, body; the key masked): the lookup that
builds the data request (jobindsats v3's table metadata, StatBank's tableinfo) is made, the data request
is only shown, and no store is opened.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from maaltal.cli.app import app, settings
from maaltal.cli.imports import print_result
from maaltal.errors import MaaltalError
from maaltal.sources.progress import Progress

fetch_app = typer.Typer(help="Hent tabeller fra jobindsats og StatBank og indlæs dem som øjebliksbilleder.",
                        no_args_is_help=True)
app.add_typer(fetch_app, name="fetch")


def _filters(pairs: list[str] | None) -> dict[str, list[str]]:
    """``_kon=*``, ``_kon=Mænd`` or ``KØN=M,K`` (repeatable) as the APIs' variable filters."""
    result: dict[str, list[str]] = {}
    for pair in pairs or []:
        name, sep, values = pair.partition("=")
        if not sep or not name.strip() or not values.strip():
            raise MaaltalError(f"--filter '{pair}' skal skrives som variabel=værdi[,værdi], fx _kon=* eller KØN=TOT")
        result.setdefault(name.strip(), []).extend(v.strip() for v in values.split(",") if v.strip())
    return result


@fetch_app.command("jobindsats")
def fetch_jobindsats(
    ctx: typer.Context,
    table: Annotated[str, typer.Option(help="Tabellens id, fx Y01A02 eller Y30R21")],
    period: Annotated[list[str], typer.Option(
        help="Periode; kan gentages: 2022M06, 2023Q3, 2023, 2022QMAT04, v3's M=latest:14 eller v2's l(m:12)")],
    area: Annotated[list[str] | None, typer.Option(help="Område som jobindsats skriver det, fx Hvidovre; * = alle")
                    ] = None,
    filter: Annotated[list[str] | None, typer.Option(
        "--filter", help="Dimensionsfilter med navne eller værdi-id'er, fx _kon=Mænd eller "
                         "_ygrp_y30r21=Ydelsesgrupper i alt")] = None,
    version: Annotated[int | None, typer.Option(help="API-version 3 eller 2 (standard: konfigurationen, ellers 3)")
                       ] = None,
    format: Annotated[str, typer.Option("--format", help="v2's svarformat: json eller csv")] = "json",
    base_url: Annotated[str | None, typer.Option(help="Anden adresse for API'et (standard: jobindsats.dk)")] = None,
    config: Annotated[Path | None, typer.Option(help="Konfigurationsfil (standard: $MAALTAL_CONFIG)")] = None,
    save: Annotated[Path | None, typer.Option(help="Gem det rå svar i denne fil")] = None,
    mapping: Annotated[Path | None, typer.Option(help="Egen kortlægningsfil (YAML)")] = None,
    retries: Annotated[int, typer.Option(help="Nye forsøg ved 503, 429 og tabte forbindelser")] = 3,
    show_request: Annotated[bool, typer.Option(
        "--show-request", help="Vis forespørgslerne (uden nøglen) i stedet for at hente og indlæse data")] = False,
) -> None:
    """Hent en tabel fra jobindsats' API (v3, eller v2 med --version 2). Nøglen tages fra JOBINDSATS_KEY eller
    konfigurationsfilen."""
    from maaltal.sources.jobindsats import client as jobindsats_client
    from maaltal.sources.jobindsats import importer as jobindsats_importer
    cfg = settings(ctx)
    conf = jobindsats_client.load_config(config)
    with jobindsats_client.JobindsatsClient(
            conf.key, version=version or conf.version,
            base_url=base_url or os.environ.get("JOBINDSATS_BASE_URL") or conf.base_url,
            retries=retries) as client:
        if show_request:
            requests = client.requests(table, periods=period, areas=area, filters=_filters(filter), fmt=format)
            typer.echo("\n".join(client.describe(r) for r in requests))
            return
        registry = cfg.registry()
        with cfg.open_store() as store:
            result = jobindsats_importer.fetch(store, client, table=table, periods=period, registry=registry,
                                               areas=area, filters=_filters(filter), fmt=format, save=save,
                                               mapping_file=mapping)
    print_result(result, "jobindsats")


@fetch_app.command("statbank")
def fetch_statbank(
    ctx: typer.Context,
    table: Annotated[str, typer.Option(help="Tabellens id, fx AUK01, AUP02, AUF01")],
    period: Annotated[list[str] | None, typer.Option(
        help="Periode; kan gentages: 2023K3, 2024M01, 2024 (standard: alle)")] = None,
    area: Annotated[list[str] | None, typer.Option(help="Område: kode eller navn, fx 167, 1084, 000 (standard: alle)")
                    ] = None,
    filter: Annotated[list[str] | None, typer.Option(
        "--filter", help="Variabelfilter med StatBanks koder, fx KØN=TOT eller YDELSESTYPE=TOT")] = None,
    lang: Annotated[str, typer.Option(help="Sprog for tekster: da eller en")] = "da",
    codes: Annotated[bool, typer.Option(help="Hent koder i stedet for tekster (oversættes med tableinfo)")] = False,
    base_url: Annotated[str | None, typer.Option(help="Anden adresse for API'et (standard: api.statbank.dk)")] = None,
    save: Annotated[Path | None, typer.Option(help="Gem det rå svar i denne fil")] = None,
    mapping: Annotated[Path | None, typer.Option(help="Egen kortlægningsfil (YAML)")] = None,
    retries: Annotated[int, typer.Option(help="Nye forsøg ved 503, 429 og tabte forbindelser")] = 3,
    show_request: Annotated[bool, typer.Option(
        "--show-request", help="Vis forespørgslerne i stedet for at hente og indlæse data")] = False,
) -> None:
    """Hent en tabel fra Danmarks Statistiks StatBank (ingen nøgle)."""
    from maaltal.sources import statbank
    cfg = settings(ctx)
    registry = cfg.registry()
    with statbank.StatBankClient(base_url=base_url or os.environ.get("STATBANK_BASE_URL"), lang=lang,
                                 retries=retries) as client:
        if show_request:
            typer.echo("\n".join(statbank.show_requests(
                client, table=table, registry=registry, areas=area, periods=period, filters=_filters(filter),
                codes=codes, mapping_file=mapping)))
            return
        with cfg.open_store() as store:
            result = statbank.fetch(store, client, table=table, registry=registry, areas=area, periods=period,
                                    filters=_filters(filter), save=save, codes=codes, mapping_file=mapping)
    print_result(result, "StatBank")


@fetch_app.command("standard")
def fetch_standard(
    ctx: typer.Context,
    area: Annotated[str, typer.Option(help="Kommunen, rapporten er til: kode eller navn, fx 167 eller Hvidovre")],
    start: Annotated[str, typer.Option("--from", help="Første periode, fx 2019M01")] = "2019M01",
    lang: Annotated[str, typer.Option(help="StatBanks sprog: da eller en")] = "da",
    tables: Annotated[Path | None, typer.Option(
        help="Egen liste over tabeller i standard.yaml's form (standard: den medfølgende)")] = None,
    config: Annotated[Path | None, typer.Option(help="Konfigurationsfil (standard: $MAALTAL_CONFIG)")] = None,
    retries: Annotated[int, typer.Option(help="Nye forsøg ved 503, 429 og tabte forbindelser")] = 3,
) -> None:
    """Hent alt, hvad standardnøgletallene og udvalgsrapporten bruger, fra jobindsats (v3) og StatBank: ét
    øjebliksbillede pr. kilde, og en oversigt over, hvad der kom, og hvad der mangler og hvorfor."""
    from maaltal.cli.imports import progress_bar
    from maaltal.periods import Period
    from maaltal.sources import standard, statbank
    from maaltal.sources.jobindsats import client as jobindsats_client

    cfg = settings(ctx)
    registry = cfg.registry()
    focus = registry.get(area)
    first = Period.parse(start)
    requests = standard.load(tables)
    conf = jobindsats_client.load_config(config)
    with jobindsats_client.JobindsatsClient(
            conf.key, version=3, base_url=os.environ.get("JOBINDSATS_BASE_URL") or conf.base_url,
            retries=retries) as jobs, \
            statbank.StatBankClient(base_url=os.environ.get("STATBANK_BASE_URL"), lang=lang, retries=retries) as bank, \
            progress_bar("Henter standardtabeller") as progress, cfg.open_store() as store:
        result = standard.fetch(store, registry, requests, start=first, jobindsats=jobs, statbank_client=bank,
                                step=None if progress is None else _steps(progress, len(requests)))
        _print_standard(result)
        _print_keyfigures(store, registry, focus.id)


def _steps(progress: Progress, total: int) -> Callable[[str], None]:
    """The progress bar advanced by one for each table fetched."""
    done = iter(range(1, total + 1))
    return lambda table: progress(next(done), total)


def _print_standard(result) -> None:
    """What came (per table: observations, periods, suppressed cells) and what is missing, with the cause."""
    from maaltal import formatting as fmt
    from maaltal.cli.app import console

    for source, snapshot in result.snapshots.items():
        console.print(f"{'jobindsats' if source == 'jobindsats' else 'StatBank'}: øjebliksbillede {snapshot.id} "
                      f"({fmt.number(snapshot.row_count)} observationer).", highlight=False)
    for o in result.outcomes:
        if o.missing:
            continue
        hidden = f", {fmt.number(o.suppressed)} skjult af hensyn til diskretion" if o.suppressed else ""
        console.print(f"  {o.request.table} ({o.request.why}): {fmt.number(o.observations)} observationer, "
                      f"{o.first}–{o.last}{hidden}.", highlight=False)
        for note in o.derived:
            console.print(f"    {note}.", highlight=False)
    if result.missing:
        console.print("Mangler:", highlight=False)
        for o in result.missing:
            console.print(f"  {o.request.table} ({o.request.why}): {o.missing}.", highlight=False)


def _print_keyfigures(store, registry, area: str) -> None:
    """Per standard key figure the area's newest month and, where it lags the newest data, why; then the
    newest month with all of them, to give ``maaltal report``."""
    from maaltal import formatting as fmt
    from maaltal.cli.app import console
    from maaltal.measures import KeyFigureEngine, definitions
    from maaltal.measures.indicator import Indicator
    from maaltal.periods import Freq

    engine = KeyFigureEngine(store, registry)
    months = [p for info in store.series() for p in (info.last,) if p.freq is Freq.MONTH]
    if not months:
        return
    newest = max(months)
    name = registry.get(area).name
    console.print(f"Standardnøgletal for {name} (nyeste data: {fmt.period(newest)}):", highlight=False)
    latest = []
    for definition in definitions.load():
        ind = definition.indicator
        period = engine.latest_period(ind, area, newest) if engine.has_series(ind.series) else None
        latest.append(period)
        if period == newest:
            continue
        parts = [Indicator.of(ind.series, dims=dict(ind.dims))]
        if ind.denominator:
            parts.append(Indicator.of(ind.denominator, dims=dict(ind.denominator_dims)))
        ends = [(p, engine.latest_period(p, area, newest) if engine.has_series(p.series) else None) for p in parts]
        why = "; ".join(f"{_named(p)} findes {'ikke' if end is None else 'til ' + fmt.period(end)}"
                        for p, end in ends if end != newest) or "skjult eller ufuldstændig i den nyeste måned"
        shown = fmt.period(period) if period else "ingen tal"
        console.print(f"  {definition.label}: {shown} ({why}).", highlight=False)
    if all(latest):
        common = min(latest)
        console.print(f"Nyeste måned med alle standardnøgletal: {fmt.period(common)} — kør maaltal report --area "
                      f"{area} --period {common}", highlight=False)
    else:
        console.print("Ikke alle standardnøgletal har tal; se ovenfor.", highlight=False)


def _named(indicator) -> str:
    """A series with its dimension values as the summary names it: "befolkning (alder 16-66)"."""
    dims = ", ".join(f"{k} {v}" for k, v in indicator.dims)
    return indicator.series + (f" ({dims})" if dims else "")
