"""A tile map of the province: one square per kabupaten/kota, placed roughly as on the map where
the province has a layout (``campaign/domains/regions/data/tilemaps/<province>.csv``, see
docs/provinces.md), else in an honest grid in code order; shaded by the chosen metric, each tile
a link to the region's page."""
from __future__ import annotations

import math
from collections.abc import Callable, Collection

from markupsafe import Markup, escape

from campaign.domains.leaderboard.metrics import METRICS
from campaign.domains.regions.areas import tile_layout
from campaign.util import svg

TILE, TILE_H, GAP = 84, 58, 4  # wide, low tiles: the whole map within one phone screen at 360 px
MIN_COLUMNS = 4
LEGEND_STEP = 46  # per legend entry: a swatch beside two lines of 11 px text
LEGEND_H = 6 * LEGEND_STEP + 24
LEGEND_ROWS = math.ceil(LEGEND_H / (TILE_H + GAP))  # grid rows the legend needs when it sits among the tiles


def tile_map(standings, *, url_for_region: Callable[[str], str], suppressed: Collection[str] = (),
             unit: str = "kabupaten/kota") -> Markup:
    """The map for ``standings`` (a :class:`~campaign.domains.leaderboard.queries.Standings`): zero
    lightest, values above zero in :data:`CLASSES` shades by rank (see :func:`classes`), hatched where
    the value is undefined or suppressed, with a legend of each shade's range (in an empty column of
    the layout where one is tall enough, else below). Regions missing from the layout fill extra
    rows below it, in code order. A province level (``unit`` "provinsi", rows of
    :class:`~campaign.domains.leaderboard.provinces.ProvinceRow`) is an honest grid in code order."""
    metric = standings.metric
    rows = sorted(standings.rows, key=lambda row: row.region_code)
    hidden = {row.region_code for row in rows if row.region_code in suppressed or svg.withheld(row, metric)}
    values = {row.region_code: None if row.region_code in hidden else getattr(row, metric) for row in rows}
    steps = classes(values)
    layout = _layout([row.region_code for row in rows])
    places, columns = _places([row.region_code for row in rows], layout)
    tiles = "".join(_tile(row, places[row.region_code], layout, values[row.region_code],
                          steps.get(row.region_code, 0), metric, url_for_region(row.region_code),
                          row.region_code in hidden) for row in rows)
    rows_used = max((row for _, row in places.values()), default=0) + 1
    free = _free_column(places, columns, rows_used)
    legend_at = (free[0] * (TILE + GAP), free[1] * (TILE_H + GAP)) if free else (0, rows_used * (TILE_H + GAP))
    height = rows_used * (TILE_H + GAP) + (0 if free else LEGEND_H)
    body = svg.hatch("tile-hatch") + tiles + _legend(*legend_at, values, steps, metric)
    label = (f"Peta petak {len(rows)} {unit} menurut {standings_label(standings)}: makin gelap makin "
             f"tinggi, tiap warna untuk kira-kira sama banyak wilayah; petak bergaris berarti tidak ada nilai "
             f"atau disembunyikan. Angka lengkap ada di tabel Papan Peringkat.")
    width = columns * (TILE + GAP)
    return svg.document(width, height, body, label=label, class_="chart tile-map", role="group")


CLASSES = 4  # shades for values above zero


def classes(values: dict[str, float | None]) -> dict[str, int]:
    """Shade (index into ``svg.SHADES``) per region with a value: 0 for zero; values above zero
    by rank, so each of the :data:`CLASSES` shades holds about as many regions (quantiles: one
    large region cannot push all others into the palest shade). Equal values share a shade;
    with fewer values than shades they are spread from the lightest to the darkest, the largest
    always darkest."""
    ranked = sorted(v for v in values.values() if v)
    count = len(ranked)

    def step(value: float) -> int:
        index = ranked.index(value)  # the first of equal values: ties share a shade
        if count <= CLASSES:
            return CLASSES if count == 1 else 1 + round(index * (CLASSES - 1) / (count - 1))
        return 1 + index * CLASSES // count
    return {code: (step(value) if value else 0) for code, value in values.items() if value is not None}


def standings_label(standings) -> str:
    return METRICS.get(standings.metric, standings.metric).lower()


def _layout(codes: list[str]) -> dict[str, tuple[int, int, str]]:
    """The kept layout of the province the regions belong to; empty for several provinces or none."""
    provinces = {code.split(".")[0] for code in codes}
    return (tile_layout(provinces.pop()) or {}) if len(provinces) == 1 else {}


def _places(codes: list[str], layout: dict) -> tuple[dict[str, tuple[int, int]], int]:
    """Each code's (column, row), and the number of columns: the layout's, then the codes it lacks
    in a grid below it, in code order, about as wide as tall (never under MIN_COLUMNS)."""
    places = {code: layout[code][:2] for code in codes if code in layout}
    extra = [code for code in codes if code not in layout]
    columns = max([MIN_COLUMNS] + [column + 1 for column, _ in places.values()])
    if not places:
        columns = max(MIN_COLUMNS, math.ceil(math.sqrt(len(extra))))
    first_free = max((row for _, row in places.values()), default=-1) + 1
    for index, code in enumerate(extra):
        places[code] = (index % columns, first_free + index // columns)
    return places, columns


def _free_column(places: dict[str, tuple[int, int]], columns: int, rows: int) -> tuple[int, int] | None:
    """The top-left (column, row) of LEGEND_ROWS empty cells in one column, rightmost first."""
    taken = set(places.values())
    for column in reversed(range(columns)):
        for top in range(rows - LEGEND_ROWS + 1):
            if all((column, top + step) not in taken for step in range(LEGEND_ROWS)):
                return column, top
    return None


def _tile(row, place: tuple[int, int], layout: dict, value, step: int, metric: str, href: str, hidden: bool) -> str:
    column, line = place
    x, y = column * (TILE + GAP), line * (TILE_H + GAP)
    short = layout.get(row.region_code, (0, 0, row.region_name))[2]
    fill = "url(#tile-hatch)" if value is None else svg.SHADES[step]
    ink = "#fff" if value is not None and svg.SHADES[step] in svg.DARK_SHADES else svg.INK
    shown = svg.suppressed_text() if hidden else svg.compact(metric, value)
    spoken = f"disembunyikan, milik kurang dari {shown[2:]} orang" if hidden else svg.full(metric, value)
    name = f"{row.region_kind} {row.region_name}"
    place_text = f"peringkat {row.rank}" if row.rank is not None else "tidak diperingkat"
    title = f"{name}: {spoken}, {place_text}"
    # On the hatching, the words sit on a white plate so they stay readable.
    plate = (svg.el("rect", x=x + 5, y=y + 6, width=TILE - 10, height=TILE_H - 12, rx="3", fill="#fff",
                    fill_opacity="0.92") if value is None else "")
    content = (svg.el("title", str(escape(title)))
               + svg.el("rect", x=x, y=y, width=TILE, height=TILE_H, rx="4", fill=fill, stroke=svg.LINE) + plate
               + svg.text(x + TILE / 2, y + 19, short, font_size="12", fill=ink, text_anchor="middle",
                          font_weight="600")
               + svg.text(x + TILE / 2, y + 35, shown, font_size="12", fill=ink, text_anchor="middle")
               + svg.text(x + TILE / 2, y + 50, f"#{row.rank}" if row.rank is not None else "–", font_size="11",
                          fill=ink, text_anchor="middle"))
    return svg.el("a", content, href=href, aria_label=title, class_="tile")


def _legend(x: float, y: float, values: dict[str, float | None], steps: dict[str, int], metric: str) -> str:
    """One entry per shade in use (its range, lowest to highest value in it) and the hatching,
    one under the other, each on two short lines that never reach the next entry."""
    entries = [("0", "", svg.SHADES[0])] if 0 in steps.values() or not steps else []
    for step in range(1, CLASSES + 1):
        members = [values[code] for code, s in steps.items() if s == step]
        if members:
            low, high = svg.compact(metric, min(members)), svg.compact(metric, max(members))
            entries.append((f"{low} -", high, svg.SHADES[step]) if low != high else (low, "", svg.SHADES[step]))
    entries.append(("tidak ada", f"atau {svg.suppressed_text()}", "url(#tile-hatch)"))
    parts = [svg.text(x + 4, y + 14, "Keterangan", font_size="12", fill=svg.INK, font_weight="600")]
    for index, (first, second, fill) in enumerate(entries):
        top = y + 24 + index * LEGEND_STEP
        parts.append(svg.el("rect", x=x + 4, y=top, width="14", height="14", fill=fill, stroke=svg.LINE))
        parts.append(svg.text(x + 22, top + 11, first, font_size="11", fill=svg.INK))
        if second:
            parts.append(svg.text(x + 22, top + 26, second, font_size="11", fill=svg.INK))
    return "".join(parts)
