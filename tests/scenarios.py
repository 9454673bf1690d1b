"""Ready-made worlds (a pytest plugin, declared in conftest.py's ``pytest_plugins``): the
leaderboard ``scenario`` and the API tests' ``world``. Test modules ask for them by name."""
from __future__ import annotations

import pytest
from api_helpers import World, token_for
from helpers import BONE, MAKASSAR, PALOPO, PAREPARE, act
from sqlalchemy import select

from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.regions.models import Campaign, Region
from campaign.domains.shops.models import Shop


@pytest.fixture
def scenario(app, make_asn, make_shop, make_purchase, make_staff):
    """Palopo ASN buy in Palopo and Makassar; purchases confirmed, disputed, voided, withdrawn.

    asn_region realized: Makassar 200.000, Palopo 170.000, Bone 150.000, Parepare 150.000.
    shop_region realized: Parepare 300.000, Makassar 250.000, Palopo 120.000.
    """
    from campaign.domains.purchases.pledges import make_pledge
    from campaign.domains.purchases.services import (
        confirm_purchase,
        dispute_purchase,
        void_purchase,
        withdraw_purchase,
    )
    from campaign.domains.regions.services import set_region_target

    people = {
        "palopo1": make_asn(region=PALOPO, agency="Dinas Koperasi dan UKM", name="Andi Palopo"),
        "palopo2": make_asn(region=PALOPO, agency="Dinas Pendidikan", name="Besse Palopo"),
        "makassar": make_asn(region=MAKASSAR, name="Daeng Makassar"),
        "parepare": make_asn(region=PAREPARE, name="Puang Parepare"),
        "bone": make_asn(region=BONE, name="Andi Bone"),
        "admin": make_staff(role="admin"),
        "coord_palopo": make_staff(region=PALOPO),
        "coord_makassar": make_staff(region=MAKASSAR),
    }
    shops = {
        "palopo": make_shop(region=PALOPO, name="Warung Ibu Sitti"),
        "palopo_disputed": make_shop(region=PALOPO, name="Warung Dibantah"),
        "palopo_idle": make_shop(region=PALOPO, name="Kios Sepi"),
        "palopo_pending": make_shop(region=PALOPO, name="Toko Menunggu", status="pending"),
        "makassar": make_shop(region=MAKASSAR, name="Toko Coto Makassar", category="kuliner"),
        "parepare": make_shop(region=PAREPARE, name="Warung Parepare"),
    }
    buy = {
        "p1_palopo": make_purchase(buyer=people["palopo1"], shop_id=shops["palopo"], amount=100_000),
        "p1_makassar": make_purchase(buyer=people["palopo1"], shop_id=shops["makassar"], amount=50_000),
        "p2_disputed": make_purchase(buyer=people["palopo2"], shop_id=shops["palopo_disputed"], amount=30_000),
        "p2_palopo": make_purchase(buyer=people["palopo2"], shop_id=shops["palopo"], amount=20_000),
        "mks": make_purchase(buyer=people["makassar"], shop_id=shops["makassar"], amount=200_000),
        "mks_voided": make_purchase(buyer=people["makassar"], shop_id=shops["makassar"], amount=40_000),
        "pare_withdrawn": make_purchase(buyer=people["parepare"], shop_id=shops["parepare"], amount=80_000),
        "pare": make_purchase(buyer=people["parepare"], shop_id=shops["parepare"], amount=150_000),
        "bone": make_purchase(buyer=people["bone"], shop_id=shops["parepare"], amount=150_000),
    }
    with app.app_context():
        owner_of = dict(db.session.execute(select(Shop.id, Shop.owner_id)).all())
    act(app, confirm_purchase, owner_of[shops["palopo"]], purchase_id=buy["p1_palopo"])
    act(app, confirm_purchase, owner_of[shops["makassar"]], purchase_id=buy["mks"])
    act(app, dispute_purchase, owner_of[shops["palopo_disputed"]], purchase_id=buy["p2_disputed"],
        reason="Tidak ada transaksi ini")
    act(app, void_purchase, people["coord_makassar"].id, purchase_id=buy["mks_voided"], reason="Tercatat dua kali")
    act(app, withdraw_purchase, people["parepare"].id, purchase_id=buy["pare_withdrawn"])
    for who, amount in (("palopo1", 200_000), ("palopo2", 100_000), ("makassar", 400_000), ("parepare", 100_000)):
        with app.app_context():
            make_pledge(asn=db.session.get(User, people[who].id), amount=amount)
    with app.app_context():
        regions = dict(db.session.execute(select(Region.code, Region.id)).all())
        campaign_id = db.session.scalar(select(Campaign.id))
    for code, headcount, target in ((PALOPO, 10, 1_000_000), (MAKASSAR, 100, 5_000_000), (PAREPARE, 5, 0)):
        act(app, set_region_target, people["admin"].id, campaign_id=campaign_id, region_id=regions[code],
            asn_headcount=headcount, target_amount=target)
    return {"people": people, "shops": shops, "purchases": buy, "regions": regions, "campaign_id": campaign_id}


@pytest.fixture
def world(api, make_asn, make_owner, make_shop, make_staff) -> World:
    asn = make_asn(region="73.73", name="Andi Baso", login="081355500011", nip="198609262015051777")
    owner = make_owner(name="Ibu Sitti", login="sitti@example.id")
    shop_id = make_shop(owner=owner, name="Warung Sitti", region="73.73")
    coordinator = make_staff(role="coordinator", region="73.73")
    other = make_staff(role="coordinator", region="73.71")
    admin = make_staff(role="admin")
    people = {"asn": asn, "owner": owner, "coordinator": coordinator, "other_coordinator": other, "admin": admin}
    tokens = {name: token_for(api, person) for name, person in people.items()}
    return World(asn, owner, shop_id, coordinator, other, admin, tokens)
