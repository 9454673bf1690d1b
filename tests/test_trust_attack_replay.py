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
    """Forty ordinary civil servants across the province, Rp25.000 to Rp150.000 each."""
    regions = ["73.71", "73.73", "73.22", "73.02", SELAYAR]
    shops = {code: make_shop(region=code) for code in regions}
    for n in range(40):
        code = regions[n % len(regions)]
        make_purchase(buyer=make_asn(region=code), shop_id=shops[code], amount=25_000 + (n % 6) * 25_000)


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
    assert _region_tallies(app, SELAYAR)["shop_region"][1] - before["shop_region"][1] == stolen > 230_000_000

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
