"""Links in templates are built once per process (campaign.web.links) and stay right for where
the app is mounted and for each value."""
import re


def test_links_follow_where_the_app_is_mounted(client, make_shop):
    make_shop(name="Warung Pertama")
    plain = client.get("/toko").get_data(as_text=True)
    mounted = client.get("/toko?q=pertama", environ_overrides={"SCRIPT_NAME": "/belanja"}).get_data(as_text=True)
    again = client.get("/toko?q=warung").get_data(as_text=True)
    assert 'href="/peringkat"' in plain and 'href="/peringkat"' in again
    assert 'href="/belanja/peringkat"' in mounted and 'href="/peringkat"' not in mounted
    assert re.search(r'href="/belanja/static/css/app\.css\?v=\w+"', mounted)


def test_each_value_gets_its_own_link(client, make_shop):
    ids = [make_shop(name=name) for name in ("Warung Satu", "Warung Dua")]
    page = client.get("/toko").get_data(as_text=True)
    assert all(f'href="/toko/{shop_id}"' in page for shop_id in ids)
