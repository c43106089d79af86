"""Section builders: each turns the facts of one domain (key figures, goals, budget, benchmarks, trends,
lagging sources) into :mod:`maaltal.document` sections for the report."""
