"""The report's data as XLSX: one sheet per section with every table and the data behind every chart.

Numbers are stored as numbers with a number format, never as preformatted text, so the analyst can
compute on them; Excel shows them with the reader's own decimal comma. Text is always written as text:
a goal title or comment beginning with ``=``, ``+``, ``-`` or ``@`` must never become a live formula
(``=HYPERLINK(…)`` could send the sheet's figures anywhere), nor a web address a live link.
"""

from __future__ import annotations

import re
from pathlib import Path

import xlsxwriter

from maaltal.document import Chart, Column, Format, Report, Section, Table

_FORMATS = {
    Format.NUMBER: "#,##0", Format.SHARE: "0.0", Format.POINTS: '+0.0;-0.0;0.0',
    Format.CHANGE: "+#,##0;-#,##0;0", Format.CHANGE_PCT: '+0.0" %";-0.0" %";0.0" %"',
    Format.MIO_KR: "#,##0.0", Format.KR: "#,##0",
}


def _number_format(column: Column) -> str | None:
    base = _FORMATS.get(column.format)
    if base is None:
        return None
    if column.format in (Format.NUMBER, Format.MIO_KR, Format.SHARE) and column.decimals:
        return "#,##0." + "0" * column.decimals
    return base


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "-", title)[:28] or "Ark"
    candidate, n = name, 2
    while candidate.lower() in used:
        candidate, n = f"{name[:25]} {n}", n + 1
    used.add(candidate.lower())
    return candidate


def render(report: Report, path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                               "strings_to_urls": False})
    workbook.set_properties({"title": report.title, "author": "maaltal", "created": None})
    styles = {"bold": workbook.add_format({"bold": True}),
              "title": workbook.add_format({"bold": True, "font_size": 13}),
              "head": workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True}),
              "note": workbook.add_format({"italic": True, "font_color": "#555555"})}
    used: set[str] = set()
    _about(workbook.add_worksheet(_sheet_name("Om rapporten", used)), report, styles)
    for section in report.sections:
        if _has_data(section):
            sheet = workbook.add_worksheet(_sheet_name(section.title, used))
            _section(workbook, sheet, section, styles)
    workbook.close()


def _has_data(section: Section) -> bool:
    return any(isinstance(b, Table | Chart) for b in section.blocks) or any(_has_data(s) for s in section.subsections)


def _about(sheet, report: Report, styles) -> None:
    rows = [("Rapport", report.title), ("Kommune", report.municipality), ("Udvalg", report.committee or ""),
            ("Periode", report.period_label), ("Data", report.data_vintage),
            ("Øjebliksbillede", report.snapshot_id), ("Målkatalog (SHA-256)", report.catalogue_hash or ""),
            *(("Kilde", s) for s in report.sources)]
    if report.synthetic:
        rows.append(("Bemærk", "Syntetiske demodata: tallene er opdigtede og er ikke officielle tal."))
    for i, (label, value) in enumerate(rows):
        _text(sheet, i, 0, label, styles["bold"])
        if isinstance(value, int | float):
            sheet.write_number(i, 1, value)
        else:
            _text(sheet, i, 1, value)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 90)


def _section(workbook, sheet, section: Section, styles) -> None:
    _text(sheet, 0, 0, section.title, styles["title"])
    _blocks(workbook, sheet, section, 2, styles, {})
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 12, 16)


def _blocks(workbook, sheet, section: Section, row: int, styles, formats) -> int:
    """Write the section's tables and chart data from ``row`` on, then its subsections; the next free row."""
    for block in section.blocks:
        if isinstance(block, Table):
            row = _table(workbook, sheet, block, row, styles, formats)
        elif isinstance(block, Chart):
            row = _chart_data(sheet, block, row, styles)
    for sub in section.subsections:
        _text(sheet, row, 0, sub.title, styles["bold"])
        row = _blocks(workbook, sheet, sub, row + 1, styles, formats)
    return row


def _table(workbook, sheet, table: Table, row: int, styles, formats) -> int:
    _text(sheet, row, 0, table.title, styles["bold"])
    row += 1
    for col, column in enumerate(table.columns):
        _text(sheet, row, col, column.label, styles["head"])
    row += 1
    for values in table.rows:
        for col, (value, column) in enumerate(zip(values, table.columns, strict=True)):
            if value is None:
                sheet.write_blank(row, col, None)
            elif column.format is Format.RANK:
                rank, of = value
                _text(sheet, row, col, f"{rank} af {of}" if rank is not None else "")
            elif column.format is Format.TEXT:
                _text(sheet, row, col, value)
            else:
                key = _number_format(column)
                if key not in formats:
                    formats[key] = workbook.add_format({"num_format": key})
                sheet.write_number(row, col, value, formats[key])
        row += 1
    for note in (table.note, table.source):
        if note:
            _text(sheet, row, 0, note, styles["note"])
            row += 1
    return row + 1


def _chart_data(sheet, chart: Chart, row: int, styles) -> int:
    _text(sheet, row, 0, f"Data til figur: {chart.title} ({chart.unit})", styles["bold"])
    row += 1
    labels = list(dict.fromkeys(label for s in chart.series for label, _ in s.points))
    _text(sheet, row, 0, "Periode", styles["head"])
    for col, series in enumerate(chart.series, start=1):
        _text(sheet, row, col, series.name, styles["head"])
    for i, label in enumerate(labels, start=row + 1):
        _text(sheet, i, 0, label)
        for col, series in enumerate(chart.series, start=1):
            value = dict(series.points).get(label)
            if value is not None:
                sheet.write_number(i, col, value)
    return row + len(labels) + 2


def _text(sheet, row: int, col: int, value: object, style=None) -> None:
    """A text cell that stays text whatever it begins with (never a formula, a number or a link)."""
    text = str(value)
    if text:
        sheet.write_string(row, col, text, style)
    else:
        sheet.write_blank(row, col, None, style)
