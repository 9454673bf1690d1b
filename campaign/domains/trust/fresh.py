"""The ``fresh`` flag: a shop whose confirmed spend comes mostly from new accounts, or from buyers
who buy at no other shop (a ring of accounts made for one shop, spread over regions so that no
region sees a burst and no account stands out).

A shop of the region with at least ``FLAG_SHOP_MIN_VERIFIED`` confirmed is flagged when accounts
created less than ``FLAG_FRESH_ACCOUNT_DAYS`` days ago, or buyers whose only shop in the campaign
is this one, hold at least ``FLAG_FRESH_SHARE`` of that confirmed spend. Read from the tallies (the
shop's confirmed total; per buyer, the shops they buy at and their confirmed total, which for a
one-shop buyer is all at this shop) and, for the new accounts, one query that goes from the shop's
buyers (tally members) through the purchases index by buyer: never a scan of the shop's purchases.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.purchases.models import Purchase
from campaign.domains.shops.models import Shop
from campaign.domains.tallies.models import Tally, TallyMember
from campaign.util.formatting import number, rupiah, utcnow


def fresh_flags(campaign_id: int, region_id: int):
    """(key, kind, subject, detail, since) for each flagged shop of the region."""
    config = current_app.config
    shops = {shop_id: (name, verified) for shop_id, name, verified in db.session.execute(
        select(Tally.key_id, Shop.name, Tally.verified_amount).join(Shop, Shop.id == Tally.key_id)
        .where(Tally.campaign_id == campaign_id, Tally.dimension == "shop", Shop.region_id == region_id,
               Tally.verified_amount >= config["FLAG_SHOP_MIN_VERIFIED"]))}
    if not shops:
        return
    days = config["FLAG_FRESH_ACCOUNT_DAYS"]
    young, loyal = _young_spend(campaign_id, shops, days), _one_shop_spend(campaign_id, shops)
    for shop_id, (name, verified) in sorted(shops.items()):
        shares = (young.get(shop_id, 0) / verified, loyal.get(shop_id, 0) / verified)
        if max(shares) < config["FLAG_FRESH_SHARE"]:
            continue
        yield (f"fresh:{shop_id}", "fresh", name,
               f"Terkonfirmasi {rupiah(verified)}: {round(shares[0] * 100)}% dari akun yang dibuat kurang dari "
               f"{number(days)} hari lalu, {round(shares[1] * 100)}% dari pembeli yang tidak belanja di toko lain.",
               None)


def _buyers(campaign_id: int, shop_ids):
    """The shop member rows of buyers with a confirmed purchase at one of ``shop_ids``."""
    return (TallyMember.campaign_id == campaign_id, TallyMember.dimension == "shop",
            TallyMember.key_id.in_(shop_ids), TallyMember.member_kind == "asn", TallyMember.verified_count > 0)


def _one_shop_spend(campaign_id: int, shop_ids) -> dict[int, int]:
    """Per shop: the confirmed spend of its buyers who buy at no other shop (their whole confirmed
    total, read from their per-ASN tally)."""
    buyer = aliased(Tally)
    return dict(db.session.execute(
        select(TallyMember.key_id, func.sum(buyer.verified_amount))
        .join(buyer, and_(buyer.campaign_id == campaign_id, buyer.dimension == "asn",
                          buyer.key_id == TallyMember.member_id))
        .where(*_buyers(campaign_id, shop_ids), buyer.shops_supported == 1)
        .group_by(TallyMember.key_id)).all())


def _young_spend(campaign_id: int, shop_ids, days: int) -> dict[int, int]:
    """Per shop: the verified spend there (confirmed, buyer on the roster: the share's denominator
    counts the same) of accounts created less than ``days`` days ago, found from the shop's buyers
    (members) through the purchases index by buyer."""
    return dict(db.session.execute(
        select(TallyMember.key_id, func.sum(Purchase.amount))
        .join(User, User.id == TallyMember.member_id)
        .join(Purchase, and_(Purchase.buyer_id == TallyMember.member_id, Purchase.shop_id == TallyMember.key_id))
        .where(*_buyers(campaign_id, shop_ids), User.created_at >= utcnow() - timedelta(days=days),
               Purchase.campaign_id == campaign_id, Purchase.status == "confirmed",
               Purchase.buyer_on_roster.is_(True))
        .group_by(TallyMember.key_id)).all())
