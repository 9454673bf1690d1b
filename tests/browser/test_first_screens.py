"""The campaign on a phone's first screen (issue 18, rows 5, 6 and 11), at 360x740, with and without
JavaScript: the home page's live headline and tile map, the first ranks of /peringkat above the
fold, a tile map that tells regions apart within one screen, and a weekly chart whose visible legend
explains the hatching. ``README_SCREENSHOTS=1`` refreshes docs/screenshots/beranda.png (the home
page's first screen) and peta-petak.png (the tile map)."""
from __future__ import annotations

import re

import pytest

from campaign.util.formatting import rupiah

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREEN = 740  # px: the phone's viewport height


@pytest.fixture
def province(make_asn, make_shop, make_purchase):
    """Civil servants buying in eight regions, each with enough people to be shown, one far ahead
    of the others; two people in Kota Parepare, whose figures stay withheld."""
    for region, people, amount in [("73.71", 6, 900_000), ("73.73", 5, 80_000), ("73.08", 5, 60_000),
                                   ("73.06", 5, 50_000), ("73.02", 5, 40_000), ("73.13", 5, 30_000),
                                   ("73.15", 5, 20_000), ("73.17", 5, 10_000), ("73.72", 2, 25_000)]:
        shop = make_shop(region=region, name=f"Warung Tetangga {region}")
        for _ in range(people):
            make_purchase(buyer=make_asn(region=region), shop_id=shop, amount=amount)


def _bottom(tab, selector: str) -> float:
    box = tab.page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box["y"] + box["height"]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_home_page_shows_the_campaign_on_the_first_screen(open_tab, province, javascript):
    tab = open_tab(viewport="phone", javascript=javascript)
    tab.goto("/", name="beranda")
    headline = tab.page.locator("section.headline")
    figures = headline.locator(".stat").all_inner_texts()
    # the same public total as the leaderboard's (the withheld part in steps: docs/rules.md)
    totals = tab.page.request.get(tab.base + "/api/v1/leaderboard").json()["totals"]
    def shown(field: str) -> str:
        return ("≈ " if field in totals.get("rounded_fields", []) else "") + rupiah(totals[field])

    assert shown("realized").startswith("≈ ") and totals["realized"] < 6_900_000  # Parepare's part is not added as is
    assert [" ".join(f.split()) for f in figures] == [
        f"Belanja terealisasi {shown('realized')}", f"Terverifikasi toko {shown('verified')}", "ASN berpartisipasi 43", "Toko didukung 9"]
    assert _bottom(tab, "section.headline .stats") <= SCREEN
    assert "Angka diperbarui terakhir" in headline.inner_text()
    tile_map = headline.locator("svg.tile-map")
    assert tile_map.locator("a.tile").count() == 24
    if javascript:
        tab.screenshot("beranda-layar-pertama", readme="beranda")
        tab.screenshot("peta-petak", readme="peta-petak", element="section.headline figure.map")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_first_ranks_are_on_the_first_screen_of_the_leaderboard(open_tab, province, javascript):
    tab = open_tab(viewport="phone", javascript=javascript)
    tab.goto("/peringkat", name="peringkat")
    fold = tab.page.locator("details.filters-fold")
    assert fold.get_attribute("open") is None and fold.locator("summary").bounding_box()["height"] <= 80
    assert _bottom(tab, "#peringkat-batang li:nth-child(3)") <= SCREEN
    assert "Kota Makassar" in tab.page.locator("#peringkat-batang li").first.inner_text()
    fold.locator("summary").click()  # the filters are one tap away, and still work without a script
    tab.fill("Urutkan menurut", "participants")
    tab.press("Tampilkan")
    assert "metric=participants" in tab.page.url
    assert "Diurutkan menurut" in tab.page.locator("details.filters-fold summary").inner_text()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_tile_map_tells_regions_apart_within_one_screen(open_tab, province, javascript):
    tab = open_tab(viewport="phone", javascript=javascript)
    tab.goto("/peringkat")
    tile_map = tab.page.locator("svg.tile-map")
    assert tile_map.bounding_box()["height"] <= SCREEN
    fills = tile_map.evaluate("m => [...m.querySelectorAll('a.tile')].map(a => a.querySelector('rect')"
                              ".getAttribute('fill'))")
    shaded = [f for f in fills if f.startswith("#") and f != "#e8f4ee"]
    # seven shown (Parepare withheld, and one five-person region with it so that the two cannot be told
    # apart from the total), spread over the four shades: never most of them in one
    assert len(shaded) == 7 and sorted(shaded.count(f) for f in set(shaded)) == [1, 2, 2, 2]
    boxes = tile_map.evaluate("m => [...m.children].filter(e => e.tagName === 'text').map(e => {"
                              "const r = e.getBoundingClientRect(); return [r.top, r.bottom, e.textContent]; })")
    boxes.sort()
    overlaps = [(a[2], b[2]) for a, b in zip(boxes, boxes[1:]) if b[0] < a[1] - 0.5]
    assert overlaps == [], overlaps  # the legend's lines never overlap
    parepare = tile_map.locator("a.tile[href^='/wilayah/73.72']")
    assert parepare.locator("rect").nth(1).get_attribute("fill") == "#fff"  # words on a plate, not on hatching
    assert "< 5" in parepare.text_content()


def test_weekly_chart_legend_explains_the_hatching(open_tab, province):
    tab = open_tab(viewport="phone", javascript=False)
    tab.goto("/wilayah/73.72", name="wilayah-parepare")
    caption = tab.page.locator("figure.weekly figcaption").first
    text = " ".join(caption.inner_text().split())
    assert caption.is_visible() and re.search(r"bergaris: disembunyikan, belanja (minggu|bulan) itu milik kurang dari 5 orang", text)
    assert caption.locator(".swatch-hatch").is_visible()
