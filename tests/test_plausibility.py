"""Plausibility checks on every import (issue 14): Glostrup's gross unemployment uploaded as 845,6 % is held,
as is a count a hundred times its own history, until the analyst accepts it; and an analyst's scope."""

from __future__ import annotations

from pathlib import Path

import pytest

from maaltal.errors import InputError
from maaltal.sources import plausibility
from maaltal.sources import registry as importers
from maaltal.store import Store
from tests.conftest import run_cli

# Gross unemployment (pct.) of six municipalities of the capital region for a year, as jobindsats gives it.
MUNICIPALITIES = {"161": 2.4, "167": 2.7, "101": 3.1, "147": 3.0, "153": 2.2, "157": 1.6}


def history_file(folder: Path) -> Path:
    lines = ["series,area,period,value,unit"]
    for month in range(1, 13):
        for area, rate in MUNICIPALITIES.items():
            lines.append(f"bruttoledighed,{area},2023M{month:02d},{rate + month / 100:.2f},pct.")
            lines.append(f"ydelsesmodtagere,{area},2023M{month:02d},{int(rate * 400)},fuldtidspersoner")
    path = folder / "historik.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def new_month(folder: Path, glostrup: str = "845.6", count: str = "1000") -> Path:
    lines = ["series,area,period,value,unit"]
    for area, rate in MUNICIPALITIES.items():
        lines.append(f"bruttoledighed,{area},2024M01,{glostrup if area == '161' else rate},pct.")
    lines.append(f"ydelsesmodtagere,167,2024M01,{count},fuldtidspersoner")
    path = folder / "januar.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def seeded(tmp_path, registry):
    store_path = tmp_path / "maaltal.duckdb"
    with Store.open(store_path) as store:
        importers.importer("observations").run(store, history_file(tmp_path),
                                               importers.ImportRequest(registry))
    return store_path


def test_glostrups_845_pct_is_held_on_the_command_line_until_accepted(seeded, tmp_path):
    file = new_month(tmp_path)
    held = run_cli("--store", str(seeded), "import", "observations", str(file))
    assert held.returncode == 2 and "Traceback" not in held.stderr
    assert "Indlæsningen er holdt tilbage: 1 tal ser usandsynlige ud." in held.stderr
    assert "fil januar.csv, række 2, kolonne 'value': 845,6 pct. er en andel over 100 pct." in held.stderr
    assert "--accept-implausible" in held.stderr
    with Store.open(seeded, read_only=True) as store:
        assert len(store.snapshots()) == 1  # nothing written
    accepted = run_cli("--store", str(seeded), "import", "observations", str(file), "--accept-implausible")
    assert accepted.returncode == 0, accepted.stderr
    with Store.open(seeded, read_only=True) as store:
        assert len(store.snapshots()) == 2


def test_far_from_its_own_history_or_from_the_other_municipalities(seeded, tmp_path, registry):
    # Hvidovre's 1.080 full-time persons become 108.000; Glostrup's 2,4 % becomes 30 % (under 100 %, but over
    # 10 times its history)
    file = new_month(tmp_path, glostrup="30", count="108000")
    with Store.open(seeded) as store:
        with pytest.raises(plausibility.Implausible) as held:
            importers.importer("observations").run(store, file, importers.ImportRequest(registry))
        assert len(store.snapshots()) == 1
    lines = held.value.lines
    assert lines[0].startswith("fil januar.csv, række 2, kolonne 'value': 30,0 pct. er over 10 gange så meget som "
                               "medianen for de seneste 12 perioder (2,5)")
    assert lines[1].startswith("fil januar.csv, række 8, kolonne 'value': 108.000 fuldtidspersoner er over 10 gange")
    peers = new_month(tmp_path, glostrup="15", count="1080")  # not 10 times its history, but 5 times the others
    with Store.open(seeded) as store, pytest.raises(plausibility.Implausible) as held:
        importers.importer("observations").run(store, peers, importers.ImportRequest(registry))
    assert held.value.lines == ("fil januar.csv, række 2, kolonne 'value': 15,0 pct. er over 5 gange kommunernes "
                                "median i perioden (2,9 pct.)",)


def test_plausible_figures_pass_without_a_question(seeded, tmp_path, registry):
    with Store.open(seeded) as store:
        imported = importers.importer("observations").run(store, new_month(tmp_path, glostrup="2.6", count="1100"),
                                                          importers.ImportRequest(registry))
    assert imported.snapshot.id == 2


def test_an_analyst_scoped_to_hvidovre_cannot_import_glostrups_figures(seeded, tmp_path, registry):
    file = new_month(tmp_path, glostrup="2.5")
    with Store.open(seeded) as store, pytest.raises(InputError) as refused:
        importers.importer("observations").run(store, file, importers.ImportRequest(registry, scope=("167",)))
    assert str(refused.value) == ("fil januar.csv, række 2, kolonne 'area': du kan kun indlæse tal for Hvidovre "
                                  "(167), men rækken har tal for Glostrup (161); bed en administrator om adgang, eller "
                                  "fjern rækkerne")


def test_an_admin_scopes_an_analyst_to_municipalities_from_the_command_line(tmp_path):
    from maaltal.web import auth
    from maaltal.web.db import Database

    store = str(tmp_path / "maaltal.duckdb")
    env = {"MAALTAL_PASSWORD": "et-langt-kodeord-1"}
    added = run_cli("--store", store, "users", "add", "sofie", "--role", "analyst", "--area", "167",
                    "--area", "Glostrup", env=env)
    assert added.returncode == 0, added.stderr
    assert "Brugeren sofie er oprettet med rollen analytiker og må indlæse tal for" in added.stdout
    refused = run_cli("--store", store, "users", "add", "ole", "--role", "analyst", "--area", "Region Hovedstaden",
                      env=env)
    assert refused.returncode == 2 and "er ikke en kommune" in refused.stderr
    db = Database(Path(store))
    with db.cursor() as cur:
        assert auth.get_user(cur, "sofie").areas == ("161", "167") and auth.get_user(cur, "ole") is None
    db.close()


def test_a_difference_series_is_not_judged_by_its_own_history(seeded, tmp_path, registry):
    # Y30R21's actual less expected: near zero is normal, so 150 after a year of 4 and -2 (median 4) is no typo
    lines = ["series,area,period,value,unit"] + [f"forskel,167,2023M{m:02d},{-2 if m % 3 == 0 else 4},personer"
                                                  for m in range(1, 13)] + ["forskel,167,2024M01,150,personer"]
    path = tmp_path / "forskel.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Store.open(seeded) as store:
        imported = importers.importer("observations").run(store, path, importers.ImportRequest(registry))
    assert imported.snapshot.row_count == 13


def test_observations_of_another_importer_are_checked_with_their_row_searched_in_the_file(seeded, tmp_path,
                                                                                         registry):
    from maaltal.periods import Period
    from maaltal.store import Observation, observation_table

    file = new_month(tmp_path)
    january = Period.parse("2024M01")
    table = observation_table([Observation("bruttoledighed", area, january, 845.6 if area == "161" else rate, "pct.")
                               for area, rate in MUNICIPALITIES.items()])
    with Store.open(seeded) as store:
        listed, total = plausibility.findings(store, table, registry, file)
    assert total == 1
    assert str(listed[0]) == "fil januar.csv, række 2, kolonne 'value': 845,6 pct. er en andel over 100 pct."
    with pytest.raises(InputError, match="række 2, kolonne 'area'"):
        plausibility.check_scope(table, ("167",), registry, file)
