"""The house stays one-way: imports run down the layers, packages don't import each other back, and no
class name is defined twice. docs/architecture.md explains the layers; this list is the one that counts.

A new top-level module must be placed in a layer here before its first test passes, so that where it
belongs is decided once, on purpose.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "maaltal"

# Lowest first. A module may import from its own layer and from any lower one.
LAYERS: list[set[str]] = [
    {"errors", "periods", "privacy", "formatting", "kinds", "data"},
    {"areas", "inputfile", "yamlfile", "fields", "document"},
    {"store"},
    {"sources"},
    {"measures"},
    {"goals", "budget", "benchmarks", "committee", "narrative"},
    {"report"},
    {"render"},
    {"demo"},
    {"web", "cli", "__main__", "__init__"},
]


def _layer(module: str) -> int | None:
    top = module.split(".")[0]
    return next((depth for depth, names in enumerate(LAYERS) if top in names), None)


def _modules() -> dict[str, Path]:
    return {".".join(p.relative_to(ROOT).with_suffix("").parts): p for p in sorted(ROOT.rglob("*.py"))}


def _package(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _imports(module: str, path: Path) -> list[tuple[int, str]]:
    """Every maaltal module ``module`` imports, inside functions too, with its line."""
    found = []
    package = _package(module, path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name.removeprefix("maaltal.")) for a in node.names
                      if a.name.startswith("maaltal.")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)]
                found.append((node.lineno, ".".join([*base, node.module] if node.module else base)))
            elif node.module == "maaltal":
                found += [(node.lineno, a.name) for a in node.names]
            elif node.module and node.module.startswith("maaltal."):
                found.append((node.lineno, node.module.removeprefix("maaltal.")))
    return found


def test_every_module_has_a_layer():
    unplaced = sorted(m for m in _modules() if m and _layer(m) is None)
    assert not unplaced, f"place these modules in LAYERS: {unplaced}"


def test_imports_run_down_the_layers():
    upward = []
    for module, path in _modules().items():
        mine = _layer(module)
        for line, target in _imports(module, path):
            theirs = _layer(target)
            if theirs is not None and mine is not None and theirs > mine:
                upward.append(f"{path.relative_to(ROOT)}:{line}: {module} (layer {mine}) imports {target} "
                              f"(layer {theirs})")
    assert not upward, "\n".join(upward)


def test_no_package_imports_one_that_imports_it_back():
    """Packages (folders) form no cycle: within a layer too, one package builds on the other, not both."""
    graph: dict[str, set[str]] = defaultdict(set)
    modules = _modules()
    packages = {_package(m, p) for m, p in modules.items()}
    for module, path in modules.items():
        mine = _package(module, path)
        for _, target in _imports(module, path):
            theirs = target if target in packages else target.rpartition(".")[0]
            if theirs != mine and theirs in packages and not _within(mine, theirs):
                graph[mine].add(theirs)
    cycles = sorted(f"{a} ⇄ {b}" for a in graph for b in graph[a] if a < b and a in graph.get(b, ()))
    assert not cycles, cycles


def _within(a: str, b: str) -> bool:
    """A package and its own parent or child are one house: ``report`` may use ``report.sections``."""
    return a.startswith(b + ".") or b.startswith(a + ".") or not a or not b


def test_no_class_name_is_defined_twice():
    defined: dict[str, list[str]] = defaultdict(list)
    for module, path in _modules().items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                defined[node.name].append(module)
    twice = {name: where for name, where in defined.items() if len(where) > 1}
    assert not twice, twice
