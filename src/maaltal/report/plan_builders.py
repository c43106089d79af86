"""What the yearly plan attaches to its items: the monthly key-figure overview, the full committee report
and the plan's own coming meetings.

Each is built here as a document from the committee's facts and the measures, and written by the writer
the caller passes (:func:`maaltal.render.files.write`), so the plan (:mod:`maaltal.committee.plan`) knows
neither how a report is made nor how it is written. A builder takes the area, the data period, the report
kind and a folder, and returns the paths of the files written there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from maaltal import formatting as fmt
from maaltal.areas import AreaRegistry
from maaltal.committee.plan import PlanWriter, ReportBuilder, YearPlan, coming
from maaltal.document import Column, Document, Paragraph, Report, Table
from maaltal.measures import definitions as keyfigure_definitions
from maaltal.measures import overview as overview_builder
from maaltal.measures.keyfigures import KeyFigureEngine
from maaltal.periods import Period, PeriodRange
from maaltal.report import attachments, monthly_overview
from maaltal.report import build as build_report
from maaltal.store import Store

# Writes a document into a folder in the given formats and returns the files.
Writer = Callable[[Report | Document, Path, Sequence[str]], list[Path]]

# For the agenda system: the text to paste into its fields, and a file to attach.
ATTACHMENT_FORMATS = ("md", "docx")
REPORT_FORMATS = ("html", "pdf", "docx")
PLAN_HEADER = ("Møde", "Fast punkt", "Periode")


def monthly_keyfigures(store: Store, registry: AreaRegistry, write: Writer,
                       keyfigures: Path | None = None) -> ReportBuilder:
    """The monthly key figures: the standard overview against region and nation, as Markdown and DOCX."""
    def build(area: str, period: Period | PeriodRange, kind: str, out_dir: Path) -> list[Path]:
        month = period.end if isinstance(period, PeriodRange) else period
        engine = KeyFigureEngine(store, registry)
        result = overview_builder.build(engine, keyfigure_definitions.load(keyfigures), area, month)
        return write(monthly_overview.document(result, {a.id: a.name for a in registry}), out_dir,
                     ATTACHMENT_FORMATS)

    return build


def committee_report(store: Store, registry: AreaRegistry, write: Writer, catalogue: Path | None = None,
                     attached: Sequence[tuple[str, Path]] = (),
                     formats: Sequence[str] = REPORT_FORMATS) -> dict[str, ReportBuilder]:
    """Builders that attach the full committee report: the goal follow-up and the target figures with
    ``catalogue``, the budget follow-up with the ``attached`` budget files.

    A kind whose input is not given gets no builder, and the plan says that its item has no attachment.
    The report is built for the last month of the item's data period (Gladsaxe follows up on the 3rd
    quarter with the September figures).
    """
    def builder(with_catalogue: bool, with_files: bool) -> ReportBuilder:
        def build(area: str, period: Period | PeriodRange, kind: str, out_dir: Path) -> list[Path]:
            month = (period.end if isinstance(period, PeriodRange) else period).last_month()
            engine = KeyFigureEngine(store, registry)
            extra = attachments.sections(attached, engine, area, month) if with_files else ()
            report = build_report.committee_report(engine, area, month, catalogue=catalogue if with_catalogue
                                                   else None, extra_sections=extra)
            return write(report, out_dir, formats)
        return build

    result: dict[str, ReportBuilder] = {}
    if catalogue is not None:
        result["goal_followup"] = result["target_figures"] = builder(True, False)
    if attached:
        result["budget_followup"] = builder(False, True)
    return result


def plan_document(plan: YearPlan, on: date) -> Document:
    """The fixed items of the meetings after ``on``: Horsens' "Årsplan" (item 7) and Slagelse's "Punkter
    til kommende møder" (item 11) put it before the committee at every meeting."""
    rows = tuple((fmt.short_date(day), title, period) for day, title, period in coming(plan, on))
    title = f"Årsplan for {plan.committee} – kommende møder pr. {fmt.short_date(on)}"
    block = (Table("aarsplan", "", tuple(Column(f"c{i}", label) for i, label in enumerate(PLAN_HEADER)), rows)
             if rows else Paragraph("Årsplanen har ingen faste punkter på kommende møder."))
    return Document(f"aarsplan-{on:%Y-%m-%d}", title, (block,))


def plan_writer(write: Writer) -> PlanWriter:
    """The plan's own attachment, as Markdown and DOCX."""
    return lambda plan, on, folder: write(plan_document(plan, on), folder, ATTACHMENT_FORMATS)
