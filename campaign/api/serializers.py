"""Models and query results to JSON-ready dicts, in the shapes :mod:`campaign.api.schemas` documents.

Dates are ``YYYY-MM-DD``; timestamps ISO 8601 in the deployment's zone
(``campaign.core.clock``: WIB ``+07:00``, WITA ``+08:00``, WIT ``+09:00``); amounts integer rupiah;
regions by Kemendagri code. Public shapes carry no NIP, e-mail, phone or individual's spending.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from sqlalchemy import inspect

from campaign.core import clock
from campaign.domains.auth.models import User
from campaign.domains.leaderboard.provinces import ProvinceStandings
from campaign.domains.leaderboard.queries import Figures, RegionProgress, Standings
from campaign.domains.leaderboard.reference import reference
from campaign.domains.purchases import queries as purchase_queries
from campaign.domains.purchases.models import Pledge, Purchase
from campaign.domains.purchases.queries import MySummary, PurchaseRow
from campaign.domains.regions.models import Campaign, Region, RegionTarget
from campaign.domains.regions.queries import CampaignInfo
from campaign.domains.shops.models import SHOP_STATUSES, Shop
from campaign.domains.shops.services import whatsapp_order_url


def timestamp(value: datetime | None) -> str | None:
    return None if value is None else clock.zone().local(value).isoformat(timespec="seconds")


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def region(r: Region) -> dict:
    return {"code": r.code, "bps_code": r.bps_code, "kind": r.kind, "name": r.name, "capital": r.capital}


def campaign(c: Campaign | CampaignInfo) -> dict:
    info = CampaignInfo.of(c) if isinstance(c, Campaign) else c
    return {"id": info.id, "name": info.name, "appeal_letter_number": info.appeal_letter_number,
            "appeal_letter_date": day(info.appeal_letter_date), "starts_on": day(info.starts_on),
            "ends_on": day(info.ends_on)}


# --- leaderboard and progress ------------------------------------------------------------

def withheld(names: frozenset[str]) -> dict:
    """``suppressed`` (any figure withheld, see campaign.domains.leaderboard.privacy) and which ones, sorted."""
    return {"suppressed": bool(names), "suppressed_fields": sorted(names)}


def figures(f: Figures) -> dict:
    return {**{k: v for k, v in asdict(f).items() if k not in ("suppressed", "rounded")}, **withheld(f.suppressed),
            "rounded_fields": sorted(f.rounded)}


FIGURE_NAMES = ("realized", "verified", "pledged", "participants", "purchases", "shops_supported",
                "asn_headcount", "target_amount", "participation_rate", "pledge_realization", "spend_per_asn")


def standings(s: Standings) -> dict:
    checked = reference().checked
    rows = [{"rank": r.rank, "region": {"code": r.region_code, "name": r.region_name, "kind": r.region_kind},
             "roster_checked": r.region_code in checked,
             "realized": r.realized, "verified": r.verified, "pledged": r.pledged,
             "participants": r.participants, "purchases": r.purchases, "shops_supported": r.shops_supported,
             "asn_headcount": r.asn_headcount, "target_amount": r.target_amount,
             "participation_rate": r.participation_rate, "pledge_realization": r.pledge_realization,
             "spend_per_asn": r.spend_per_asn, "institutional": r.institutional,
             **withheld(r.suppressed)} for r in s.rows]
    return {"campaign": campaign(s.campaign), "metric": s.metric, "perspective": s.perspective,
            "province": s.province, "rows": rows, "totals": figures(s.totals)}


def province_standings(s: ProvinceStandings) -> dict:
    rows = [{"rank": r.rank, "province": {"code": r.province_code, "name": r.province_name,
                                          "region_count": r.region_count},
             **{name: getattr(r, name) for name in FIGURE_NAMES}, "institutional": r.institutional,
             **withheld(r.suppressed)} for r in s.rows]
    return {"campaign": campaign(s.campaign), "metric": s.metric, "perspective": s.perspective,
            "rows": rows, "totals": figures(s.totals)}


def _weeks(points) -> list[dict]:
    return [{"week_start": day(p.week_start), "realized": p.realized, "verified": p.verified,
             "purchases": p.purchases, "suppressed": p.suppressed} for p in points]


def progress(p: RegionProgress) -> dict:
    """The public part: totals in both perspectives, rank, the weekly series, and whether the
    region's ASN sign-up is checked against a roster."""
    return {"region": {"code": p.region.code, "name": p.region.name, "kind": p.region.kind,
                       "capital": p.region.capital}, "roster_checked": p.region.code in reference().checked,
            "campaign": campaign(p.campaign), "rank": p.rank, "region_count": p.region_count,
            "asn_region": figures(p.asn_region), "shop_region": figures(p.shop_region),
            "weeks": {"asn_region": _weeks(p.weeks_asn_region), "shop_region": _weeks(p.weeks_shop_region)}}


def region_details(p: RegionProgress) -> dict:
    """The public progress plus the coordinator's sections (names buyers: coordinators only)."""
    d = p.detail
    disputed = [{**asdict(row), "purchased_on": day(row.purchased_on)} for row in d.disputed]
    return {**progress(p), "detail": {
        "by_agency": [asdict(row) for row in d.by_agency], "top_shops": [asdict(row) for row in d.top_shops],
        "idle_shops": [asdict(row) for row in d.idle_shops], "idle_shops_total": d.idle_shops_total,
        "disputed": disputed, "disputed_more": d.disputed_more, "pending_shops": d.pending_shops}}


def target(t: RegionTarget, r: Region) -> dict:
    return {"region": r.code, "campaign_id": t.campaign_id, "asn_headcount": t.asn_headcount,
            "target_amount": t.target_amount, "updated_at": timestamp(t.updated_at)}


# --- shops -----------------------------------------------------------------------------------

SHOP_PUBLIC = ("id", "name", "category", "category_label", "region_code", "region_name", "district",
               "village", "street", "whatsapp", "whatsapp_url", "description", "products", "covid_affected")


def shop_summary(s) -> dict:
    """A directory entry (``ShopSummary``); the WhatsApp number is the shop's public order line."""
    return {name: getattr(s, name) for name in SHOP_PUBLIC}


def shop_detail(s) -> dict:
    return {**shop_summary(s), "status": s.status, "status_label": SHOP_STATUSES[s.status]}


def owned_shop(s) -> dict:
    """An ``OwnedShop``: with the coordinator's reason if rejected."""
    return {**shop_detail(s), "rejection_reason": s.rejection_reason, "created_at": timestamp(s.created_at)}


def shop_model(shop: Shop) -> dict:
    """A shop just registered or decided, in the ``owned_shop`` shape."""
    return {"id": shop.id, "name": shop.name, "category": shop.category, "category_label": shop.category_label,
            "region_code": shop.region.code, "region_name": shop.region.full_name, "district": shop.district,
            "village": shop.village, "street": shop.street, "whatsapp": shop.whatsapp,
            "whatsapp_url": whatsapp_order_url(shop), "description": shop.description or "",
            "products": shop.products or "", "covid_affected": shop.covid_affected, "status": shop.status,
            "status_label": shop.status_label, "rejection_reason": shop.rejection_reason,
            "created_at": timestamp(shop.created_at)}


def pending_shop(s) -> dict:
    return {**asdict(s), "created_at": timestamp(s.created_at)}


# --- purchases, pledges, accounts ------------------------------------------------------------

def purchase_row(p: PurchaseRow) -> dict:
    return {"id": p.id, "status": p.status, "status_label": p.status_label, "status_reason": p.status_reason,
            "amount": p.amount, "purchased_on": day(p.purchased_on), "note": p.note,
            "shop": {"id": p.shop_id, "name": p.shop_name},
            "buyer": {"name": p.buyer_name, "agency": p.agency_name}, "created_at": timestamp(p.created_at)}


def purchase(p: Purchase) -> dict:
    """A purchase a service just wrote: from the object in hand inside the write's transaction
    (``auth.writes``: its shop, buyer and agency are in the session); after the commit, which
    expires it, read back with its names in one statement (its identity is enough)."""
    state = inspect(p)
    if not state.expired_attributes:
        return purchase_row(purchase_queries.row_of(p))
    return purchase_row(purchase_queries.purchase_row(state.identity[0]))


def pledge(p: Pledge) -> dict:
    return {"campaign_id": p.campaign_id, "amount": p.amount, "created_at": timestamp(p.created_at),
            "updated_at": timestamp(p.updated_at)}


def summary(s: MySummary) -> dict:
    return {"campaign_id": s.campaign_id, "campaign_name": s.campaign_name, "pledged": s.pledged,
            "realized": s.realized, "verified": s.verified, "purchases": s.purchases,
            "shops_supported": s.shops_supported, "progress": s.progress}


def me(user: User) -> dict:
    """The account as its owner sees it: full NIP, e-mail and phone (never in public answers)."""
    roles = [name for name, held in (("asn", user.is_asn), ("shop_owner", user.is_shop_owner),
                                     ("coordinator", user.coordinator_region_id is not None),
                                     ("admin", user.is_admin)) if held]
    asn = user.asn
    coordinated = user.coordinator_region
    return {"id": user.id, "name": user.name, "email": user.email, "phone": user.phone, "roles": roles,
            "asn": None if asn is None else {"nip": asn.nip, "agency": asn.agency.name,
                                             "region": {"code": asn.region.code, "name": asn.region.name}},
            "coordinator_region": None if coordinated is None else {"code": coordinated.code,
                                                                     "name": coordinated.name},
            "created_at": timestamp(user.created_at)}


def account(user: User) -> dict:
    """An account as an admin acts on it: no NIP, e-mail or phone."""
    return {"id": user.id, "name": user.name, "active": user.active}
