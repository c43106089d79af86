"""Spell computations: from the case system's benefit spells to full-time persons, persons and durations.

``sql`` holds the queries (written once), ``engines`` runs them on DuckDB or Spark, ``figures`` turns the
results into observations.
"""
