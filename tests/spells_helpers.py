"""Building spell files for the tests, with obviously fake CPR numbers (born on the 1st–28th of 1900–1909)."""

from __future__ import annotations

import csv
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
