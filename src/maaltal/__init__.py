"""maaltal: steering and follow-up for the employment effort of Danish municipalities.

The library is layered the way data flows: ``sources`` (importers) → ``store`` (snapshots in DuckDB) →
``measures`` (key figures) → goals, budget and benchmarks → report model → ``render``. The command line in
``maaltal.cli`` is a thin layer over it.
"""

from maaltal.areas import Area, AreaKind, AreaRegistry
from maaltal.errors import InputError, InputErrors, MaaltalError
from maaltal.measures import Indicator, KeyFigureEngine, Window
from maaltal.periods import Freq, Period, PeriodRange
from maaltal.store import Observation, Snapshot, Store

__all__ = [
    "Area", "AreaKind", "AreaRegistry", "Freq", "Indicator", "InputError", "InputErrors", "KeyFigureEngine",
    "MaaltalError", "Observation", "Period", "PeriodRange", "Snapshot", "Store", "Window",
]
__version__ = "0.1.0"
