"""Pictures (campaign/domains/leaderboard/charts): pure SVG, a text alternative on each, readable in greyscale, no bar
for a suppressed value; and the pages that show them."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from campaign.domains.leaderboard.charts.bars import ranked_bars
from campaign.domains.leaderboard.charts.progress import progress_bar
from campaign.domains.leaderboard.charts.tilemap import tile_map
from campaign.domains.leaderboard.charts.weekly import weekly_chart
from campaign.domains.leaderboard.details import WeekPoint
from campaign.domains.leaderboard.queries import Figures, StandingRow, Standings
from campaign.domains.regions.areas import tile_layout
from campaign.domains.regions.queries import CampaignInfo
from campaign.util import svg


@pytest.fixture
def app_config():
    """The figures themselves; withheld ones are drawn in test_charts_privacy.py."""
    return {"MIN_PUBLIC_PARTICIPANTS": 1}

NS = {"s": "http://www.w3.org/2000/svg"}
LAYOUT = tile_layout("73")  # Sulawesi Selatan's, kept as data
CODES = sorted(LAYOUT)


def standings(values: dict[str, float | None], metric: str = "realized") -> Standings:
    rows = []
    ordered = sorted(values.items(), key=lambda kv: (kv[1] is None, -(kv[1] or 0), kv[0]))
    for rank, (code, value) in enumerate(ordered, start=1):
        fields = dict(realized=0, verified=0, pledged=0, participants=0, purchases=0, shops_supported=0,
                      asn_headcount=None, target_amount=None, participation_rate=None, pledge_realization=None,
                      spend_per_asn=None)
        fields[metric] = value
        rows.append(StandingRow(rank=rank, region_code=code, region_name=f"Nama {code}", region_kind="Kabupaten",
                                **fields))
    totals = Figures(realized=0, verified=0, pledged=0, participants=0, purchases=0, shops_supported=0,
                     asn_headcount=None, target_amount=None, participation_rate=None, pledge_realization=None,
                     spend_per_asn=None, target_progress=None)
    campaign = CampaignInfo(1, "Uji", "1/2/3", date(2020, 4, 30), date(2026, 11, 1), None)
    return Standings(campaign, metric, "asn_region", rows, totals)


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# --- leaderboard bars --------------------------------------------------------------------

def test_bars_are_scaled_to_the_largest_value_in_rank_order():
    bars = ranked_bars(standings({"73.73": 200_000, "73.71": 50_000, "73.01": 0}))
    assert [(b.rank, b.region_code, b.value_text, b.fraction) for b in bars] == [
        (1, "73.73", "Rp200.000", 1.0), (2, "73.71", "Rp50.000", 0.25), (3, "73.01", "Rp0", 0.0)]
    widths = [float(parse(b.svg).findall("s:rect", NS)[-1].get("width")) for b in bars[:2]]
    assert widths == [200.0, 50.0]


def test_undefined_value_draws_no_bar():
    bar = ranked_bars(standings({"73.73": 0.5, "73.71": None}, metric="participation_rate"))[1]
    assert (bar.value_text, bar.fraction) == ("-", None)
    assert "stroke-dasharray" in str(bar.svg) and 'fill="#0b6e4f"' not in str(bar.svg)


def test_suppressed_value_gets_a_hatched_marker_not_a_bar():
    bars = ranked_bars(standings({"73.73": 200_000, "73.71": 3}), suppressed={"73.71"})
    hidden = bars[1]
    assert (hidden.value_text, hidden.fraction, hidden.suppressed) == ("< 5", None, True)
    assert "url(#hatch-73.71)" in str(hidden.svg) and 'fill="#0b6e4f"' not in str(hidden.svg)
    # the hidden value does not set the scale either
    assert ranked_bars(standings({"73.73": 10, "73.71": 1_000}), suppressed={"73.71"})[1].fraction == 1.0


# --- tile map ------------------------------------------------------------------------------

def test_tile_map_has_one_linked_tile_per_region():
    values = {code: n * 1000 for n, code in enumerate(CODES)}
    root = parse(tile_map(standings(values), url_for_region=lambda code: f"/wilayah/{code}"))
    links = [a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")]
    assert sorted(links) == [f"/wilayah/{code}" for code in CODES]
    assert root.get("role") == "group" and root.get("aria-label").startswith("Peta petak 24 kabupaten/kota")
    assert all(a.get("aria-label") for a in root.iter("{http://www.w3.org/2000/svg}a"))


def test_tiles_sit_roughly_as_on_the_map():
    north_to_south = ["73.24", "73.73", "73.71", "73.01"]  # Luwu Timur, Palopo, Makassar, Selayar
    rows = [LAYOUT[code][1] for code in north_to_south]
    assert rows == sorted(rows) and len(set(rows)) == 4
    assert LAYOUT["73.71"][0] < LAYOUT["73.08"][0]  # Makassar west of Bone
    assert len({place[:2] for place in LAYOUT.values()}) == 24


def test_tile_shades_are_told_apart_by_lightness_alone():
    lightness = [luminance(colour) for colour in svg.SHADES]
    assert lightness == sorted(lightness, reverse=True)
    assert all(a / b > 1.4 for a, b in zip(lightness, lightness[1:]))
    for colour in svg.SHADES:
        ink = "#ffffff" if colour in svg.DARK_SHADES else svg.INK
        assert contrast(colour, ink) >= 4.5, colour


def test_tile_colour_follows_the_metric():
    root = parse(tile_map(standings({"73.73": 100, "73.71": 24, "73.01": 0, "73.02": None}),
                          url_for_region=str))
    fills = {a.get("href"): a.find("s:rect", NS).get("fill") for a in root.iter("{http://www.w3.org/2000/svg}a")}
    assert fills == {"73.73": svg.SHADES[4], "73.71": svg.SHADES[1], "73.01": svg.SHADES[0],
                     "73.02": "url(#tile-hatch)"}


def test_tile_map_never_shows_a_suppressed_value():
    markup = str(tile_map(standings({"73.73": 100, "73.71": 3}), url_for_region=str, suppressed={"73.71"}))
    tile = markup.split('href="73.71"', 1)[1].split("</a>", 1)[0]
    assert "&lt; 5" in tile and ">3<" not in tile and "url(#tile-hatch)" in tile


def test_regions_of_another_province_get_extra_rows():
    root = parse(tile_map(standings({"73.73": 1, "99.01": 2, "99.02": 3}), url_for_region=str))
    assert len(list(root.iter("{http://www.w3.org/2000/svg}a"))) == 3


def tile_places(root: ET.Element) -> dict[str, tuple[int, int]]:
    return {a.get("href"): (int(float(a.find("s:rect", NS).get("x"))), int(float(a.find("s:rect", NS).get("y"))))
            for a in root.iter("{http://www.w3.org/2000/svg}a")}


def test_the_kept_layout_places_the_tiles_and_leaves_the_legend_a_column():
    root = parse(tile_map(standings({code: 1 for code in CODES}), url_for_region=str))
    step, step_y = 84 + 4, 58 + 4
    assert tile_places(root)["73.71"] == (LAYOUT["73.71"][0] * step, LAYOUT["73.71"][1] * step_y)
    assert root.get("viewBox").split()[2:] == [str(4 * step), str(9 * step_y)]  # legend beside, not below


def test_a_province_without_a_layout_gets_a_grid_in_code_order():
    yogyakarta = ["34.01", "34.02", "34.03", "34.04", "34.71"]  # no tilemaps/34.csv
    assert tile_layout("34") is None
    root = parse(tile_map(standings({code: 1 for code in yogyakarta}), url_for_region=str))
    step, step_y = 84 + 4, 58 + 4
    assert tile_places(root) == {"34.01": (0, 0), "34.02": (step, 0), "34.03": (2 * step, 0),
                                 "34.04": (3 * step, 0), "34.71": (0, step_y)}
    names = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Nama 34.71" in names and "Keterangan" in names


def _fills(root) -> dict[str, str]:
    return {a.get("href"): a.find("s:rect", NS).get("fill") for a in root.iter("{http://www.w3.org/2000/svg}a")}


def test_each_shade_holds_about_as_many_regions():
    """One region far ahead no longer pushes the others into the palest shade (issue 18, row 6)."""
    values = {code: 10_000 * (n + 1) for n, code in enumerate(CODES[:20])}
    values[CODES[20]] = 1_000_000_000
    values.update({CODES[21]: 0, CODES[22]: 0, CODES[23]: None})
    fills = _fills(parse(tile_map(standings(values), url_for_region=str)))
    counts = [list(fills.values()).count(shade) for shade in svg.SHADES[1:]]
    assert sorted(counts) == [5, 5, 5, 6]
    assert fills[CODES[20]] == svg.SHADES[4] and fills[CODES[0]] == svg.SHADES[1]
    assert list(fills.values()).count(svg.SHADES[0]) == 2


def test_equal_values_share_a_shade():
    values = dict.fromkeys(CODES[:8], 50_000) | {CODES[8]: 10_000, CODES[9]: 90_000}
    fills = _fills(parse(tile_map(standings(values), url_for_region=str)))
    assert len({fills[code] for code in CODES[:8]}) == 1


def test_legend_gives_each_shade_its_range_without_overlap():
    values = {code: 10_000 * (n + 1) for n, code in enumerate(CODES[:20])} | {CODES[20]: 0}
    root = parse(tile_map(standings(values), url_for_region=str))
    legend = [t for t in root.findall("s:text", NS)]  # tile texts sit inside the links
    words = [t.text for t in legend]
    assert words[:4] == ["Keterangan", "0", "Rp10 rb -", "Rp50 rb"]
    assert "Rp160 rb -" in words and "Rp200 rb" in words and "tidak ada" in words
    ys = sorted(float(t.get("y")) for t in legend)
    assert all(b - a >= 13 for a, b in zip(ys, ys[1:]))  # 11 px text: no line touches the next


def test_tile_map_fits_one_phone_screen():
    """At 360 px the page leaves 336 px for the map: it must stay under a 740 px screen."""
    root = parse(tile_map(standings(dict.fromkeys(CODES, 1)), url_for_region=str))
    _x, _y, width, height = (float(n) for n in root.get("viewBox").split())
    assert height * 336 / width <= 600


def test_words_on_hatched_tiles_sit_on_a_plate():
    root = parse(tile_map(standings({"73.73": 100, "73.71": None}), url_for_region=str))
    tiles = {a.get("href"): a.findall("s:rect", NS) for a in root.iter("{http://www.w3.org/2000/svg}a")}
    assert tiles["73.71"][0].get("fill") == "url(#tile-hatch)" and tiles["73.71"][1].get("fill") == "#fff"
    assert len(tiles["73.73"]) == 1


# --- weekly series and progress --------------------------------------------------------------

def weeks(*amounts: int) -> list[WeekPoint]:
    start = date(2026, 11, 2)
    return [WeekPoint(start + timedelta(weeks=n), amount, amount // 2, 1) for n, amount in enumerate(amounts)]


def test_weekly_chart_text_alternative_names_period_best_and_latest_week():
    root = parse(weekly_chart(weeks(100_000, 300_000, 50_000), caption="Belanja per minggu"))
    label = root.get("aria-label")
    assert root.get("role") == "img" and root.find("s:title", NS).text == label
    assert "3 minggu, 2 November 2026 sampai 16 November 2026" in label
    assert "Minggu terakhir Rp50.000" in label and "Tertinggi Rp300.000 pada minggu 9 November 2026" in label


def test_weekly_columns_show_realized_with_the_verified_part_darker():
    root = parse(weekly_chart(weeks(100_000, 200_000), caption="x"))
    rects = [(r.get("fill"), float(r.get("height"))) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    light = [h for fill, h in rects if fill == svg.BAR_LIGHT]
    dark = [h for fill, h in rects if fill == svg.BAR]
    assert light[1] == pytest.approx(2 * light[0]) and dark == pytest.approx([h / 2 for h in light])


def test_suppressed_weekly_series_draws_no_column():
    markup = str(weekly_chart(weeks(100_000), caption="x", suppressed=True))
    assert svg.BAR not in markup and "kurang dari 5 orang" in markup


@pytest.mark.parametrize("value, goal, expected", [
    (250_000, 1_000_000, "Rp250.000 dari janji belanja Rp1.000.000 (25,0%)"),
    (1_500_000, 1_000_000, "Rp1.500.000 dari janji belanja Rp1.000.000 (150,0%)"),
    (10, None, "janji belanja belum ditetapkan"),
])
def test_progress_bar_says_what_it_shows(value, goal, expected):
    root = parse(progress_bar(value, goal, label="Capaian janji", goal_label="Janji belanja"))
    assert expected in root.get("aria-label")


def test_progress_past_the_goal_keeps_the_goal_tick_inside():
    root = parse(progress_bar(2_000_000, 1_000_000, label="x", goal_label="Target"))
    assert float(root.find("s:line", NS).get("x1")) == pytest.approx(159.0)  # half of the 318 px bar


@pytest.mark.parametrize("key, value, shown", [
    ("realized", 1_300_000_000, "Rp1,3 M"), ("realized", 450_000_000, "Rp450 jt"), ("realized", 75_000, "Rp75 rb"),
    ("realized", 500, "Rp500"), ("participation_rate", 0.125, "12,5%"), ("participants", 1204, "1.204"),
    ("spend_per_asn", 2_000_000, "Rp2 jt"),
])
def test_compact_values_fit_a_tile(key, value, shown):
    assert svg.compact(key, value) == shown


# --- the pages ------------------------------------------------------------------------------

def test_leaderboard_lists_rank_region_metric_and_bar(client, scenario):
    page = client.get("/peringkat").get_data(as_text=True)
    rows = re.findall(r'<span class="rank">(\d+)</span>\s*<a class="name" href="[^"]+">([^<]+)</a>\s*'
                      r'<span class="amount">([^<]+)</span>\s*<svg', page)
    assert rows[:2] == [("1", "Kota Makassar", "Rp200.000"), ("2", "Kota Palopo", "Rp170.000")]
    assert len(rows) == 24 and '<svg xmlns="http://www.w3.org/2000/svg" viewBox' in page
    assert 'class="chart tile-map"' in page and '<details class="full-table" id="tabel">' in page


def test_region_page_draws_the_weekly_series_and_target_progress(client, scenario):
    page = client.get("/wilayah/73.73").get_data(as_text=True)
    assert page.count('class="chart weekly-chart"') == 2
    assert 'class="chart progress-chart"' in page


def test_own_progress_against_the_pledge_is_a_labelled_picture(app, make_asn, make_shop, make_purchase, login_as):
    from campaign.core.extensions import db
    from campaign.domains.auth.models import User
    from campaign.domains.purchases.pledges import make_pledge

    asn = make_asn()
    with app.app_context():
        make_pledge(asn=db.session.get(User, asn.id), amount=400_000)
    make_purchase(buyer=asn, shop_id=make_shop(), amount=100_000)
    page = login_as(asn).get("/saya").get_data(as_text=True)
    assert 'aria-label="Capaian janji belanja: Rp100.000 dari janji belanja Rp400.000 (25,0%)."' in page


# --- values withheld by the small-number rule (rows and weeks carry a ``suppressed`` mark) ------

def withheld_rows(values: dict[str, int | None], hidden: set[str]):
    """Standings whose rows carry ``suppressed`` field names, as campaign.domains.leaderboard.privacy hands them over."""
    from types import SimpleNamespace

    base = standings({code: value for code, value in values.items()})
    rows = [SimpleNamespace(**{**row.__dict__, "realized": None if row.region_code in hidden else row.realized,
                               "suppressed": frozenset({"realized"}) if row.region_code in hidden else frozenset()})
            for row in base.rows]
    return SimpleNamespace(metric="realized", rows=rows)


def test_a_row_marked_suppressed_gets_no_bar_and_no_tile_value():
    data = withheld_rows({"73.73": 200_000, "73.71": 1_000_000}, hidden={"73.71"})
    bars = {b.region_code: b for b in ranked_bars(data)}
    assert (bars["73.71"].value_text, bars["73.71"].fraction) == ("< 5", None)
    assert bars["73.73"].fraction == 1.0  # the hidden value does not set the scale
    tile = str(tile_map(data, url_for_region=str)).split('href="73.71"', 1)[1].split("</a>", 1)[0]
    assert "&lt; 5" in tile and "url(#tile-hatch)" in tile


def test_a_withheld_week_is_a_hatched_stub_not_a_column():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Point:  # WeekPoint with campaign.domains.leaderboard.privacy's mark
        week_start: date
        realized: int | None
        verified: int | None
        purchases: int | None
        suppressed: bool = False

    points = [Point(date(2026, 11, 2), 300_000, 100_000, 9), Point(date(2026, 11, 9), None, None, None, True)]
    root = parse(weekly_chart(points, caption="Belanja per minggu"))
    heights = [float(r.get("height")) for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("fill") == svg.BAR_LIGHT]
    stubs = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if "hatch" in (r.get("fill") or "")]
    assert len(heights) == 1 and len(stubs) == 1 and stubs[0].get("height") == "10"
    assert "Minggu terakhir disembunyikan" in root.get("aria-label") and "1 minggu disembunyikan" in root.get("aria-label")


def test_withheld_progress_draws_no_bar():
    markup = str(progress_bar(None, 1_000_000, label="Capaian target", goal_label="Target"))
    assert svg.BAR not in markup and "disembunyikan" in markup


def test_share_text_never_writes_a_withheld_value(app):
    from campaign.domains.sharing.whatsapp import standings_text

    app.config["MIN_PUBLIC_PARTICIPANTS"] = 5  # the default, which the marker names
    with app.app_context():  # the text says when, in the served province's zone
        text = standings_text(withheld_rows({"73.71": 3, "73.73": 1}, hidden={"73.71"}), metric_label="Belanja")
    assert "Kota Nama 73.71" not in text and "Kabupaten Nama 73.71 < 5" in text and "Rp3" not in text
