"""Shop name search: the same shops on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm) for the
same queries; case does not matter, words may be partial and in any order."""
import pytest

from campaign.domains.shops.queries import search_shops

NAMES = ["Kedai Kopi Daeng", "WARUNG Bu Sitti", "warung makan Coto Nusantara", "Toko Kue Ida",
         "Tenun Sutra Sengkang", "Warung Kopi 100% Robusta", "Kopi_Toraja Kalosi"]


@pytest.fixture
def shops(make_shop):
    return {name: make_shop(name=name) for name in NAMES}


@pytest.mark.parametrize("q, expected", [
    ("kopi", ["Kedai Kopi Daeng", "Kopi_Toraja Kalosi", "Warung Kopi 100% Robusta"]),
    ("KOPI", ["Kedai Kopi Daeng", "Kopi_Toraja Kalosi", "Warung Kopi 100% Robusta"]),
    ("warung", ["WARUNG Bu Sitti", "Warung Kopi 100% Robusta", "warung makan Coto Nusantara"]),
    ("Warung", ["WARUNG Bu Sitti", "Warung Kopi 100% Robusta", "warung makan Coto Nusantara"]),
    ("war", ["WARUNG Bu Sitti", "Warung Kopi 100% Robusta", "warung makan Coto Nusantara"]),
    ("kopi warung", ["Warung Kopi 100% Robusta"]),
    ("ked kop", ["Kedai Kopi Daeng"]),
    ("sengkang tenun", ["Tenun Sutra Sengkang"]),
    ("bu", ["WARUNG Bu Sitti", "Warung Kopi 100% Robusta"]),  # a two-letter word: "Bu", "Robusta"
    ("100%", ["Warung Kopi 100% Robusta"]),
    ("%", ["Warung Kopi 100% Robusta"]),
    ("_", ["Kopi_Toraja Kalosi"]),
    ('"kopi"', []),
    ("kopi susu", []),
    ("bakso", []),
])
def test_the_same_shops_for_the_same_query_on_both_databases(app, shops, q, expected):
    with app.app_context():
        page = search_shops(region_code=None, category=None, q=q, page=1, per_page=50)
    assert [s.name for s in page.items] == expected
    assert page.total == len(expected)


def test_a_renamed_shop_is_found_by_its_new_name_only(app, client, shops):
    from campaign.core.database import write_transaction
    from campaign.core.extensions import db
    from campaign.domains.shops.models import Shop

    assert "Toko Kue Ida" in client.get("/toko?q=kue").get_data(as_text=True)
    with app.app_context(), write_transaction():
        db.session.get(Shop, shops["Toko Kue Ida"]).name = "Toko Roti Ida"
    assert "Toko Roti Ida" not in client.get("/toko?q=kue").get_data(as_text=True)
    assert "Toko Roti Ida" in client.get("/toko?q=roti").get_data(as_text=True)
