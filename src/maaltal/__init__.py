"""maaltal: steering and follow-up for the employment effort of Danish municipalities.

The library is layered the way data flows: ``sources`` (importers) → ``store`` (snapshots in DuckDB) →
``measures`` (key figures) → goals, budget and benchmarks → report model → ``render``. The command line in
``maaltal.cli`` is a thin layer over it.

The names below are loaded on first use (PEP 562), so that importing one light module of the package (as the
command line does for ``maaltal --help``) does not load the store and the key-figure engine with it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from maaltal.areas import Area, AreaKind, AreaRegistry
    from maaltal.errors import InputError, InputErrors, MaaltalError
    from maaltal.measures import Indicator, KeyFigureEngine, Window
    from maaltal.periods import Freq, Period, PeriodRange
    from maaltal.store import Observation, Snapshot, Store

_HOMES = {
    "Area": "maaltal.areas", "AreaKind": "maaltal.areas", "AreaRegistry": "maaltal.areas",
    "InputError": "maaltal.errors", "InputErrors": "maaltal.errors", "MaaltalError": "maaltal.errors",
    "Indicator": "maaltal.measures", "KeyFigureEngine": "maaltal.measures", "Window": "maaltal.measures",
    "Freq": "maaltal.periods", "Period": "maaltal.periods", "PeriodRange": "maaltal.periods",
    "Observation": "maaltal.store", "Snapshot": "maaltal.store", "Store": "maaltal.store",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'maaltal' has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


__all__ = [
    "Area", "AreaKind", "AreaRegistry", "Freq", "Indicator", "InputError", "InputErrors", "KeyFigureEngine",
    "MaaltalError", "Observation", "Period", "PeriodRange", "Snapshot", "Store", "Window",
]
__version__ = "0.1.0"
