"""Report builders: what the yearly plan calls to attach a report to an agenda item.

A builder takes the area, the data period, the report kind and a folder, writes its attachment files there
and returns their paths. The plan does not know how a report is made; it asks the builder registered for
the kind. maaltal ships the builder for the monthly key figures (an overview of the standard key figures
as Markdown and DOCX); the committee report registers itself for the other kinds with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from maaltal.areas import AreaRegistry
from maaltal.measures import definitions as keyfigure_definitions
from maaltal.measures import overview as overview_builder
from maaltal.measures.keyfigures import KeyFigureEngine
from maaltal.periods import Period, PeriodRange
from maaltal.render import files
from maaltal.render.committee import overview_doc
from maaltal.report import attachments
from maaltal.report import build as build_report
from maaltal.store import Store

ReportBuilder = Callable[[str, Period | PeriodRange, str, Path], list[Path]]
BuilderFactory = Callable[[Store, AreaRegistry], ReportBuilder]

# The report kinds a yearly plan can name, with their Danish names for messages.
REPORT_KINDS = {
    "monthly_keyfigures": "månedlige nøgletal",
    "goal_followup": "målopfølgning",
    "budget_followup": "budgetopfølgning",
    "target_figures": "måltal",
}

_FACTORIES: dict[str, BuilderFactory] = {}


def register(kind: str, factory: BuilderFactory) -> None:
    """Make ``factory(store, registry)`` the builder of ``kind`` (one of :data:`REPORT_KINDS`)."""
    if kind not in REPORT_KINDS:
        raise ValueError(f"unknown report kind {kind!r}")
    _FACTORIES[kind] = factory


def builders(store: Store, registry: AreaRegistry) -> dict[str, ReportBuilder]:
    """Every registered builder, bound to a store and an area registry."""
    return {kind: factory(store, registry) for kind, factory in _FACTORIES.items()}


def keyfigures_builder(store: Store, registry: AreaRegistry, keyfigures: Path | None = None) -> ReportBuilder:
    """The monthly key figures: the standard overview against region and nation, as Markdown and DOCX."""
    def build(area: str, period: Period | PeriodRange, kind: str, out_dir: Path) -> list[Path]:
        month = period.end if isinstance(period, PeriodRange) else period
        engine = KeyFigureEngine(store, registry)
        result = overview_builder.build(engine, keyfigure_definitions.load(keyfigures), area, month)
        names = {a.id: a.name for a in registry}
        stem = out_dir / f"noegletal-{area}-{month}"
        return [overview_doc.write_markdown(result, names, stem.with_suffix(".md")),
                overview_doc.write_docx(result, names, stem.with_suffix(".docx"))]

    return build


register("monthly_keyfigures", keyfigures_builder)


def committee_report(catalogue: Path | None = None, attached: Sequence[tuple[str, Path]] = (),
                     formats: Sequence[str] = ("html", "pdf", "docx")) -> dict[str, BuilderFactory]:
    """Builders that attach the full committee report (:mod:`maaltal.report`): the goal follow-up and the
    target figures with ``catalogue``, the budget follow-up with the ``attached`` budget files.

    A kind whose input is not given keeps no builder, and the plan says that its item has no attachment.
    The report is built for the last month of the item's data period (Gladsaxe follows up on the 3rd
    quarter with the September figures).
    """
    def factory(with_catalogue: bool, with_files: bool) -> BuilderFactory:
        def bind(store: Store, registry: AreaRegistry) -> ReportBuilder:
            def build(area: str, period: Period | PeriodRange, kind: str, out_dir: Path) -> list[Path]:
                month = (period.end if isinstance(period, PeriodRange) else period).last_month()
                engine = KeyFigureEngine(store, registry)
                extra = attachments.sections(attached, engine, area, month) if with_files else ()
                report = build_report.committee_report(engine, area, month, catalogue=catalogue if with_catalogue
                                                       else None, extra_sections=extra)
                return files.write(report, out_dir, formats)
            return build
        return bind

    result: dict[str, BuilderFactory] = {}
    if catalogue is not None:
        result["goal_followup"] = result["target_figures"] = factory(True, False)
    if attached:
        result["budget_followup"] = factory(False, True)
    return result
