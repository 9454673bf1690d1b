"""A tile map of the province: one square per kabupaten/kota, placed roughly as on the map,
shaded by the chosen metric, each tile a link to the region's page."""
from __future__ import annotations

from collections.abc import Callable, Collection

from markupsafe import Markup, escape

from campaign.domains.leaderboard.metrics import METRICS
from campaign.util import svg

TILE, GAP = 84, 4
# (column, row) of each Sulawesi Selatan region, north at the top, and the short name on its tile.
LAYOUT: dict[str, tuple[int, int, str]] = {
    "73.26": (1, 0, "Toraja Utara"), "73.22": (2, 0, "Luwu Utara"), "73.24": (3, 0, "Luwu Timur"),
    "73.18": (1, 1, "Tana Toraja"), "73.73": (2, 1, "Palopo"),
    "73.15": (0, 2, "Pinrang"), "73.16": (1, 2, "Enrekang"), "73.17": (2, 2, "Luwu"),
    "73.72": (0, 3, "Parepare"), "73.14": (1, 3, "Sidrap"), "73.13": (2, 3, "Wajo"),
    "73.11": (0, 4, "Barru"), "73.12": (1, 4, "Soppeng"), "73.08": (2, 4, "Bone"),
    "73.10": (0, 5, "Pangkep"), "73.09": (1, 5, "Maros"), "73.07": (2, 5, "Sinjai"),
    "73.71": (0, 6, "Makassar"), "73.06": (1, 6, "Gowa"),
    "73.05": (0, 7, "Takalar"), "73.04": (1, 7, "Jeneponto"), "73.03": (2, 7, "Bantaeng"), "73.02": (3, 7, "Bulukumba"),
    "73.01": (3, 8, "Selayar"),
}
COLUMNS = 4
LEGEND_H = 7 * 36 + 24


def tile_map(standings, *, url_for_region: Callable[[str], str], suppressed: Collection[str] = ()) -> Markup:
    """The map for ``standings`` (a :class:`~campaign.domains.leaderboard.queries.Standings`): tiles
    shaded in five steps of the chosen metric (zero lightest, then quarters of the largest
    value), hatched where the value is undefined or suppressed, with a legend. Regions missing
    from :data:`LAYOUT` (another province's list) fill extra rows below, in code order."""
    metric = standings.metric
    rows = sorted(standings.rows, key=lambda row: row.region_code)
    hidden = {row.region_code for row in rows if row.region_code in suppressed or svg.withheld(row, metric)}
    values = {row.region_code: None if row.region_code in hidden else getattr(row, metric) for row in rows}
    peak = max((v for v in values.values() if v is not None), default=0)
    places = _places([row.region_code for row in rows])
    tiles = "".join(_tile(row, places[row.region_code], values[row.region_code], peak, metric,
                          url_for_region(row.region_code), row.region_code in hidden) for row in rows)
    rows_used = max(row for _, row in places.values()) + 1
    free_column = all(code in LAYOUT for code in places)  # column 3, rows 1-6, is empty on this layout
    legend_at = (3 * (TILE + GAP), TILE + GAP) if free_column else (0, rows_used * (TILE + GAP))
    height = rows_used * (TILE + GAP) + (0 if free_column else LEGEND_H)
    body = svg.hatch("tile-hatch") + tiles + _legend(*legend_at, peak, metric)
    label = (f"Peta petak {len(rows)} kabupaten/kota menurut {standings_label(standings)}: makin gelap makin "
             f"tinggi; petak bergaris berarti tidak ada nilai atau disembunyikan. Tabel lengkap ada di bawah.")
    width = COLUMNS * (TILE + GAP)
    return svg.document(width, height, body, label=label, class_="chart tile-map", role="group")


def standings_label(standings) -> str:
    return METRICS.get(standings.metric, standings.metric).lower()


def _places(codes: list[str]) -> dict[str, tuple[int, int]]:
    places = {code: LAYOUT[code][:2] for code in codes if code in LAYOUT}
    first_free = max((row for _, row in places.values()), default=-1) + 1
    extra = [code for code in codes if code not in LAYOUT]
    for index, code in enumerate(extra):
        places[code] = (index % COLUMNS, first_free + index // COLUMNS)
    return places


def _tile(row, place: tuple[int, int], value, peak, metric: str, href: str, hidden: bool) -> str:
    column, line = place
    x, y = column * (TILE + GAP), line * (TILE + GAP)
    short = LAYOUT.get(row.region_code, (0, 0, row.region_name))[2]
    step = svg.shade(value, peak)
    fill = "url(#tile-hatch)" if value is None else svg.SHADES[step]
    ink = "#fff" if value is not None and svg.SHADES[step] in svg.DARK_SHADES else svg.INK
    shown = svg.suppressed_text() if hidden else svg.compact(metric, value)
    spoken = f"disembunyikan, milik kurang dari {shown[2:]} orang" if hidden else svg.full(metric, value)
    name = f"{row.region_kind} {row.region_name}"
    title = f"{name}: {spoken}, peringkat {row.rank}"
    content = (svg.el("title", str(escape(title)))
               + svg.el("rect", x=x, y=y, width=TILE, height=TILE, rx="4", fill=fill, stroke=svg.LINE)
               + svg.text(x + TILE / 2, y + 34, short, font_size="12", fill=ink, text_anchor="middle",
                          font_weight="600")
               + svg.text(x + TILE / 2, y + 54, shown, font_size="12", fill=ink, text_anchor="middle")
               + svg.text(x + TILE / 2, y + 72, f"#{row.rank}", font_size="11", fill=ink, text_anchor="middle"))
    return svg.el("a", content, href=href, aria_label=title, class_="tile")


def _legend(x: float, y: float, peak, metric: str) -> str:
    """Six swatches, one under the other, each with its range on two short lines."""
    steps = [("0", "", svg.SHADES[0])]
    for step in range(1, 5):
        low = svg.compact(metric, peak * (step - 1) / 4) if peak else "0"
        high = svg.compact(metric, peak * step / 4) if peak else "0"
        steps.append((f"{low} -", high, svg.SHADES[step]))
    steps.append(("tidak ada", f"atau {svg.suppressed_text()}", "url(#tile-hatch)"))
    parts = [svg.text(x + 4, y + 14, "Keterangan", font_size="12", fill=svg.INK, font_weight="600")]
    for index, (first, second, fill) in enumerate(steps):
        top = y + 24 + index * 36
        parts.append(svg.el("rect", x=x + 4, y=top, width="14", height="14", fill=fill, stroke=svg.LINE))
        parts.append(svg.text(x + 22, top + 11, first, font_size="11", fill=svg.INK))
        if second:
            parts.append(svg.text(x + 22, top + 25, second, font_size="11", fill=svg.INK))
    return "".join(parts)
