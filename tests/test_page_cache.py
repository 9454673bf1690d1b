"""Caches that survive a busy day: anonymous pages keyed by the arguments they read, bounded in
bytes, kept per region, and re-checked at most every PAGE_CACHE_STALE_SECONDS.

"Served from the cache" is seen from the outside as the database work a request does: a kept
page costs one read of the change markers, a render many statements."""
import re
import time

import pytest
from helpers import sent_statements

from campaign.core.extensions import db

PALOPO, BONE = "73.73", "73.08"


@pytest.fixture
def app_config():
    return {"MIN_PUBLIC_PARTICIPANTS": 1}  # single purchases show, so a change is visible


@pytest.fixture
def statements(app):
    """``statements(call)``: how many SQL statements ``call()`` ran (BEGIN and COMMIT aside), and
    its answer."""
    with app.app_context():
        engine = db.engine

    def count(call):
        with sent_statements(engine) as seen:
            answer = call()
        return len(seen), answer
    return count


def _page_cache(app):
    return app.extensions["page_cache"]


@pytest.mark.parametrize("url", ["/peringkat", "/peringkat?metric=verified", "/wilayah/73.73", "/toko",
                                 "/toko?q=warung&page=1"])
def test_an_unknown_argument_gets_the_page_of_the_url_without_it(app, client, statements, make_shop, url):
    make_shop(name="Warung Pertama")
    first = client.get(url)
    joiner = "&" if "?" in url else "?"
    answers = [statements(lambda n=n: client.get(f"{url}{joiner}_={n}&utm_source=wa")) for n in range(5)]
    assert first.status_code == 200
    assert all(count == 1 and answer.get_data() == first.get_data() for count, answer in answers)
    assert len(_page_cache(app)) == 1


def test_a_kept_page_never_carries_an_argument_the_view_does_not_read(client, make_shop):
    make_shop(name="Warung Pertama")
    first = client.get("/toko?_=98765&wilayah=73.73&rahasia=x").get_data(as_text=True)
    bare = client.get("/toko?wilayah=73.73").get_data(as_text=True)
    assert bare == first and "98765" not in first and "rahasia" not in first and "Warung Pertama" in first


def test_the_page_cache_is_bounded_in_bytes(app, client, statements, make_shop):
    make_shop(name="Warung Pertama")
    one_page = len(client.get("/toko").get_data()) * 2  # the page and its gzipped copy, generously
    app.extensions.pop("page_cache")
    app.config["PAGE_CACHE_BYTES"] = 3 * one_page
    for n in range(20):
        assert client.get(f"/toko?q=kata{n}").status_code == 200
    cache = _page_cache(app)
    assert cache.bytes <= 3 * one_page and 1 <= len(cache) < 20
    app.extensions.pop("read_cache", None)  # what a page rendered again reads shows in its statements
    assert statements(lambda: client.get("/toko?q=kata19"))[0] == 1  # the latest is kept
    assert statements(lambda: client.get("/toko?q=kata0"))[0] > 1  # the first was let go


def test_the_least_recently_used_page_leaves_first(statements, client, app, make_shop):
    make_shop(name="Warung Pertama")
    client.get("/toko?q=warung")
    size = _page_cache(app).bytes  # one kept page; the other two differ by a few letters
    app.extensions.pop("page_cache")
    app.config["PAGE_CACHE_BYTES"] = int(2.5 * size)
    client.get("/toko?q=warung")
    client.get("/toko?q=pertama")
    client.get("/toko?q=warung")  # used again: "pertama" is now the oldest
    client.get("/toko?q=tama")
    app.extensions.pop("read_cache", None)  # what a page rendered again reads shows in its statements
    assert statements(lambda: client.get("/toko?q=warung"))[0] == 1
    assert statements(lambda: client.get("/toko?q=tama"))[0] == 1
    assert statements(lambda: client.get("/toko?q=pertama"))[0] > 1


def test_a_purchase_in_palopo_leaves_bones_page_kept(client, statements, make_asn, make_shop, make_purchase):
    bone_buyer, palopo_buyer = make_asn(region=BONE), make_asn(region=PALOPO)
    bone_shop, palopo_shop = make_shop(region=BONE), make_shop(region=PALOPO)
    make_purchase(buyer=bone_buyer, shop_id=bone_shop, amount=500_000)
    make_purchase(buyer=palopo_buyer, shop_id=palopo_shop, amount=100_000)
    bone = client.get(f"/wilayah/{BONE}").get_data()
    client.get(f"/wilayah/{PALOPO}")
    make_purchase(buyer=palopo_buyer, shop_id=palopo_shop, amount=50_000)  # Palopo stays second
    palopo_cost, palopo = statements(lambda: client.get(f"/wilayah/{PALOPO}"))
    bone_cost, bone_again = statements(lambda: client.get(f"/wilayah/{BONE}"))
    assert "Rp150.000" in palopo.get_data(as_text=True) and palopo_cost > 1
    assert bone_again.get_data() == bone and bone_cost == 1


def test_a_purchase_that_moves_bones_rank_renders_bones_page_again(client, make_asn, make_shop, make_purchase):
    bone_buyer, palopo_buyer = make_asn(region=BONE), make_asn(region=PALOPO)
    make_purchase(buyer=bone_buyer, shop_id=make_shop(region=BONE), amount=500_000)
    assert "Peringkat <strong>1</strong>" in client.get(f"/wilayah/{BONE}").get_data(as_text=True)
    make_purchase(buyer=palopo_buyer, shop_id=make_shop(region=PALOPO), amount=900_000)
    assert "Peringkat <strong>2</strong>" in client.get(f"/wilayah/{BONE}").get_data(as_text=True)


def test_a_change_that_names_no_region_renders_every_region_page_again(app, client, statements, make_staff):
    from campaign.domains.auth.models import User
    from campaign.domains.regions.services import current_campaign, region_by_code, set_region_target

    admin = make_staff(role="admin")
    client.get(f"/wilayah/{BONE}")
    assert statements(lambda: client.get(f"/wilayah/{BONE}"))[0] == 1
    with app.app_context():
        set_region_target(actor=db.session.get(User, admin.id), campaign_id=current_campaign().id,
                          region_id=region_by_code(BONE).id, asn_headcount=5200, target_amount=10**9)
    cost, page = statements(lambda: client.get(f"/wilayah/{BONE}"))
    assert cost > 1 and "5.200" in page.get_data(as_text=True)


def test_the_api_etag_of_a_region_holds_while_only_another_region_changes(client, make_asn, make_shop,
                                                                          make_purchase):
    bone_buyer, palopo_buyer = make_asn(region=BONE), make_asn(region=PALOPO)
    bone_shop, palopo_shop = make_shop(region=BONE), make_shop(region=PALOPO)
    make_purchase(buyer=bone_buyer, shop_id=bone_shop, amount=500_000)
    make_purchase(buyer=palopo_buyer, shop_id=palopo_shop, amount=100_000)
    tags = {code: client.get(f"/api/v1/regions/{code}/progress").headers["ETag"] for code in (BONE, PALOPO)}
    make_purchase(buyer=palopo_buyer, shop_id=palopo_shop, amount=50_000)
    bone = client.get(f"/api/v1/regions/{BONE}/progress", headers={"If-None-Match": tags[BONE]})
    palopo = client.get(f"/api/v1/regions/{PALOPO}/progress", headers={"If-None-Match": tags[PALOPO]})
    assert bone.status_code == 304
    assert palopo.status_code == 200 and palopo.get_json()["asn_region"]["realized"] == 150_000


@pytest.mark.parametrize("app_config", [{"MIN_PUBLIC_PARTICIPANTS": 1, "PAGE_CACHE_STALE_SECONDS": 1}])
def test_an_anonymous_page_lags_a_write_by_the_window_at_most(client, app, login_as, make_asn, make_shop,
                                                              make_purchase, make_staff):
    buyer, shop = make_asn(), make_shop()
    admin = make_staff(role="admin")
    assert "Rp64.000" not in client.get("/peringkat").get_data(as_text=True)
    make_purchase(buyer=buyer, shop_id=shop, amount=64_000)
    anonymous = client.get("/peringkat").get_data(as_text=True)
    api = client.get("/api/v1/leaderboard").get_json()["totals"]["realized"]
    signed_in = login_as(admin).get("/peringkat").get_data(as_text=True)
    assert "Rp64.000" not in anonymous  # inside the window: the kept page
    assert api == 64_000 and "Rp64.000" in signed_in  # the API and signed-in pages are exact
    time.sleep(1.1)
    assert "Rp64.000" in app.test_client().get("/peringkat").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/peringkat", f"/wilayah/{BONE}", "/api/v1/leaderboard",
                                 f"/api/v1/regions/{BONE}/progress"])
def test_a_page_rendered_afresh_reads_the_change_markers_once(app, client, make_asn, make_shop, make_purchase,
                                                              url):
    make_purchase(buyer=make_asn(region=BONE), shop_id=make_shop(region=BONE), amount=500_000)
    with app.app_context():
        engine = db.engine
    with sent_statements(engine) as seen:
        assert client.get(url).status_code == 200  # nothing kept yet: a full render
    assert sum("change_marker" in statement for statement in seen) == 1
    assert sum(bool(re.search(r"FROM tally\b", s)) for s in seen) == 1  # standings, privacy, rank: one read


@pytest.mark.parametrize("app_config", [{"MIN_PUBLIC_PARTICIPANTS": 1, "PAGE_CACHE_STALE_SECONDS": 60}])
def test_rendering_one_page_afresh_inside_the_window_keeps_the_others(client, statements, make_asn, make_shop,
                                                                      make_purchase):
    buyer, shop = make_asn(), make_shop()
    kept = client.get("/peringkat?metric=verified").get_data()
    make_purchase(buyer=buyer, shop_id=shop, amount=64_000)
    assert client.get("/peringkat?metric=participants").status_code == 200  # a new page, rendered afresh
    cost, again = statements(lambda: client.get("/peringkat?metric=verified"))
    assert cost == 0 and again.get_data() == kept  # inside the window: kept, not even a marker read


COLD_READS = {"/wilayah/73.73": 4, "/api/v1/regions/73.73/progress": 3, "/peringkat": 3, "/api/v1/leaderboard": 2}


def test_a_cold_render_reads_a_few_statements_whatever_the_purchases(app, client, make_asn, make_shop,
                                                                       make_purchase, no_logging_limits):
    """Right after a write nothing of the figures is cached: a region page is still the change
    markers, the campaign's tallies (one UNION ALL), the region's weeks and the audit trail's
    latest change; the leaderboard the same but the weeks; the JSON answers without the audit.
    The reference data (regions, campaigns, rosters) is read once per process until it changes."""
    buyers = [make_asn(region=code) for code in (PALOPO, BONE)]
    shops = [make_shop(region=code) for code in (PALOPO, BONE)]
    with app.app_context():
        engine = db.engine

    def cold(url: str) -> tuple[int, str]:
        for name in ("read_cache", "page_cache", "recent_markers"):
            app.extensions.pop(name, None)
        with sent_statements(engine) as seen:
            answer = client.get(url)
        count = len(seen)
        assert answer.status_code == 200 and not any(re.search(r"\b(?:FROM|JOIN) purchase\b", text) for text in seen)
        return count, answer.get_data(as_text=True)

    client.get("/peringkat")  # the reference data, read once
    total = 0
    for n in (2, 20):
        for i in range(n):
            make_purchase(buyer=buyers[i % 2], shop_id=shops[i % 2], amount=10_000)
        total += n * 10_000
        for url, expected in COLD_READS.items():
            count, body = cold(url)
            assert count == expected, (url, n)
        assert "Rp" + f"{total // 2:,}".replace(",", ".") in cold("/wilayah/73.73")[1]  # Palopo's half, current


def test_a_region_page_follows_its_roster_at_once(app, client, make_asn):
    """The roster-checked mark comes from the reference data kept per process: a roster loaded
    for a region moves the ``reference`` marker, and the next answer says so."""
    before = client.get(f"/api/v1/regions/{BONE}/progress").get_json()
    assert before["roster_checked"] is False
    make_asn(region=BONE)  # on Bone's roster: Bone is roster-checked now
    assert client.get(f"/api/v1/regions/{BONE}/progress").get_json()["roster_checked"] is True
    assert "ASN di wilayah ini dicek dengan daftar ASN" in client.get(f"/wilayah/{BONE}").get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"PAGE_CACHE_STALE_SECONDS": 60}])
def test_a_page_rendered_afresh_inside_the_window_reads_no_markers(app, client, make_shop):
    """The render of a new anonymous page takes the markers the window already holds: its
    figures may lag as the page may, and it sends no statement for them."""
    make_shop(name="Warung Pertama")
    assert client.get("/toko").status_code == 200  # the markers read: the window starts
    with app.app_context():
        engine = db.engine
    with sent_statements(engine) as seen:
        page = client.get("/toko?q=pertama").get_data(as_text=True)
    assert "Warung Pertama" in page and seen and not any("change_marker" in text for text in seen)
