"""Benchmark: dashboard page times under 20 concurrent clients, on loopback, over the demo store.

Builds the synthetic demo store in a temporary folder (or copies ``--store``), creates a reader with
``maaltal users add``, starts the real ``maaltal serve`` in a subprocess on 127.0.0.1 and a free port with
the demo goal catalogue, logs each client in through the login form, warms the pages once, then lets
``--clients`` threads (each its own session) fetch every page ``--rounds`` times, bounded by
``--seconds``. Prints p50, p95 and max per page and the throughput; it asserts nothing.
Target (issue 8): p95 of the overview < 150 ms at 20 concurrent clients.

    .venv/bin/python benchmarks/web_load.py [--store PATH] [--clients 20] [--rounds 25] [--seconds 120]
        [--page / …]   # only the named pages, e.g. the overview alone
"""

from __future__ import annotations

import argparse
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
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "examples" / "demo-hvidovre-2024.yaml"
PAGES = ("/", "/maal/bruttoledighed", "/rapport", "/noegletal", "/datakilder")
PASSWORD = "benchmark-kodeord"


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


def logged_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    response = client.post("/login", data={"username": "laeser", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.text
    return client


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


def run_clients(clients: list[httpx.Client], pages: tuple[str, ...], rounds: int, seconds: float
                ) -> dict[str, list[float]]:
    times: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    start = threading.Barrier(len(clients))
    deadline = time.monotonic() + seconds

    def work(client: httpx.Client, offset: int) -> None:
        start.wait()
        for r in range(rounds):
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
    args = parser.parse_args()
    pages = tuple(args.page or PAGES)
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "demo.duckdb"
        if args.store:
            shutil.copyfile(args.store, store)
        else:
            maaltal(store, "demo")
        maaltal(store, "users", "add", "laeser", "--role", "reader")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = maaltal(store, "serve", "--area", "167", "--benchmark", "group:vestegnen", "--catalogue",
                         str(CATALOGUE), "--port", str(port), background=True)
        try:
            wait_until_up(base, server)
            clients = [logged_in(base) for _ in range(args.clients)]
            for page in pages:  # the first view of each page builds what it caches
                clients[0].get(page)
            t0 = time.perf_counter()
            times = run_clients(clients, pages, args.rounds, args.seconds)
            wall = time.perf_counter() - t0
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


if __name__ == "__main__":
    main()
