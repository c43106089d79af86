"""``maaltal import spells`` and ``maaltal compute ftp``: benefit spells from the case system.

The command line only parses options, shows a progress bar for large files and prints what was done;
personal data never reaches the terminal (the library masks CPR numbers in every message).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maaltal import formatting as fmt
from maaltal import privacy
from maaltal.cli.app import app, console, settings
from maaltal.cli.imports import AcceptOption, import_app, print_notices, run_import
from maaltal.errors import MaaltalError
from maaltal.periods import PeriodRange

compute_app = typer.Typer(help="Beregn tal fra data i datalageret.", no_args_is_help=True)
app.add_typer(compute_app, name="compute")


def _age_limits(text: str) -> tuple[int, ...]:
    try:
        limits = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise MaaltalError(f"--age-bands '{text}' skal være aldersgrænser adskilt af komma, fx 18,30,40,50,60") \
            from None
    if not limits or list(limits) != sorted(set(limits)) or limits[0] < 1:
        raise MaaltalError(f"--age-bands '{text}' skal være stigende aldre over 0, fx 18,30,40,50,60")
    return limits


@import_app.command("spells")
def import_spells(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV eller Parquet med ét forløb pr. række")],
    key_file: Annotated[Path | None, typer.Option(
        help=f"Fil med nøglen til pseudonymisering af CPR-numre. Standard: ${privacy.KEY_ENV}")] = None,
    months: Annotated[str | None, typer.Option(
        help="Måneder der beregnes, fx 2019M01..2023M12. Standard: fra første til sidste dato i filen")] = None,
    threshold: Annotated[int, typer.Option(
        help="Diskretion: personantal under grænsen vises ikke")] = privacy.DEFAULT_THRESHOLD,
    age_bands: Annotated[str, typer.Option(help="Aldersgrænser for aldersgrupperne")] = "18,30,40,50,60",
    aggregate: Annotated[bool, typer.Option(
        help="Skriv også regionerne og hele landet (når udtrækket dækker hele landet)")] = False,
    columns: Annotated[str | None, typer.Option(
        "--columns", help="Udtrækkets egne kolonnenavne, fx ydelse=Ydelsesgruppe,start=IndsatsStartDato,"
        "slut=IndsatsSlutDato,kommune=OpholdsKommune (uge=… for én række pr. uge)")] = None,
    columns_file: Annotated[Path | None, typer.Option(
        help="YAML-fil med udtrækkets kolonnenavne, én linje felt: Kolonne (se examples/spells/)")] = None,
    accept_implausible: AcceptOption = False,
) -> None:
    """Indlæs forløb fra sagssystemet og beregn fuldtidspersoner, personer og varigheder pr. måned.

    CPR-numre erstattes af pseudonymer med en nøgle (--key-file eller $MAALTAL_PSEUDONYM_KEY) og gemmes
    aldrig. Hele filen kontrolleres, før noget skrives.
    """
    from maaltal.measures.spells import importing as spell_importing
    from maaltal.sources import spell_reader
    from maaltal.sources.registry import SpellOptions

    mapping = {**(spell_reader.load_mapping(columns_file) if columns_file else {}),
               **(spell_reader.parse_mapping(columns) if columns else {})}
    cfg = settings(ctx)
    options = SpellOptions(privacy.Pseudonymizer.load(key_file),
                           spell_importing.figure_maker(cfg.registry(), threshold=threshold, aggregate=aggregate),
                           PeriodRange.parse(months) if months else None, _age_limits(age_bands), mapping or None)
    imported = run_import(cfg, "spells", file, "Læser forløb", spells=options,
                          accept_implausible=accept_implausible)
    result = imported.result
    console.print(f"Indlæst {fmt.number(result.spells)} forløb for {fmt.period(result.months)}: "
                  f"{fmt.number(result.snapshot.row_count)} observationer som øjebliksbillede "
                  f"{result.snapshot.id}, heraf {fmt.number(result.suppressed)} skjult af diskretion.")
    print_notices(imported)


@compute_app.command("ftp")
def compute_ftp(
    ctx: typer.Context,
    engine: Annotated[str, typer.Option(help="duckdb (indbygget) eller spark")] = "duckdb",
    spark_master: Annotated[str, typer.Option(
        help="Spark-master: local[2], spark://vært:7077, yarn …")] = "local[2]",
    staging: Annotated[Path | None, typer.Option(
        help="Mappe som alle Spark-maskiner kan læse (delt disk); forløbene lægges der midlertidigt som Parquet")
    ] = None,
    months: Annotated[str | None, typer.Option(
        help="Måneder, fx 2019M01..2023M12. Standard: forløbenes første til sidste måned")] = None,
    threshold: Annotated[int, typer.Option(
        help="Diskretion: personantal under grænsen vises ikke")] = privacy.DEFAULT_THRESHOLD,
    aggregate: Annotated[bool, typer.Option(
        help="Skriv også regionerne og hele landet (når udtrækket dækker hele landet)")] = False,
) -> None:
    """Genberegn fuldtidspersoner, personer og varigheder fra de senest indlæste forløb.

    Resultatet skrives som et nyt øjebliksbillede.
    """
    from maaltal.measures.spells import compute as spell_compute
    if engine not in spell_compute.ENGINES:
        raise MaaltalError(f"Ukendt motor '{engine}'; vælg {' eller '.join(spell_compute.ENGINES)}")
    privacy.check_threshold(threshold)
    cfg = settings(ctx)
    with cfg.open_store() as store:
        stored = spell_compute.stored(store)
        span = PeriodRange.parse(months) if months else stored.months
        with console.status(f"Beregner på {engine} …"):
            result = spell_compute.from_store(store, stored, span, engine=engine, spark_master=spark_master,
                                              staging=staging, threshold=threshold,
                                              regions=spell_compute.regions_of(cfg.registry()) if aggregate else None)
        snapshot = store.write_snapshot(result.table, source=f"spells:compute:{engine}",
                                        note=f"forløb fra øjebliksbillede {stored.snapshot_id}, {span}")
    console.print(f"Beregnet på {engine} for {fmt.period(span)}: {fmt.number(snapshot.row_count)} observationer "
                  f"som øjebliksbillede {snapshot.id}, heraf {fmt.number(result.suppressed)} skjult af diskretion.")
