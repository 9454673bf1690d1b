"""Bars on the leaderboard: one line per region with rank, name, the chosen metric and its bar.

The list is narrow enough for a 360 px phone; the full table stays on the page beside it.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from markupsafe import Markup

from campaign.util import svg

WIDTH, HEIGHT = 200, 14


@dataclass(frozen=True)
class RankedBar:
    rank: int | None  # None: not ranked publicly (its value is withheld)
    region_code: str
    region_name: str  # "Kota Palopo"
    value_text: str  # as the table shows it; "< 5" when suppressed
    fraction: float | None  # of the largest value; None when undefined or suppressed
    suppressed: bool
    svg: Markup  # decorative: the value is in value_text beside it


def ranked_bars(standings, *, suppressed: Collection[str] = ()) -> list[RankedBar]:
    """One bar per row of ``standings`` (a :class:`~campaign.domains.leaderboard.queries.Standings`), in
    its order, scaled to the largest value shown. A row whose metric is withheld for this viewer
    (in the row's ``suppressed`` set, or its code in ``suppressed``) gets a hatched marker and
    "< 5" instead of a bar and value, and does not set the scale."""
    metric = standings.metric

    def hidden_row(row) -> bool:
        return row.region_code in suppressed or svg.withheld(row, metric)

    visible = [getattr(row, metric) for row in standings.rows if not hidden_row(row)]
    peak = max((value for value in visible if value is not None), default=0)
    bars = []
    for row in standings.rows:
        hidden = hidden_row(row)
        value = None if hidden else getattr(row, metric)
        fraction = value / peak if value is not None and peak else (0.0 if value is not None else None)
        bars.append(RankedBar(row.rank, row.region_code, f"{row.region_kind} {row.region_name}",
                              svg.suppressed_text() if hidden else svg.full(metric, value), fraction, hidden,
                              bar(fraction, suppressed=hidden, pattern_id=f"hatch-{row.region_code}")))
    return bars


def bar(fraction: float | None, *, suppressed: bool = False, pattern_id: str = "hatch") -> Markup:
    """A horizontal bar ``fraction`` (0..1) of the full width, on a light track. None draws an
    empty track with a dashed outline (no value); ``suppressed`` a hatched track."""
    track = svg.el("rect", width=WIDTH, height=HEIGHT, rx="2", fill="#eef1f3")
    if suppressed:
        body = svg.hatch(pattern_id) + svg.el("rect", width=WIDTH, height=HEIGHT, rx="2",
                                              fill=f"url(#{pattern_id})", stroke=svg.LINE)
    elif fraction is None:
        body = svg.el("rect", x="0.5", y="0.5", width=WIDTH - 1, height=HEIGHT - 1, rx="2", fill="#fff",
                      stroke=svg.LINE, stroke_dasharray="3 2")
    else:
        width = max(0.0, min(1.0, fraction)) * WIDTH
        body = track + (svg.el("rect", width=f"{width:.1f}", height=HEIGHT, rx="2", fill=svg.BAR) if width else "")
    # svg.el escapes every attribute value; the body is built from svg.el only: safe markup.
    return Markup(svg.el("svg", body, xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {WIDTH} {HEIGHT}",  # nosec B704
                         preserveAspectRatio="none", class_="bar", aria_hidden="true", focusable="false"))
