"""Flags that see a ring spread over regions: a shop whose confirmed spend comes mostly from new
accounts or from buyers who buy nowhere else (``fresh``), and issue 16's ring (table row 2)
replayed through the pages, as Palopo's coordinator and the admin see it."""
from datetime import timedelta

import pytest
from api_helpers import token_for
from helpers import province_today
from sqlalchemy import event, select, update

from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.purchases import services as purchases
from campaign.domains.purchases.models import Purchase
from campaign.domains.regions.services import current_campaign, region_by_code
from campaign.domains.tallies.models import Tally
from campaign.domains.trust import services
from campaign.domains.trust.flags import region_flags
from campaign.domains.trust.selection import Selection
from campaign.util.formatting import utcnow

PALOPO = "73.73"


@pytest.fixture
def app_config():
    # one period per UTC day, so a test never straddles two periods; the bursts out of the way
    return {"FLAG_BURST_MINUTES": 1440, "FLAG_SHOP_MIN_VERIFIED": 200_000, "FLAG_BURST_FIRST_CONFIRMATIONS": 1000}


def _flags(app, code=PALOPO):
    with app.app_context():
        return region_flags(campaign_id=current_campaign().id, region_id=region_by_code(code).id)


def _age(app, people, days):
    """The accounts were created ``days`` days ago."""
    with app.app_context():
        db.session.execute(update(User).where(User.id.in_([p.id for p in people]))
                           .values(created_at=utcnow() - timedelta(days=days)))
        db.session.commit()


def _confirm_all(app, owner, shop_id):
    with app.app_context():
        actor = db.session.get(User, owner.id)
        for purchase_id in db.session.scalars(select(Purchase.id).where(Purchase.shop_id == shop_id,
                                                                        Purchase.status == "reported")):
            purchases.confirm_purchase(actor=actor, purchase_id=purchase_id)


@pytest.fixture
def shop_with_buyers(make_asn, make_owner, make_shop, make_purchase):
    """``(owner, shop, buyers)``: four ASN from other regions, Rp60.000 each at one Palopo shop."""
    def make(name="Warung Cincin"):
        owner = make_owner()
        shop = make_shop(owner=owner, region=PALOPO, name=name)
        buyers = [make_asn(region=region) for region in ("73.10", "73.11", "73.12", "73.12")]
        for buyer in buyers:
            make_purchase(buyer=buyer, shop_id=shop, amount=60_000)
        return owner, shop, buyers
    return make


def test_a_shop_whose_confirmed_spend_comes_from_new_accounts_is_flagged(app, shop_with_buyers, make_shop,
                                                                          make_purchase):
    owner, shop, buyers = shop_with_buyers()
    elsewhere = make_shop(region="73.71")
    for buyer in buyers:  # they buy elsewhere too: only their accounts' age counts
        make_purchase(buyer=buyer, shop_id=elsewhere, amount=20_000)
    assert _flags(app) == []  # reported only: nothing confirmed yet
    _confirm_all(app, owner, shop)
    flags = _flags(app)
    assert [(f.kind, f.key, f.subject) for f in flags] == [("fresh", f"fresh:{shop}", "Warung Cincin")]
    assert flags[0].detail == ("Terkonfirmasi Rp240.000: 100% dari akun yang dibuat kurang dari 14 hari lalu, "
                               "0% dari pembeli yang tidak belanja di toko lain.")
    _age(app, buyers[:1], 15)  # 75% from new accounts: under the share
    assert _flags(app) == []
    app.config["FLAG_FRESH_SHARE"] = 0.75
    assert [f.kind for f in _flags(app)] == ["fresh"]
    app.config.update(FLAG_FRESH_SHARE=0.8, FLAG_FRESH_ACCOUNT_DAYS=16)  # 15 days old is new again
    assert "100% dari akun yang dibuat kurang dari 16 hari lalu" in _flags(app)[0].detail


def test_a_shop_whose_buyers_buy_nowhere_else_is_flagged(app, shop_with_buyers, make_shop, make_purchase):
    owner, shop, buyers = shop_with_buyers()
    _age(app, buyers, 400)  # old accounts
    _confirm_all(app, owner, shop)
    flags = _flags(app)
    assert [f.kind for f in flags] == ["fresh"]
    assert flags[0].detail.endswith("0% dari akun yang dibuat kurang dari 14 hari lalu, "
                                    "100% dari pembeli yang tidak belanja di toko lain.")
    make_purchase(buyer=buyers[0], shop_id=make_shop(region="73.71"), amount=20_000)  # one buys elsewhere now
    assert _flags(app) == []  # 75%: under the share
    app.config["FLAG_FRESH_SHARE"] = 0.75
    assert "75% dari pembeli yang tidak belanja di toko lain" in _flags(app)[0].detail


def test_a_fresh_flag_needs_the_confirmed_minimum_and_counts_only_confirmed_spend(app, shop_with_buyers):
    owner, shop, _buyers = shop_with_buyers()
    app.config["FLAG_SHOP_MIN_VERIFIED"] = 240_001
    _confirm_all(app, owner, shop)
    assert _flags(app) == []
    app.config["FLAG_SHOP_MIN_VERIFIED"] = 240_000
    assert [f.kind for f in _flags(app)] == ["fresh"]


def test_a_fresh_flag_selects_the_shops_confirmed_purchases_and_changes_no_total(app, api, shop_with_buyers,
                                                                                 make_staff):
    owner, shop, buyers = shop_with_buyers()
    _confirm_all(app, owner, shop)
    listed = api.get(f"/regions/{PALOPO}/flags", token=token_for(api, make_staff(region=PALOPO))).get_json()
    assert [(f["key"], f["kind"]) for f in listed["items"]] == [(f"fresh:{shop}", "fresh")]
    with app.app_context():
        before = db.session.execute(select(Tally.dimension, Tally.key_id, Tally.realized_amount,
                                           Tally.verified_amount)).all()
    flag = _flags(app)[0]
    with app.app_context():
        actor = db.session.get(User, make_staff(region=PALOPO).id)
        preview = services.preview_bulk_void(actor=actor, region_code=PALOPO, selection=Selection(flag=flag.key))
        assert (preview.count, preview.amount) == (4, 240_000)
        assert db.session.execute(select(Tally.dimension, Tally.key_id, Tally.realized_amount,
                                         Tally.verified_amount)).all() == before


def test_the_fresh_flag_never_scans_the_shops_purchases(app, shop_with_buyers):
    """The only statement that reads purchases goes through the shop's buyers (tally members)."""
    owner, shop, _buyers = shop_with_buyers()
    _confirm_all(app, owner, shop)
    statements = []
    with app.app_context():
        engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            region_flags(campaign_id=current_campaign().id, region_id=region_by_code(PALOPO).id)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    reading = [s for s in statements if " purchase" in s.lower()]
    assert len(reading) == 1 and "tally_member" in reading[0].lower().split("join purchase")[0]


# --- issue 16, table row 2: the ring, through the pages ----------------------------------------

RING = {"73.10": 7, "73.11": 6, "73.12": 6}  # at most 7 per region
RING_AMOUNT = 4_999_999  # each account under FLAG_ASN_MIN_AMOUNT


@pytest.mark.parametrize("app_config", [{}])  # the default thresholds and limits, as deployed
def test_palopos_coordinator_sees_the_ring_flagged_within_one_period(app, make_owner, make_shop, make_staff,
                                                                    login_as):
    """19 sign-ups with made-up NIPs in 73.10, 73.11, 73.12, each buying Rp4.999.999 at a new Palopo
    shop, confirmed with "Konfirmasi semua": Palopo's coordinator sees the shop flagged on the flags
    page, each ring region's coordinator and the admin see the sign-up burst, and none of it is verified
    spend. No flag moved a total."""
    owner = make_owner()
    shop = make_shop(owner=owner, region=PALOPO, name="Toko Cincin Palopo")
    for n, region in enumerate(code for code, accounts in RING.items() for _ in range(accounts)):
        client = app.test_client()
        assert client.post("/daftar/asn", environ_base={"REMOTE_ADDR": "10.16.0.9"}, data={
            "name": f"Cincin {n}", "login": f"ring{n}@example.id", "password": "rahasia123", "confirm": "rahasia123",
            "consent": "y", "nip": f"19880202201202{1 + n % 2}{n + 1:03d}", "agency": "Dinas Fiktif",
            "region": region}).status_code == 302
        client.post("/masuk", data={"login": f"ring{n}@example.id", "password": "rahasia123"})
        assert client.post("/belanja/baru", data={"shop_id": shop, "amount": "4.999.999", "client_ref": f"ring-{n}",
                                                  "purchased_on": province_today().isoformat()}).status_code == 302
    with app.app_context():
        ids = list(db.session.scalars(select(Purchase.id).where(Purchase.shop_id == shop)))
    assert len(ids) == 19
    shop_client = login_as(owner)
    assert shop_client.post("/toko/saya/belanja/konfirmasi-semua",
                            data={"ids": ",".join(map(str, ids))}).status_code == 302
    with app.app_context():
        verified = db.session.scalar(select(Tally.verified_amount).where(
            Tally.dimension == "shop_region", Tally.key_id == region_by_code(PALOPO).id))
    palopo = login_as(make_staff(region=PALOPO)).get(f"/koordinator/wilayah/{PALOPO}/tanda").get_data(as_text=True)
    assert "Toko Cincin Palopo" in palopo
    assert "Satu toko mengonfirmasi banyak pembeli pertama kali" in palopo  # "Konfirmasi semua" over first-timers
    # its made-up NIPs are on no roster: confirmed, but not verified spend, so 'fresh' (which weighs
    # verified spend) has nothing of it to flag
    assert "Belanja terkonfirmasi toko dari akun baru atau pembeli satu toko" not in palopo
    with app.app_context():
        assert db.session.execute(select(Tally.realized_amount, Tally.verified_amount).where(
            Tally.dimension == "shop", Tally.key_id == shop)).one() == (19 * RING_AMOUNT, 0)
    admin = login_as(make_staff(role="admin"))
    for region in RING:  # (a region's accounts may fall in two periods; the source's 19 are seen from each)
        for viewer in (login_as(make_staff(region=region)), admin):
            page = viewer.get(f"/koordinator/wilayah/{region}/tanda").get_data(as_text=True)
            assert "Lonjakan pendaftaran ASN dari satu sumber" in page
            assert "akun ASN wilayah ini didaftarkan (19 dari sumber ini di seluruh provinsi)" in page
    assert "Toko Cincin Palopo" in admin.get(f"/koordinator/wilayah/{PALOPO}/tanda").get_data(as_text=True)
    with app.app_context():  # flags point; the totals are what the confirmations made them
        assert db.session.scalar(select(Tally.verified_amount).where(
            Tally.dimension == "shop_region", Tally.key_id == region_by_code(PALOPO).id)) == verified
