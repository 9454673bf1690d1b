"""Plausibility flags for a region's coordinators and admins, read from maintained tallies.

Nothing here scans purchases. The rules (thresholds in :class:`campaign.core.config.Defaults`):

- ``asn`` (ASN far above the province): an ASN of the region whose realized spend is above
  ``FLAG_ASN_MEDIAN_FACTOR`` x the province median of ASN realized spend and at least
  ``FLAG_ASN_MIN_AMOUNT``, or whose realized purchase count is above the factor x the median count
  and at least ``FLAG_ASN_MIN_COUNT``. Medians are over ASN with at least one realized purchase in
  the campaign, from the per-ASN tally rows.
- ``shop`` (few buyers behind a shop): a shop of the region with confirmed spend of at least
  ``FLAG_SHOP_MIN_VERIFIED`` where the two ASN with the most realized purchases there account for
  at least ``FLAG_SHOP_TOP_SHARE`` of its realized purchases (per-shop member tally rows).
- ``fresh`` (a shop for a ring of accounts): such a shop where accounts younger than
  ``FLAG_FRESH_ACCOUNT_DAYS`` days, or buyers who buy at no other shop, hold at least
  ``FLAG_FRESH_SHARE`` of its confirmed spend (:mod:`campaign.domains.trust.fresh`).
- ``log`` / ``confirm`` / ``asnlog`` / ``signup`` (bursts): at least ``FLAG_BURST_SHOP_PURCHASES``
  purchases logged at one shop, ``FLAG_BURST_SHOP_CONFIRMATIONS`` confirmations by one shop,
  ``FLAG_BURST_ASN_PURCHASES`` purchases logged by one ASN, or ``FLAG_BURST_SIGNUPS`` ASN accounts
  created from one source (a keyed hash of the IP address) counted across the whole province and
  over the neighbouring periods too (a ring spread over regions, a few accounts in each, or over a
  period's boundary, is one burst; each region that got such accounts is flagged), within one fixed period of
  ``FLAG_BURST_MINUTES`` (periods start on the hour and every ``FLAG_BURST_MINUTES`` after;
  ``first``: ``FLAG_BURST_FIRST_CONFIRMATIONS`` confirmations by one shop, in one period, of purchases
  that are their buyer's only counted purchase, as a "Konfirmasi semua" over a ring of new accounts;
  :class:`~campaign.domains.trust.models.ActivityWindow`, moved when the purchase is logged or confirmed).

A flag only points at purchases (its key is a selection, :mod:`campaign.domains.trust.selection`); it
never changes a total. Marking it reviewed is audited (:func:`campaign.domains.trust.services.review_flag`).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import desc, func, or_, select

from campaign.core import clock
from campaign.core.extensions import db
from campaign.domains.auth.models import AsnProfile, User
from campaign.domains.regions.services import current_campaign
from campaign.domains.shops.models import Shop
from campaign.domains.tallies.models import Tally, TallyMember
from campaign.domains.trust.fresh import fresh_flags
from campaign.domains.trust.models import ActivityWindow, FlagReview
from campaign.domains.trust.selection import window_key
from campaign.util.formatting import as_utc, number, rupiah

KIND_LABELS = {
    "asn": "ASN jauh di atas sebaran provinsi",
    "shop": "Belanja toko dari satu-dua ASN saja",
    "fresh": "Belanja terkonfirmasi toko dari akun baru atau pembeli satu toko",
    "log": "Lonjakan catatan belanja di satu toko",
    "confirm": "Lonjakan konfirmasi oleh satu toko",
    "asnlog": "Lonjakan catatan belanja oleh satu ASN",
    "signup": "Lonjakan pendaftaran ASN dari satu sumber",
    "first": "Satu toko mengonfirmasi banyak pembeli pertama kali",
}


@dataclass(frozen=True)
class Review:
    by: str
    at: datetime
    note: str


@dataclass(frozen=True)
class Flag:
    key: str
    kind: str
    label: str
    subject: str
    detail: str
    since: datetime | None
    review: Review | None


def region_flags(*, campaign_id: int, region_id: int) -> list[Flag]:
    """All flags of a region, not yet reviewed first, then by kind and key."""
    reviews = {r.flag_key: Review(r.reviewed_by.name, as_utc(r.reviewed_at), r.note) for r in db.session.scalars(
        select(FlagReview).where(FlagReview.campaign_id == campaign_id, FlagReview.region_id == region_id))}
    found = [*_asn_flags(campaign_id, region_id), *_shop_flags(campaign_id, region_id),
             *fresh_flags(campaign_id, region_id), *_burst_flags(campaign_id, region_id)]
    flags = [Flag(key, kind, KIND_LABELS[kind], subject, detail, since, reviews.get(key))
             for key, kind, subject, detail, since in found]
    return sorted(flags, key=lambda f: (f.review is not None, list(KIND_LABELS).index(f.kind), f.key))


def open_flag_count(region_id: int) -> int:
    """Flags of the region in the running campaign not yet reviewed (for the coordinator's home)."""
    campaign = current_campaign()
    if campaign is None:
        return 0
    return sum(f.review is None for f in region_flags(campaign_id=campaign.id, region_id=region_id))


def _median(column, campaign_id: int) -> int:
    where = (Tally.campaign_id == campaign_id, Tally.dimension == "asn", Tally.realized_count > 0)
    n = db.session.scalar(select(func.count()).where(*where)) or 0
    if not n:
        return 0
    return db.session.scalar(select(column).where(*where).order_by(column).offset((n - 1) // 2).limit(1)) or 0


def province_asn_thresholds(campaign_id: int) -> tuple[int, int]:
    """(spend, count) above which an ASN is flagged."""
    config = current_app.config
    factor = config["FLAG_ASN_MEDIAN_FACTOR"]
    return (max(factor * _median(Tally.realized_amount, campaign_id), config["FLAG_ASN_MIN_AMOUNT"]),
            max(factor * _median(Tally.realized_count, campaign_id), config["FLAG_ASN_MIN_COUNT"]))


def _asn_flags(campaign_id: int, region_id: int):
    amount, count = province_asn_thresholds(campaign_id)
    rows = db.session.execute(
        select(Tally.key_id, User.name, Tally.realized_amount, Tally.realized_count)
        .join(AsnProfile, AsnProfile.user_id == Tally.key_id).join(User, User.id == Tally.key_id)
        .where(Tally.campaign_id == campaign_id, Tally.dimension == "asn", AsnProfile.region_id == region_id,
               or_(Tally.realized_amount > amount, Tally.realized_count > count)))
    for user_id, name, spent, purchases in rows:
        yield (f"asn:{user_id}", "asn", name,
               f"Belanja terealisasi {rupiah(spent)} dalam {number(purchases)} transaksi; batas wajar "
               f"{rupiah(amount)} atau {number(count)} transaksi.", None)


def _shop_flags(campaign_id: int, region_id: int):
    config = current_app.config
    candidates = db.session.execute(
        select(Tally.key_id, Shop.name, Tally.verified_amount, Tally.realized_count)
        .join(Shop, Shop.id == Tally.key_id)
        .where(Tally.campaign_id == campaign_id, Tally.dimension == "shop", Shop.region_id == region_id,
               Tally.verified_amount >= config["FLAG_SHOP_MIN_VERIFIED"], Tally.realized_count > 0))
    for shop_id, name, verified, realized_count in candidates:
        top = list(db.session.scalars(
            select(TallyMember.realized_count).where(
                TallyMember.campaign_id == campaign_id, TallyMember.dimension == "shop",
                TallyMember.key_id == shop_id, TallyMember.member_kind == "asn")
            .order_by(desc(TallyMember.realized_count)).limit(2)))
        share = sum(top) / realized_count
        if share >= config["FLAG_SHOP_TOP_SHARE"]:
            yield (f"shop:{shop_id}", "shop", name,
                   f"Terkonfirmasi {rupiah(verified)}; {round(share * 100)}% transaksinya dari "
                   f"{len(top)} ASN.", None)


def _burst_flags(campaign_id: int, region_id: int):
    config = current_app.config
    thresholds = {"log": config["FLAG_BURST_SHOP_PURCHASES"], "confirm": config["FLAG_BURST_SHOP_CONFIRMATIONS"],
                  "asn": config["FLAG_BURST_ASN_PURCHASES"], "signup": config["FLAG_BURST_SIGNUPS"],
                  "first": config["FLAG_BURST_FIRST_CONFIRMATIONS"]}
    minutes = config["FLAG_BURST_MINUTES"]
    for kind, threshold in thresholds.items():
        windows = _signup_windows if kind == "signup" else _region_windows
        for subject_id, start, count, province in windows(kind, campaign_id, region_id, threshold):
            start = as_utc(start)
            flag_kind = "asnlog" if kind == "asn" else kind
            across = f" ({number(province)} dari sumber ini di seluruh provinsi)" if province != count else ""
            yield (f"{flag_kind}:{subject_id}:{window_key(start)}", flag_kind, _subject(kind, subject_id),
                   f"{number(count)} {_WHAT[kind]}{across} dalam {minutes} menit sejak {clock.waktu(start)}.", start)


def _region_windows(kind: str, campaign_id: int, region_id: int, threshold: int):
    """(subject, period, count, count) for the region's periods of ``kind`` at the threshold."""
    windows = ActivityWindow
    return db.session.execute(
        select(windows.subject_id, windows.window_start, windows.count, windows.count)
        .where(windows.region_id == region_id, windows.kind == kind, windows.count >= threshold,
               windows.campaign_id == campaign_id))


def _signup_windows(_kind: str, campaign_id: int, region_id: int, threshold: int):
    """(source, period, accounts of this region, accounts of that source in the province in the
    period and the periods just before and after it) where the latter reaches the threshold: a
    ring spread over regions, or over a period's boundary, is still one burst."""
    windows = ActivityWindow
    where = (windows.kind == "signup", windows.campaign_id == campaign_id)
    mine = [(source, as_utc(start), count) for source, start, count in db.session.execute(
        select(windows.subject_id, windows.window_start, windows.count).where(*where, windows.region_id == region_id))]
    if not mine:
        return []
    province: dict[tuple[int, datetime], int] = defaultdict(int)
    for source, start, count in db.session.execute(
            select(windows.subject_id, windows.window_start, windows.count)
            .where(*where, windows.subject_id.in_({source for source, _start, _count in mine}))):
        province[(source, as_utc(start))] += count
    period = timedelta(minutes=current_app.config["FLAG_BURST_MINUTES"])
    found = []
    for source, start, count in mine:
        near = sum(province[(source, start + step * period)] for step in (-1, 0, 1))
        if near >= threshold:
            found.append((source, start, count, near))
    return found


_WHAT = {"log": "belanja dicatat", "confirm": "belanja dikonfirmasi", "asn": "belanja dicatat",
         "signup": "akun ASN wilayah ini didaftarkan",
         "first": "belanja dikonfirmasi yang merupakan satu-satunya belanja pembelinya"}


def _subject(kind: str, subject_id: int) -> str:
    if kind == "signup":
        return f"Sumber pendaftaran #{subject_id:07x}"
    return db.session.get(User if kind == "asn" else Shop, subject_id).name
