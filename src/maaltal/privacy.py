"""Privacy by construction: CPR numbers become keyed pseudonyms at import, small counts are suppressed.

A CPR number is replaced by an HMAC-SHA256 of the number under a key only the municipality holds, so the
same person gets the same pseudonym in every import (spells can be joined) while nobody without the key
can go back, or test a guessed number. The pseudonym is written in letters only, so it can never look
like a CPR number to a scanner. Wherever a CPR number has to be named (an error in row 4.711), it is
masked to ``010203-XXXX``.

Counts of persons below a threshold are suppressed in every output, as the official statistics do:
the key-figure engine and every importer use :func:`is_suppressed` (through :func:`hides` where the kind of
figure is known) so that the rule is one rule. Only counts of persons, and figures computed from such
counts, are hidden: a rate, rank, amount or index published as such identifies nobody, so Gladsaxe's rank
1 and Hvidovre's 2,7 pct. are shown.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from maaltal import kinds
from maaltal.errors import MaaltalError

if TYPE_CHECKING:
    import pyarrow as pa

DEFAULT_THRESHOLD = 5
KEY_ENV = "MAALTAL_PSEUDONYM_KEY"
MIN_KEY_BYTES = 16

# Ten digits whose first six can be a date (DDMMYY), with or without the hyphen: the shape of a CPR number.
CPR_PATTERN = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])(\d{2})-?(\d{4})(?!\d)")
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


def check_threshold(threshold: int) -> int:
    """A threshold below 1 would suppress nothing; refuse it rather than publish single persons."""
    if threshold < 1:
        raise MaaltalError(f"Diskretionsgrænsen skal være mindst 1, ikke {threshold}")
    return threshold


def is_cpr(text: str) -> bool:
    """Whether the whole text is shaped like a CPR number (``0102031234`` or ``010203-1234``)."""
    return CPR_PATTERN.fullmatch(text.strip()) is not None


def mask(text: str) -> str:
    """Every CPR-shaped number in ``text`` with its last four digits hidden: ``010203-XXXX``."""
    return CPR_PATTERN.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}-XXXX", text)


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
            raise MaaltalError(f"Nøglefilen {path} kan ikke læses: {exc.strerror}") from None
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
        """The pseudonym of a CPR number (hyphen or not) or another person id; letters only."""
        normalised = person.strip()
        if is_cpr(normalised):
            normalised = normalised.replace("-", "")
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
