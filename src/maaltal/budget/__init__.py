"""Budget follow-up: frames against adopted and corrected budgets, budget bridges, transfer-spend forecasts.

Amounts are kept in mio. kr., as the committees read them; each module reads its own input file and gives
a plain result that :mod:`maaltal.report.sections.budget` turns into a report section.
"""
