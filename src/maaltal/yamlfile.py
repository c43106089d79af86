"""YAML files that people edit, read with the line of every value kept for error messages.

PyYAML's composer already knows where each node starts; :func:`load` keeps that so a validator can say
"catalogue.yaml, linje 14, felt 'rule.op'" instead of pointing at the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from maaltal.errors import InputError
from maaltal.inputfile import read_text

PathKey = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """The plain data of a YAML file and the line (1-based) of every mapping key and list item."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: PathKey) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    def error(self, path: PathKey, message: str) -> InputError:
        """An :class:`InputError` pointing at the line and dotted field name of ``path``."""
        field_name = ".".join(str(p) for p in path) or None
        return InputError(message, file=self.file, line=self.line(path), field=field_name)


def load(path: str | Path) -> YamlDocument:
    """Read a YAML file; a syntax error becomes an :class:`InputError` with its line."""
    text = read_text(path)
    return loads(text, str(path))


def loads(text: str, file: str = "<tekst>") -> YamlDocument:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError(f"ugyldig YAML: {exc.problem}", file=file, line=line) from None
    doc = YamlDocument(file=file, data=None)
    if node is None:
        return doc
    doc.data = _convert(node, (), doc.lines)
    return doc


def _convert(node: yaml.Node, path: PathKey, lines: dict[PathKey, int]) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            lines[path + (key,)] = key_node.start_mark.line + 1
            result[key] = _convert(value_node, path + (key,), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), lines) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()
