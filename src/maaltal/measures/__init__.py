"""Measures: indicators evaluated for areas and periods from the store, without formatting.

:class:`KeyFigureEngine` is the engine every later layer asks: goals, reports and the dashboard get their
figures here, so that a number is computed one way only.
"""

from maaltal.measures.indicator import Indicator
from maaltal.measures.keyfigures import Change, FigureRow, KeyFigureEngine, KeyFigureTable, Value, Window

__all__ = ["Change", "FigureRow", "Indicator", "KeyFigureTable", "KeyFigureEngine", "Value", "Window"]
