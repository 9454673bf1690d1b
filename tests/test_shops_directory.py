"""The public directory of verified shops: the page and its read function ``search_shops``."""
import re

import pytest

from campaign.domains.shops.queries import ShopSummary, search_shops
from campaign.web.pagination import MAX_PAGE, Page


@pytest.fixture
def app_config():
    return {"PER_PAGE": 2}


def names_on(client, url: str) -> list[str]:
    page = client.get(url).get_data(as_text=True)
    return re.findall(r'<h2><a href="/toko/\d+">([^<]+)</a></h2>', page)


@pytest.fixture
def search(app):
    def run(**kwargs):
        args = {"region_code": None, "category": None, "q": None, "page": 1, "per_page": 50, **kwargs}
        with app.app_context():
            return search_shops(**args)
    return run


def test_only_verified_shops_are_listed(client, make_shop):
    make_shop(name="Warung Aman")
    make_shop(name="Warung Tunggu", status="pending")
    make_shop(name="Warung Tolak", status="rejected")
    assert names_on(client, "/toko") == ["Warung Aman"]
    assert names_on(client, "/toko?q=warung") == ["Warung Aman"]


@pytest.mark.parametrize("query, expected", [
    ("", ["Kopi Daeng", "Sutra Sengkang"]),  # first page of three shops
    ("wilayah=73.71", ["Kopi Daeng"]),
    ("wilayah=73.13", ["Sutra Sengkang"]),
    ("wilayah=73.01", []),
    ("kategori=kopi", ["Kopi Daeng", "Warung Palopo"]),
    ("kategori=kopi&wilayah=73.73", ["Warung Palopo"]),
    ("q=SUTRA", ["Sutra Sengkang"]),
    ("q=daeng", ["Kopi Daeng"]),
    ("q=ung pal", ["Warung Palopo"]),
    ("q=%25", []),  # a literal %, not a wildcard
    ("q=_", []),
])
def test_filters_and_search(client, make_shop, query, expected):
    make_shop(name="Warung Palopo", region="73.73", category="kopi")
    make_shop(name="Kopi Daeng", region="73.71", category="kopi")
    make_shop(name="Sutra Sengkang", region="73.13", category="tenun")
    assert names_on(client, f"/toko?{query}") == expected


@pytest.mark.parametrize("query", ["wilayah=99.99", "kategori=bengkel", "wilayah=%3Cscript%3E&kategori=x"])
def test_unknown_filters_are_ignored_with_a_message(client, make_shop, query):
    make_shop(name="Warung Aman")
    response = client.get(f"/toko?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Pilih dari daftar." in page and "diabaikan" in page
    assert names_on(client, f"/toko?{query}") == ["Warung Aman"]


@pytest.mark.parametrize("page, expected", [
    ("1", ["Toko A", "Toko B"]), ("2", ["Toko C", "Toko D"]), ("3", ["Toko E"]), ("4", []),
    ("0", ["Toko A", "Toko B"]), ("-5", ["Toko A", "Toko B"]), ("abc", ["Toko A", "Toko B"]),
    ("99999999999999999999999", []),
])
def test_pagination(client, make_shop, page, expected):
    for letter in "ECADB":
        make_shop(name=f"Toko {letter}")
    response = client.get(f"/toko?page={page}")
    assert response.status_code == 200
    assert names_on(client, f"/toko?page={page}") == expected


def test_pagination_links_keep_the_filters(client, make_shop):
    for letter in "ABC":
        make_shop(name=f"Kopi {letter}", category="kopi", region="73.71")
    make_shop(name="Kopi Palopo", category="kopi", region="73.73")
    page = client.get("/toko?wilayah=73.71&kategori=kopi&q=kopi").get_data(as_text=True)
    assert "3 toko ditemukan" in page
    link = re.search(r'href="([^"]+)" rel="next"', page).group(1).replace("&amp;", "&")
    assert names_on(client, link) == ["Kopi C"]
    assert all(part in link for part in ("page=2", "wilayah=73.71", "kategori=kopi", "q=kopi"))


def test_covid_mark_only_on_affected_shops(client, make_shop):
    make_shop(name="Toko Terdampak", covid_affected=True)
    make_shop(name="Toko Biasa")
    page = client.get("/toko").get_data(as_text=True)
    assert page.count("Terdampak Covid-19</span>") == 1


def test_search_shops_returns_dataclasses(search, make_shop):
    shop_id = make_shop(name="Warung Bu Sitti", category="kue", region="73.73", covid_affected=True,
                        products="Barongko", description="Kue khas Bugis")
    result = search(q="bu sitti")
    assert isinstance(result, Page) and (result.page, result.per_page, result.total) == (1, 50, 1)
    assert result.items == [ShopSummary(
        id=shop_id, name="Warung Bu Sitti", category="kue", category_label="Kue & jajanan",
        region_code="73.73", region_name="Kota Palopo", district="Wara", village="Amassangan",
        street=result.items[0].street, whatsapp="+6281234567890", whatsapp_url=result.items[0].whatsapp_url,
        description="Kue khas Bugis", products="Barongko", covid_affected=True)]
    assert result.items[0].whatsapp_url.startswith("https://wa.me/6281234567890?text=Halo%20Warung%20Bu%20Sitti")


@pytest.mark.parametrize("kwargs", [
    {"region_code": "99.99"}, {"category": "bengkel"}, {"q": "tidak ada"}, {"page": 7},
])
def test_search_shops_unknown_filters_or_pages_are_empty(search, make_shop, kwargs):
    make_shop()
    result = search(**kwargs)
    assert result.items == []
    assert result.total == (1 if "page" in kwargs else 0)


def test_search_shops_orders_by_name_then_id_and_clamps_paging(search, make_shop):
    first = make_shop(name="Warung Sama")
    second = make_shop(name="warung sama")
    third = make_shop(name="Apotek Hidup")
    result = search(page=-1, per_page=0)
    assert (result.page, result.per_page, result.total) == (1, 1, 3)
    assert [s.id for s in search().items] == [third, first, second]
    assert [s.id for s in search(page=2, per_page=2).items] == [second]
    assert search(per_page=10_000).per_page == 100
    assert search(page=10**30).page == MAX_PAGE


def test_filters_work_with_csrf_on(csrf_app, make_shop):
    make_shop(name="Kopi Daeng", region="73.71", category="kopi")
    make_shop(name="Warung Palopo")
    client = csrf_app.test_client()
    page = client.get("/toko?wilayah=73.71&kategori=kopi&q=kopi").get_data(as_text=True)
    assert "Kopi Daeng" in page and "Warung Palopo" not in page and "csrf_token" not in page.split("<main")[1]


def _selected(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group()
    return re.findall(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select)


def test_the_filters_show_the_chosen_values_each_page_its_own(client, make_shop):
    """The selects are rendered once per value and kept: each page still shows its own choice."""
    make_shop(name="Kopi Daeng", region="73.71")
    for region in ("73.71", "73.13", "73.71", ""):
        page = client.get(f"/toko?wilayah={region}&kategori=kopi").get_data(as_text=True)
        assert [value for pair in _selected(page, "wilayah") for value in pair if value] == ([region] if region else [])
        assert [value for pair in _selected(page, "kategori") for value in pair if value] == ["kopi"]


def test_renamed_regions_and_new_kecamatan_show_in_the_filters_at_once(app, client, make_shop):
    """The filters' regions and kecamatan are kept per process under the reference marker, which
    loading area data touches."""
    from campaign.core.database import write_transaction
    from campaign.core.extensions import db
    from campaign.domains.regions.models import District, Region

    make_shop(name="Kopi Daeng", region="73.71")
    before = client.get("/toko?wilayah=73.71").get_data(as_text=True)
    assert "Kota Makassar" in before and "Kecamatan Baru" not in before
    with app.app_context(), write_transaction():
        region_id = db.session.query(Region.id).filter_by(code="73.71").scalar()
        db.session.add(District(code="73.71.99", region_id=region_id, name="Kecamatan Baru", active=True))
    assert ">Kecamatan Baru</option>" in client.get("/toko?wilayah=73.71").get_data(as_text=True)
    with app.app_context(), write_transaction():
        db.session.get(Region, region_id).name = "Makassar Raya"
    assert "Kota Makassar Raya" in client.get("/toko?wilayah=73.71").get_data(as_text=True)
