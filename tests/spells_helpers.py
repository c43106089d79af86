"""Building spell files for the tests, with obviously fake CPR numbers (born on the 1st–28th of 1900–1909)."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

HEADER = ("cpr", "ydelse", "start", "slut", "kommune", "fødselsdato", "køn")
KEY = "test-nøgle-kun-til-tests-0123456789"


def fake_cpr(i: int) -> str:
    """A CPR-shaped number no one has, different for every ``i``: born 1900–1909, serial 0000, 0001, …"""
    day, rest = i % 28, i // 28
    month, rest = rest % 12, rest // 12
    return f"{day + 1:02d}{month + 1:02d}0{rest % 10}-{rest // 10:04d}"


def spell(i: int, ydelse: str, start: str, end: str = "", kommune: str = "657", born: str = "1960-06-15",
          sex: str = "K") -> tuple[str, ...]:
    return (fake_cpr(i), ydelse, start, end, kommune, born, sex)


def write(path: Path, rows, header=HEADER, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def key_file(folder: Path) -> Path:
    path = folder / "pseudonym.key"
    path.write_text(KEY, encoding="utf-8")
    return path


def varied_extract(n: int, seed: int = 15) -> list[tuple[str, ...]]:
    """``n`` spells in the shapes a case system writes: CPR with and without hyphen, ISO and Danish dates,
    open spells, codes and names of municipalities, sex in several spellings, visitation, padded cells.

    Deterministic (``seed``), every row valid; persons have several spells, some overlapping."""
    import random
    rng = random.Random(seed)
    groups = ("a-dagpenge", "Kontanthjælp", "sygedagpenge", "førtidspension", "ledighedsydelse")
    areas = ("167", "Hvidovre", "657", "Herning", "101", "København")
    sexes = ("K", "M", "kvinde", "mand", "", "k")
    rows = []
    for _ in range(n):
        person = rng.randrange(max(n // 3, 1))
        cpr = fake_cpr(person)
        if person % 3 == 0:
            cpr = cpr.replace("-", "")
        start = date(2019, 1, 1) + timedelta(days=rng.randrange(3 * 365))
        end = start + timedelta(days=int(rng.expovariate(1 / 150)))
        born = date(1950 + person % 55, 1 + person % 12, 1 + person % 28)
        fmt = rng.choice(("iso", "dash", "dot"))

        def text(day: date, fmt: str = fmt) -> str:
            return {"iso": day.isoformat(), "dash": day.strftime("%d-%m-%Y"), "dot": day.strftime("%d.%m.%Y")}[fmt]
        rows.append((f" {cpr}" if person % 7 == 0 else cpr, rng.choice(groups), text(start),
                     "" if rng.random() < 0.1 else text(end), rng.choice(areas), text(born),
                     sexes[person % len(sexes)], rng.choice(("", "match 1", "Match 2", "3"))))
    return rows


VARIED_HEADER = ("CPR", "Ydelse", "start", "slut", "kommune", "fødselsdato", "køn", "visitation")
