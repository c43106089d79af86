"""The three smileys as small SVG faces that differ in shape, not only in colour (black-and-white print)."""

from __future__ import annotations

from maaltal.document import Status

_MOUTHS = {
    Status.MET: "M7 13.5 Q12 18 17 13.5",          # glad
    Status.NOT_MET: "M7 16.5 Q12 12 17 16.5",      # sur
    Status.NOT_ASSESSABLE: "M7.5 15 L16.5 15",     # neutral
}
_FILLS = {Status.MET: "#cfe8cf", Status.NOT_MET: "#f4c7c3", Status.NOT_ASSESSABLE: "#fbe7a6"}


def svg(status: Status, size: int = 22) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="smiley smiley-{status.smiley}" viewBox="0 0 24 24" '
            f'width="{size}" height="{size}" role="img" aria-label="{status.smiley} smiley: {status.label}">'
            f'<circle cx="12" cy="12" r="10.5" fill="{_FILLS[status]}" stroke="#000" stroke-width="1.4"/>'
            '<circle cx="8.5" cy="9.5" r="1.3"/><circle cx="15.5" cy="9.5" r="1.3"/>'
            f'<path d="{_MOUTHS[status]}" fill="none" stroke="#000" stroke-width="1.6" stroke-linecap="round"/>'
            "</svg>")
