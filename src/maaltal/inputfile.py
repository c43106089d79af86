"""Reading an input file's text, with the errors every importer would otherwise word on its own.

Files come as users save them: UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8", StatBank,
jobindsats), or Windows-1252 (Excel's "CSV (semikolonsepareret)" on a Danish Windows, and StatBank's
downloads from its web site). A file that is not UTF-8 is read as Windows-1252 only when its other bytes
are what Danish text in Windows-1252 looks like (æ, ø, å at 0xE6, 0xF8, 0xE5 and their capitals); any
other file is refused with a hint to save it as "CSV UTF-8", never guessed.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from maaltal.errors import InputError, why_unreadable

UTF8 = "utf-8"
CP1252 = "cp1252"
CP1252_NOTE = ("filen er gemt i Windows-1252 (Excels »CSV (semikolonsepareret)«) og er læst som det; "
               "gem den som »CSV UTF-8« for at være sikker")
SAVE_AS_UTF8 = "gem den i Excel som »CSV UTF-8 (kommasepareret)« og prøv igen"

_DANISH_LETTERS = frozenset("æøåÆØÅ")
# Besides letters (é, ü, ä …), what Danish text in Windows-1252 holds: typographic quotes and dashes,
# the euro, degree, section, paragraph signs, a non-breaking space, fractions.
_CP1252_MARKS = frozenset("–—‘’‚“”„•…€§°½¼¾±×÷«»¶©®™·\u00a0")
_CHUNK = 1 << 20  # bytes read at a time by the streaming functions


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding it was read in (:data:`UTF8` or :data:`CP1252`)."""

    text: str
    encoding: str

    @property
    def note(self) -> str | None:
        """What the import summary says about the encoding: nothing for UTF-8."""
        return CP1252_NOTE if self.encoding == CP1252 else None


def decode(data: bytes, file: str | Path) -> Decoded:
    """``data`` as text: UTF-8 (a BOM is dropped), else Windows-1252 when it plainly is Danish text in it.

    Anything else is an :class:`InputError` naming the first byte that is not UTF-8, with the hint to
    save the file as "CSV UTF-8".
    """
    if data.startswith(_UTF16_BOMS):
        raise _utf16(file)
    try:
        return Decoded(data.decode("utf-8-sig"), UTF8)
    except UnicodeDecodeError as exc:
        position = exc.start
    text = _as_cp1252(data)
    if text is None:
        raise _undecidable(position, file)
    return Decoded(text, CP1252)


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _utf16(file: str | Path) -> InputError:
    return InputError(f"filen er gemt som UTF-16 (Excels »Unicode-tekst«); {SAVE_AS_UTF8}", file=file)


def _undecidable(position: int, file: str | Path) -> InputError:
    return InputError(f"filen er ikke UTF-8 (byte {position}), og tegnsættet kan ikke afgøres sikkert; "
                      f"{SAVE_AS_UTF8}", file=file)


def _as_cp1252(data: bytes) -> str | None:
    """The text if ``data`` reads as Danish text in Windows-1252, else ``None`` (ambiguous or another one)."""
    try:
        text = data.decode(CP1252)
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined: not Windows-1252
        return None
    return text if _danish_cp1252({c for c in text if ord(c) > 0x7F}) else None


def _danish_cp1252(special: set[str]) -> bool:
    """Whether the non-ASCII characters of a text read as Windows-1252 are what Danish text holds."""
    return any(c in _DANISH_LETTERS for c in special) and all(c.isalpha() or c in _CP1252_MARKS for c in special)


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes; a missing file or a folder is a Danish error naming it."""
    with _open(Path(path)) as f:
        return f.read()


def _open(path: Path) -> BinaryIO:
    """The file opened for reading bytes; a missing file, a folder or a file one may not read is a Danish
    error naming it (:func:`maaltal.errors.why_unreadable`)."""
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(why_unreadable(exc), file=path) from None


def read(path: str | Path) -> Decoded:
    """The file's text and encoding (:func:`decode`)."""
    return decode(read_bytes(path), path)


def read_text(path: str | Path) -> str:
    """The file as text: UTF-8 with or without a byte-order mark, or Danish Windows-1252 (:func:`decode`)."""
    return read(path).text


def encoding_of(path: str | Path) -> str:
    """The encoding :func:`decode` reads the file in (:data:`UTF8` or :data:`CP1252`), with its errors, found a
    megabyte at a time: an upload of 200 MB is never held in memory whole (issue 14)."""
    path = Path(path)
    position = _utf8_error(path)
    if position is None:
        return UTF8
    special: set[str] = set()
    try:
        for chunk in _chunks(path):
            special.update(c for c in set(chunk.decode(CP1252)) if ord(c) > 0x7F)
    except UnicodeDecodeError:
        special = set()
    if not _danish_cp1252(special):
        raise _undecidable(position, path)
    return CP1252


def _utf8_error(path: Path) -> int | None:
    """Where the file (after a BOM) stops being UTF-8, as :func:`decode` counts it; ``None`` when it is."""
    chunks = _chunks(path)
    pending = next(chunks, b"")
    if pending.startswith(_UTF16_BOMS):
        raise _utf16(path)
    pending = pending.removeprefix(codecs.BOM_UTF8)
    position = 0
    while True:
        more = next(chunks, b"")
        try:
            _, used = codecs.utf_8_decode(pending, "strict", not more)
        except UnicodeDecodeError as exc:
            return position + exc.start
        position += used
        pending = pending[used:] + more
        if not more:
            return None


def sha256(path: str | Path) -> str:
    """The file's SHA-256 in hex, read a megabyte at a time."""
    digest = hashlib.sha256()
    for chunk in _chunks(Path(path)):
        digest.update(chunk)
    return digest.hexdigest()


def _chunks(path: Path) -> Iterator[bytes]:
    """The file's bytes a megabyte at a time; a missing file or a folder is the error :func:`read_bytes` gives."""
    with _open(path) as f:
        while chunk := f.read(_CHUNK):
            yield chunk
