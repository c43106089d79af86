"""The report's data as XLSX: one sheet per section with every table, list and the data behind every chart,
and a sheet with every development over time in long form (figure, series, month, value).

Numbers are stored as numbers with a number format, never as preformatted text, so the analyst can
compute on them; Excel shows them with the reader's own decimal comma and thousands separator. Chart data
carry the chart's format (a share with one decimal shows 14,7, not 14,7381254876841), and months are real
dates shown as ``mmm yyyy``, so they sort and filter as dates. Sheet names are at most 31 characters, cut
at a word boundary, and unique. Every sheet says where its figures come from and, for demo data, that
they are synthetic. Text is always written as text: a goal title or comment beginning with ``=``, ``+``,
``-`` or ``@`` must never become a live formula (``=HYPERLINK(…)`` could send the sheet's figures
anywhere), nor a web address a live link.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import xlsxwriter

from maaltal import formatting as fmt
from maaltal.document import BulletList, Chart, Column, Format, Report, Section, Table

SHEET_NAME_LIMIT = 31  # Excel's own limit
TRENDS_SHEET = "Udvikling over tid"
SYNTHETIC = "Syntetiske demodata: tallene er opdigtede og er ikke officielle tal."

_FORMATS = {
    Format.NUMBER: "#,##0", Format.SHARE: "0.0", Format.POINTS: '+0.0;-0.0;0.0',
    Format.CHANGE: "+#,##0;-#,##0;0", Format.CHANGE_PCT: '+0.0" %";-0.0" %";0.0" %"',
    Format.MIO_KR: "#,##0.0", Format.KR: "#,##0",
}
_MONTH_NAMES = {name: i for i, name in enumerate(fmt.MONTHS, start=1)}
_MONTH_NAMES.update({abbr.rstrip("."): i for i, abbr in enumerate(fmt.MONTH_ABBREVIATIONS, start=1)})
_MONTH_LABEL = re.compile(r"^([a-zæøå]+)\.?\s+(\d{4})$")
_PERIOD_CODE = re.compile(r"^(\d{4})M(\d{2})$")


def number_format(format_: Format, decimals: int = 0) -> str | None:
    """The Excel number format of a column or chart: its kind and decimals (``#,##0.0``, ``+0.0;-0.0;0.0``)."""
    base = _FORMATS.get(format_)
    if base is None or not decimals:
        return base
    places = "." + "0" * decimals
    if format_ in (Format.NUMBER, Format.MIO_KR, Format.SHARE, Format.KR):
        return "#,##0" + places
    if format_ is Format.POINTS:
        return f"+0{places};-0{places};0{places}"
    if format_ is Format.CHANGE:
        return f"+#,##0{places};-#,##0{places};0{places}"
    return f'+0{places}" %";-0{places}" %";0{places}" %"'


def _number_format(column: Column) -> str | None:
    return number_format(column.format, column.decimals)


def month(label: str) -> date | None:
    """The first day of the month a chart label names (``okt. 2023``, ``oktober 2023``, ``2023M10``)."""
    if m := _PERIOD_CODE.match(label):
        return date(int(m.group(1)), int(m.group(2)), 1)
    if (m := _MONTH_LABEL.match(label.lower())) and m.group(1) in _MONTH_NAMES:
        return date(int(m.group(2)), _MONTH_NAMES[m.group(1)], 1)
    return None


def sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name of at most 31 characters, cut at a word boundary (not "Prognose for
    overførselsudgi"); a name already taken gets " (2)", " (3)" … within the limit."""
    name = re.sub(r"\s*[\[\]:*?/\\]+\s*", " ", title).strip().strip("'") or "Ark"
    name = _cut(name, SHEET_NAME_LIMIT)
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = _cut(name, SHEET_NAME_LIMIT - len(suffix)) + suffix, n + 1
    used.add(candidate.lower())
    return candidate


_DANGLING = {"af", "for", "fra", "i", "med", "mod", "og", "om", "på", "til", "under", "over"}


def _cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` at the last whole word, without a dangling "for" or "på" at the end."""
    if len(text) <= limit:
        return text
    words = text[:limit + 1].split(" ")[:-1]
    while len(words) > 1 and words[-1].lower().strip(",.;–-") in _DANGLING | {""}:
        words.pop()
    return " ".join(words).rstrip(" ,.;–-") or text[:limit]


def render(report: Report, path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                               "strings_to_urls": False})
    workbook.set_properties({"title": report.title, "author": "maaltal", "created": None})
    book = _Book(workbook, report)
    book.about()
    for section in report.sections:
        if _has_data(section):
            book.section(section)
    book.trends()
    workbook.close()


def _has_data(section: Section) -> bool:
    return (any(isinstance(b, Table | Chart | BulletList) for b in section.blocks)
            or any(_has_data(s) for s in section.subsections))


def _charts(sections: tuple[Section, ...]):
    for section in sections:
        yield from (b for b in section.blocks if isinstance(b, Chart))
        yield from _charts(section.subsections)


class _Book:
    """The workbook being written: its styles, the names taken and the report's disclaimer."""

    def __init__(self, workbook, report: Report) -> None:
        self.workbook, self.report = workbook, report
        self.used: set[str] = set()
        self.formats: dict[str, object] = {}
        self.styles = {"bold": workbook.add_format({"bold": True}),
                       "title": workbook.add_format({"bold": True, "font_size": 13}),
                       "head": workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True}),
                       "note": workbook.add_format({"italic": True, "font_color": "#555555"}),
                       "warning": workbook.add_format({"bold": True, "font_color": "#9C0006"})}
        self.date = workbook.add_format({"num_format": "mmm yyyy"})

    def number(self, key: str | None):
        if key is None:
            return None
        if key not in self.formats:
            self.formats[key] = self.workbook.add_format({"num_format": key})
        return self.formats[key]

    def sheet(self, title: str):
        """A new sheet with its title and the disclaimer (synthetic data, sources) on top; the next free row."""
        sheet = self.workbook.add_worksheet(sheet_name(title, self.used))
        _text(sheet, 0, 0, title, self.styles["title"])
        row = 1
        if self.report.synthetic:
            _text(sheet, row, 0, SYNTHETIC, self.styles["warning"])
            row += 1
        _text(sheet, row, 0, " ".join(self.report.sources), self.styles["note"])
        return sheet, row + 2

    def about(self) -> None:
        report = self.report
        sheet, start = self.sheet("Om rapporten")
        rows = [("Rapport", report.title), ("Kommune", report.municipality), ("Udvalg", report.committee or ""),
                ("Periode", report.period_label), ("Data", report.data_vintage),
                ("Øjebliksbillede", report.snapshot_id), ("Målkatalog (SHA-256)", report.catalogue_hash or ""),
                *(("Kilde", s) for s in report.sources)]
        for i, (label, value) in enumerate(rows, start=start):
            _text(sheet, i, 0, label, self.styles["bold"])
            if isinstance(value, int | float):
                sheet.write_number(i, 1, value, self.number("0"))
            else:
                _text(sheet, i, 1, value)
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 1, 90)

    def section(self, section: Section) -> None:
        sheet, row = self.sheet(section.title)
        self.blocks(sheet, section, row)
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 12, 16)

    def blocks(self, sheet, section: Section, row: int) -> int:
        """Write the section's tables, lists and chart data from ``row`` on, then its subsections; the next
        free row."""
        for block in section.blocks:
            if isinstance(block, Table):
                row = self.table(sheet, block, row)
            elif isinstance(block, Chart):
                row = self.chart_data(sheet, block, row)
            elif isinstance(block, BulletList):
                for number, item in enumerate(block.items, start=1):
                    _text(sheet, row, 0, f"{number}. {item.text}" if block.numbered else item.text,
                          self.styles["bold"] if item.bold else None)
                    row += 1
                row += 1
        for sub in section.subsections:
            _text(sheet, row, 0, sub.title, self.styles["bold"])
            row = self.blocks(sheet, sub, row + 1)
        return row

    def table(self, sheet, table: Table, row: int) -> int:
        _text(sheet, row, 0, table.title, self.styles["bold"])
        row += 1
        for col, column in enumerate(table.columns):
            _text(sheet, row, col, column.label, self.styles["head"])
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
                    sheet.write_number(row, col, value, self.number(_number_format(column)))
            row += 1
        for note in (table.note, table.source):
            if note:
                _text(sheet, row, 0, note, self.styles["note"])
                row += 1
        return row + 1

    def chart_data(self, sheet, chart: Chart, row: int) -> int:
        _text(sheet, row, 0, f"Data til figur: {chart.title} ({chart.unit})", self.styles["bold"])
        row += 1
        labels = list(dict.fromkeys(label for s in chart.series for label, _ in s.points))
        value_format = self.number(number_format(chart.format, chart.decimals) or "#,##0")
        _text(sheet, row, 0, "Periode", self.styles["head"])
        for col, series in enumerate(chart.series, start=1):
            _text(sheet, row, col, series.name, self.styles["head"])
        for i, label in enumerate(labels, start=row + 1):
            self.label(sheet, i, 0, label)
            for col, series in enumerate(chart.series, start=1):
                value = dict(series.points).get(label)
                if value is not None:
                    sheet.write_number(i, col, value, value_format)
        if chart.source:
            _text(sheet, row + len(labels) + 1, 0, chart.source, self.styles["note"])
            row += 1
        return row + len(labels) + 2

    def label(self, sheet, row: int, col: int, label: str) -> None:
        """A month as a date cell (``mmm yyyy``), any other label as text."""
        as_date = month(label)
        if as_date is not None:
            sheet.write_datetime(row, col, as_date, self.date)
        else:
            _text(sheet, row, col, label)

    def trends(self) -> None:
        """Every chart over months in long form: Figur, Serie, Måned (a date), Værdi (in the chart's format)."""
        rows = [(chart, series, label, value) for chart in _charts(self.report.sections)
                for series in chart.series for label, value in series.points
                if value is not None and month(label) is not None]
        if not rows:
            return
        sheet, row = self.sheet(TRENDS_SHEET)
        for col, label in enumerate(("Figur", "Enhed", "Serie", "Måned", "Værdi")):
            _text(sheet, row, col, label, self.styles["head"])
        for i, (chart, series, label, value) in enumerate(rows, start=row + 1):
            _text(sheet, i, 0, chart.title)
            _text(sheet, i, 1, chart.unit)
            _text(sheet, i, 2, series.name)
            sheet.write_datetime(i, 3, month(label), self.date)
            sheet.write_number(i, 4, value, self.number(number_format(chart.format, chart.decimals) or "#,##0"))
        sheet.autofilter(row, 0, row + len(rows), 4)
        sheet.freeze_panes(row + 1, 0)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 2, 22)
        sheet.set_column(3, 4, 12)


def _text(sheet, row: int, col: int, value: object, style=None) -> None:
    """A text cell that stays text whatever it begins with (never a formula, a number or a link)."""
    text = str(value)
    if text:
        sheet.write_string(row, col, text, style)
    else:
        sheet.write_blank(row, col, None, style)
