"""Long actions (an import, a publication) run as jobs on worker threads, with their progress.

Each lane has one worker thread: imports run one at a time (two imports never race for the next snapshot
id), and so do publications, but an import never waits behind a publication (issue 14: imports waited ~90 s
behind publications), since a publication only reads its snapshot and writes its own rows. The pages keep
reading from their own cursors meanwhile. A job's page shows its steps as they are done and refreshes
itself until it ends. An import held for implausible figures waits for the analyst's confirmation.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from maaltal import formatting as fmt
from maaltal import privacy
from maaltal.errors import InputErrors, MaaltalError
from maaltal.sources.plausibility import Implausible

_log = logging.getLogger("maaltal.web")
HELD = "afventer bekræftelse"  # an import held for implausible figures
LANES = ("import", "publish")


@dataclass
class Job:
    """What a user started, and how far it has come. Only the worker thread changes it."""

    id: str
    title: str
    username: str
    steps: list[str] = field(default_factory=list)
    state: str = "venter"  # "venter", "kører", "færdig", "fejl" or HELD
    errors: list[str] = field(default_factory=list)
    result_link: tuple[str, str] | None = None  # (href, text) of what the job made
    pending: Any = None  # what a held job would do again once confirmed (the upload)
    _counting: int | None = field(default=None, repr=False)  # the step that counts rows, once there is one

    @property
    def running(self) -> bool:
        return self.state in ("venter", "kører")

    def step(self, text: str) -> None:
        self.steps.append(text)

    def progress(self, done: int, total: int | None) -> None:
        """The importers' progress callback (:data:`maaltal.sources.progress.Progress`): one step that
        counts the rows checked, rewritten as the count grows."""
        text = f"{fmt.number(done)} " + (f"af {fmt.number(total)} " if total else "") + "rækker kontrolleret"
        if self._counting is None:
            self._counting = len(self.steps)
            self.steps.append(text)
        else:
            self.steps[self._counting] = text


class Jobs:
    """The jobs of this process, newest last, run one at a time per lane (:data:`LANES`)."""

    def __init__(self, keep: int = 200) -> None:
        self._executors = {lane: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"maaltal-{lane}")
                           for lane in LANES}
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._keep = keep

    def submit(self, title: str, username: str, work: Callable[[Job], None], *, lane: str = "import") -> Job:
        job = Job(uuid.uuid4().hex, title, username)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self._keep:
                self._jobs.pop(next(iter(self._jobs)))
        self._executors[lane].submit(self._run, job, work)
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def shutdown(self) -> None:
        for executor in self._executors.values():
            executor.shutdown(wait=True)

    @staticmethod
    def _run(job: Job, work: Callable[[Job], None]) -> None:
        job.state = "kører"
        try:
            work(job)
        except Implausible as exc:
            job.errors = [privacy.mask(line) for line in exc.lines]
            job.state = HELD
        except InputErrors as exc:
            job.errors = [privacy.mask(str(e)) for e in exc.errors]
            job.state = "fejl"
        except MaaltalError as exc:
            job.errors = [privacy.mask(str(exc))]
            job.state = "fejl"
        except Exception:  # a bug must not kill the worker thread; the user sees that it failed, the log why
            _log.exception("Jobbet '%s' (%s) fejlede", job.title, job.id)
            job.errors = ["Der opstod en uventet fejl. Den er skrevet i serverens log; prøv igen, eller kontakt "
                          "en administrator."]
            job.state = "fejl"
        else:
            job.state = "færdig"
