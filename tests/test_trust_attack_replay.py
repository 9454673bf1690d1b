from helpers import province_today
"""Issue 7's attack, replayed: many ASN accounts sign up through the API, each tries 20 purchases of
Rp10.000.000 at one colluding shop in Kabupaten Kepulauan Selayar, and the owner confirms all that
got through. The limits refuse most; every purchase that got through is behind a flag; one bulk
void by the region's coordinator restores the region's totals; check-tallies passes."""
import pytest
from api_helpers import token_for
from sqlalchemy import select

from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.purchases.models import Purchase
from campaign.domains.regions.services import current_campaign, region_by_code
from campaign.domains.tallies.models import Tally
from campaign.domains.trust import services
from campaign.domains.trust.flags import region_flags
from campaign.domains.trust.selection import Selection

SELAYAR = "73.01"
ATTACKERS = 12
TRIES = 20


def _region_tallies(app, code):
    with app.app_context():
        region = region_by_code(code)
        return {dimension: (amount, verified, participants) for dimension, amount, verified, participants in
                db.session.execute(select(Tally.dimension, Tally.realized_amount, Tally.verified_amount,
                                          Tally.participants)
                                   .where(Tally.key_id == region.id, Tally.dimension.in_(["asn_region", "shop_region"])))}


@pytest.fixture
def honest_province(make_asn, make_shop, make_purchase):
    """Forty ordinary civil servants across the province, Rp25.000 to Rp150.000 each (Selayar without
    a roster, so made-up NIPs can sign up there)."""
    regions = ["73.71", "73.73", "73.22", "73.02", SELAYAR]
    shops = {code: make_shop(region=code) for code in regions}
    for n in range(40):
        code = regions[n % len(regions)]
        make_purchase(buyer=make_asn(region=code, on_roster=code != SELAYAR), shop_id=shops[code],
                      amount=25_000 + (n % 6) * 25_000)


@pytest.mark.slow
def test_the_attack_is_limited_flagged_and_undone(app, api, honest_province, make_owner, make_shop, make_staff,
                                                   runner, tallies_agree):
    before = _region_tallies(app, SELAYAR)
    owner = make_owner()
    shop = make_shop(owner=owner, region=SELAYAR, name="Toko Kolusi")
    tokens = []
    for n in range(ATTACKERS):
        response = api.post("/users", json={"role": "asn", "name": f"Akun Palsu {n}", "nip": f"199001012015011{n + 1:03d}",
                                            "agency": "Dinas Fiktif", "region": SELAYAR, "login": f"palsu{n}@example.id",
                                            "password": "rahasia123", "consent": True})
        assert response.status_code == 201
        tokens.append(api.post("/tokens", json={"login": f"palsu{n}@example.id", "password": "rahasia123"})
                      .get_json()["token"])

    statuses = [api.post("/purchases", json={"shop_id": shop, "amount": 10_000_000 - k * 1_000}, token=token).status_code
                for token in tokens for k in range(TRIES)]
    # Rp20.000.000 per ASN per day: two each, the rest refused
    assert statuses.count(201) == 2 * ATTACKERS and statuses.count(422) == (TRIES - 2) * ATTACKERS
    owner_token = token_for(api, owner)
    with app.app_context():
        accepted = list(db.session.scalars(select(Purchase.id).where(Purchase.shop_id == shop)))
        stolen = sum(db.session.scalars(select(Purchase.amount).where(Purchase.shop_id == shop)))
    for purchase_id in accepted:
        assert api.post(f"/purchases/{purchase_id}/confirm", token=owner_token).status_code == 200
    realized, verified, _ = _region_tallies(app, SELAYAR)["shop_region"]
    assert realized - before["shop_region"][0] == stolen > 230_000_000
    assert verified == before["shop_region"][1]  # confirmed, yet not verified: these NIPs are on no roster

    coordinator = make_staff(region=SELAYAR)
    with app.app_context():
        actor = db.session.get(User, coordinator.id)
        flags = region_flags(campaign_id=current_campaign().id, region_id=region_by_code(SELAYAR).id)
        flagged = set()
        for flag in flags:
            preview = services.preview_bulk_void(actor=actor, region_code=SELAYAR, selection=Selection(flag=flag.key))
            flagged |= {p.id for p in preview.purchases}
        assert {f.kind for f in flags} >= {"asn"} and flagged == set(accepted)  # every one behind a flag

        preview = services.preview_bulk_void(actor=actor, region_code=SELAYAR, selection=Selection(shop_id=shop))
        assert (preview.count, preview.amount) == (len(accepted), stolen)
        services.bulk_void(actor=actor, region_code=SELAYAR, selection=Selection(shop_id=shop),
                           reason="Akun fiktif dan toko kolusi")

    after = _region_tallies(app, SELAYAR)
    assert {d: v[:2] for d, v in after.items()} == {d: v[:2] for d, v in before.items()}
    assert {d: v[2] for d, v in after.items()} == {d: v[2] for d, v in before.items()}
    assert runner.invoke(args=["check-tallies"]).exit_code == 0
    tallies_agree()


# --- issue 16's ring, spread over regions without a roster ------------------------------------

RING = {"73.10": 7, "73.11": 6, "73.12": 6}  # at most 7 per region: under the per-region burst threshold
RING_AMOUNT = 4_999_999  # each account under FLAG_ASN_MIN_AMOUNT (Rp5.000.000)


def _ring_sign_up(client, n: int, region: str):
    return client.post("/daftar/asn", environ_base={"REMOTE_ADDR": "10.16.0.2"}, data={
        "name": f"Cincin {n}", "login": f"cincin{n}@example.id", "password": "rahasia123", "confirm": "rahasia123",
        "consent": "y", "nip": f"19880202201202{1 + n % 2}{n + 1:03d}", "agency": "Dinas Fiktif", "region": region})


def test_a_ring_spread_over_regions_is_flagged_in_each_within_one_period(app, make_asn, make_owner, make_shop,
                                                                         make_purchase, make_staff, no_logging_limits,
                                                                         tallies_agree):
    """19 HTML sign-ups from one source in 73.10, 73.11 and 73.12, each buying Rp4.999.999 at a new
    Palopo shop, all confirmed with "Konfirmasi semua": no flag fired (the sign-up burst counted per
    region). Counted across the province, the ring is flagged in each region at once, and each
    flag selects exactly that region's part of the ring for a bulk void. And it is not verified
    spend: its made-up NIPs are on no roster, so Palopo's verified spend by shop region stays put
    while its realized spend takes the ring in."""
    honest = make_owner()
    honest_shop = make_shop(owner=honest, region="73.73")
    for _ in range(5):  # Palopo's honest spend, by buyers on its roster
        make_purchase(buyer=make_asn(region="73.73"), shop_id=honest_shop, amount=1_000_000, confirmed_by=honest)
    before = _region_tallies(app, "73.73")["shop_region"][:2]
    assert before == (5_000_000, 5_000_000)
    owner = make_owner()
    shop = make_shop(owner=owner, region="73.73", name="Toko Cincin")
    n = 0
    for region, accounts in RING.items():
        for _ in range(accounts):
            client = app.test_client()
            assert _ring_sign_up(client, n, region).status_code == 302
            client.post("/masuk", data={"login": f"cincin{n}@example.id", "password": "rahasia123"})
            logged = client.post("/belanja/baru", data={"shop_id": shop, "amount": str(RING_AMOUNT),
                                                        "purchased_on": province_today().isoformat(),
                                                        "client_ref": f"cincin-{n}"})
            assert logged.status_code == 302
            n += 1
    shop_client = app.test_client()
    shop_client.post("/masuk", data={"login": owner.login, "password": owner.password})
    with app.app_context():
        ids = ",".join(str(i) for i in db.session.scalars(select(Purchase.id).where(Purchase.shop_id == shop)))
    assert shop_client.post("/toko/saya/belanja/konfirmasi-semua", data={"ids": ids}).status_code == 302
    admin = make_staff(role="admin")
    for region, accounts in RING.items():
        with app.app_context():
            flags = region_flags(campaign_id=current_campaign().id, region_id=region_by_code(region).id)
            signup = [flag for flag in flags if flag.kind == "signup"]
            assert len(signup) == 1, (region, [f.kind for f in flags])
            assert f"{accounts} akun ASN wilayah ini didaftarkan (19 dari sumber ini" in signup[0].detail
            preview = services.preview_bulk_void(actor=db.session.get(User, admin.id), region_code=region,
                                                 selection=Selection(flag=signup[0].key))
            assert (preview.count, preview.amount) == (accounts, accounts * RING_AMOUNT)
            assert {p.status for p in preview.purchases} == {"confirmed"}
    with app.app_context():  # and at the shop: "Konfirmasi semua" over 19 buyers' only purchase
        flags = region_flags(campaign_id=current_campaign().id, region_id=region_by_code("73.73").id)
        first = [flag for flag in flags if flag.kind == "first"]
        assert len(first) == 1 and first[0].subject == "Toko Cincin" and first[0].detail.startswith("19 belanja")
    realized, verified = _region_tallies(app, "73.73")["shop_region"][:2]
    assert verified == before[1]  # the ring is not verified
    assert realized == before[0] + 19 * RING_AMOUNT
    tallies_agree()
