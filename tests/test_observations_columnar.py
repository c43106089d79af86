"""The columnar reader of the generic observations CSV (issue 14: bounded memory) reads every file as the
row-wise reader it replaced did (``tests/rowwise_observations.py``): the same observations, every one, and
the same errors with the same file, row and column, on the test data and on generated files that mix
Danish and English numbers, suppressed cells, dimensions with empty cells, Windows-1252 and title lines,
blank and ragged rows, repeated observations and more than fifty errors, read in blocks small enough that
every file spans many of them."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa
import pytest

from maaltal.errors import InputError, InputErrors
from maaltal.sources import observations_csv, plausibility
from maaltal.store import observation_schema, observation_table
from tests import rowwise_observations
from tests.conftest import TEST_DATA

AREAS = ("101", "167", "Hvidovre", "Høje-Taastrup", "Region Hovedstaden", "Læsø", "hele landet", "147")
PERIODS = ("2022M01", "2022M02", "2022m03", "2022Q1", "2022K2", "2023", "2022QMAT04")
UNITS = ("personer", "fuldtidspersoner", "pct.", "kr.", "Personer")
SERIES = ("ftp", "bruttoledige", "andel_ledige", "ydelse.a-dagpenge", "Y30R21")


def outcome(path: Path, registry, reader) -> tuple[str, object]:
    """What a reader makes of a file: its observations as rows of the store's table, or its error messages."""
    try:
        result = reader(path, registry)
    except InputErrors as exc:
        return "errors", [str(e) for e in exc.errors]
    except InputError as exc:
        return "error", str(exc)
    table = result if isinstance(result, pa.Table) else observation_table(result)
    return "observations", table.select(observation_schema().names).to_pylist()


def assert_read_alike(path: Path, registry) -> tuple[str, object]:
    new = outcome(path, registry, observations_csv.read)
    assert new == outcome(path, registry, rowwise_observations.read)
    return new


@pytest.fixture(params=[observations_csv.BLOCK_SIZE, 300], ids=["blocks", "tiny-blocks"])
def block_size(request, monkeypatch):
    monkeypatch.setattr(observations_csv, "BLOCK_SIZE", request.param)
    return request.param


@pytest.mark.parametrize("name", ["gladsaxe_maal_2023.csv", "horsens_kontanthjaelp.csv",
                                  "hvidovre_bruttoledighed_2022.csv", "slagelse_unge_2020-2021.csv"])
def test_the_test_data_reads_alike(name, registry, block_size):
    kind, observations = assert_read_alike(TEST_DATA / name, registry)
    assert kind == "observations" and observations


def number(rng: random.Random, danish: bool) -> str:
    value = rng.choice([rng.randint(0, 9), rng.randint(0, 2_000_000), rng.uniform(-50, 100)])
    if isinstance(value, float):
        text = f"{value:.{rng.randint(0, 3)}f}"
        return text.replace("-", rng.choice("-−")).replace(".", ",") if danish else text
    if danish and value >= 1000 and rng.random() < 0.5:
        return f"{value:,}".replace(",", ".")
    return rng.choice([str(value), f"{value}e0", f"+{value}"]) if not danish else str(value)


def mixed_file(folder: Path, seed: int, *, danish: bool, rows: int = 400, broken: float = 0.0,
               cp1252: bool = False, titles: bool = False) -> Path:
    """A generated file of ``rows`` observations; with ``broken`` that share of lines damaged in some way."""
    rng = random.Random(seed)
    sep = ";" if danish else ","
    lines = ["Ydelsesmodtagere i kommunerne", "", "Kilde: jobindsats.dk"] if titles else []
    lines.append(sep.join(["Series", " area", "period", "value", "unit", "ydelse", "alder"]))
    seen = set()
    for _ in range(rows):
        groups = ["", "a-dagpenge", "sygedagpenge"] + ([] if danish else ['"a-dagpenge, forsikrede"'])
        key = (rng.choice(SERIES), rng.choice(AREAS), rng.choice(PERIODS), rng.choice(groups),
               rng.choice(["", "16-29 år", "30+"]))
        same = (key[0], key[1].replace("Hvidovre", "167"), *key[2:])
        if same in seen and (not broken or rng.random() < 0.9):  # a repeated observation is an error
            continue
        seen.add(same)
        value = rng.choice(["..", "-", "null", " .. "]) if rng.random() < 0.1 else number(rng, danish)
        if not danish and "," in value:
            value = f'"{value}"'
        cells = [key[0], key[1], key[2], value, rng.choice(UNITS), key[3], key[4]]
        if rng.random() < 0.2:
            cells = [c if c.startswith('"') else f" {c} " for c in cells]
        if rng.random() < broken:
            cells = damaged(rng, cells, sep)
        lines.append(sep.join(cells))
        if rng.random() < 0.03:
            lines.append(rng.choice(["", sep * 6, "   ", sep * 3]))
    path = folder / f"mixed-{seed}.csv"
    ending = "\r\n" if seed % 2 else "\n"
    text = ending.join(lines) + ending
    # Windows-1252 has no minus sign or Arabic-Indic digits
    path.write_bytes(text.replace("−", "-").replace("٣", "3").encode("cp1252") if cp1252 else text.encode())
    return path


def damaged(rng: random.Random, cells: list[str], sep: str) -> list[str]:
    """The cells of a row with one of the faults a user's file has."""
    fault = rng.randrange(9)
    if fault == 0:
        cells[1] = rng.choice(["Gondor", "999", ""])
    elif fault == 1:
        cells[2] = rng.choice(["2022M13", "22-06", ""])
    elif fault == 2:
        cells[3] = rng.choice(["mange", "", "1,2,3", "1.2.3", "1e400", "٣"])
    elif fault == 3:
        cells[4] = rng.choice(["", "stk"])
    elif fault == 4:
        cells[0] = rng.choice(["f tp", "-ftp", ""])
    elif fault == 5:
        cells.append("ekstra")
    elif fault == 6:
        cells = cells[:4]
    elif fault == 7:
        cells[1], cells[2], cells[3] = "Gondor", "2022X", "x"
    return cells


@pytest.mark.parametrize("seed", range(6))
def test_generated_valid_files_read_alike(tmp_path, registry, block_size, seed):
    path = mixed_file(tmp_path, seed, danish=seed % 2 == 0, cp1252=seed % 3 == 0, titles=seed < 3)
    kind, observations = assert_read_alike(path, registry)
    assert kind == "observations" and len(observations) > 100


@pytest.mark.parametrize("seed", range(12))
def test_generated_files_with_errors_read_alike(tmp_path, registry, block_size, seed):
    path = mixed_file(tmp_path, 100 + seed, danish=seed % 2 == 0, cp1252=seed % 3 == 0, titles=seed % 4 == 1,
                      broken=[0.005, 0.02, 0.3][seed % 3], rows=[300, 600, 1500][seed % 3])
    kind, errors = assert_read_alike(path, registry)
    assert kind in ("errors", "observations")


def test_more_than_fifty_errors_stop_where_the_row_wise_reader_stopped(tmp_path, registry, block_size):
    lines = ["series,area,period,value,unit"] + [f"ftp,167,2022M{m:02d},1,personer" for m in range(1, 13)] * 30
    lines[40] = "ftp,167,2022M01,1"  # ragged among the repeated ones
    path = tmp_path / "gentaget.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    kind, errors = assert_read_alike(path, registry)
    assert kind == "errors" and len(errors) == 50
    assert errors[0] == f"fil {path}, række 14, kolonne 'value': samme observation står også i række 2"


def test_rows_are_the_lines_of_the_file(tmp_path, registry, block_size):
    path = tmp_path / "titel.csv"
    path.write_text("Ledighed\n\nseries;area;period;value;unit\nftp;167;2022M01;1;personer\n\n   \n;;;;\n"
                    "ftp;167;2022M02;2;personer\n", encoding="utf-8")
    table = observations_csv.read(path, registry)
    assert table[plausibility.ROW].to_pylist() == [4, 8]


def test_a_file_with_only_a_header_titles_or_wrong_rows(tmp_path, registry):
    for text in ("series,area,period,value,unit\n", "series,area,period,value,unit", "Titel\n\n", "\n\n",
                 "series,area,period,value,unit\nftp,Gondor,2022M01,1,personer\n", ""):
        path = tmp_path / "tom.csv"
        path.write_text(text, encoding="utf-8")
        assert_read_alike(path, registry)


def test_the_published_aup02_as_excel_saves_it_reads_alike_and_right(shared_data, tmp_path, registry, store):
    """Statistics Denmark's AUP02 (unemployment in per cent, all 98 municipalities, 2007–2024) as the
    generic CSV a Danish Excel saves: title lines, `;`, decimal comma, Windows-1252. Read alike by both
    readers, and through the dashboard's path every published figure lands in the store as published."""
    import csv

    with open(shared_data / "dst_aup02_ledighedspct_aarsgennemsnit_kommune_2007-2024.csv", encoding="utf-8") as f:
        published = list(csv.DictReader(f))
    lines = ["Ledighed i procent af arbejdsstyrken (AUP02);;;;", "Kilde: Danmarks Statistik;;;;", ";;;;",
             "series;area;period;value;unit"]
    lines += [f"ledighedspct;{r['municipality']};{r['year']};{r['value'].replace('.', ',')};pct." for r in published]
    path = tmp_path / "aup02_ledighed.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    assert assert_read_alike(path, registry)[0] == "observations"

    from maaltal.sources.registry import ImportRequest, importer

    imported = importer("observations").run(store, path, ImportRequest(registry))
    assert imported.snapshot.row_count == len(published) == 98 * 18
    stored = dict(((area, period), value) for area, period, value in store.connection.execute(
        "SELECT area, period, value FROM observations WHERE series = 'ledighedspct'").fetchall())
    for row in published:
        assert stored[registry.get(row["municipality"]).id, row["year"]] == pytest.approx(float(row["value"]))

    # the same file with a typo and a misspelt municipality: both named by file, line and column; nothing written
    index = next(i for i, r in enumerate(published) if r["municipality"] == "Hvidovre" and r["year"] == "2024")
    lines[4 + index] = lines[4 + index].replace(";pct.", "x;pct.")
    lines[4 + 7] = lines[4 + 7].replace("ledighedspct;", "ledighedspct;Hvidovr ", 1)
    bad = tmp_path / "aup02_fejl.csv"
    bad.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    before = store.connection.execute("SELECT count(*), max(snapshot_id) FROM observations").fetchone()
    with pytest.raises(InputErrors) as caught:
        importer("observations").run(store, bad, ImportRequest(registry))
    assert sorted((e.location.row, e.location.column) for e in caught.value.errors) == [
        (4 + 7 + 1, "area"), (4 + index + 1, "value")]
    assert all(str(e.location.file).endswith("aup02_fejl.csv") for e in caught.value.errors)
    assert store.connection.execute("SELECT count(*), max(snapshot_id) FROM observations").fetchone() == before
