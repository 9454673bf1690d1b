"""A region's catalogue: verified shops by category, printable, with WhatsApp texts per category."""
from urllib.parse import parse_qs, urlparse

import pytest

from campaign.core.extensions import db
from campaign.domains.catalogue import queries, text
from campaign.domains.regions.services import region_by_code


def _catalogue(app, code="73.73", **kwargs):
    with app.app_context():
        return queries.region_catalogue(region_by_code(code), **kwargs)


def test_only_verified_shops_of_the_region_by_category_and_name(app, make_shop):
    make_shop(name="warung Bu Sitti", category="sembako")
    make_shop(name="Kedai Kopi Latimojong", category="kopi")
    make_shop(name="Aneka Sembako", category="sembako")
    make_shop(name="Belum Diperiksa", category="sembako", status="pending")
    make_shop(name="Ditolak", category="sembako", status="rejected")
    make_shop(name="Toko Makassar", category="sembako", region="73.71")
    catalogue = _catalogue(app)
    assert [s.category for s in catalogue.sections] == ["sembako", "kopi"]  # the order of CATEGORIES
    assert [shop.name for shop in catalogue.section("sembako").shops] == ["Aneka Sembako", "warung Bu Sitti"]
    assert catalogue.total == 3


def test_each_category_lists_its_first_shops_and_counts_the_rest(app, make_shop):
    for n in range(5):
        make_shop(name=f"Kue {n}", category="kue")
    section = _catalogue(app, per_category=3).section("kue")
    assert (section.total, len(section.shops), section.more) == (5, 3, 2)


def test_the_whatsapp_text_names_shops_their_order_links_and_the_rest(app, make_shop):
    for n in range(text.MAX_SHOPS_IN_TEXT + 2):
        make_shop(name=f"Warung Makan {n:02d}", category="kuliner", products="Coto, konro, pallubasa " * 10)
    section = _catalogue(app).section("kuliner")
    message = text.section_text(section, region_name="Kota Palopo", catalogue_url="http://x/wilayah/73.73/katalog")
    assert message.startswith("*Kuliner di Kota Palopo*")
    assert message.count("Pesan: https://wa.me/6281234567890") == text.MAX_SHOPS_IN_TEXT
    assert "Dan 2 toko lain." in message and message.endswith("Katalog lengkap: http://x/wilayah/73.73/katalog")
    assert max(len(line) for line in message.splitlines()) < 120  # products are cut short


def test_the_page_shares_each_category_to_whatsapp_in_one_tap(client, make_shop):
    make_shop(name="Tenun Sutra Sengkang", category="tenun", products="Sarung sutra")
    page = client.get("/wilayah/73.73/katalog")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Katalog Warung Tetangga Kota Palopo" in html and "Tenun Sutra Sengkang" in html
    start = html.index('href="https://wa.me/?text=') + len('href="')
    link = html[start:html.index('"', start)].replace("&amp;", "&")
    shared = parse_qs(urlparse(link).query)["text"][0]
    assert shared.startswith("*Tenun & sutra di Kota Palopo*") and "Tenun Sutra Sengkang" in shared
    assert "readonly" in html  # the same text to copy by hand
    assert "css/catalogue.css" in html


def test_a_region_without_shops_says_so_and_unknown_region_is_404(client):
    assert "Belum ada toko terverifikasi" in client.get("/wilayah/73.01/katalog").get_data(as_text=True)
    assert client.get("/wilayah/99.99/katalog").status_code == 404


def test_the_region_page_links_to_its_catalogue(client):
    assert "/wilayah/73.73/katalog" in client.get("/wilayah/73.73").get_data(as_text=True)


def test_the_catalogue_shows_no_owner_names(client, make_owner, make_shop):
    owner = make_owner(name="Ibu Rahasia Sekali")
    make_shop(owner=owner, name="Warung Terbuka")
    html = client.get("/wilayah/73.73/katalog").get_data(as_text=True)
    assert "Warung Terbuka" in html and "Ibu Rahasia Sekali" not in html
