"""Plausibility flags on the needs board, shown beside each completed deal on the coordinator's
deals page. Like the ASN flags they only point: a flag never changes a total, a void does.

A completed deal of the campaign is flagged (thresholds in :class:`campaign.core.config.Defaults`):

- far above the usual: its value is at least ``FLAG_DEAL_FACTOR`` x the median of the
  organisation's other completed deals, or, for an organisation without others, of the other
  completed deals of the need's category;
- new with new: the organisation and the shop both registered less than ``FLAG_DEAL_NEW_DAYS``
  days before the deal was completed;
- one pair holding the region: the organisation and the shop together hold at least
  ``FLAG_DEAL_PAIR_SHARE`` of the region's institutional spend, where the region has at least
  three completed deals.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from statistics import median

from flask import current_app
from sqlalchemy import select

from campaign.core.extensions import db
from campaign.domains.needs.models import BuyerOrganisation, Need, Offer
from campaign.domains.shops.models import Shop
from campaign.util.formatting import as_utc, rupiah


def deal_flags(*, campaign_id: int, region_id: int) -> dict[int, list[str]]:
    """The reasons (in Bahasa Indonesia) per offer id, for the region's flagged completed deals."""
    config = current_app.config
    deals = db.session.execute(
        select(Offer.id, Need.buyer_id, Offer.shop_id, Offer.shop_region_id, Need.category,
               Offer.unit_price * Offer.accepted_quantity, Offer.completed_at, BuyerOrganisation.created_at,
               Shop.created_at)
        .join(Need, Need.id == Offer.need_id).join(BuyerOrganisation, BuyerOrganisation.id == Need.buyer_id)
        .join(Shop, Shop.id == Offer.shop_id)
        .where(Need.campaign_id == campaign_id, Offer.status == "completed")).all()
    by_buyer, by_category = defaultdict(list), defaultdict(list)
    for deal in deals:
        by_buyer[deal[1]].append((deal[0], int(deal[5])))
        by_category[deal[4]].append((deal[0], int(deal[5])))
    mine = [deal for deal in deals if deal[3] == region_id]
    region_total = sum(int(deal[5]) for deal in mine)
    pairs: dict[tuple[int, int], int] = defaultdict(int)
    for deal in mine:
        pairs[(deal[1], deal[2])] += int(deal[5])
    flags: dict[int, list[str]] = {}
    for offer_id, buyer_id, shop_id, _region, category, amount, completed, buyer_since, shop_since in mine:
        reasons = []
        usual = _usual(offer_id, by_buyer[buyer_id], "lembaga ini") or \
            _usual(offer_id, by_category[category], "kategori ini")
        if usual and amount >= config["FLAG_DEAL_FACTOR"] * usual[0]:
            reasons.append(f"Nilai {rupiah(int(amount))} jauh di atas transaksi {usual[1]} biasanya "
                           f"(median {rupiah(int(usual[0]))}).")
        new = timedelta(days=config["FLAG_DEAL_NEW_DAYS"])
        done = as_utc(completed) if completed else None
        if done and done - as_utc(buyer_since) < new and done - as_utc(shop_since) < new:
            reasons.append(f"Lembaga baru bertransaksi dengan toko baru (keduanya terdaftar kurang dari "
                           f"{config['FLAG_DEAL_NEW_DAYS']} hari sebelumnya).")
        share = pairs[(buyer_id, shop_id)] / region_total if region_total else 0
        if len(mine) >= 3 and share >= config["FLAG_DEAL_PAIR_SHARE"]:
            reasons.append(f"Pasangan lembaga dan toko ini memegang {round(share * 100)}% belanja lembaga wilayah ini.")
        if reasons:
            flags[offer_id] = reasons
    return flags


def _usual(offer_id: int, deals: list[tuple[int, int]], whose: str) -> tuple[float, str] | None:
    """(median of the other deals' values, whose they are), or None without other deals."""
    others = [amount for other, amount in deals if other != offer_id]
    return (median(others), whose) if others else None
