"""Cached public reads stay exact: a write on one app instance is seen at once by another on the
same database, and an ETag changes exactly when the figures do."""
import gzip
import json

import pytest

from campaign.core.extensions import db


@pytest.fixture
def app_config():
    return {"MIN_PUBLIC_PARTICIPANTS": 1}  # single purchases show, so a change is visible


def test_a_write_on_one_instance_is_seen_by_another_at_once(app, tmp_path, make_asn, make_shop, make_purchase):
    buyer, shop = make_asn(), make_shop()
    other = _second_instance(app, tmp_path)  # its own process-level cache, the same database
    try:
        clients = [app.test_client(), other.test_client()]
        before = [c.get("/api/v1/leaderboard").get_json()["totals"]["realized"] for c in clients]
        make_purchase(buyer=buyer, shop_id=shop, amount=75_000)
        after = [c.get("/api/v1/leaderboard").get_json()["totals"]["realized"] for c in clients]
        pages = [c.get("/wilayah/73.73").get_data(as_text=True) for c in clients]
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
    assert before == [0, 0] and after == [75_000, 75_000]
    assert all("Rp75.000" in page for page in pages)


def _second_instance(app, tmp_path):
    from campaign import create_app

    config = {k: v for k, v in app.config.items() if k in (
        "TESTING", "SECRET_KEY", "WTF_CSRF_ENABLED", "PASSWORD_HASH_METHOD", "SQLALCHEMY_DATABASE_URI",
        "MIN_PUBLIC_PARTICIPANTS")}
    instance = tmp_path / "second"
    instance.mkdir()
    return create_app(config, instance_path=str(instance))


def test_an_etag_holds_until_the_figures_change(client, make_asn, make_shop, make_purchase, make_staff,
                                                login_as):
    buyer, shop = make_asn(), make_shop()
    first = client.get("/api/v1/regions/73.73/progress")
    etag = first.headers["ETag"]
    assert client.get("/api/v1/regions/73.73/progress", headers={"If-None-Match": etag}).status_code == 304
    make_purchase(buyer=buyer, shop_id=shop, amount=20_000)
    changed = client.get("/api/v1/regions/73.73/progress", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert json.loads(changed.data)["asn_region"]["realized"] == 20_000


def test_a_changed_target_changes_the_leaderboard_at_once(app, client, make_staff):
    from campaign.domains.auth.models import User
    from campaign.domains.regions.services import current_campaign, region_by_code, set_region_target

    admin = make_staff(role="admin")
    assert client.get("/api/v1/leaderboard").get_json()["totals"]["asn_headcount"] is None
    with app.app_context():
        set_region_target(actor=db.session.get(User, admin.id), campaign_id=current_campaign().id,
                          region_id=region_by_code("73.73").id, asn_headcount=5200, target_amount=10**9)
    assert client.get("/api/v1/leaderboard").get_json()["totals"]["asn_headcount"] == 5200


def test_a_verified_shop_appears_in_the_directory_at_once(client, make_shop):
    assert client.get("/api/v1/shops").get_json()["total"] == 0
    make_shop(name="Warung Baru")
    listed = client.get("/api/v1/shops").get_json()
    assert listed["total"] == 1 and listed["items"][0]["name"] == "Warung Baru"


def test_an_anonymous_page_kept_in_the_cache_changes_with_the_data(client, make_asn, make_shop, make_purchase):
    buyer, shop = make_asn(), make_shop(name="Warung Pertama")
    for url in ("/peringkat", "/wilayah/73.73", "/toko"):
        assert client.get(url).status_code == 200
    make_purchase(buyer=buyer, shop_id=shop, amount=64_000)
    make_shop(name="Warung Kedua")
    assert "Rp64.000" in client.get("/peringkat").get_data(as_text=True)
    assert "Rp64.000" in client.get("/wilayah/73.73").get_data(as_text=True)
    assert "Warung Kedua" in client.get("/toko").get_data(as_text=True)


def test_a_signed_in_visitor_never_gets_the_anonymous_page(client, login_as, make_asn):
    asn = make_asn()
    assert "Keluar" not in client.get("/peringkat").get_data(as_text=True)
    page = login_as(asn).get("/peringkat").get_data(as_text=True)
    assert "Keluar" in page and 'name="csrf_token"' in page


def test_a_kept_page_is_sent_gzipped_to_phones_without_compressing_it_again(client, make_asn, make_shop,
                                                                             make_purchase, monkeypatch):
    from campaign.web import compression

    make_purchase(buyer=make_asn(), shop_id=make_shop(name="Warung Pertama"), amount=64_000)
    plain = client.get("/peringkat").get_data()
    calls = []
    real = compression.gzip_bytes
    monkeypatch.setattr(compression, "gzip_bytes", lambda data: calls.append(1) or real(data))
    client.get("/peringkat", headers={"Accept-Encoding": "gzip"})  # kept before: no new render
    answers = [client.get("/peringkat", headers={"Accept-Encoding": "gzip, deflate"}) for _ in range(3)]
    for answer in answers:
        assert answer.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in answer.headers["Vary"]
        assert gzip.decompress(answer.get_data()) == plain
    assert calls == []  # compressed once, when the page was kept
    again = client.get("/peringkat")
    assert "Content-Encoding" not in again.headers and again.get_data() == plain
