"""YAML files that people edit, read with the line of every value kept for error messages.

PyYAML's composer already knows where each node starts; :func:`load` keeps that so a validator can say
"catalogue.yaml, linje 14, felt 'rule.op'" instead of pointing at the whole file.

Aliases (``*navn``) are followed, since the table mappings share settings with them, but the loader
counts every value it expands and stops at :data:`MAX_NODES` more values than the text has characters (a
file without aliases never gets there): a few hundred bytes of nested aliases (an "alias bomb") would
otherwise expand to billions of values, and a recursive alias would never end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from maaltal.errors import InputError
from maaltal.inputfile import read_text

PathKey = tuple[str | int, ...]
MAX_NODES = 10_000  # values beyond the text's length: far above what aliases in a real file expand to


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


def shipped(name: str) -> YamlDocument:
    """One of the YAML files maaltal ships in ``maaltal/data`` (mappings, ranges, texts, definitions)."""
    from importlib import resources

    return loads(resources.files("maaltal.data").joinpath(name).read_text(encoding="utf-8"), name)


def load_or_shipped(path: str | Path | None, name: str) -> YamlDocument:
    """The user's own file when given, else the shipped one of the same form."""
    return load(path) if path is not None else shipped(name)


def loads(text: str, file: str = "<tekst>") -> YamlDocument:
    doc = YamlDocument(file=file, data=None)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is not None:
            doc.data = _Converter(file, doc.lines, MAX_NODES + len(text)).convert(node, ())
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError(f"ugyldig YAML: {exc.problem}", file=file, line=line) from None
    return doc


class _Converter:
    """Plain data from composed nodes, with every value's line; refuses recursion and runaway expansion."""

    def __init__(self, file: str, lines: dict[PathKey, int], limit: int) -> None:
        self.file = file
        self.limit = limit
        self.lines = lines
        self.count = 0
        self.open: set[int] = set()  # the collections being converted: one met again is a recursive alias

    def convert(self, node: yaml.Node, path: PathKey) -> Any:
        line = node.start_mark.line + 1
        self.count += 1
        if self.count > self.limit:
            raise InputError("aliasserne udfolder sig til langt flere værdier, end filen har tegn (aliasser i "
                             "aliasser); skriv værdierne ud i stedet", file=self.file, line=line)
        self.lines.setdefault(path, line)
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if id(node) in self.open:
            raise InputError("et alias henviser til sig selv (rekursivt alias)", file=self.file, line=line)
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                result: dict[Any, Any] = {}
                for key_node, value_node in node.value:
                    key = _scalar(key_node)
                    self.lines[path + (key,)] = key_node.start_mark.line + 1
                    result[key] = self.convert(value_node, path + (key,))
                return result
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        finally:
            self.open.discard(id(node))


def _scalar(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()
