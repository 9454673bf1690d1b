"""Purchases: logging one and every change of its status, each moving the tallies in the same
transaction (pledges are in :mod:`.pledges`)."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from flask import current_app
from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from campaign.core import clock, database
from campaign.core.database import holds, write_transaction
from campaign.core.errors import Conflict, IdempotencyMismatch, NotFound, PermissionDenied
from campaign.core.extensions import db
from campaign.core.validation import field_error
from campaign.domains.auth.models import AsnProfile, User
from campaign.domains.purchases import limits, signals, writes
from campaign.domains.purchases.models import Purchase
from campaign.domains.regions.models import Agency, Campaign, Region, province_number
from campaign.domains.regions.services import current_campaign_order, get_campaign
from campaign.domains.shops.models import Shop
from campaign.domains.tallies import moves as tallies
from campaign.util.formatting import rupiah, tanggal, utcnow


def asn_of(user_id: int) -> User:
    """The user with their ASN profile (and the profile's region and agency), loaded inside the
    caller's transaction. Takes the id, read before the transaction began: the commit that opens
    it expires the caller's object."""
    statement = (select(User).join(User.asn).join(AsnProfile.region).join(AsnProfile.agency)
                 .options(contains_eager(User.asn).contains_eager(AsnProfile.region),
                          contains_eager(User.asn).contains_eager(AsnProfile.agency))
                 .where(User.id == user_id))
    user = db.session.scalar(statement)
    if user is None or user.asn is None:
        raise PermissionDenied(NOT_AN_ASN)
    return user


NOT_AN_ASN = "Hanya ASN yang dapat membuat janji dan mencatat belanja."


@dataclass(frozen=True)
class Buyer:
    """An ASN as logging a purchase needs them: read in the purchase's own transaction, their user
    and profile rows locked (PostgreSQL ``FOR UPDATE``; SQLite's ``BEGIN IMMEDIATE`` already
    serializes writers), so a roster change of their NIP (it updates the profile) is seen or
    waits. Plain values, no ORM objects: reading them is a few microseconds of SQLite's one
    writer's turn where loading the four objects took a tenth of it."""

    id: int
    name: str
    active: bool
    region_id: int
    region_code: str
    agency_id: int
    agency_name: str
    on_roster: bool
    is_asn = True  # as :attr:`User.is_asn`, for the access checks that take either

    @property
    def province_number(self) -> int:
        return province_number(self.region_code)


BUYER_COLUMNS = (User.id, User.name, User.active, AsnProfile.region_id, Region.code, AsnProfile.agency_id,
                 Agency.name, AsnProfile.on_roster)


def buyer_select(*columns):
    """``columns`` and :class:`Buyer`'s, from the user through their ASN profile, region and
    agency, the user and profile rows locked; the caller adds its condition."""
    return (select(*columns, *BUYER_COLUMNS).select_from(User).join(AsnProfile, AsnProfile.user_id == User.id)
            .join(Region, Region.id == AsnProfile.region_id).join(Agency, Agency.id == AsnProfile.agency_id)
            .with_for_update(of=(User, AsnProfile)))


@functools.cache
def _buyer_statement():
    return buyer_select().where(User.id == bindparam("user_id"))


def buyer_in_transaction(user_id: int) -> Buyer:
    """The :class:`Buyer` of ``user_id``, read (and locked) in the running write transaction;
    PermissionDenied for an account without an ASN profile."""
    found = database.rows(_buyer_statement(), {"user_id": user_id})
    if not found:
        raise PermissionDenied(NOT_AN_ASN)
    return Buyer(*found[0])


# --- logging a purchase ------------------------------------------------------------------

def check_amount(amount: int | None) -> None:
    low, high = current_app.config["PURCHASE_MIN_AMOUNT"], current_app.config["PURCHASE_MAX_AMOUNT"]
    if not isinstance(amount, int) or isinstance(amount, bool) or not low <= amount <= high:
        raise field_error("amount", f"Jumlah belanja antara {rupiah(low)} dan {rupiah(high)}.")


def log_purchase(*, buyer: User | Buyer, shop_id: int, amount: int, purchased_on: date | None = None,
                 note: str = "", campaign_id: int | None = None, client_ref: str | None = None) -> Purchase:
    """Record a purchase as ``reported``.

    Rules: the buyer is an ASN; the shop exists, is verified and is not the buyer's own; the
    amount is within the configured range; the date is inside the campaign period and not
    after today in the zone of the buyer's region's province (``campaign.core.clock``). A repeated
    ``client_ref`` returns the purchase already recorded when the request is the same (shop,
    amount, note, and date and campaign where given); with another body it is
    :class:`IdempotencyMismatch` (409) naming the first purchase. The
    per-day limits and the duplicate guard of :mod:`campaign.domains.purchases.limits` are checked in the
    same transaction as the insert (:class:`LimitExceeded` 422, :class:`Duplicate` 409).

    ``buyer``: the account, or a :class:`Buyer` read in the transaction this call joins (the
    API's ``auth.writes``, which reads it with the token). Statements, with the buyer in hand: the
    buyer's recent rows with a repeated ``client_ref``, the shop with the campaign, the write
    (:mod:`.writes`; on PostgreSQL one statement with the burst counters and the change markers).
    Inside SQLite's one writer's turn they are plain rows, not ORM objects (:func:`database.rows`).
    """
    check_amount(amount)
    note = (note or "").strip()
    if len(note) > 500:
        raise field_error("note", "Catatan maksimal 500 karakter.")
    request = _Request(shop_id=shop_id, amount=amount, purchased_on=purchased_on, note=note, campaign_id=campaign_id)
    return _record_purchase(buyer=buyer, request=request, client_ref=client_ref)


@dataclass(frozen=True)
class _Request:
    """What a purchase request asked for, to tell a retry (same body) from a reused client_ref."""

    shop_id: int
    amount: int
    purchased_on: date | None  # None: "today", which a retry after midnight may no longer be
    note: str
    campaign_id: int | None

    def repeated_by(self, first: Purchase) -> Purchase:
        """``first`` when this request repeats it; IdempotencyMismatch (409) otherwise."""
        same = (first.shop_id == self.shop_id and first.amount == self.amount and (first.note or "") == self.note
                and self.purchased_on in (None, first.purchased_on) and self.campaign_id in (None, first.campaign_id))
        if same:
            return first
        message = (f"client_ref ini sudah dipakai untuk belanja #{first.id} ({rupiah(first.amount)} di "
                   f"{first.shop.name}, {tanggal(first.purchased_on)}) dengan isi yang berbeda. Untuk belanja "
                   "baru, buka lagi formulir Catat Belanja atau kirim client_ref baru.")
        raise IdempotencyMismatch(message, details={"purchase_id": first.id})


def by_client_ref(user_id: int, client_ref: str) -> Purchase | None:
    return db.session.scalar(select(Purchase).where(Purchase.buyer_id == user_id, Purchase.client_ref == client_ref))


class _Shop(NamedTuple):
    id: int
    owner_id: int | None
    region_id: int
    name: str
    status: str
    region_code: str


class _Campaign(NamedTuple):
    id: int
    starts_on: date
    ends_on: date | None


def _shop_and_campaign(shop_id: int, campaign_id: int | None) -> tuple[_Shop, _Campaign]:
    """The shop with its region's code, and the campaign (the current one for None), in one
    statement; NotFound naming which is missing."""
    params = {"shop_id": shop_id, "campaign_id": campaign_id} if campaign_id else {"shop_id": shop_id,
                                                                                  "day": clock.today()}
    found = database.rows(_shop_and_campaign_statement(bool(campaign_id)), params)
    if not found:
        get_campaign(campaign_id)  # NotFound for a missing campaign first, as before
        raise NotFound("Toko tidak ditemukan.")
    row = found[0]
    return _Shop(*row[:6]), _Campaign(*row[6:])


@functools.cache
def _shop_and_campaign_statement(campaign_given: bool):
    """Built once per variant: building it took about as long as running it. Only the columns
    the checks, the row and the answer read."""
    chosen = bindparam("campaign_id") if campaign_given else (
        select(Campaign.id).order_by(*current_campaign_order(bindparam("day"))).limit(1).scalar_subquery())
    return (select(*_SHOP_COLUMNS, Region.code, Campaign.id, Campaign.starts_on, Campaign.ends_on)
            .join(Region, Region.id == Shop.region_id).join(Campaign, Campaign.id == chosen)
            .where(Shop.id == bindparam("shop_id")))


_SHOP_COLUMNS = (Shop.id, Shop.owner_id, Shop.region_id, Shop.name, Shop.status)
_SHOP_NAMES = tuple(column.key for column in _SHOP_COLUMNS)


def _record_purchase(*, buyer: User | Buyer, request: _Request, client_ref: str | None) -> Purchase:
    with write_transaction():
        # read (and locked) first (limits' rule), so a retry racing its first request waits for it
        if not (isinstance(buyer, Buyer) and holds(Buyer, buyer.id)):
            buyer = buyer_in_transaction(buyer.id)
        zone, now = clock.zone(buyer.region_code), clock.now()
        purchased_on = request.purchased_on or zone.today()
        if purchased_on > zone.today():
            raise field_error("purchased_on", "Tanggal belanja tidak boleh setelah hari ini.")
        recent, repeated = limits.recent_purchases(buyer.id, limits.window_start(zone, now), client_ref)
        if repeated is not None:
            return request.repeated_by(db.session.get(Purchase, repeated))
        shop, campaign = _shop_and_campaign(request.shop_id, request.campaign_id)
        _check_period(campaign, purchased_on)
        if shop.status != "verified":
            raise field_error("shop_id", "Belanja hanya dapat dicatat di toko yang sudah terverifikasi.")
        if shop.owner_id == buyer.id:
            raise PermissionDenied("Anda tidak dapat mencatat belanja di toko milik sendiri.")
        limits.check_new_purchase(rows=recent, shop_id=shop.id, amount=request.amount, purchased_on=purchased_on,
                                  client_ref=client_ref, zone=zone, now=now)
        values = {"campaign_id": campaign.id, "buyer_id": buyer.id, "shop_id": shop.id,
                  "asn_region_id": buyer.region_id, "shop_region_id": shop.region_id,
                  "asn_province": buyer.province_number, "shop_province": province_number(shop.region_code),
                  "agency_id": buyer.agency_id, "amount": request.amount, "purchased_on": purchased_on,
                  "note": request.note, "client_ref": client_ref or None, "status": "reported",
                  "buyer_on_roster": buyer.on_roster, "created_at": utcnow()}
        after = {"amount": request.amount, "shop_id": shop.id, "purchased_on": purchased_on.isoformat()}
        purchase = writes.insert_reported(values, actor=buyer, audit_after=after,
                                          names=(shop.name, buyer.name, buyer.agency_name),
                                          earlier_logged=[row.created_at for row in recent])
        if purchase is None:
            # the same client_ref at the same moment (PostgreSQL; SQLite serializes writers): the
            # unique (buyer, client_ref) constraint let the first in; this one answers with it
            return request.repeated_by(by_client_ref(buyer.id, client_ref))
    return purchase


def _check_period(campaign: Campaign | _Campaign, day: date) -> None:
    if day < campaign.starts_on:
        raise field_error("purchased_on", f"Tanggal belanja sebelum kampanye dimulai ({campaign.starts_on:%d-%m-%Y}).")
    if campaign.ends_on is not None and day > campaign.ends_on:
        raise field_error("purchased_on", f"Tanggal belanja setelah kampanye berakhir ({campaign.ends_on:%d-%m-%Y}).")


# --- state changes -------------------------------------------------------------------------

def _change(*, actor: User, purchase_id: int, allowed, from_states: tuple[str, ...], to: str,
            reason: str | None = None) -> Purchase:
    with write_transaction():
        purchase = _locked_purchase(purchase_id)
        actor = db.session.get(User, actor.id)
        allowed(actor, purchase)
        if purchase.status not in from_states:
            raise Conflict(f"Belanja ini berstatus {purchase.status_label.lower()}; tindakan tidak dapat dilakukan.")
        _apply(actor, purchase, to, reason)
    return purchase


def _locked_purchase(purchase_id: int) -> Purchase:
    """The purchase, locked, with the columns of its shop that the checks read and the names its
    answer shows (:data:`.writes.NAMES`), in one statement of plain values made into the objects
    (:func:`campaign.core.database.loaded`); NotFound if there is none."""
    found = database.rows(_change_statement(), {"purchase_id": purchase_id})
    if not found:
        raise NotFound("Belanja tidak ditemukan.")
    row = found[0]
    names = database.column_attributes(Purchase).names
    purchase = database.loaded(Purchase, dict(zip(names, row)))
    shop = database.loaded(Shop, dict(zip(_SHOP_NAMES, row[len(names):])))
    set_committed_value(purchase, "shop", shop)
    inspect(purchase).info[writes.NAMES] = (shop.name, *row[-2:])
    return purchase


@functools.cache
def _change_statement():
    """Built once (see :func:`_shop_and_campaign_statement`)."""
    return (select(*database.column_attributes(Purchase).attributes, *_SHOP_COLUMNS, User.name, Agency.name)
            .join(Shop, Shop.id == Purchase.shop_id).join(User, User.id == Purchase.buyer_id)
            .join(Agency, Agency.id == Purchase.agency_id)
            .where(Purchase.id == bindparam("purchase_id")).with_for_update(of=Purchase))


def _apply(actor: User, purchase: Purchase, to: str, reason: str | None) -> None:
    """Move one locked purchase to ``to``: its tallies, its audit record, the buyer's notification."""
    old = purchase.status
    writes.change_status(purchase, actor=actor, to=to, reason=reason, at=utcnow())
    signals.purchase_changed.send(purchase, old=old)


def _buyer(actor: User, purchase: Purchase) -> None:
    if purchase.buyer_id != actor.id:
        raise PermissionDenied("Hanya pembeli yang dapat menarik catatan belanjanya.")


def _shop_owner(actor: User, purchase: Purchase) -> None:
    if purchase.shop.owner_id != actor.id:
        raise PermissionDenied("Hanya pemilik toko tempat belanja yang dapat mengonfirmasi atau membantah.")


def _coordinator(actor: User, purchase: Purchase) -> None:
    if not (actor.coordinates(purchase.shop_region_id) or actor.coordinates(purchase.asn_region_id)):
        raise PermissionDenied("Hanya koordinator wilayah pembeli atau toko, atau admin, yang dapat membatalkan.")


def withdraw_purchase(*, actor: User, purchase_id: int) -> Purchase:
    """The buyer withdraws a purchase while it is still ``reported``."""
    return _change(actor=actor, purchase_id=purchase_id, allowed=_buyer, from_states=("reported",), to="withdrawn")


def confirm_purchase(*, actor: User, purchase_id: int) -> Purchase:
    """The shop's owner confirms a ``reported`` purchase: verified spend if the buyer is on the roster."""
    return _change(actor=actor, purchase_id=purchase_id, allowed=_shop_owner, from_states=("reported",),
                   to="confirmed")


def dispute_purchase(*, actor: User, purchase_id: int, reason: str | None = None) -> Purchase:
    """The shop's owner disputes a ``reported`` purchase; it leaves the realized spend."""
    reason = (reason or "").strip()[:500] or None
    return _change(actor=actor, purchase_id=purchase_id, allowed=_shop_owner, from_states=("reported",),
                   to="disputed", reason=reason)


def void_purchase(*, actor: User, purchase_id: int, reason: str) -> Purchase:
    """A coordinator of the buyer's or the shop's region (or an admin) voids a purchase in any
    live state (reported, confirmed, disputed), with a reason."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise field_error("reason", "Tuliskan alasan pembatalan (minimal 5 karakter).")
    return _change(actor=actor, purchase_id=purchase_id, allowed=_coordinator,
                   from_states=("reported", "confirmed", "disputed"), to="voided", reason=reason[:500])


CONFIRM_ALL_MAX = 100


def confirm_purchases(*, actor: User, purchase_ids: list[int]) -> int:
    """The shop's owner confirms the purchases listed on their page in one go ("Konfirmasi
    semua"): one transaction, with one audit record and one tally move per purchase, exactly as
    :func:`confirm_purchase` would. Purchases no longer ``reported`` (decided or withdrawn
    meanwhile) are skipped; one purchase at somebody else's shop refuses the whole batch
    (PermissionDenied), an unknown id too (NotFound). At most ``CONFIRM_ALL_MAX`` ids.
    Returns how many were confirmed."""
    ids = sorted(set(purchase_ids))
    if len(ids) > CONFIRM_ALL_MAX:
        raise field_error("ids", f"Paling banyak {CONFIRM_ALL_MAX} belanja sekaligus.")
    if not ids:
        return 0
    with write_transaction():
        actor = db.session.get(User, actor.id)
        purchases = list(db.session.scalars(select(Purchase).where(Purchase.id.in_(ids))
                                            .order_by(Purchase.id).with_for_update()))
        if len(purchases) != len(ids):
            raise NotFound("Belanja tidak ditemukan.")
        for purchase in purchases:
            _shop_owner(actor, purchase)
        waiting = [purchase for purchase in purchases if purchase.status == "reported"]
        tallies.lock_for_batch(waiting)
        for purchase in waiting:
            _apply(actor, purchase, "confirmed", None)
    return len(waiting)


_DECIDERS = {"withdraw": _buyer, "dispute": _shop_owner, "void": _coordinator}


def purchase_to_decide(*, actor: User, purchase_id: int, action: str) -> Purchase:
    """The purchase a confirmation page shows before ``action`` (``withdraw``, ``dispute`` or
    ``void``), to those the action itself allows. Raises NotFound, PermissionDenied."""
    purchase = db.session.get(Purchase, purchase_id)
    if purchase is None:
        raise NotFound("Belanja tidak ditemukan.")
    _DECIDERS[action](actor, purchase)
    return purchase
