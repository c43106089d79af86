"""Benchmark: the committee report (model + HTML) for one municipality and for all 98.

Builds the synthetic demo store (or uses ``--store``), then times:
- one report from a warm store (the store open, nothing cached in the key-figure engine), several runs;
- the HTML report of every municipality in one run, sharing one key-figure engine over the snapshot
  (as a batch run would), total and per report.

Prints figures; it asserts nothing. Targets (issue 7): one report < 2 s, all 98 < 60 s.

    .venv/bin/python benchmarks/reports.py [--store PATH] [--runs 5] [--period 2024M12]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from maaltal import demo
from maaltal.areas import AreaRegistry
from maaltal.measures import KeyFigureEngine
from maaltal.periods import Period
from maaltal.render import html
from maaltal.report import build
from maaltal.store import Store


def one_report(store: Store, registry: AreaRegistry, area: str, period: Period, engine: KeyFigureEngine | None = None
               ) -> int:
    engine = engine or KeyFigureEngine(store, registry)
    report = build.build(engine, build.ReportRequest(area=area, period=period, previous=period - 3))
    return len(html.render(report))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: build the demo store)")
    parser.add_argument("--period", default="2024M12")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    period = Period.parse(args.period)
    registry = AreaRegistry.default()

    with tempfile.TemporaryDirectory() as tmp:
        path = args.store
        if path is None:
            path = Path(tmp) / "demo.duckdb"
            started = time.perf_counter()
            with Store.open(path) as store:
                demo.build(store)
            print(f"demo store built in {time.perf_counter() - started:.2f} s")
        with Store.open(path, read_only=True) as store:
            one_report(store, registry, "167", period)  # warm-up: imports, templates, file cache
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                size = one_report(store, registry, "167", period)
                times.append(time.perf_counter() - started)
            print(f"one report (167, warm store, cold engine): median {statistics.median(times):.3f} s, "
                  f"min {min(times):.3f} s, max {max(times):.3f} s over {args.runs} runs; HTML {size:,} bytes")

            engine = KeyFigureEngine(store, registry)
            started = time.perf_counter()
            per_report = []
            for municipality in registry.municipalities():
                t0 = time.perf_counter()
                one_report(store, registry, municipality.id, period, engine)
                per_report.append(time.perf_counter() - t0)
            total = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            median = statistics.median(per_report)
            print(f"all {len(per_report)} reports: {total:.2f} s in total, median {median:.3f} s "
                  f"and max {max(per_report):.3f} s per report, peak RSS {peak / 2**20:.0f} MiB")
            print(f"targets: one report < 2 s: {'met' if statistics.median(times) < 2 else 'MISSED'}; "
                  f"all 98 < 60 s: {'met' if total < 60 else 'MISSED'}")


if __name__ == "__main__":
    main()
