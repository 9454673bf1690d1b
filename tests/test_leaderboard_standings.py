"""Papan Peringkat through the real view: every region, exact numbers, both perspectives, each
metric with the region-code tie-break, bad query values, and a bounded number of SQL statements."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import BONE, MAKASSAR, PALOPO, PAREPARE, province_today, standings_rows, table_rows, user
from sqlalchemy import event

from campaign.core.extensions import db


@pytest.fixture
def app_config():
    """These tests check the figures themselves; withholding small numbers is tested in test_privacy.py."""
    return {"MIN_PUBLIC_PARTICIPANTS": 1}


# --- tests (the scenario fixture is in scenarios.py) -----------------------------------------

def test_empty_campaign_lists_all_24_regions_with_zeros_in_code_order(client):
    rows = standings_rows(client)
    body, total = rows[:-1], rows[-1]
    assert len(body) == 24
    assert [row[0] for row in body] == [str(n) for n in range(1, 25)]
    assert body[0][1] == "Kabupaten Kepulauan Selayar" and body[-1][1] == "Kota Palopo"
    # rank, region, metric (realized), then verified ... shops, headcount
    assert body[0][2:] == ["Rp0", "Rp0 (belum dicek dengan daftar ASN)", "0", "-", "-", "-", "0", "-"]
    assert total[1] == "Provinsi Sulawesi Selatan" and total[2] == "Rp0"


def test_realized_by_asn_region_exact_numbers(client, scenario, tallies_agree):
    rows = standings_rows(client, metric="realized", perspective="asn_region")
    top = {row[1]: row for row in rows[:4]}
    assert [row[1] for row in rows[:5]] == ["Kota Makassar", "Kota Palopo", "Kabupaten Bone", "Kota Parepare",
                                            "Kabupaten Kepulauan Selayar"]
    # columns: #, region, realized, verified, participants, participation, pledge realization,
    # spend per ASN, shops supported, headcount
    assert top["Kota Palopo"] == ["2", "Kota Palopo", "Rp170.000", "Rp100.000", "2", "20,0%", "56,7%",
                                  "Rp17.000", "2", "10"]
    assert top["Kota Makassar"] == ["1", "Kota Makassar", "Rp200.000", "Rp200.000", "1", "1,0%", "50,0%",
                                    "Rp2.000", "1", "100"]
    assert top["Kabupaten Bone"] == ["3", "Kabupaten Bone", "Rp150.000", "Rp0", "1", "-", "-", "-", "1", "-"]
    assert top["Kota Parepare"][2:] == ["Rp150.000", "Rp0", "1", "20,0%", "150,0%", "Rp30.000", "1", "5"]
    assert rows[-1] == ["", "Provinsi Sulawesi Selatan", "Rp670.000", "Rp300.000", "5", "4,3%", "83,8%",
                        "Rp5.826", "3", "115"]
    tallies_agree()


@pytest.mark.parametrize("metric, expected", [
    ("realized", [MAKASSAR, PALOPO, BONE, PAREPARE]),
    ("verified", [MAKASSAR, PALOPO, "73.01", "73.02"]),
    ("participants", [PALOPO, BONE, MAKASSAR, PAREPARE]),  # 2, then 1-1-1 by code
    ("participation_rate", [PAREPARE, PALOPO, MAKASSAR, "73.01"]),  # 20% tie: 73.72 before 73.73
    ("pledge_realization", [PAREPARE, PALOPO, MAKASSAR, "73.01"]),
    ("spend_per_asn", [PAREPARE, PALOPO, MAKASSAR, "73.01"]),
    ("shops_supported", [PALOPO, BONE, MAKASSAR, PAREPARE]),
])
def test_each_metric_ranks_with_region_code_tie_break(app, client, scenario, metric, expected, tallies_agree):
    from campaign.domains.leaderboard.queries import get_standings

    with app.app_context():
        standings = get_standings(campaign_id=None, metric=metric, perspective="asn_region")
    codes = [row.region_code for row in standings.rows]
    assert codes[:4] == expected
    assert len(codes) == 24 and [row.rank for row in standings.rows] == list(range(1, 25))
    # everything after the regions with data stays in code order (zeros and None alike)
    rest = [code for code in codes if code not in expected]
    assert rest == sorted(rest)
    names = {row.region_code: f"{row.region_kind} {row.region_name}" for row in standings.rows}
    assert [row[1] for row in standings_rows(client, metric=metric)[:4]] == [names[code] for code in expected]
    tallies_agree()


def test_shop_region_perspective_counts_where_the_money_went(client, scenario):
    rows = standings_rows(client, metric="realized", perspective="shop_region")
    # no pledge realization column in this perspective
    assert [row[:4] for row in rows[:3]] == [
        ["1", "Kota Parepare", "Rp300.000", "Rp0"],
        ["2", "Kota Makassar", "Rp250.000", "Rp200.000"],  # includes the Palopo ASN's Rp50.000
        ["3", "Kota Palopo", "Rp120.000", "Rp100.000"],  # the disputed Rp30.000 excluded
    ]
    makassar = rows[1]
    assert makassar[4:] == ["2", "2,0%", "Rp2.500", "1", "100"]  # buyers, rate on Makassar's headcount
    assert rows[-1][2:4] == ["Rp670.000", "Rp300.000"]


def test_shop_region_has_no_pledges(app, scenario):
    from campaign.domains.leaderboard.queries import get_standings

    with app.app_context():
        standings = get_standings(campaign_id=None, metric="pledge_realization", perspective="shop_region")
    assert all(row.pledged is None and row.pledge_realization is None for row in standings.rows)
    assert [row.region_code for row in standings.rows] == sorted(row.region_code for row in standings.rows)
    assert standings.totals.pledged is None


def test_metric_column_is_highlighted_and_labelled(client):
    page = client.get("/peringkat?metric=spend_per_asn&perspective=shop_region").get_data(as_text=True)
    assert '<th class="num metric">Belanja per ASN</th>' in page
    assert "Diurutkan menurut <strong>belanja per ASN</strong>, menurut wilayah toko <span" in page  # the folded filters
    assert '<option selected value="spend_per_asn">' in page


@pytest.mark.parametrize("query", [
    {"metric": "uang"}, {"perspective": "planet"}, {"campaign": "abc"}, {"campaign": "99999"},
    {"metric": "realized", "perspective": "shop_region", "campaign": "-1"},
])
def test_bad_query_values_fall_back_to_defaults_with_a_message(client, query):
    response = client.get("/peringkat", query_string=query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Pilihan peringkat tidak dikenal" in page
    assert "<strong>belanja terealisasi</strong>, menurut wilayah ASN <span" in page
    assert len(table_rows(page, "peringkat")) == 25


def test_unknown_metric_or_campaign_in_the_query_function(app):
    from campaign.core.errors import NotFound, ValidationFailed
    from campaign.domains.leaderboard.queries import get_standings

    with app.app_context():
        with pytest.raises(ValidationFailed) as bad_metric:
            get_standings(campaign_id=None, metric="uang", perspective="asn_region")
        with pytest.raises(ValidationFailed) as bad_perspective:
            get_standings(campaign_id=None, metric="realized", perspective="planet")
        with pytest.raises(NotFound):
            get_standings(campaign_id=99999, metric="realized", perspective="asn_region")
    assert "metric" in bad_metric.value.fields and "perspective" in bad_perspective.value.fields


def test_choosing_another_campaign(app, client, make_asn, make_shop, make_campaign):
    from campaign.domains.purchases.services import log_purchase

    asn, shop = make_asn(region=PAREPARE), make_shop(region=PAREPARE)
    old_id = make_campaign(name="Belanja Lebaran 2020", appeal_letter_number="1/2020",
                           appeal_letter_date=date(2020, 5, 1), starts_on=province_today() - timedelta(days=30),
                           ends_on=province_today() - timedelta(days=1))
    with app.app_context():
        log_purchase(buyer=user(asn), shop_id=shop, amount=75_000,
                     purchased_on=province_today() - timedelta(days=10), campaign_id=old_id)
    assert standings_rows(client)[0][1:3] == ["Kabupaten Kepulauan Selayar", "Rp0"]  # the running campaign
    page = client.get(f"/peringkat?campaign={old_id}").get_data(as_text=True)
    assert "Belanja Lebaran 2020" in page and f'<option selected value="{old_id}">' in page
    assert table_rows(page, "peringkat")[0][1:3] == ["Kota Parepare", "Rp75.000"]


def test_region_names_link_to_their_pages(client):
    page = client.get("/peringkat").get_data(as_text=True)
    # once in the bar list, once on the tile map, once in the full table
    assert 'href="/wilayah/73.73?campaign=' in page and page.count('href="/wilayah/') == 3 * 24


def test_standings_cost_does_not_grow_with_purchases(app, make_asn, make_shop, make_purchase, no_logging_limits):
    from campaign.domains.leaderboard.queries import get_standings

    buyers = [make_asn(region=code) for code in (PALOPO, MAKASSAR, BONE)]
    shops = [make_shop(region=code) for code in (PALOPO, PAREPARE)]

    def count_statements() -> int:
        app.extensions.pop("read_cache", None)  # cold: the figures computed again, not found cached
        with app.app_context():
            seen: list[str] = []
            listener = lambda *args: seen.append(args[2])  # noqa: E731 (statement text)
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                standings = get_standings(campaign_id=None, metric="participation_rate", perspective="asn_region")
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
            assert len(standings.rows) == 24
            assert not any("purchase" in statement.lower() for statement in seen)
            return len(seen)

    def buy(n: int) -> None:
        for i in range(n):
            make_purchase(buyer=buyers[i % 3], shop_id=shops[i % 2], amount=1_000 + i)

    buy(3)
    count_statements()  # reads the reference data (regions, campaigns, rosters) once per process
    few = count_statements()
    buy(27)
    # BEGIN, the change markers, and the campaign's tallies, targets and institutional spend in one
    assert count_statements() == few <= 3


def test_open_ended_campaign_period_wording(client):
    page = client.get("/peringkat").get_data(as_text=True)
    assert "berjalan sejak" in page and "s.d." not in page.split("<table")[0]
