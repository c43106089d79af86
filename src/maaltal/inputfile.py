"""Reading an input file's text, with the two errors every importer would otherwise word on its own."""

from __future__ import annotations

from pathlib import Path

from maaltal.errors import InputError


def read_text(path: str | Path) -> str:
    """The file as text: UTF-8 with or without a byte-order mark (Excel and StatBank write one)."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("filen findes ikke", file=path) from None
    except IsADirectoryError:
        raise InputError("det er en mappe, ikke en fil", file=path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"filen er ikke UTF-8 (byte {exc.start})", file=path) from None
