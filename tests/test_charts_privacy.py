"""With the small-number rule on (the default of 5), public pictures and share texts reveal no
withheld value: hatched markers instead of bars, tiles and weeks."""
from __future__ import annotations

import re
from urllib.parse import unquote

from helpers import province_today


def test_public_leaderboard_draws_no_bar_for_a_withheld_region(client, scenario):
    page = client.get("/peringkat").get_data(as_text=True)
    rows = re.findall(r'<span class="rank">(\d+|–)</span>\s*<a class="name" href="[^"]+">([^<]+)</a>\s*'
                      r'<span class="amount">([^<]+)</span>\s*(<svg.*?</svg>)', page, re.S)
    makassar = next(row for row in rows if row[1] == "Kota Makassar")
    assert makassar[2] == "&lt; 5" and "url(#hatch-73.71)" in makassar[3] and 'fill="#0b6e4f"' not in makassar[3]
    assert makassar[0] == "–" and rows[-1][0] == "–"  # withheld: not ranked, listed last
    assert "Rp200.000" not in page and "Rp170.000" not in page
    tile = re.search(r'<a href="/wilayah/73\.71\?[^"]*" aria-label="[^"]*" class="tile">.*?</a>', page, re.S).group(0)
    assert "&lt; 5" in tile and "Rp200" not in tile
    shared = unquote(re.search(r'href="https://wa\.me/\?text=([^"]+)"', page).group(1))
    assert "Rp200.000" not in shared and "Kota Makassar" not in shared  # withheld: in no top list


def test_public_region_page_draws_no_withheld_week(client, scenario):
    page = client.get("/wilayah/73.73").get_data(as_text=True)
    assert "Rp170.000" not in page
    assert page.count("disembunyikan") >= 2  # the weekly pictures say so in their text alternative
    shared = unquote(re.search(r'href="https://wa\.me/\?text=([^"]+)"', page).group(1))
    assert shared.startswith("Kota Palopo belum diperingkat ") and "Rp" not in shared  # withheld: no rank either


def test_the_regions_coordinator_sees_the_real_bars(app, scenario, login_as):
    page = login_as(scenario["people"]["coord_palopo"]).get("/wilayah/73.73").get_data(as_text=True)
    assert "Rp170.000" in page and "Tertinggi Rp170.000" in page


def test_weekly_legend_says_what_the_hatching_means(client, scenario):
    """The visible legend, not only the text alternative, explains hatched weeks (issue 18, row 11)."""
    page = client.get("/wilayah/73.73").get_data(as_text=True)
    captions = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", page, re.S)
    weekly = [" ".join(c.split()) for c in captions if "per minggu" in c or "per bulan" in c]
    assert weekly and all('class="swatch swatch-hatch"' in c and "bergaris:</span> disembunyikan" in c
                          and "kurang dari 5 orang" in c for c in weekly)


def _five_people_in_last_months_weeks(app, make_asn, make_shop, make_purchase) -> str:
    """Five Palopo ASN, one purchase of Rp100.000 each, spread over the weeks that start last month
    (the campaign moved back to start before them); returns that month as the page writes it."""
    from datetime import timedelta

    from sqlalchemy import update

    from campaign.core.extensions import db
    from campaign.domains.regions.models import Campaign
    from campaign.util.formatting import bulan

    first = (province_today().replace(day=1) - timedelta(days=1)).replace(day=1)
    mondays = [first + timedelta(days=n) for n in range(31)
               if (first + timedelta(days=n)).month == first.month and (first + timedelta(days=n)).weekday() == 0]
    with app.app_context():
        db.session.execute(update(Campaign).values(starts_on=first - timedelta(days=40)))
        db.session.commit()
    shop = make_shop(region="73.73")
    for n in range(5):
        make_purchase(buyer=make_asn(region="73.73"), shop_id=shop, amount=100_000, purchased_on=mondays[n % len(mondays)])
    return bulan(first)


def test_a_mostly_withheld_weekly_series_is_shown_by_month(app, client, make_asn, make_shop, make_purchase):
    """Five people over the weeks of one month: every week is withheld (fewer than five each), the
    month (five people) is not, so the public page switches to months (issue 18, row 11)."""
    from datetime import date

    from campaign.domains.leaderboard.details import WeekPoint
    from campaign.domains.leaderboard.months import mostly_withheld

    month = _five_people_in_last_months_weeks(app, make_asn, make_shop, make_purchase)
    page = " ".join(client.get("/wilayah/73.73").get_data(as_text=True).split())
    assert "Belanja terealisasi per bulan (wilayah ASN)" in page and "per minggu" not in page
    assert "Ditampilkan per bulan karena sebagian besar minggunya milik kurang dari 5 orang" in page
    assert f'<td>{month}</td><td class="num">Rp500.000</td>' in page
    assert "Rp100.000" not in page and "Rp200.000" not in page  # no single week's figure
    assert mostly_withheld([WeekPoint(date(2026, 11, 2), None, None, None, suppressed=True),
                            WeekPoint(date(2026, 11, 9), 0, 0, 0)])
    assert not mostly_withheld([WeekPoint(date(2026, 11, 2), None, None, None, suppressed=True),
                                WeekPoint(date(2026, 11, 9), 5, 0, 1)])


def test_the_regions_coordinator_keeps_the_weeks(app, make_asn, make_shop, make_purchase, login_as, make_staff):
    _five_people_in_last_months_weeks(app, make_asn, make_shop, make_purchase)
    page = login_as(make_staff(region="73.73")).get("/wilayah/73.73").get_data(as_text=True)
    assert "Belanja terealisasi per minggu (wilayah ASN)" in page and "Rp100.000" in page  # its real weeks


def test_a_month_is_withheld_where_it_would_give_away_its_small_weeks(app, client, make_asn, make_shop,
                                                                       make_purchase):
    """The weeks stay public in the API: a month minus its shown weeks must not reveal the
    withheld weeks of that month when they hold fewer than five people together."""
    from datetime import timedelta

    from sqlalchemy import update

    from campaign.core.extensions import db
    from campaign.domains.regions.models import Campaign
    from campaign.util.formatting import bulan

    last = (province_today().replace(day=1) - timedelta(days=1)).replace(day=1)
    before = (last - timedelta(days=1)).replace(day=1)

    def mondays(first):
        return [first + timedelta(days=n) for n in range(31)
                if (first + timedelta(days=n)).month == first.month and (first + timedelta(days=n)).weekday() == 0]
    with app.app_context():
        db.session.execute(update(Campaign).values(starts_on=before))
        db.session.commit()
    shop = make_shop(region="73.73")

    def buy(people, amount, day):
        for _ in range(people):
            make_purchase(buyer=make_asn(region="73.73"), shop_id=shop, amount=amount, purchased_on=day)
    early, late = mondays(before), mondays(last)
    buy(6, 100_000, early[0])  # shown in the weekly series
    buy(2, 35_000, early[1])  # withheld: 2 people
    buy(5, 20_000, late[0])  # withheld as the complement (the smallest shown week)
    buy(7, 10_000, late[1])
    buy(1, 15_000, late[2])
    buy(1, 15_000, late[3])
    page = " ".join(client.get("/wilayah/73.73").get_data(as_text=True).split())
    assert "per bulan (wilayah ASN)" in page
    assert "Rp670.000" not in page  # Rp600.000 (a public week) + the two people's Rp70.000
    assert f'<td>{bulan(before)}</td><td class="num" colspan="3">&lt; 5 peserta</td>' in page
    assert f'<td>{bulan(last)}</td><td class="num">Rp200.000</td>' in page  # its withheld weeks hold 7 people
