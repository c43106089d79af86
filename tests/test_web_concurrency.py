"""Reading while writing: imports run while people browse; no page waits for them and nothing is lost.

The imports go to the one writer thread, each as one transaction on its own cursor; every page reads
through a cursor of its own, so DuckDB's MVCC shows it the snapshots committed when it asked.
"""

from __future__ import annotations

import re
import threading
import time

from maaltal.sources import observations_csv
from maaltal.store import Store
from tests.conftest import TEST_DATA
from tests.test_web_actions import wait_for_job
from tests.web_server import serve

MONTHS = [f"{year}M{month:02d}" for year in range(2015, 2023) for month in range(1, 13)]


def big_file(registry, variants: int) -> tuple[str, int]:
    """A valid observation file of a made-up series: every municipality, month and variant."""
    lines = ["series,area,period,value,unit,variant"]
    for area in registry.municipalities():
        for month in MONTHS:
            lines += [f"belastning,{area.id},{month},{len(area.name) + v},personer,v{v}" for v in range(variants)]
    return "\n".join(lines) + "\n", len(lines) - 1


def test_pages_keep_answering_during_imports_and_every_row_lands(store_path, registry):
    with Store.open(store_path) as store:
        observations_csv.import_file(store, TEST_DATA / "hvidovre_bruttoledighed_2022.csv", registry)
    first, first_rows = big_file(registry, 8)   # 98 × 96 × 8 = 75.264 rows
    second, second_rows = big_file(registry, 2)  # 98 × 96 × 2 = 18.816 rows
    with serve(store_path) as server:
        analyst, reader = server.login("analytiker"), server.login("laeser")
        reader.get("/")
        token = server.csrf(analyst, "/indlaes")
        seen: list[tuple[int, int, bool]] = []  # (status, snapshot shown, served within one import's run)
        job_ids: list[str] = []
        stop = threading.Event()

        def importing() -> str | None:
            """The import job running now, if any (the site's own job state, read in this process)."""
            jobs = server.app.state.jobs
            return next((job.id for job in map(jobs.get, list(job_ids)) if job and job.state == "kører"), None)

        def browse() -> None:
            while not stop.is_set():
                began = importing()
                response = reader.get("/")
                shown = re.search(r"Data fra øjebliksbillede (\d+)", response.text)
                seen.append((response.status_code, int(shown.group(1)) if shown else 0,
                             began is not None and began == importing()))

        browser = threading.Thread(target=browse)
        browser.start()
        jobs = []
        for name, text in (("stor.csv", first), ("lille.csv", second)):
            jobs.append(analyst.post("/indlaes", data={"csrf_token": token}, files={"fil": (name, text.encode())}))
            job_ids.append(jobs[-1].headers["location"].removeprefix("/job/"))
        pages = [wait_for_job(analyst, job, timeout=300) for job in jobs]
        time.sleep(0.5)
        stop.set()
        browser.join()

        assert "Øjebliksbillede 2 er skrevet med 75.264 observationer" in pages[0]
        assert "Øjebliksbillede 3 er skrevet med 18.816 observationer" in pages[1]
        with server.site.db.cursor() as cur:
            counts = dict(cur.execute("SELECT snapshot_id, count(*) FROM observations GROUP BY ALL").fetchall())
        assert counts == {1: 40, 2: first_rows, 3: second_rows}

        statuses = {status for status, _, _ in seen}
        snapshots = [shown for _, shown, _ in seen]
        assert statuses == {200}
        # no page waits for an import: pages began and ended while one and the same import was running
        assert sum(1 for *_, during in seen if during) >= 3, seen
        assert snapshots == sorted(snapshots) and snapshots[0] == 1 and snapshots[-1] == 3
