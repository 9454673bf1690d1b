"""With the small-number rule on (the default of 5), public pictures and share texts reveal no
withheld value: hatched markers instead of bars, tiles and weeks."""
from __future__ import annotations

import re
from urllib.parse import unquote

from test_leaderboard_standings import scenario  # noqa: F401 (fixture)


def test_public_leaderboard_draws_no_bar_for_a_withheld_region(client, scenario):
    page = client.get("/peringkat").get_data(as_text=True)
    rows = re.findall(r'<span class="rank">(\d+)</span>\s*<a class="name" href="[^"]+">([^<]+)</a>\s*'
                      r'<span class="amount">([^<]+)</span>\s*(<svg.*?</svg>)', page, re.S)
    makassar = next(row for row in rows if row[1] == "Kota Makassar")
    assert makassar[2] == "&lt; 5" and "url(#hatch-73.71)" in makassar[3] and 'fill="#0b6e4f"' not in makassar[3]
    assert "Rp200.000" not in page and "Rp170.000" not in page
    tile = re.search(r'<a href="/wilayah/73\.71\?[^"]*" aria-label="[^"]*" class="tile">.*?</a>', page, re.S).group(0)
    assert "&lt; 5" in tile and "Rp200" not in tile
    shared = unquote(re.search(r'href="https://wa\.me/\?text=([^"]+)"', page).group(1))
    assert "Rp200.000" not in shared and "< 5" in shared


def test_public_region_page_draws_no_withheld_week(client, scenario):
    page = client.get("/wilayah/73.73").get_data(as_text=True)
    assert "Rp170.000" not in page
    assert page.count("disembunyikan") >= 2  # the weekly pictures say so in their text alternative
    shared = unquote(re.search(r'href="https://wa\.me/\?text=([^"]+)"', page).group(1))
    assert shared.startswith("Kota Palopo peringkat ") and "Rp" not in shared


def test_the_regions_coordinator_sees_the_real_bars(app, scenario, login_as):
    page = login_as(scenario["people"]["coord_palopo"]).get("/wilayah/73.73").get_data(as_text=True)
    assert "Rp170.000" in page and "Tertinggi Rp170.000" in page


def test_weekly_legend_says_what_the_hatching_means(client, scenario):
    """The visible legend, not only the text alternative, explains hatched weeks (issue 18, row 11)."""
    page = client.get("/wilayah/73.73").get_data(as_text=True)
    captions = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", page, re.S)
    weekly = [" ".join(c.split()) for c in captions if "per minggu" in c]
    assert weekly and all('class="swatch swatch-hatch"' in c and "bergaris:</span> disembunyikan" in c
                          and "kurang dari 5 orang" in c for c in weekly)
