"""Benchmark: the committee report for one municipality, and for all 98 in HTML and in all four formats.

Builds the synthetic demo store (or uses ``--store``), then times:
- one report (model + HTML) from a warm store (the store open, nothing cached in the key-figure engine);
- the HTML report of every municipality in one process, sharing one key-figure engine over the snapshot;
- every municipality's report in HTML, PDF, DOCX and XLSX, as a batch run makes them: ``--workers``
  processes (default: one per core), each opening the store read-only once, keeping one key-figure engine,
  and loading the renderers, templates and fonts once for all its reports. The time is split by stage:
  the report model, each format, and inside them the PDF engine (WeasyPrint's layout and PDF writing),
  the charts drawn as SVG (for HTML, PDF and DOCX) and rasterised to PNG (for DOCX, vl-convert).

Prints figures with their targets and [met]/[missed]; it asserts nothing. Targets: one report < 2 s, all 98
in HTML < 60 s (issue 7); all 98 in all four formats < 5 minutes on 2 cores (issue 15).

    .venv/bin/python benchmarks/reports.py [--store PATH] [--runs 5] [--period 2024M12] [--workers 2]
                                           [--limit N] [--skip-formats]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from maaltal import demo
from maaltal.areas import AreaRegistry
from maaltal.measures import KeyFigureEngine
from maaltal.periods import Period
from maaltal.render import html
from maaltal.report import build
from maaltal.store import Store

FORMATS = ("html", "pdf", "docx", "xlsx")
ALL_FORMATS_TARGET = 300.0  # seconds for the 98 reports in all four formats on 2 cores


def request(area: str, period: Period) -> build.ReportRequest:
    return build.ReportRequest(area=area, period=period, previous=period - 3)


def one_report(store: Store, registry: AreaRegistry, area: str, period: Period, engine: KeyFigureEngine | None = None
               ) -> int:
    engine = engine or KeyFigureEngine(store, registry)
    return len(html.render(build.build(engine, request(area, period))))


# all four formats, in worker processes -------------------------------------------------------------

class Stages:
    """Wall-clock and CPU seconds per stage in this process; functions are wrapped to count their time.

    On a machine shared with other work the wall-clock time grows with the load; the CPU time does not."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.cpu: Counter[str] = Counter()

    def timed(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - started
                self.cpu[stage] += time.process_time() - cpu
        return wrapper


def _count_charts_and_pdf_engine(stages: Stages) -> None:
    """Wrap the chart drawing (SVG), the rasterising (PNG) and WeasyPrint's rendering so their time shows."""
    import vl_convert
    import weasyprint

    from maaltal.render import svg_charts

    original = svg_charts.render
    timed_svg = stages.timed("charts: SVG", original)
    svg_charts.render = timed_svg
    for name, value in list(html._ENV.globals.items()):  # the templates hold the function itself
        if value is original:
            html._ENV.globals[name] = timed_svg
    vl_convert.svg_to_png = stages.timed("charts: PNG (DOCX)", vl_convert.svg_to_png)
    weasyprint.HTML.write_pdf = stages.timed("PDF engine (WeasyPrint)", weasyprint.HTML.write_pdf)


def _worker(store_path: str, areas: list[str], period_text: str, out: str) -> dict[str, Any]:
    """Write the reports of ``areas`` in all four formats; return the time per stage and per report."""
    from maaltal.render import files

    started = time.perf_counter()
    stages = Stages()
    _count_charts_and_pdf_engine(stages)
    period = Period.parse(period_text)
    registry = AreaRegistry.default()
    per_report = []
    with Store.open(Path(store_path), read_only=True) as store:
        engine = KeyFigureEngine(store, registry)
        for area in areas:
            report_started = time.perf_counter()
            with_timing = stages.timed("report model", build.build)
            report = with_timing(engine, request(area, period))
            folder = Path(out) / area
            for fmt in FORMATS:
                stages.timed(fmt, files.write)(report, folder, [fmt])
            per_report.append(time.perf_counter() - report_started)
    return {"stages": dict(stages.seconds), "stages_cpu": dict(stages.cpu), "per_report": per_report,
            "seconds": time.perf_counter() - started,
            "cpu": time.process_time(), "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


def all_formats(store_path: Path, areas: list[str], period: Period, workers: int) -> None:
    shares = [areas[i::workers] for i in range(workers)]
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            results = pool.starmap(_worker, [(str(store_path), share, str(period), out) for share in shares])
        total = time.perf_counter() - started
        written = sum(1 for _ in Path(out).rglob("*.*"))
    stages: Counter[str] = Counter()
    cpu: Counter[str] = Counter()
    for result in results:
        stages.update(result["stages"])
        cpu.update(result["stages_cpu"])
    per_report = [seconds for result in results for seconds in result["per_report"]]
    busy = sum(result["seconds"] for result in results)
    print(f"all {len(areas)} reports in {', '.join(FORMATS)} ({written} files) with {workers} worker processes: "
          f"{total:.1f} s wall-clock; median {statistics.median(per_report):.2f} s and max {max(per_report):.2f} s "
          f"per report in a worker; {sum(r['cpu'] for r in results):.1f} s CPU; peak RSS per worker "
          f"{max(r['peak'] for r in results) / 2**20:.0f} MiB")
    cpu_total = sum(r["cpu"] for r in results)
    print(f"  time in the workers by stage, wall-clock and CPU ({busy:.1f} s and {cpu_total:.1f} s in all, "
          "start-up and imports included):")
    for stage, label in (("report model", "report model"), *((f, f) for f in FORMATS),
                         ("PDF engine (WeasyPrint)", "  of which the PDF engine (WeasyPrint's layout and writing)"),
                         ("charts: SVG", "  charts drawn as SVG (for HTML, PDF and DOCX)"),
                         ("charts: PNG (DOCX)", "  charts rasterised to PNG (for DOCX)")):
        print(f"    {label:<62} {stages[stage]:7.1f} s {cpu[stage]:7.1f} s CPU")
    print(f"  on {workers} otherwise idle cores this is about {cpu_total / workers * 98 / len(areas):.0f} s "
          "for 98 (the workers' CPU time shared out)")
    scaled = total * 98 / len(areas)
    status = "met" if scaled < ALL_FORMATS_TARGET else "missed"
    estimate = "" if len(areas) == 98 else f" (estimated for 98 from {len(areas)}: {scaled:.0f} s)"
    print(f"target: all 98 in all four formats < {ALL_FORMATS_TARGET:.0f} s on 2 cores: {total:.1f} s{estimate} "
          f"[{status}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: build the demo store)")
    parser.add_argument("--period", default="2024M12")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes for the reports in all four formats (default: one per core)")
    parser.add_argument("--limit", type=int, help="only the first N municipalities in all four formats")
    parser.add_argument("--skip-formats", action="store_true", help="leave out the reports in all four formats")
    args = parser.parse_args()
    period = Period.parse(args.period)
    registry = AreaRegistry.default()
    print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")

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
            print(f"all {len(per_report)} reports in HTML: {total:.2f} s in total, median {median:.3f} s "
                  f"and max {max(per_report):.3f} s per report, peak RSS {peak / 2**20:.0f} MiB")
            print(f"target: one report < 2 s: {statistics.median(times):.3f} s "
                  f"[{'met' if statistics.median(times) < 2 else 'missed'}]")
            print(f"target: all 98 in HTML < 60 s: {total:.2f} s [{'met' if total < 60 else 'missed'}]")
        if not args.skip_formats:
            areas = [m.id for m in registry.municipalities()][:args.limit]
            all_formats(path, areas, period, args.workers)


if __name__ == "__main__":
    main()
