"""The one progress callback every importer accepts, whoever shows it.

An importer calls ``progress(done, total)`` now and then while it checks rows (``total`` is ``None`` when
it is not known); the command line turns the calls into a rich progress bar, the dashboard into its
job's step. The importer never knows which: it only counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Progress = Callable[[int, int | None], None]
EVERY = 5_000  # rows between two calls: often enough for a bar, rare enough to cost nothing

_T = TypeVar("_T")


def counted(items: Iterable[_T], total: int | None, progress: Progress | None) -> Iterator[_T]:
    """``items``, reporting to ``progress`` every :data:`EVERY` items and once at the end."""
    if progress is None:
        yield from items
        return
    done = 0
    for done, item in enumerate(items, start=1):
        yield item
        if done % EVERY == 0:
            progress(done, total)
    progress(done, total)
