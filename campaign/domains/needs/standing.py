"""Institutional spend ("belanja lembaga") as the region page and the API show it: completed
deals of the needs board per shop region, read from :class:`~.models.InstitutionalTally`,
never mixed into the ASN figures of :mod:`campaign.domains.leaderboard.queries`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.needs import tally
from campaign.domains.needs.models import BuyerOrganisation, Need, Offer
from campaign.domains.regions.models import Campaign
from campaign.domains.regions.queries import CampaignInfo
from campaign.domains.regions.services import all_regions, get_campaign, region_by_code
from campaign.domains.shops.models import Shop
from campaign.util.formatting import as_utc, utcnow


@dataclass(frozen=True)
class Deal:
    offer_id: int
    need_title: str
    buyer_name: str
    shop_name: str
    quantity: int
    unit: str
    amount: int
    completed_at: datetime


@dataclass(frozen=True)
class RegionInstitutional:
    """``rank``: place among all regions by institutional spend, ties by region code."""

    code: str
    name: str
    kind: str
    campaign: CampaignInfo
    amount: int
    deals: int
    rank: int
    region_count: int
    recent: list[Deal]

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"


def region_institutional(*, code: str, campaign_id: int | None, recent: int = 10) -> RegionInstitutional:
    """NotFound for an unknown region or campaign."""
    region = region_by_code(code)
    campaign = get_campaign(campaign_id)
    tallies = tally.by_region(campaign.id)
    regions = all_regions()
    order = sorted(regions, key=lambda r: (-(tallies[r.id].amount if r.id in tallies else 0), r.code))
    own = tallies.get(region.id)
    return RegionInstitutional(region.code, region.name, region.kind, CampaignInfo.of(campaign),
                               own.amount if own else 0, own.deals if own else 0,
                               [r.id for r in order].index(region.id) + 1, len(regions),
                               recent_deals(campaign, region.id, recent))


def recent_deals(campaign: Campaign, region_id: int, limit: int) -> list[Deal]:
    """Completed deals at the region's shops, newest first. Buyers are organisations and sellers
    are businesses, so naming them is not personal data."""
    rows = db.session.execute(
        select(Offer.id, Need.title, BuyerOrganisation.name, Shop.name, Offer.accepted_quantity, Need.unit,
               Offer.unit_price * Offer.accepted_quantity, Offer.completed_at)
        .join(Need, Need.id == Offer.need_id).join(BuyerOrganisation, BuyerOrganisation.id == Need.buyer_id)
        .join(Shop, Shop.id == Offer.shop_id)
        .where(Need.campaign_id == campaign.id, Offer.shop_region_id == region_id, Offer.status == "completed")
        .order_by(Offer.completed_at.desc(), Offer.id.desc()).limit(limit))
    return [Deal(*row[:6], int(row[6]), row[7]) for row in rows]


@dataclass(frozen=True)
class VoidedDeal:
    """``undo_until``: until when the void can be undone (past: no longer)."""

    offer_id: int
    need_title: str
    buyer_name: str
    shop_name: str
    amount: int
    voided_at: datetime
    voided_by: str
    reason: str
    undo_until: datetime

    @property
    def can_undo(self) -> bool:
        return utcnow() <= self.undo_until


def recent_voids(campaign: Campaign, region_id: int, limit: int) -> list[VoidedDeal]:
    """Voided deals at the region's shops, newest void first."""
    days = timedelta(days=current_app.config["BULK_VOID_UNDO_DAYS"])
    rows = db.session.execute(
        select(Offer.id, Need.title, BuyerOrganisation.name, Shop.name, Offer.unit_price * Offer.accepted_quantity,
               Offer.voided_at, User.name, Offer.void_reason)
        .join(Need, Need.id == Offer.need_id).join(BuyerOrganisation, BuyerOrganisation.id == Need.buyer_id)
        .join(Shop, Shop.id == Offer.shop_id).join(User, User.id == Offer.voided_by_id)
        .where(Need.campaign_id == campaign.id, Offer.shop_region_id == region_id, Offer.status == "voided")
        .order_by(Offer.voided_at.desc(), Offer.id.desc()).limit(limit))
    return [VoidedDeal(offer_id, title, buyer, shop, int(amount), as_utc(at), by, reason or "", as_utc(at) + days)
            for offer_id, title, buyer, shop, amount, at, by, reason in rows]
