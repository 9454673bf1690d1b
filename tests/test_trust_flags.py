"""Plausibility flags (campaign.domains.trust.flags): one test per rule, read from tallies only, linked to
the purchases behind them, reviewable (audited), and never changing a total."""
import re
from datetime import timedelta

import pytest
from helpers import Person
from sqlalchemy import event, select

from campaign.core.audit import AuditEvent
from campaign.core.errors import Conflict, NotFound, PermissionDenied
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.purchases import services as purchases
from campaign.domains.regions.services import current_campaign, region_by_code
from campaign.domains.tallies.models import Tally
from campaign.domains.trust import services
from campaign.domains.trust.flags import region_flags
from campaign.domains.trust.selection import Selection, flag_criteria

PALOPO = "73.73"


@pytest.fixture
def app_config():
    # one period per UTC day, so a test never straddles two periods
    return {"FLAG_BURST_MINUTES": 1440}


def _flags(app, code=PALOPO):
    with app.app_context():
        region = region_by_code(code)
        return region_flags(campaign_id=current_campaign().id, region_id=region.id)


def _kinds(app, code=PALOPO):
    return sorted((f.kind, f.subject) for f in _flags(app, code))


def _confirm(app, owner, ids):
    with app.app_context():
        for purchase_id in ids:
            purchases.confirm_purchase(actor=db.session.get(User, owner.id), purchase_id=purchase_id)


@pytest.fixture
def crowd(make_asn, make_shop, make_purchase):
    """Six ordinary ASN spending Rp50.000 each at an ordinary shop in Makassar."""
    shop = make_shop(region="73.71")
    for _ in range(6):
        make_purchase(buyer=make_asn(region="73.71"), shop_id=shop, amount=50_000)


def test_asn_far_above_the_province_median_is_flagged(app, crowd, make_asn, make_shop, make_purchase):
    big, modest = make_asn(region=PALOPO, name="Besar Belanja"), make_asn(region=PALOPO, name="Biasa Saja")
    shop = make_shop(region=PALOPO)
    make_purchase(buyer=big, shop_id=shop, amount=6_000_000)
    make_purchase(buyer=modest, shop_id=shop, amount=400_000)  # 8 x the median: not flagged
    flags = _flags(app)
    assert [(f.kind, f.subject, f.key) for f in flags] == [("asn", "Besar Belanja", f"asn:{big.id}")]
    assert "Rp6.000.000" in flags[0].detail


def test_asn_with_far_more_purchases_than_the_median_is_flagged(app, crowd, make_asn, make_shop, make_purchase,
                                                                 no_logging_limits):
    app.config.update(FLAG_ASN_MIN_COUNT=10, FLAG_BURST_ASN_PURCHASES=1000)
    busy, shop = make_asn(region=PALOPO, name="Sering Belanja"), make_shop(region=PALOPO)
    for n in range(11):
        make_purchase(buyer=busy, shop_id=shop, amount=1_000 + n)
    assert _kinds(app) == [("asn", "Sering Belanja")]


def test_shop_whose_purchases_come_from_one_or_two_asn_is_flagged(app, make_asn, make_owner, make_shop,
                                                                   make_purchase):
    owner = make_owner()
    colluding = make_shop(owner=owner, region=PALOPO, name="Warung Kolusi")
    popular = make_shop(owner=owner, region=PALOPO, name="Warung Ramai")
    friend = make_asn(region="73.71")
    ids = [make_purchase(buyer=friend, shop_id=colluding, amount=amount) for amount in (5_000_000, 5_500_000)]
    ids += [make_purchase(buyer=make_asn(region="73.71"), shop_id=popular, amount=2_500_000) for _ in range(5)]
    _confirm(app, owner, ids)
    flags = [f for f in _flags(app) if f.kind == "shop"]
    assert [f.subject for f in flags] == ["Warung Kolusi"] and "100%" in flags[0].detail


def test_burst_of_purchases_logged_at_one_shop(app, make_asn, make_shop, make_purchase):
    app.config["FLAG_BURST_SHOP_PURCHASES"] = 4
    shop, quiet = make_shop(region=PALOPO, name="Warung Ramai Sekejap"), make_shop(region=PALOPO)
    for _ in range(4):
        make_purchase(buyer=make_asn(region="73.71"), shop_id=shop, amount=20_000)
    for _ in range(3):
        make_purchase(buyer=make_asn(region="73.71"), shop_id=quiet, amount=20_000)
    flags = _flags(app)
    assert [(f.kind, f.subject) for f in flags] == [("log", "Warung Ramai Sekejap")]
    assert flags[0].key.startswith(f"log:{shop}:") and "4 belanja dicatat" in flags[0].detail


def test_burst_of_confirmations_by_one_shop(app, make_asn, make_owner, make_shop, make_purchase):
    app.config.update(FLAG_BURST_SHOP_CONFIRMATIONS=3, FLAG_BURST_SHOP_PURCHASES=1000)
    owner = make_owner()
    shop = make_shop(owner=owner, region=PALOPO, name="Warung Cepat Konfirmasi")
    ids = [make_purchase(buyer=make_asn(region="73.71"), shop_id=shop, amount=30_000) for _ in range(3)]
    assert _flags(app) == []
    _confirm(app, owner, ids)
    assert _kinds(app) == [("confirm", "Warung Cepat Konfirmasi")]


def test_a_shop_confirming_many_first_time_buyers_at_once_is_flagged(app, make_asn, make_owner, make_shop,
                                                                      make_purchase, no_logging_limits):
    """ "Konfirmasi semua" over new accounts (each purchase its buyer's only one) is the ring's
    pattern; the same number of confirmations for a regular buyer is not."""
    app.config.update(FLAG_BURST_FIRST_CONFIRMATIONS=3, FLAG_BURST_SHOP_CONFIRMATIONS=1000,
                      FLAG_BURST_SHOP_PURCHASES=1000, FLAG_BURST_ASN_PURCHASES=1000)
    owner, regular_owner = make_owner(), make_owner()
    shop = make_shop(owner=owner, region=PALOPO, name="Warung Pembeli Baru")
    regular = make_shop(owner=regular_owner, region=PALOPO, name="Warung Langganan")
    newcomers = [make_purchase(buyer=make_asn(region="73.71"), shop_id=shop, amount=30_000) for _ in range(3)]
    loyal = make_asn(region="73.71")
    repeats = [make_purchase(buyer=loyal, shop_id=regular, amount=30_000 + n) for n in range(3)]
    _confirm(app, regular_owner, repeats)
    assert _flags(app) == []
    _confirm(app, owner, newcomers[:2])
    assert _flags(app) == []
    _confirm(app, owner, newcomers[2:])
    flags = _flags(app)
    assert _kinds(app) == [("first", "Warung Pembeli Baru")]
    assert flags[0].detail.startswith("3 belanja dikonfirmasi yang merupakan satu-satunya belanja pembelinya")
    with app.app_context():  # its selection: the shop's confirmations of that period
        criteria = flag_criteria(Selection(flag=flags[0].key))
        assert (criteria.shop_id, criteria.status) == (shop, "confirmed")


def test_burst_of_purchases_by_one_asn(app, make_asn, make_shop, make_purchase):
    app.config["FLAG_BURST_ASN_PURCHASES"] = 3
    asn = make_asn(region=PALOPO, name="Cepat Sekali")
    shops = [make_shop(region="73.71") for _ in range(3)]
    for n, shop in enumerate(shops):
        make_purchase(buyer=asn, shop_id=shop, amount=10_000 + n)
    assert _kinds(app) == [("asnlog", "Cepat Sekali")]
    assert _kinds(app, "73.71") == []


def test_a_flag_links_to_the_purchases_behind_it(app, make_asn, make_shop, make_purchase, make_staff):
    app.config["FLAG_BURST_SHOP_PURCHASES"] = 2
    shop, other = make_shop(region=PALOPO), make_shop(region=PALOPO)
    behind = [make_purchase(buyer=make_asn(), shop_id=shop, amount=20_000 + n) for n in range(2)]
    make_purchase(buyer=make_asn(), shop_id=other, amount=20_000)
    key = _flags(app)[0].key
    with app.app_context():
        preview = services.preview_bulk_void(actor=db.session.get(User, make_staff(region=PALOPO).id),
                                             region_code=PALOPO, selection=Selection(flag=key))
        assert sorted(p.id for p in preview.purchases) == behind and preview.amount == 40_001


def test_flags_are_read_from_tallies_never_from_purchases(app, crowd, make_asn, make_shop, make_purchase):
    make_purchase(buyer=make_asn(region=PALOPO), shop_id=make_shop(region=PALOPO), amount=9_000_000)
    seen = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
        region_flags(campaign_id=current_campaign().id, region_id=region_by_code(PALOPO).id)
    assert seen and not [s for s in seen if re.search(r"\bpurchase\b", s.lower())]


def test_review_is_audited_and_changes_no_total(app, crowd, make_asn, make_shop, make_purchase, make_staff):
    asn = make_asn(region=PALOPO)
    make_purchase(buyer=asn, shop_id=make_shop(region=PALOPO), amount=8_000_000)
    coordinator = make_staff(region=PALOPO)
    with app.app_context():
        totals = db.session.execute(select(Tally.realized_amount, Tally.verified_amount).order_by(
            Tally.dimension, Tally.key_id)).all()
        services.review_flag(actor=db.session.get(User, coordinator.id), region_code=PALOPO,
                             flag_key=f"asn:{asn.id}", note="Sudah ditelepon: belanja sembako kantor")
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "flag.reviewed"))
        assert event.actor_id == coordinator.id and event.after["flag"] == f"asn:{asn.id}"
        assert db.session.execute(select(Tally.realized_amount, Tally.verified_amount).order_by(
            Tally.dimension, Tally.key_id)).all() == totals
        with pytest.raises(Conflict):
            services.review_flag(actor=db.session.get(User, coordinator.id), region_code=PALOPO,
                                 flag_key=f"asn:{asn.id}")
    [flag] = _flags(app)
    assert flag.review.by == db.session.get(User, coordinator.id).name if False else flag.review.note.startswith("Sudah")


def test_review_only_an_existing_flag_of_ones_own_region(app, crowd, make_asn, make_shop, make_purchase, make_staff):
    asn = make_asn(region=PALOPO)
    make_purchase(buyer=asn, shop_id=make_shop(region=PALOPO), amount=8_000_000)
    with app.app_context():
        with pytest.raises(PermissionDenied):
            services.review_flag(actor=db.session.get(User, make_staff(region="73.71").id), region_code=PALOPO,
                                 flag_key=f"asn:{asn.id}")
        with pytest.raises(NotFound):
            services.review_flag(actor=db.session.get(User, make_staff(region=PALOPO).id), region_code=PALOPO,
                                 flag_key="asn:99999")


def test_seed_demo_shows_the_palopo_coordinator_flags_one_reviewed(app, runner, login_as):
    assert runner.invoke(args=["seed-demo", "--asn", "40", "--shops", "20", "--purchases", "200"]).exit_code == 0
    flags = _flags(app)
    assert {f.kind for f in flags} >= {"asn", "shop", "confirm"} and sum(f.review is not None for f in flags) == 1
    client = login_as(Person(0, "Koordinator", "koordinator@demo.id", password="demo12345"))
    page = client.get(f"/koordinator/wilayah/{PALOPO}/tanda").get_data(as_text=True)
    assert "Toko Kolusi Sejahtera" in page and "Bazar UMKM di halaman kantor wali kota" in page
    assert runner.invoke(args=["check-tallies"]).exit_code == 0


def _sign_up(client, n, region=PALOPO, ip="10.0.0.7"):
    return client.post("/daftar/asn", environ_base={"REMOTE_ADDR": ip}, data={
        "name": f"Pendaftar {n}", "login": f"pendaftar{n}@example.id", "password": "rahasia123",
        "confirm": "rahasia123", "consent": "y", "nip": f"198701012010011{n:03d}", "agency": "Dinas Sosial",
        "region": region})


def test_burst_of_asn_sign_ups_from_one_source(app, make_shop, make_purchase, make_staff):
    from campaign.domains.trust.models import SignupSource

    app.config["FLAG_BURST_SIGNUPS"] = 3
    for n in range(3):
        assert _sign_up(app.test_client(), n + 1).status_code == 302
    for n in range(2):  # another source, below the threshold; the same source in Makassar: counted too
        _sign_up(app.test_client(), n + 10, ip="10.0.0.8")
        _sign_up(app.test_client(), n + 20, region="73.71")
    flags = _flags(app)
    assert [f.kind for f in flags] == ["signup"] and "3 akun ASN wilayah ini didaftarkan" in flags[0].detail
    assert [f.detail[:60] for f in _flags(app, "73.71")] == [
        "2 akun ASN wilayah ini didaftarkan (5 dari sumber ini di seluruh provinsi)"[:60]]
    staff = make_staff(region=PALOPO)
    with app.app_context():
        sources = set(db.session.scalars(select(SignupSource.source)))
        buyer_id = db.session.scalar(select(User.id).where(User.email == "pendaftar1@example.id"))
    assert len(sources) == 2 and all(0 <= s < 2 ** 28 for s in sources)  # a keyed hash, never the address
    bought = make_purchase(buyer=Person(buyer_id, "Pendaftar 1", "pendaftar1@example.id"),
                           shop_id=make_shop(region=PALOPO), amount=70_000)
    with app.app_context():
        preview = services.preview_bulk_void(actor=db.session.get(User, staff.id), region_code=PALOPO,
                                             selection=Selection(flag=flags[0].key))
        assert [p.id for p in preview.purchases] == [bought]


def test_api_sign_ups_count_towards_the_same_source(app, client):
    app.config["FLAG_BURST_SIGNUPS"] = 2
    for n in range(2):
        response = client.post("/api/v1/users", json={
            "role": "asn", "name": f"Bot {n}", "nip": f"198701012010012{n + 1:03d}", "agency": "Dinas Sosial",
            "region": PALOPO, "login": f"bot{n}@example.id", "password": "rahasia123", "consent": True})
        assert response.status_code == 201
    assert [f.kind for f in _flags(app)] == ["signup"]


def test_a_sign_up_burst_over_a_periods_boundary_is_one_burst(app):
    """Two accounts in Palopo at the end of one period and two in Makassar at the start of the
    next, from one source: four together, the threshold, and both regions are flagged."""
    from campaign.domains.trust.models import ActivityWindow

    app.config["FLAG_BURST_SIGNUPS"] = 4
    for n in range(2):
        assert _sign_up(app.test_client(), n + 1).status_code == 302
    with app.app_context():  # what ten minutes of waiting does: Palopo's period is the one before
        for window in db.session.scalars(select(ActivityWindow).where(ActivityWindow.kind == "signup")):
            window.window_start = window.window_start - timedelta(minutes=app.config["FLAG_BURST_MINUTES"])
        db.session.commit()
    for n in range(2):
        assert _sign_up(app.test_client(), n + 20, region="73.71").status_code == 302
    assert [f.kind for f in _flags(app)] == ["signup"] and [f.kind for f in _flags(app, "73.71")] == ["signup"]
    app.config["FLAG_BURST_SIGNUPS"] = 5
    assert _flags(app) == [] and _flags(app, "73.71") == []
