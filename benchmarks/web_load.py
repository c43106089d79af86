"""Benchmark: dashboard page times under 20 concurrent clients, on loopback, over the demo store.

Builds the synthetic demo store in a temporary folder (or copies ``--store``), creates a reader with
``maaltal users add``, starts the real ``maaltal serve`` in a subprocess on 127.0.0.1 and a free port with
the demo goal catalogue, logs each client in through the login form, warms the pages once, then lets
``--clients`` threads (each its own session) fetch every page ``--rounds`` times, bounded by
``--seconds``. Prints p50, p95 and max per page and the throughput; it asserts nothing.
Target (issue 8): p95 of the overview < 150 ms at 20 concurrent clients.

``--import-and-publish`` (issue 14) adds a busy office to the readers: once they are running, an analyst
starts a publication and, right behind it, uploads the newest month again (a revision, a new snapshot),
while the readers browse until both are done. It measures how long the import takes (it must not queue
behind the publication), how long the first visitor after it waits for the overview and the explorer
(target < 1 s: the import builds them before it says it is done), and the overview's p95 over the whole
run (target < 150 ms), and prints each against its target with [met] or [missed], with the machine's load
average (it may be shared).

    .venv/bin/python benchmarks/web_load.py [--store PATH] [--clients 20] [--rounds 25] [--seconds 120]
        [--page / …]   # only the named pages, e.g. the overview alone
        [--import-and-publish]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "examples" / "demo-hvidovre-2024.yaml"
PAGES = ("/", "/maal/bruttoledighed", "/rapport", "/noegletal", "/datakilder")
PASSWORD = "benchmark-kodeord-1"
OVERVIEW_P95 = 0.150  # seconds (issue 8 and 14)
FIRST_VISIT = 1.0     # seconds: the first visitor after an import (issue 14)


def maaltal(store: Path, *args: str, **kwargs) -> subprocess.Popen | subprocess.CompletedProcess:
    command = [sys.executable, "-m", "maaltal", "--store", str(store), *args]
    env = {**os.environ, "MAALTAL_PASSWORD": PASSWORD}
    if kwargs.pop("background", False):
        return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True, timeout=600)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def logged_in(base: str, username: str = "laeser") -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120)
    token = _token(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.text
    return client


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def newest_month(store: Path, folder: Path) -> Path:
    """The demo's newest month of every series again: a revision, as jobindsats sends them every month (the
    demo catalogue is for 2024, so the report cannot move to a month after it)."""
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute(
            "SELECT series, area, period, value, unit, dims FROM observations WHERE freq = 'M' AND NOT suppressed "
            "QUALIFY period = max(period) OVER (PARTITION BY series) AND "
            "row_number() OVER (PARTITION BY series, area, period, dims ORDER BY snapshot_id DESC) = 1").fetchall()
    finally:
        con.close()
    dims = sorted({k for *_, d in rows for k in json.loads(d)})
    path = folder / "seneste-maaned.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write(",".join(["series", "area", "period", "value", "unit", *dims]) + "\n")
        for series, area, period, value, unit, d in rows:
            values = json.loads(d)
            f.write(",".join([series, area, period, repr(value), unit,
                              *(values.get(k, "") for k in dims)]) + "\n")
    return path


def follow(client: httpx.Client, location: str, limit: float = 600) -> float:
    """Seconds until the job at ``location`` has ended (it must end well)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        page = client.get(location).text
        if "Status: <strong>færdig</strong>" in page:
            return time.perf_counter() - t0
        if "Status: <strong>" in page and "Status: <strong>kører" not in page and "Status: <strong>venter" not in page:
            raise SystemExit(f"the job at {location} did not end well:\n{page[-2000:]}")
        time.sleep(0.05)
    raise SystemExit(f"the job at {location} did not end")


@dataclass
class Office:
    """What the analyst's import and publication took, and what the first visitor after the import waited."""

    import_seconds: float = 0.0
    publication_seconds: float = 0.0
    first_visit: dict[str, float] = field(default_factory=dict)


def busy_office(base: str, upload: Path, office: Office, done: threading.Event, delay: float = 2.0) -> None:
    """A publication, then right behind it an import; then a new reader's first visit to the standard pages."""
    try:
        _busy_office(base, upload, office, delay)
    finally:
        done.set()


def _busy_office(base: str, upload: Path, office: Office, delay: float) -> None:
    time.sleep(delay)
    analyst = logged_in(base, "analytiker")
    confirm = analyst.post("/publicer", data={"csrf_token": _token(analyst.get("/").text)})
    snapshot = re.search(r'name="oejebliksbillede" value="(\d+)"', confirm.text).group(1)
    published = analyst.post("/publicer", data={"csrf_token": _token(confirm.text), "bekraeft": "ja",
                                                "oejebliksbillede": snapshot})
    t_publish = time.perf_counter()
    token = _token(analyst.get("/indlaes").text)
    imported = analyst.post("/indlaes", data={"csrf_token": token},
                            files={"fil": (upload.name, upload.read_bytes(), "text/csv")})
    office.import_seconds = follow(analyst, imported.headers["location"])
    visitor = logged_in(base)
    for page in ("/", "/noegletal", "/datakilder"):
        t0 = time.perf_counter()
        response = visitor.get(page)
        office.first_visit[page] = time.perf_counter() - t0
        assert response.status_code == 200, (page, response.status_code)
    follow(analyst, published.headers["location"])
    office.publication_seconds = time.perf_counter() - t_publish


def wait_until_up(base: str, server: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"maaltal serve stopped: {server.stderr.read()}")
        try:
            httpx.get(base + "/login", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("maaltal serve did not start")


def run_clients(clients: list[httpx.Client], pages: tuple[str, ...], rounds: int, seconds: float,
                until: threading.Event | None = None) -> dict[str, list[float]]:
    """Every client fetches every page ``rounds`` times (or, with ``until``, until it is set), within
    ``seconds``."""
    times: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    start = threading.Barrier(len(clients))
    deadline = time.monotonic() + seconds

    def work(client: httpx.Client, offset: int) -> None:
        start.wait()
        r = 0
        while (r < rounds) if until is None else not until.is_set():
            r += 1
            for i in range(len(pages)):
                if time.monotonic() > deadline:
                    return
                page = pages[(i + offset + r) % len(pages)]  # the clients do not all ask for the same page
                t0 = time.perf_counter()
                response = client.get(page)
                elapsed = time.perf_counter() - t0
                if response.status_code != 200:
                    raise SystemExit(f"{page}: HTTP {response.status_code}")
                with lock:
                    times[page].append(elapsed)

    threads = [threading.Thread(target=work, args=(c, i)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a demo store to copy (default: build one)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=25, help="times each client fetches every page")
    parser.add_argument("--seconds", type=float, default=120, help="stop after this long in any case")
    parser.add_argument("--page", action="append", choices=PAGES,
                        help=f"only these pages (default: all of {', '.join(PAGES)})")
    parser.add_argument("--import-and-publish", action="store_true",
                        help="an analyst publishes and imports a new month while the readers browse")
    args = parser.parse_args()
    pages = tuple(args.page or PAGES)
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "demo.duckdb"
        if args.store:
            shutil.copyfile(args.store, store)
        else:
            maaltal(store, "demo")
        maaltal(store, "users", "add", "laeser", "--role", "reader")
        maaltal(store, "users", "add", "analytiker", "--role", "analyst")
        upload = newest_month(store, Path(tmp))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = maaltal(store, "serve", "--area", "167", "--benchmark", "group:vestegnen", "--catalogue",
                         str(CATALOGUE), "--port", str(port), background=True)
        try:
            wait_until_up(base, server)
            clients = [logged_in(base) for _ in range(args.clients)]
            for page in pages:  # the first view of each page builds what it caches
                clients[0].get(page)
            office, done = Office(), threading.Event()
            analyst = threading.Thread(target=busy_office, args=(base, upload, office, done))
            if args.import_and_publish:
                analyst.start()
            t0 = time.perf_counter()
            times = run_clients(clients, pages, args.rounds, args.seconds,
                                done if args.import_and_publish else None)
            wall = time.perf_counter() - t0
            if args.import_and_publish:
                analyst.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
    total = sum(len(v) for v in times.values())
    print(f"{args.clients} concurrent clients on 127.0.0.1, {total} requests in {wall:.1f} s "
          f"({total / wall:.0f} requests/s), CPUs: {os.cpu_count()}")
    print(f"{'page':<24}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for page in pages:
        values = sorted(times[page])
        if not values:
            continue
        p95 = values[min(len(values) - 1, int(round(0.95 * len(values))) - 1)]
        print(f"{page:<24}{len(values):>6}{statistics.median(values) * 1000:>10.1f}{p95 * 1000:>10.1f}"
              f"{values[-1] * 1000:>10.1f}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min) at the end: {load}")
    if "/" in times:
        overview = sorted(times["/"])
        p95 = overview[min(len(overview) - 1, int(round(0.95 * len(overview))) - 1)]
        print(_against("overview p95", p95, OVERVIEW_P95))
    if args.import_and_publish:
        print(f"import of {upload.name} (behind a publication started just before it): {office.import_seconds:.1f} s;"
              f" the publication: {office.publication_seconds:.1f} s")
        for page, seconds in office.first_visit.items():
            print(_against(f"first visit to {page} after the import", seconds, FIRST_VISIT))


def _against(label: str, seconds: float, target: float) -> str:
    return f"{label}: {seconds * 1000:.0f} ms (target < {target * 1000:.0f} ms) " \
           f"[{'met' if seconds < target else 'missed'}]"


if __name__ == "__main__":
    main()
