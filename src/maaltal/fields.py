"""The one field validator for the YAML files people edit: goal catalogues, group files, year plans, budget
bridges, caseload ranges, pool projects and surveys.

A :class:`Fields` walks a :class:`maaltal.yamlfile.YamlDocument` by paths (``("goals", 0, "rule", "op")``)
and checks each field's presence and type: texts, numbers, whole numbers in a range, choices, periods,
dates, lists and mappings. Every problem is collected with file, line and dotted field ("fil katalog.yaml,
linje 14, felt 'goals.0.rule.op': …"), so the analyst sees them all at once; :meth:`Fields.check` raises
them together. The wording of each check lives here, once, naming the field it is about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from maaltal.errors import InputError, InputErrors, MaaltalError
from maaltal.periods import Period
from maaltal.yamlfile import PathKey, YamlDocument

_REQUIRED: Any = object()  # marks a field without a default


def one_of(options: Sequence[str]) -> str:
    """``a, b eller c``."""
    return ", ".join(options[:-1]) + " eller " + options[-1] if len(options) > 1 else options[0]


class Fields:
    """Typed look-ups in a YAML document that collect every problem with its line and dotted field."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.errors: list[InputError] = []

    # Reaching a field ------------------------------------------------------------------------------

    def get(self, path: PathKey) -> Any:
        """The value at ``path``, or ``None`` when a part of the path is missing."""
        node = self.doc.data
        for key in path:
            if isinstance(node, dict):
                node = node.get(key)
            elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
                node = node[key]
            else:
                return None
        return node

    def has(self, path: PathKey) -> bool:
        """Whether the mapping holding the last part of ``path`` has that key (even with an empty value)."""
        parent = self.get(path[:-1])
        return isinstance(parent, dict) and path[-1] in parent

    def fail(self, path: PathKey, message: str) -> None:
        self.errors.append(self.doc.error(path, message))

    def check(self, *, alone: bool = False) -> None:
        """Raise every collected problem at once; with ``alone``, a single problem is raised as itself (a file
        every command reads, where the heading of a list of one is noise)."""
        if alone and len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise InputErrors(self.errors)

    # Structure ------------------------------------------------------------------------------------

    def mapping(self, path: PathKey, message: str, *, required: bool = True) -> dict | None:
        """The mapping at ``path``; ``message`` says what it should hold when it is missing or not one."""
        value = self.get(path)
        if isinstance(value, dict):
            return value
        if value is not None or required:
            self.fail(path, message)
        return None

    def items(self, path: PathKey, message: str, *, required: bool = True) -> list:
        """The list at ``path`` (a required one must not be empty); ``[]`` after a problem."""
        value = self.get(path)
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            self.fail(path, message)
            return []
        return value

    def unknown(self, path: PathKey, allowed: Iterable[str]) -> None:
        """Refuse the keys of the mapping at ``path`` that are not ``allowed`` (a typo would be ignored)."""
        allowed = set(allowed)
        value = self.get(path)
        for key in value if isinstance(value, dict) else ():
            if key not in allowed:
                self.fail(path + (key,), f"ukendt felt '{key}'; tilladt her: {', '.join(sorted(allowed))}")

    # Values ---------------------------------------------------------------------------------------

    def text(self, path: PathKey, *, required: bool = True) -> str | None:
        """A text on one line (a folded text's lines joined, spaces collapsed); a number is read as its text."""
        value, key = self.get(path), path[-1]
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(path, f"feltet '{key}' mangler")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(path, f"feltet '{key}' skal være en tekst")
            return None
        return " ".join(str(value).split())

    def texts(self, path: PathKey) -> tuple[str, ...]:
        """A list of texts; one text alone counts as a list of one."""
        value, key = self.get(path), path[-1]
        value = [] if value is None else [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(path, f"'{key}' skal være en liste af tekster")
            return ()
        return tuple(v.strip() for v in value)

    def number(self, path: PathKey, *, required: bool = True, default: float | None = None,
               integer: bool = False, minimum: float | None = None, maximum: float | None = None) -> float | None:
        """A number written with a decimal point; ``None`` when missing (or after a problem)."""
        value, key = self.get(path), path[-1]
        if value is None:
            if required and default is None:
                self.fail(path, f"feltet '{key}' mangler")
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, f"'{key}' skal være et tal, ikke '{value}' (decimalpunktum, fx 8.2)")
            return None
        if integer and value != int(value):
            self.fail(path, f"'{key}' skal være et helt tal, ikke '{value}'")
            return None
        if minimum is not None and value < minimum:
            self.fail(path, f"'{key}' må ikke være under {minimum:g}")
            return None
        if maximum is not None and value > maximum:
            self.fail(path, f"'{key}' må ikke være over {maximum:g}")
            return None
        return value

    def integer(self, path: PathKey, *, low: int, high: int, default: int | None = _REQUIRED) -> int | None:
        """A whole number from ``low`` to ``high``; without a ``default`` the field is required."""
        if not self.has(path):
            if default is _REQUIRED:
                self.fail(path, f"feltet '{path[-1]}' mangler")
                return None
            return default
        value = self.get(path)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(path, f"'{path[-1]}' skal være et helt tal fra {low} til {high}")
            return None
        return value

    def choice(self, path: PathKey, options: Sequence[str], *, default: str | None = None) -> str | None:
        """One of ``options``; without a ``default`` the field is required."""
        key = path[-1]
        if not self.has(path):
            if default is None:
                self.fail(path, f"feltet '{key}' mangler; vælg {one_of(options)}")
            return default
        value = str(self.get(path)).strip()
        if value not in options:
            self.fail(path, f"ukendt {key} '{value}'; vælg {one_of(options)}")
            return None
        return value

    def period(self, path: PathKey, *, required: bool = True) -> Period | None:
        """A period as :meth:`Period.parse` reads it (``2023M09``, ``2023Q3``, ``2023``)."""
        value = self.get(path)
        if value is None:
            if required:
                self.fail(path, f"feltet '{path[-1]}' mangler")
            return None
        try:
            return Period.parse(str(value))
        except MaaltalError as exc:
            self.fail(path, str(exc))
            return None

    def date(self, path: PathKey, message: str) -> dt.date | None:
        """A date written as YAML reads one (``2025-01-13``); ``message`` says how to write it."""
        value = self.get(path)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        self.fail(path, message)
        return None
