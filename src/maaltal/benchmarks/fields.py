"""Typed look-ups in a hand-kept YAML file (pool projects, surveys) that collect every problem with its
line and dotted field name, so the analyst sees them all at once."""

from __future__ import annotations

from typing import Any

from maaltal import yamlfile
from maaltal.errors import InputError


class Fields:
    """Typed look-ups in the YAML document that collect errors with their line and field."""

    def __init__(self, doc: yamlfile.YamlDocument) -> None:
        self.doc = doc
        self.errors: list[InputError] = []

    def get(self, path: tuple) -> Any:
        node = self.doc.data
        for key in path:
            if isinstance(node, dict):
                node = node.get(key)
            elif isinstance(node, list) and isinstance(key, int) and key < len(node):
                node = node[key]
            else:
                return None
        return node

    def fail(self, path: tuple, message: str) -> None:
        self.errors.append(self.doc.error(path, message))

    def text(self, path: tuple, *, required: bool = True) -> str | None:
        value = self.get(path)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "teksten mangler")
            return None
        return " ".join(value.split())

    def number(self, path: tuple, *, required: bool = True, integer: bool = False, minimum: float = 0,
               value: Any = None) -> float | None:
        value = self.get(path) if value is None else value
        if value is None:
            if required:
                self.fail(path, "tallet mangler")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, f"'{value}' er ikke et tal")
            return None
        if integer and value != int(value):
            self.fail(path, f"'{value}' skal være et helt tal")
            return None
        if value < minimum:
            self.fail(path, f"'{value}' må ikke være under {minimum:g}")
            return None
        return value
