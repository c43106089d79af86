"""The committee report and the committee's other documents, built from facts as plain data, then rendered.

:mod:`maaltal.document` holds the building blocks (sections of paragraphs, tables, charts, smiley
overviews); ``build`` assembles the report from the section builders in ``sections``, ``case_text`` the
agenda item, ``meeting`` a meeting's agenda and minutes. Tables and charts carry raw numbers with a
display format; the renderers in :mod:`maaltal.render` turn them into
Danish text through :mod:`maaltal.formatting`, so HTML, PDF, DOCX and XLSX always agree.
"""
