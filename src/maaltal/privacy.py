"""Privacy by construction: CPR numbers become keyed pseudonyms at import, small counts are suppressed.

A CPR number is replaced by an HMAC-SHA256 of the number under a key only the municipality holds, so the
same person gets the same pseudonym in every import (spells can be joined) while nobody without the key
can go back, or test a guessed number. The pseudonym is written in letters only, so it can never look
like a CPR number to a scanner. Wherever a CPR number has to be named (an error in row 4.711), it is
masked to ``010203-XXXX``: :func:`mask` is the one masker of every path (comments, user names, the audit
log, login attempts, error messages and, through :func:`mask_logs`, every log line), for every written
form of a CPR number.

Counts of persons below a threshold are suppressed in every output, as the official statistics do:
the key-figure engine and every importer use :func:`is_suppressed` (through :func:`hides` where the kind of
figure is known) so that the rule is one rule. Only counts of persons, and figures computed from such
counts, are hidden: a rate, rank, amount or index published as such identifies nobody, so Gladsaxe's rank
1 and Hvidovre's 2,7 pct. are shown. Where parts add up to a shown total (benefit groups, age bands),
:func:`secondary` hides enough more that no hidden part can be worked out by a subtraction.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maaltal import kinds
from maaltal.errors import MaaltalError, why_unreadable

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

DEFAULT_THRESHOLD = 5
KEY_ENV = "MAALTAL_PSEUDONYM_KEY"
MIN_KEY_BYTES = 16

# The shape of a CPR number, in every way people write one: a date (DDMMYY, or DDMMYYYY with separators)
# and four digits, with or without a hyphen, dot or space between the parts: "0101901234", "010190-1234",
# "010190 1234", "01.01.90-1234", "31-12-1990-1234". The date's two separators are the same.
_CPR_BODY = (r"(?P<day>0[1-9]|[12]\d|3[01])"
             r"(?:(?P<month>0[1-9]|1[0-2])(?P<year>\d{2})"  # 010190: no separators in the date
             r"|(?P<sep>[-. ])(?P<month2>0[1-9]|1[0-2])(?P=sep)(?P<year2>(?:19|20)\d{2}|\d{2}))"
             r"[-. ]?(?P<serial>\d{4})")
CPR_PATTERN = re.compile(r"(?<!\d)" + _CPR_BODY + r"(?!\d)")
# The same, but not as a part of a longer number such as a case number ("sag 27-010203-1234") or a dotted
# journal number: what committee minutes are full of. A sentence's full stop after the number still counts.
_CPR_ALONE = re.compile(r"(?<![\d.-])" + _CPR_BODY + r"(?![\d]|[-.]\d)")
_LETTERS = str.maketrans("0123456789", "ghijklmnop")

# Why a hidden figure is not shown, as every output words it.
SMALL_COUNT = f"bygger på færre end {DEFAULT_THRESHOLD} personer og vises ikke af hensyn til diskretion"


def is_suppressed(count: float | None, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """Whether a count of persons must be hidden: more than none, but fewer than ``threshold``.

    Zero is shown, because it says nothing about any person; 1 to ``threshold - 1`` could point one out.
    """
    return count is not None and 0 < count < threshold


def hides(count: float | None, kind: kinds.Kind | None, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """Whether a figure resting on ``count`` must be hidden: only when ``count`` is a count of persons (or
    of what is counted per person, :func:`maaltal.kinds.is_suppressible`) below the threshold."""
    return kinds.is_suppressible(kind) and is_suppressed(count, threshold)


@dataclass(frozen=True)
class AdditiveGroups:
    """The additive groups of a block of cells, the same in every block: each group's total cell and its
    parts (cell numbers), in the order :func:`secondary` visits them, and each cell's place when all else
    is equal (``rank``, lowest first). A block is one breakdown of one series, area and period: the benefit
    groups with their "i alt", the age bands and sexes with the cell without them.
    """

    totals: tuple[int, ...]
    parts: tuple[tuple[int, ...], ...]
    rank: tuple[int, ...]  # one per cell

    @property
    def cells(self) -> int:
        return len(self.rank)


def secondary(groups: AdditiveGroups, counts: np.ndarray, present: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Every cell that must be hidden so that no hidden cell can be worked out from a shown total and the
    other parts: the classic rule of secondary suppression, over many blocks at once.

    ``counts``, ``present`` and ``hidden`` are (blocks × cells) arrays: the counts (any value where a cell
    is hidden or missing), whether a cell exists, and whether it is hidden already. A group exists in a
    block when its total does; its parts are the cells of it that exist. In every group whose total is
    shown, either no part or at least two parts are hidden. Where one part alone is hidden, one more cell
    of the group is hidden: the one that opens the fewest other groups (a cell is part of several
    breakdowns, and hiding it can leave another with one hidden part), then the smallest (the least
    information lost, zeros last: a hidden zero would give the other away when the difference is 1), a
    part before the total, then the lowest ``rank``. The total is a candidate too, for when every other
    part would open more groups than it. The groups are visited in their order until nothing changes;
    returns the hidden cells, ``hidden`` included.

    The blocks are independent (a group's cells all lie in one block), so each group's step is taken in
    every block at once: the same result as visiting the blocks one by one, at numpy's speed.
    """
    import numpy as np

    hidden = hidden & present
    plan = _Plan.of(groups)
    values = np.where(present & ~hidden, np.nan_to_num(counts), 0.0)
    if (values >= 0).all() and (values == np.floor(values)).all():  # counts of persons: their own order
        value_rank = values.astype(np.int64)
    else:
        value_rank = np.unique(values, return_inverse=True)[1].reshape(values.shape).astype(np.int64)
    # one sortable number per cell: (zero last, smallest value), then part before total, then rank
    order = ((values <= 0) * (value_rank.max() + 1) + value_rank) * 2
    changed = True
    while changed:
        changed = False
        for step in plan.steps:
            total_shown = present[:, step.total] & ~hidden[:, step.total]
            active = np.flatnonzero(total_shown & (hidden[:, step.parts].sum(axis=1) == 1))
            if active.size:
                choice = step.choose(active, order, present, hidden, plan)
                hidden[active, choice] = True
                changed = True
    return hidden


@dataclass(frozen=True)
class _Step:
    """One group's visit: its total, its parts, its candidates (the parts, then the total) and the other
    groups a candidate is a part of, whose opening or closing is what hiding it costs."""

    total: int
    parts: np.ndarray
    candidates: np.ndarray
    neighbours: np.ndarray  # the other groups with a candidate among their parts
    belongs: np.ndarray  # (neighbours × candidates): whether the candidate is a part of the neighbour

    def choose(self, active: np.ndarray, order: np.ndarray, present: np.ndarray, hidden: np.ndarray,
               plan: _Plan) -> np.ndarray:
        """The cell to hide in each active block (as :func:`secondary` says which)."""
        import numpy as np

        shown = present[active] & ~hidden[active]
        opened = np.zeros((active.size, self.candidates.size), dtype=np.int64)
        if self.neighbours.size:
            totals = plan.totals[self.neighbours]
            hidden_parts = hidden[active] @ plan.membership[self.neighbours].T  # (blocks × neighbours)
            exists = present[active][:, totals] & ~hidden[active][:, totals]
            effect = exists * ((hidden_parts == 0).astype(np.int64) - (hidden_parts == 1))
            opened = effect @ self.belongs
        candidate = shown[:, self.candidates]
        candidate[:, -1] = True  # the total is shown, or the group would not be active
        is_total = np.zeros(self.candidates.size, dtype=np.int64)
        is_total[-1] = 1
        cells = plan.rank.size
        key = (((opened + plan.reach) * (order.max() + 2) + order[active][:, self.candidates] + is_total)
               * cells + plan.rank[self.candidates])
        key[~candidate] = np.iinfo(np.int64).max
        return self.candidates[np.argmin(key, axis=1)]


@dataclass(frozen=True)
class _Plan:
    """:class:`AdditiveGroups` as the arrays :func:`secondary` works with, each step's made once."""

    totals: np.ndarray
    membership: np.ndarray  # (groups × cells) int64: 1 where the cell is a part of the group
    rank: np.ndarray
    reach: int  # the most groups one cell is a part of: the bound of how many it can open
    steps: tuple[_Step, ...]

    @classmethod
    def of(cls, groups: AdditiveGroups) -> _Plan:
        import numpy as np

        totals = np.array(groups.totals, dtype=np.int64)
        membership = np.zeros((len(groups.totals), groups.cells), dtype=np.int64)
        for index, parts in enumerate(groups.parts):
            membership[index, list(parts)] = 1
        steps = []
        for index, parts in enumerate(groups.parts):
            candidates = np.array([*parts, groups.totals[index]], dtype=np.int64)
            touched = membership[:, candidates].any(axis=1)
            touched[index] = False
            neighbours = np.flatnonzero(touched)
            steps.append(_Step(groups.totals[index], np.array(parts, dtype=np.int64), candidates, neighbours,
                               membership[neighbours][:, candidates]))
        reach = int(membership.sum(axis=0).max()) if membership.size else 0
        return cls(totals, membership, np.array(groups.rank, dtype=np.int64), reach, tuple(steps))


def check_threshold(threshold: int) -> int:
    """A threshold below 1 would suppress nothing; refuse it rather than publish single persons."""
    if threshold < 1:
        raise MaaltalError(f"Diskretionsgrænsen skal være mindst 1, ikke {threshold}")
    return threshold


def is_cpr(text: str) -> bool:
    """Whether the whole text is shaped like a CPR number (``0102031234``, ``010203-1234``, ``01.02.03-1234`` …)."""
    return CPR_PATTERN.fullmatch(text.strip()) is not None


def mask(text: str, *, whole: bool = False, spare_case_numbers: bool = False) -> str:
    """Every CPR-shaped number in ``text`` masked: the one masker of every path (comments, user names, the
    audit log, logs, error messages, the login attempts).

    By default the date stays and the last four digits are hidden (``010203-XXXX``), so a row can still be
    told from another; ``whole`` hides the date too (``XXXXXX-XXXX``), for free text that is stored.
    ``spare_case_numbers`` leaves a number that is part of a longer one (``27-010203-1234``) alone, for
    texts full of case and journal numbers (committee minutes).
    """
    pattern = _CPR_ALONE if spare_case_numbers else CPR_PATTERN
    if whole:
        return pattern.sub("XXXXXX-XXXX", text)
    return pattern.sub(lambda m: f"{m['day']}{m['month'] or m['month2']}{(m['year'] or m['year2'])[-2:]}-XXXX", text)


def masked_lines(text: str, *, whole: bool = False, spare_case_numbers: bool = False) -> tuple[str, list[int]]:
    """:func:`mask`, and the numbers of the lines (from 1) where something was masked."""
    masked = mask(text, whole=whole, spare_case_numbers=spare_case_numbers)
    if masked == text:
        return text, []
    pairs = zip(text.split("\n"), masked.split("\n"), strict=True)
    return masked, [number for number, (before, after) in enumerate(pairs, start=1) if before != after]


class MaskingLogRecords:
    """A log record factory that masks CPR numbers in every record's message and traceback before any
    handler sees it: installed once (:func:`mask_logs`), it covers every logger of the process, uvicorn's too.
    """

    def __init__(self, factory: Callable[..., logging.LogRecord]) -> None:
        self.factory = factory

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the logging module's to report, not ours
            return record
        record.msg, record.args = mask(message), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return record


def mask_logs() -> None:
    """Mask CPR numbers in every log record of this process from now on (idempotent)."""
    current = logging.getLogRecordFactory()
    if not isinstance(current, MaskingLogRecords):
        logging.setLogRecordFactory(MaskingLogRecords(current))


class Pseudonymizer:
    """Turns person identifiers into keyed pseudonyms. Build it with :meth:`from_key_file` or :meth:`from_env`."""

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise MaaltalError(f"Pseudonymnøglen er for kort: brug mindst {MIN_KEY_BYTES} tegn (fx 32 tilfældige)")
        self._key = key

    @classmethod
    def from_key_file(cls, path: str | Path) -> Pseudonymizer:
        try:
            key = Path(path).read_bytes().strip()
        except OSError as exc:
            raise MaaltalError(f"Nøglefilen {path} kan ikke læses: {why_unreadable(exc)}") from None
        return cls(key)

    @classmethod
    def from_env(cls) -> Pseudonymizer | None:
        """The key in ``MAALTAL_PSEUDONYM_KEY``, or ``None`` when it is not set."""
        key = os.environ.get(KEY_ENV, "").strip()
        return cls(key.encode()) if key else None

    @classmethod
    def load(cls, key_file: str | Path | None) -> Pseudonymizer | None:
        """The key file if given, else the environment; ``None`` when there is no key at all."""
        return cls.from_key_file(key_file) if key_file is not None else cls.from_env()

    def pseudonym(self, person: str) -> str:
        """The pseudonym of a CPR number (in any of its written forms) or another person id; letters only."""
        normalised = person.strip()
        match = CPR_PATTERN.fullmatch(normalised)
        if match:  # however it is written, one person's number is one pseudonym: 0102031234
            normalised = mask(normalised).replace("-XXXX", match["serial"])
        digest = hmac.new(self._key, normalised.encode(), hashlib.sha256).hexdigest()[:32]
        return "p" + digest.translate(_LETTERS)

    def pseudonyms(self, persons: list[str]) -> pa.Array:
        """:meth:`pseudonym` of many persons already normalised (trimmed; a CPR number without its hyphen).

        The same HMAC-SHA256 with the key's two hash states prepared once instead of per person, and the
        digests turned into letters as one array: a third of the time, which matters for the millions of
        persons in a spell extract.
        """
        block = hashlib.sha256().block_size
        key = self._key if len(self._key) <= block else hashlib.sha256(self._key).digest()
        inner = hashlib.sha256(bytes(b ^ 0x36 for b in key.ljust(block, b"\0")))
        outer = hashlib.sha256(bytes(b ^ 0x5C for b in key.ljust(block, b"\0")))
        digests = []
        for person in persons:
            digest = inner.copy()
            digest.update(person.encode())
            final = outer.copy()
            final.update(digest.digest())
            digests.append(final.digest())
        return _letters(b"".join(digests), len(digests))


def _letters(digests: bytes, n: int) -> pa.Array:
    """``p`` and the first 16 bytes of each 32-byte digest in hexadecimal, digits written as letters (as
    :meth:`Pseudonymizer.pseudonym` writes them), as one string array. numpy and pyarrow are loaded here,
    not with the module, which every command imports."""
    import numpy as np
    import pyarrow as pa

    first = np.frombuffer(digests, dtype=np.uint8).reshape(n, 32)[:, :16]
    alphabet = np.frombuffer(b"0123456789abcdef".translate(bytes.maketrans(b"0123456789", b"ghijklmnop")),
                             dtype=np.uint8)
    text = np.empty((n, 33), dtype=np.uint8)
    text[:, 0] = ord("p")
    text[:, 1::2] = alphabet[first >> 4]
    text[:, 2::2] = alphabet[first & 15]
    offsets = np.arange(0, 33 * (n + 1), 33, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(text.tobytes()))
