"""Goals: a catalogue the municipality keeps as text, evaluated to smiley status with a Danish explanation.

``load_catalogue(path, registry)`` reads and checks the YAML file; ``evaluate(catalogue, engine, period)``
gives a :class:`GoalFollowUp` with one :class:`GoalResult` per goal; :mod:`maaltal.report.sections.goals` turns it into
report sections and :mod:`maaltal.goals.comments` keeps the analyst's explanations.
"""

from maaltal.goals.catalogue import Catalogue, Goal, Measure, check_series, load_catalogue, loads_catalogue
from maaltal.goals.comments import Comment
from maaltal.goals.evaluate import GoalFollowUp, GoalResult, evaluate
from maaltal.goals.rules import Reason

__all__ = ["Catalogue", "Comment", "Goal", "GoalFollowUp", "GoalResult", "Measure", "Reason", "check_series",
           "evaluate", "load_catalogue", "loads_catalogue"]
