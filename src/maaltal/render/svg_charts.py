"""Charts as self-contained SVG: line, bar and waterfall, readable in black and white.

Written by hand rather than through a plotting library because a committee report holds a dozen charts
and maaltal builds reports for all 98 municipalities in one run: the libraries tried here (matplotlib,
Vega-Lite through vl-convert) take 0,15–0,2 s a chart, this takes about a millisecond, and its output is
byte-for-byte reproducible. The municipality is drawn black and heavy; benchmarks grey, each with its own
dash pattern and marker shape, so the chart survives a black-and-white printer.
"""

from __future__ import annotations

import math
from html import escape

from maaltal import formatting as fmt
from maaltal.document import Chart, Series

WIDTH, HEIGHT = 680, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 36, 26, 64
# The drawing's size by the chart's layout: a smaller drawing keeps its text readable when the chart is
# shown at half the page's width or in a grid of small multiples.
SIZES = {"full": (WIDTH, HEIGHT), "half": (420, 270), "small": (330, 200)}
FONT = "DejaVu Sans, Arial, sans-serif"
_STYLES = [  # (stroke, dash, width) for benchmarks, in order
    ("#555555", "7 4", 2.0),
    ("#888888", "2 3", 2.2),
    ("#333333", "10 3 2 3", 1.6),
    ("#999999", "", 1.4),
]
_MARKERS = ["square", "triangle", "diamond", "none"]


def render(chart: Chart) -> str:
    """The chart as an ``<svg>`` element with a title and a text alternative."""
    body = {"line": _line, "bar": _bar, "waterfall": _waterfall}[chart.kind](chart)
    label = escape(f"{chart.title}. {chart.description}")
    width, height = SIZES.get(chart.layout, SIZES["full"])
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
            f'role="img" aria-label="{label}" font-family="{FONT}" font-size="12">'
            f"<title>{escape(chart.title)}</title><desc>{escape(chart.description)}</desc>{body}</svg>")


# Scales ------------------------------------------------------------------------------------------


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2 or 5 times a power of ten (143, 145, 148 …
    would make the reader do sums; 140, 145, 150 does not)."""
    if high == low:
        high, low = high + 1, low - 1 if low != 0 else 0
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 5, 10) if s * power >= raw - 1e-12)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def _decimals_for(ticks: list[float]) -> int:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    return 0 if step >= 1 else (1 if step * 10 >= 1 else 2)


class _Frame:
    """Maps values to the plot area and draws the axes."""

    def __init__(self, chart: Chart, values: list[float], *, zero: bool, labels: list[str]) -> None:
        self.width, self.height = SIZES.get(chart.layout, SIZES["full"])
        self.small = chart.layout == "small"
        self.left = 44 if self.small else LEFT
        low, high = min(values), max(values)
        if zero:
            low, high = min(low, 0.0), max(high, 0.0)
        else:
            pad = (high - low) * 0.1 or abs(high) * 0.05 or 1
            low, high = low - pad, high + pad
        self.ticks = nice_ticks(low, high)
        self.low, self.high = self.ticks[0], self.ticks[-1]
        self.labels = labels
        self.chart = chart
        per_row = 2 if chart.layout == "half" else 3
        self.per_row = per_row
        legend_rows = math.ceil(len(chart.series) / per_row) if len(chart.series) > 1 and not self.small else 0
        self.bottom = self.height - BOTTOM + (34 if not legend_rows else 0) - 18 * max(legend_rows - 1, 0)
        self.plot_w = self.width - self.left - RIGHT
        self.plot_h = self.bottom - TOP

    def y(self, value: float) -> float:
        return TOP + self.plot_h * (1 - (value - self.low) / (self.high - self.low))

    def x(self, index: int, slots: int, *, centered: bool) -> float:
        if centered:
            return self.left + self.plot_w * (index + 0.5) / slots
        return self.left + (self.plot_w * index / (slots - 1) if slots > 1 else self.plot_w / 2)

    def axes(self, *, centered: bool) -> str:
        decimals = _decimals_for(self.ticks)
        parts = []
        for tick in self.ticks:
            y = self.y(tick)
            parts.append(f'<line x1="{self.left}" x2="{self.width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                         'stroke="#dddddd"/>')
            parts.append(f'<text x="{self.left - 6}" y="{y + 4:.1f}" text-anchor="end">'
                         f"{escape(fmt.number(tick, decimals))}</text>")
        parts.append(f'<line x1="{self.left}" x2="{self.width - RIGHT}" y1="{self.bottom}" y2="{self.bottom}" '
                     'stroke="#000"/>')
        slots = len(self.labels)
        every = max(1, math.ceil(slots / (3 if self.small else 4 if self.width < WIDTH else 8)))
        for i, label in enumerate(self.labels):
            if (slots - 1 - i) % every:
                continue  # counted from the end, so the newest period always has its label
            x = self.x(i, slots, centered=centered)
            parts.append(f'<text x="{x:.1f}" y="{self.bottom + 16}" text-anchor="middle">{escape(label)}</text>')
        unit = escape(self.chart.unit)
        parts.append(f'<text x="{self.left}" y="{TOP - 10}" text-anchor="start" font-size="11">{unit}</text>')
        return "".join(parts)

    def legend(self, styles: list[str]) -> str:
        if len(self.chart.series) < 2 or self.small:
            return ""
        parts = []
        for i, (series, sample) in enumerate(zip(self.chart.series, styles, strict=True)):
            row, col = divmod(i, self.per_row)
            x = self.left + col * (self.plot_w / self.per_row)
            y = self.bottom + 36 + row * 18
            weight = ' font-weight="bold"' if series.highlight else ""
            parts.append(f'<g transform="translate({x:.1f},{y})">{sample}'
                         f'<text x="34" y="4"{weight}>{escape(series.name)}</text></g>')
        return "".join(parts)


def _style(series: Series, index: int) -> tuple[str, str, float, str]:
    if series.highlight:
        return "#000000", "", 3.0, "circle"
    stroke, dash, width = _STYLES[index % len(_STYLES)]
    return stroke, dash, width, _MARKERS[index % len(_MARKERS)]


def _marker(kind: str, x: float, y: float, color: str) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.2" fill="{color}"/>'
    if kind == "square":
        return f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="#fff" stroke="{color}"/>'
    if kind == "triangle":
        return (f'<path d="M{x:.1f} {y - 3.6:.1f}L{x + 3.4:.1f} {y + 2.6:.1f}L{x - 3.4:.1f} {y + 2.6:.1f}Z" '
                f'fill="{color}"/>')
    if kind == "diamond":
        return (f'<path d="M{x:.1f} {y - 3.8:.1f}L{x + 3.8:.1f} {y:.1f}L{x:.1f} {y + 3.8:.1f}L{x - 3.8:.1f} '
                f'{y:.1f}Z" fill="#fff" stroke="{color}"/>')
    return ""


# Chart kinds -------------------------------------------------------------------------------------


def _labels(chart: Chart) -> list[str]:
    return list(dict.fromkeys(label for s in chart.series for label, _ in s.points))


def _empty(chart: Chart) -> str:
    width, height = SIZES.get(chart.layout, SIZES["full"])
    return (f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">Ingen data til figuren '
            f"{escape(chart.title)}</text>")


def _line(chart: Chart) -> str:
    labels = _labels(chart)
    values = [v for s in chart.series for _, v in s.points if v is not None]
    if not values:
        return _empty(chart)
    frame = _Frame(chart, values, zero=False, labels=labels)
    position = {label: i for i, label in enumerate(labels)}
    parts, samples = [frame.axes(centered=False)], []
    ordered = sorted(enumerate(chart.series), key=lambda item: item[1].highlight)  # highlight on top
    styles = {}
    bench_index = 0
    for i, series in enumerate(chart.series):
        styles[i] = _style(series, bench_index)
        bench_index += 0 if series.highlight else 1
    for i, series in ordered:
        color, dash, width, marker = styles[i]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segment: list[str] = []
        segments = []
        for label, value in series.points:
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{frame.x(position[label], len(labels), centered=False):.1f},{frame.y(value):.1f}")
        if segment:
            segments.append(segment)
        for seg in segments:
            parts.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="{color}" '
                         f'stroke-width="{width}"{dash_attr} stroke-linejoin="round"/>')
        every = max(1, math.ceil(len(labels) / 12))
        for j, (label, value) in enumerate(series.points):
            if value is not None and (j % every == 0 or j == len(series.points) - 1):
                x = frame.x(position[label], len(labels), centered=False)
                parts.append(_marker(marker, x, frame.y(value), color))
    for i, _series in enumerate(chart.series):
        color, dash, width, marker = styles[i]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        samples.append(f'<line x1="0" x2="28" y1="0" y2="0" stroke="{color}" stroke-width="{width}"{dash_attr}/>'
                       + _marker(marker, 14, 0, color))
    parts.append(frame.legend(samples))
    return "".join(parts)


def _bar(chart: Chart) -> str:
    labels = _labels(chart)
    values = [v for s in chart.series for _, v in s.points if v is not None]
    if not values:
        return _empty(chart)
    frame = _Frame(chart, values, zero=True, labels=labels)
    parts, samples = [frame.axes(centered=True)], []
    slot = frame.plot_w / len(labels)
    width = slot * 0.8 / len(chart.series)
    fills = ["#000000" if s.highlight else ("#777777", "#bbbbbb", "#444444", "#dddddd")[i % 4]
             for i, s in enumerate(chart.series)]
    for k, series in enumerate(chart.series):
        for label, value in series.points:
            if value is None:
                continue
            i = labels.index(label)
            x = frame.left + slot * i + slot * 0.1 + width * k
            y0, y1 = frame.y(max(value, 0)), frame.y(min(value, 0))
            parts.append(f'<rect x="{x:.1f}" y="{y0:.1f}" width="{width:.1f}" height="{max(y1 - y0, 0.5):.1f}" '
                         f'fill="{fills[k]}" stroke="#000" stroke-width="0.5"/>')
        samples.append(f'<rect x="4" y="-6" width="20" height="12" fill="{fills[k]}" stroke="#000" '
                       'stroke-width="0.5"/>')
    parts.append(frame.legend(samples))
    return "".join(parts)


def _waterfall(chart: Chart) -> str:
    """First and last points are totals; the points between are changes floating from the running sum.

    The axis spans the running totals (not from 0: a budget of 1.584 mio. kr. moved by 10 would show the
    adjustments as hairlines), the totals are drawn from the axis' foot, each change's figure sits above
    a rise and below a fall, and the category labels are wrapped to their column's width."""
    (series,) = chart.series[:1]
    points = [(label, value or 0.0) for label, value in series.points]
    if len(points) < 2:
        return _empty(chart)
    running, bars = points[0][1], [(points[0][0], points[0][1], points[0][1], "total")]
    for label, change in points[1:-1]:
        bars.append((label, running, running + change, "up" if change >= 0 else "down"))
        running += change
    bars.append((points[-1][0], points[-1][1], points[-1][1], "total"))
    totals = [v for _, a, b, _ in bars for v in (a, b)]
    span = (max(totals) - min(totals)) or abs(max(totals)) * 0.1 or 1
    low = min(totals) - span * 0.6
    frame = _Frame(chart, [max(low, 0.0) if min(totals) >= 0 else low, max(totals) + span * 0.15], zero=False,
                   labels=["" for _ in bars])
    parts = [frame.axes(centered=True)]
    slot = frame.plot_w / len(bars)
    fills = {"total": "#000000", "up": "#777777", "down": "#ffffff"}
    chars = max(6, int(slot / 5.8))
    for i, (label, start, end, kind) in enumerate(bars):
        base = frame.low if kind == "total" else start
        y0, y1 = frame.y(max(base, end)), frame.y(min(base, end))
        x = frame.left + slot * i + slot * 0.15
        parts.append(f'<rect x="{x:.1f}" y="{y0:.1f}" width="{slot * 0.7:.1f}" height="{max(y1 - y0, 0.5):.1f}" '
                     f'fill="{fills[kind]}" stroke="#000"/>')
        shown = end if kind == "total" else end - start
        text = fmt.number(shown, chart.decimals) if kind == "total" else fmt.signed(shown, chart.decimals)
        y_text = y1 + 12 if kind == "down" else y0 - 4
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{y_text:.1f}" text-anchor="middle" font-size="11">'
                     f"{escape(text)}</text>")
        for j, line in enumerate(_wrap(label, chars)[:2]):
            parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{frame.bottom + 14 + j * 12}" text-anchor="middle" '
                         f'font-size="10">{escape(line)}</text>')
    return "".join(parts)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words (a long word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
