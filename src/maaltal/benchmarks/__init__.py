"""Operational benchmarks: caseloads, unit costs, reversal rates, pool projects and user surveys.

Each module reads its own input file and gives a plain result; :mod:`maaltal.report.sections.benchmarks` turns a
result into the section the committee report shows.
"""
