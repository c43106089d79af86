"""Benchmark: the memory and time of importing a large observations CSV, as the dashboard's upload does.

    .venv/bin/python benchmarks/upload_memory.py            # about 53 MB (issue 14's file) and near 200 MB
    .venv/bin/python benchmarks/upload_memory.py --quick    # about 5 and 20 MB (a CI-sized run)
    .venv/bin/python benchmarks/upload_memory.py --src /work/main/src   # another checkout's code, to compare

A deterministic generator (seed 2026) writes the generic long CSV as Excel saves it in Danish
(``;``-separated, decimal comma, UTF-8): the series ``ydelsesmodtagere`` (fuldtidspersoner), ``personer``
and ``andel`` (pct.) for the 98 municipalities, month after month from 2000M01, by ``ydelse`` (six benefit
groups and the total, an empty cell) and ``alder`` (three age bands and the total): 8.232 rows a month, the
figures wandering a few per cent from month to month, so that the plausibility check holds nothing.

Each file is imported into a fresh store in a fresh Python process through the importer registry
(``importer("observations").run``), the path ``/indlaes`` takes: the whole file checked, the scope and
plausibility checks, one snapshot written. The process reports its peak resident memory
(``resource.getrusage`` maxrss) and the import's wall-clock time (start-up not counted). Targets: under 500 MB
for the 53 MB file (issue 14 measured 1,96 GB), under 1,5 GB near the 200 MB upload limit, and the time
growing about linearly (the large file's time under 5 × the small one's, for about 3,8 × the bytes).

The exit code is 1 when a target is missed; ``--quick`` shows the figures with the targets as ``n/a``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

MB = 1024 * 1024
UPLOAD_LIMIT = 200 * MB  # maaltal.web.pages_analyst.MAX_UPLOAD (not imported: the web needs its extras)
SMALL_TARGET_MB, LARGE_TARGET_MB, TIME_RATIO_TARGET = 500, 1500, 5.0
SERIES = (("ydelsesmodtagere", "fuldtidspersoner", 900.0), ("personer", "personer", 1100.0), ("andel", "pct.", 4.0))
GROUPS = ("a-dagpenge", "kontanthjælp", "uddannelseshjælp", "sygedagpenge", "ressourceforløb", "fleksjob", "")
AGES = ("16-29 år", "30-49 år", "50 år og derover", "")

CHILD = """
import json, resource, sys, time
from pathlib import Path
from maaltal.areas import AreaRegistry
from maaltal.sources import registry as importers
from maaltal.store import Store

path, store_path = Path(sys.argv[1]), Path(sys.argv[2])
registry = AreaRegistry.default()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
with Store.open(store_path) as store:
    imported = importers.importer("observations").run(store, path, importers.ImportRequest(registry))
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "rows": imported.snapshot.row_count, "start_kb": before,
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def generate(path: Path, size: int, seed: int = 2026) -> int:
    """Write whole months until the file is about ``size`` bytes; return the number of rows."""
    from maaltal.areas import AreaRegistry

    rng = np.random.default_rng(seed)
    codes = sorted(a.id for a in AreaRegistry.default().municipalities())
    combos = [(s, g, a) for s in SERIES for g in GROUPS for a in AGES]
    # each area, series and set of dimensions: a level of its own, wandering ±3 % a month
    level = np.array([[base * rng.uniform(0.5, 1.5) * (1 if g or unit == "pct." else 3) for (_, unit, base), g, _ in
                       combos] for _ in codes])
    prefix = [[f"{name};{code};" for code in codes] for name, _, _ in (c[0] for c in combos)]
    suffix = [f";{unit};{group};{age}\n" for (_, unit, _), group, age in combos]
    decimals = [1 if unit == "pct." else 0 for (_, unit, _), _, _ in combos]
    rows, written, month = 0, 0, 0
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("series;area;period;value;unit;ydelse;alder\n")
        while written < size:
            period = f"{2000 + month // 12}M{month % 12 + 1:02d}"
            level *= rng.uniform(0.97, 1.03, level.shape)
            lines = []
            for c, (pre, post, places) in enumerate(zip(prefix, suffix, decimals, strict=True)):
                column = level[:, c]
                values = [f"{v:.{places}f}".replace(".", ",") for v in column.tolist()]
                lines.extend(f"{pre[a]}{period};{values[a]}{post}" for a in range(len(codes)))
            text = "".join(lines)
            f.write(text)
            written += len(text.encode())
            rows += len(lines)
            month += 1
    return rows


def measure(path: Path, folder: Path, src: str | None) -> dict:
    """Import ``path`` in a fresh process; its figures."""
    store = folder / "bench.duckdb"
    for stale in (store, store.with_name(store.name + ".wal")):
        stale.unlink(missing_ok=True)
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(store)], capture_output=True, text=True,
                          env=env)
    if done.returncode:
        raise SystemExit(f"the import of {path.name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _line(label: str, ok: bool | None, text: str) -> str:
    return f"  [{'n/a' if ok is None else 'met' if ok else 'missed'}] {label}: {text}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a CI-sized run: about 5 and 20 MB")
    parser.add_argument("--src", help="run the imports with this source folder first on the path (a comparison)")
    args = parser.parse_args(argv)
    sizes = (5 * MB, 20 * MB) if args.quick else (53 * MB, int(UPLOAD_LIMIT * 0.97))
    figures = []
    with tempfile.TemporaryDirectory(prefix="maaltal-upload-bench-") as name:
        folder = Path(name)
        for size in sizes:
            path = folder / f"observations_{size // MB}mb.csv"
            started = time.perf_counter()
            rows = generate(path, size)
            megabytes = path.stat().st_size / MB
            print(f"{megabytes:.0f} MB CSV, {rows:,} rows, generated in {time.perf_counter() - started:.1f} s")
            result = measure(path, folder, args.src)
            path.unlink()
            peak = result["peak_kb"] / 1024
            print(f"  import: {result['seconds']:.1f} s, peak RSS {peak:,.0f} MB "
                  f"(after start-up {result['start_kb'] / 1024:,.0f} MB), {result['rows']:,} observations")
            figures.append((megabytes, peak, result["seconds"]))
    (small_mb, small_peak, small_s), (large_mb, large_peak, large_s) = figures
    checks = [
        (f"peak RSS for {small_mb:.0f} MB under {SMALL_TARGET_MB} MB", small_peak < SMALL_TARGET_MB,
         f"{small_peak:,.0f} MB"),
        (f"peak RSS for {large_mb:.0f} MB under {LARGE_TARGET_MB:,} MB", large_peak < LARGE_TARGET_MB,
         f"{large_peak:,.0f} MB"),
        (f"time ratio {large_mb:.0f} MB / {small_mb:.0f} MB under {TIME_RATIO_TARGET:.0f} (bytes ×"
         f"{large_mb / small_mb:.1f})", large_s / small_s < TIME_RATIO_TARGET,
         f"{large_s / small_s:.2f} ({large_s:.1f} s against {small_s:.1f} s)"),
    ]
    print("Targets:")
    for label, met, text in checks:
        print(_line(label, None if args.quick else met, text))
    return 0 if args.quick or all(met for _, met, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
