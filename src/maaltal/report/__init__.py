"""The committee report: a model of plain data built from the measures, then rendered.

``model`` holds the building blocks (sections of paragraphs, tables, charts, smiley overviews). Tables
and charts carry raw numbers with a display format; the renderers in :mod:`maaltal.render` turn them into
Danish text through :mod:`maaltal.formatting`, so HTML, PDF, DOCX and XLSX always agree.
"""
