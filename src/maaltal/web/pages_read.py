"""The pages every logged-in user may read: overview, the report, the key-figure explorer, data sources and
the published reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from maaltal.document import Report
from maaltal.errors import MaaltalError
from maaltal.measures import KeyFigureEngine
from maaltal.sources.status import availability
from maaltal.store import Store
from maaltal.web import auth, explorer, publish
from maaltal.web.app import render, render_fragment, require, site
from maaltal.web.site import Site

router = APIRouter()
reader = Depends(require(auth.Role.READER))

# The report sections the overview shows, in this order, when the report has them.
OVERVIEW_SECTIONS = ("sammenfatning", "maal-oversigt", "udviklingstendenser", "noegletal-oversigt")


def warm_ahead(the_site: Site) -> None:
    """Have an import build the standard pages of its new snapshot before it is done (issue 14: the first
    visitor after an import waited 9 s): the explorer's first page, the data sources, the overview and the
    report."""
    def pages(store: Store, snapshot_id: int) -> None:
        _explored(the_site, store, snapshot_id, None, None, None, the_site.config.benchmarks)
        _sources(the_site, store, snapshot_id)

    def fragments(report: Report) -> None:
        _overview_body(the_site, report)
        _report_body(the_site, report)

    the_site.warmers.append(pages)
    the_site.fragment_warmers.append(fragments)


def _overview_body(the_site: Site, report: Report) -> str:
    return the_site.fragment(report, "overview", lambda: render_fragment(
        "_sections.html.j2", sections=[s for s in report.sections if s.id in OVERVIEW_SECTIONS]))


def _report_body(the_site: Site, report: Report) -> str:
    return the_site.fragment(report, "report",
                             lambda: render_fragment("_sections.html.j2", sections=report.sections))


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, current: auth.Session = reader) -> Response:
    the_site = site(request)
    report = the_site.report()
    body = _overview_body(the_site, report)
    goals = [s for s in report.sections if s.id.startswith("maal-") and s.id != "maal-oversigt"]
    return render(request, "overview.html.j2", report=report, body=body, goals=goals)


@router.get("/rapport", response_class=HTMLResponse)
def report_page(request: Request, current: auth.Session = reader) -> Response:
    the_site = site(request)
    report = the_site.report()
    return render(request, "report.html.j2", report=report, body=_report_body(the_site, report))


@router.get("/rapport/{section_id}", response_class=HTMLResponse)
def section_page(request: Request, section_id: str, current: auth.Session = reader) -> Response:
    the_site = site(request)
    report = the_site.report()
    section = next((s for s in report.sections if s.id == section_id), None)
    if section is None:
        raise MaaltalError(f"Rapporten har intet afsnit '{section_id}'")
    body = the_site.fragment(report, f"section:{section_id}",
                             lambda: render_fragment("_sections.html.j2", sections=[section]))
    return render(request, "section.html.j2", report=report, section=section, body=body)


def _exploration(request: Request, key: str | None, area: str | None, period: str | None,
                 benchmarks: list[str] | None) -> tuple[list[explorer.Choice], explorer.Exploration, str]:
    """The explorer's choices, the exploration asked for and its rendered section (kept per snapshot)."""
    the_site = site(request)
    # a submitted form says which benchmarks it wants (maybe none); a first visit gets the configured ones
    chosen = tuple(benchmarks or ()) if key is not None else the_site.config.benchmarks
    with the_site.db.store() as store:
        return _explored(the_site, store, the_site.snapshot_id(store), key, area, period, chosen)


def _explored(the_site: Site, store: Store, snapshot_id: int, key: str | None, area: str | None,
              period: str | None, chosen: tuple[str, ...]) -> tuple[list[explorer.Choice], explorer.Exploration, str]:
    """The exploration on ``snapshot_id``, made once per snapshot and question."""
    def make():
        engine = KeyFigureEngine(store, the_site.registry, snapshot_id)
        options = the_site.memo(store, "choices", (), lambda: explorer.choices(engine, the_site.keyfigures),
                                snapshot=snapshot_id)
        exploration = explorer.explore(engine, options, key, area or the_site.area.id, period, chosen)
        return options, exploration, render_fragment("_sections.html.j2", sections=[exploration.section])
    return the_site.memo(store, "explore", (key, area, period, chosen), make, snapshot=snapshot_id)


def _sources(the_site: Site, store: Store, snapshot_id: int) -> tuple[list, object]:
    """The snapshots and the availability of every series as of ``snapshot_id``, made once per snapshot."""
    return the_site.memo(store, "sources", (), lambda: ([s for s in reversed(store.snapshots()) if s.id <= snapshot_id],
                                                        availability(store, snapshot=snapshot_id)),
                         snapshot=snapshot_id)


@router.get("/noegletal", response_class=HTMLResponse)
def explore(request: Request, noegletal: str | None = None, omraade: str | None = None, periode: str | None = None,
            sammenlign: Annotated[list[str] | None, Query()] = None, current: auth.Session = reader) -> Response:
    options, exploration, body = _exploration(request, noegletal, omraade, periode, sammenlign)
    the_site = site(request)
    areas = [a for a in the_site.registry if a.kind.value in ("municipality", "region", "nation", "rar")]
    groups = [a for a in the_site.registry if a.kind.value == "group"]
    return render(request, "explorer.html.j2", options=options, exploration=exploration, areas=areas, groups=groups,
                  body=body, query=request.url.query)


@router.get("/noegletal.csv")
def explore_csv(request: Request, noegletal: str | None = None, omraade: str | None = None,
                periode: str | None = None, sammenlign: Annotated[list[str] | None, Query()] = None,
                current: auth.Session = reader) -> Response:
    _, exploration, _ = _exploration(request, noegletal, omraade, periode, sammenlign)
    name = f"noegletal-{exploration.choice.key.replace(':', '-').replace(';', '-')}-{exploration.area}-" \
           f"{exploration.period}.csv"
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in name)
    return Response(explorer.to_csv(exploration), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{safe}"'})


@router.get("/datakilder", response_class=HTMLResponse)
def sources(request: Request, current: auth.Session = reader) -> Response:
    the_site = site(request)
    with the_site.db.store() as store:
        if store.latest_snapshot() is None:
            return render(request, "sources.html.j2", snapshots=[], sources_status=None)
        snapshots, sources_status = _sources(the_site, store, the_site.snapshot_id(store))
    return render(request, "sources.html.j2", snapshots=snapshots, sources_status=sources_status)


@router.get("/rapporter", response_class=HTMLResponse)
def publications(request: Request, current: auth.Session = reader) -> Response:
    with site(request).db.cursor() as cur:
        items = publish.publications(cur, withdrawn=current.user.may(auth.Role.ADMIN))
    return render(request, "publications.html.j2", publications=items, formats=publish.FORMATS)


@router.get("/rapporter/{publication_id}/{fmt}")
def publication_file(request: Request, publication_id: int, fmt: str, current: auth.Session = reader) -> Response:
    the_site = site(request)
    with the_site.db.cursor() as cur:
        path = publish.file_path(cur, the_site.db.reports_dir, publication_id, fmt,
                                 withdrawn=current.user.may(auth.Role.ADMIN))
    inline = fmt in ("html", "pdf")
    return FileResponse(path, media_type=publish.MEDIA_TYPES[fmt], filename=path.name,
                        content_disposition_type="inline" if inline else "attachment")
