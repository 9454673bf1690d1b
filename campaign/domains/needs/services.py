"""Needs and offers: post a need, offer, accept (split between shops, never over the quantity),
record delivery, confirm it. A confirmed delivery is a completed deal and moves the
institutional tally of the shop's region in the same transaction; a coordinator's void
(:mod:`campaign.domains.needs.voids`) moves it back. Every quantity, price and deal is bounded first (:mod:`campaign.domains.needs.limits`)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from campaign.core import audit, clock
from campaign.core.database import write_transaction
from campaign.core.errors import Conflict, LimitExceeded, NotFound, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.core.validation import require_text
from campaign.domains.auth.models import User
from campaign.domains.needs import limits, signals, tally
from campaign.domains.needs.models import MAX_UNITS, MAX_UNIT_PRICE, BuyerOrganisation, Need, Offer
from campaign.domains.regions.models import Region
from campaign.domains.regions.services import current_campaign
from campaign.domains.shops.models import CATEGORIES, Shop
from campaign.util.formatting import utcnow

MAX_QUANTITY = MAX_UNITS  # shapes (forms, API); the configured limits are narrower
MAX_RUPIAH = MAX_UNIT_PRICE


def _field(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={name: [message]})


def _whole(name: str, value, low: int, high: int, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _field(name, f"{label} harus bilangan bulat {low:,} sampai {high:,}.".replace(",", "."))
    return value


def post_need(*, actor: User, buyer_id: int, title: str, category: str, quantity: int, unit: str,
              budget_min: int, budget_max: int, region_codes: list[str], deadline: date, delivery_place: str,
              description: str = "") -> Need:
    """A verified buyer organisation's owner posts a need. Rules: the organisation is the actor's
    and verified; a category from the shop list; quantity 1..1,000,000; budget_min <= budget_max;
    at least one known region to buy from; the deadline not before today
    (``campaign.core.clock``)."""
    if category not in CATEGORIES:
        raise _field("category", "Pilih kategori dari daftar.")
    values = dict(title=require_text(title, "title", "Judul kebutuhan", 160),
                  unit=require_text(unit, "unit", "Satuan", 40), category=category,
                  delivery_place=require_text(delivery_place, "delivery_place", "Tempat pengiriman", 200),
                  description=(description or "").strip()[:4000],
                  quantity=_whole("quantity", quantity, 1, MAX_QUANTITY, "Jumlah"),
                  budget_min=_whole("budget_min", budget_min, 0, MAX_RUPIAH, "Anggaran minimal"),
                  budget_max=_whole("budget_max", budget_max, 0, MAX_RUPIAH, "Anggaran maksimal"))
    if values["budget_max"] < values["budget_min"]:
        raise _field("budget_max", "Anggaran maksimal tidak boleh kurang dari anggaran minimal.")
    limits.check_need(quantity=values["quantity"], budget_max=values["budget_max"])
    if not isinstance(deadline, date) or deadline < clock.today():
        raise _field("deadline", "Batas waktu tidak boleh sebelum hari ini.")
    with write_transaction():
        buyer = db.session.get(BuyerOrganisation, buyer_id)
        if buyer is None or buyer.owner_id != actor.id:
            raise PermissionDenied("Anda hanya dapat memasang kebutuhan atas nama lembaga Anda sendiri.")
        if not buyer.is_verified:
            raise PermissionDenied("Lembaga harus diverifikasi koordinator sebelum memasang kebutuhan.")
        regions = list(db.session.scalars(select(Region).where(Region.code.in_(set(region_codes or [])),
                                                               Region.active)))
        if not regions or len(regions) != len(set(region_codes)):
            raise _field("regions", "Pilih minimal satu kabupaten/kota yang dikenal.")
        campaign = current_campaign()
        if campaign is None:
            raise Conflict("Belum ada kampanye yang berjalan.")
        need = Need(buyer_id=buyer.id, campaign_id=campaign.id, status="open", accepted_quantity=0,
                    deadline=deadline, regions=regions, **values)
        db.session.add(need)
        audit.record(actor=actor, action="need.posted", entity=need, region_id=buyer.region_id,
                     after={"title": need.title, "quantity": need.quantity, "regions": sorted(region_codes)})
    return need


def close_need(*, actor: User, need_id: int) -> Need:
    """The buyer closes a need; offers still waiting become ``declined``."""
    with write_transaction():
        need = _need_of_buyer(actor, need_id, lock=True)
        if need.status != "open":
            raise Conflict("Kebutuhan ini sudah ditutup.")
        need.status = "closed"
        _decline_waiting(need.id)
        audit.record(actor=actor, action="need.closed", entity=need, region_id=need.buyer.region_id,
                     before={"status": "open"}, after={"status": "closed"})
    return need


def _need_of_buyer(actor: User, need_id: int, *, lock: bool = False) -> Need:
    statement = select(Need).where(Need.id == need_id)
    need = db.session.scalar(statement.with_for_update() if lock else statement)
    if need is None:
        raise NotFound("Kebutuhan tidak ditemukan.")
    if need.buyer.owner_id != actor.id:
        raise PermissionDenied("Hanya lembaga pemasang kebutuhan ini yang dapat melakukannya.")
    return need


def _decline_waiting(need_id: int) -> None:
    """Decline the need's offers still waiting; each shop hears (``offer_decided``)."""
    waiting = list(db.session.scalars(select(Offer).where(Offer.need_id == need_id, Offer.status == "sent")))
    db.session.execute(update(Offer).where(Offer.need_id == need_id, Offer.status == "sent")
                       .values(status="declined", decided_at=utcnow()))
    for offer in waiting:  # the UPDATE moved these loaded rows too (synchronize_session "auto")
        signals.offer_decided.send(offer)


def send_offer(*, actor: User, need_id: int, shop_id: int, unit_price: int, quantity: int, delivery_date: date,
               message: str = "") -> Offer:
    """A verified shop of the actor offers for an open need. Rules: the shop's category is the
    need's and its region is one the need buys from; the deadline has not passed; the quantity
    is at most the need's; not to one's own organisation; one offer per shop and need."""
    _whole("unit_price", unit_price, 1, MAX_RUPIAH, "Harga satuan")
    _whole("quantity", quantity, 1, MAX_QUANTITY, "Jumlah")
    if not isinstance(delivery_date, date) or delivery_date < clock.today():
        raise _field("delivery_date", "Tanggal kirim tidak boleh sebelum hari ini.")
    try:
        with write_transaction():
            need, shop = db.session.get(Need, need_id), db.session.get(Shop, shop_id)
            _check_offer(actor, need, shop, quantity)
            limits.check_offer(need=need, unit_price=unit_price, quantity=quantity)
            offer = Offer(need_id=need.id, shop_id=shop.id, shop_region_id=shop.region_id, unit_price=unit_price,
                          quantity=quantity, delivery_date=delivery_date, message=(message or "").strip()[:2000],
                          status="sent")
            db.session.add(offer)
            audit.record(actor=actor, action="offer.sent", entity=offer, region_id=shop.region_id,
                         after={"need_id": need.id, "unit_price": unit_price, "quantity": quantity})
            signals.offer_sent.send(offer)
    except IntegrityError:
        raise Conflict("Toko ini sudah mengirim penawaran untuk kebutuhan ini.") from None
    return offer


def _check_offer(actor: User, need: Need | None, shop: Shop | None, quantity: int) -> None:
    if need is None:
        raise NotFound("Kebutuhan tidak ditemukan.")
    if shop is None or shop.owner_id != actor.id:
        raise PermissionDenied("Pilih salah satu toko milik Anda.")
    if not shop.is_verified:
        raise PermissionDenied("Hanya toko terverifikasi yang dapat mengirim penawaran.")
    if need.status != "open" or need.deadline < clock.today():
        raise Conflict("Kebutuhan ini sudah ditutup atau lewat batas waktu.")
    if need.buyer.owner_id == actor.id:
        raise PermissionDenied("Anda tidak dapat menawar kebutuhan lembaga Anda sendiri.")
    if shop.category != need.category or shop.region_id not in {r.id for r in need.regions}:
        raise PermissionDenied("Kategori atau wilayah toko ini tidak sesuai dengan kebutuhan.")
    if quantity > need.quantity:
        raise _field("quantity", f"Jumlah penawaran maksimal {need.quantity} {need.unit}.")
    if db.session.scalar(select(Offer.id).where(Offer.need_id == need.id, Offer.shop_id == shop.id)):
        raise Conflict("Toko ini sudah mengirim penawaran untuk kebutuhan ini.")


def locked_offer(offer_id: int) -> Offer:
    """The offer, its row locked for the transaction; NotFound if there is none."""
    offer = db.session.scalar(select(Offer).where(Offer.id == offer_id).with_for_update())
    if offer is None:
        raise NotFound("Penawaran tidak ditemukan.")
    return offer


def move_offer(actor: User, offer: Offer, to: str, region_id: int, **after) -> None:
    """Set the offer's status and audit the move (before: its status; after: ``to`` and ``after``)."""
    before = offer.status
    offer.status = to
    audit.record(actor=actor, action=f"offer.{to}", entity=offer, region_id=region_id,
                 before={"status": before}, after={"status": to, **after})


def accept_offer(*, actor: User, offer_id: int, quantity: int | None = None) -> Offer:
    """The buyer accepts all of an offer or part of it (``quantity``). Accepted quantities of a
    need never add up to more than its quantity: the database refuses it (a CHECK on the one
    ``UPDATE`` that adds to ``need.accepted_quantity``), so two acceptances at the same moment
    cannot both pass. A need accepted in full closes; its waiting offers are declined. The deal
    is bounded by :func:`limits.check_deal` (LimitExceeded, 422)."""
    try:
        with write_transaction():
            need_id, buyer_id = db.session.execute(select(Offer.need_id, Need.buyer_id).join(
                Need, Need.id == Offer.need_id).where(Offer.id == offer_id)).first() or (None, None)
            if need_id is None:
                raise NotFound("Penawaran tidak ditemukan.")
            # The organisation (its daily limit), then the need, then the offer: the order every
            # acceptance takes (closing takes the need alone), so none can deadlock another.
            db.session.scalar(select(BuyerOrganisation.id).where(BuyerOrganisation.id == buyer_id).with_for_update())
            need = _need_of_buyer(actor, need_id, lock=True)
            offer = locked_offer(offer_id)
            if offer.status != "sent" or need.status != "open":
                raise Conflict("Penawaran ini tidak lagi menunggu keputusan.")
            taken = offer.quantity if quantity is None else _whole("quantity", quantity, 1, offer.quantity, "Jumlah")
            db.session.execute(update(Need).where(Need.id == need.id)
                               .values(accepted_quantity=Need.accepted_quantity + taken))
            db.session.refresh(need)
            limits.check_deal(need=need, buyer_id=buyer_id, amount=offer.unit_price * taken)  # (after: 409 first)
            offer.accepted_quantity, offer.decided_at = taken, utcnow()
            move_offer(actor, offer, "accepted", offer.shop_region_id, accepted_quantity=taken)
            signals.offer_decided.send(offer)
            if need.accepted_quantity == need.quantity:
                need.status = "closed"
                db.session.flush()
                _decline_waiting(need.id)
    except IntegrityError:
        raise Conflict("Jumlah yang diterima melebihi sisa kebutuhan. Muat ulang halaman untuk melihat "
                       "sisanya.", fields={"quantity": ["Melebihi sisa kebutuhan."]}) from None
    return offer


def record_delivery(*, actor: User, offer_id: int) -> Offer:
    """The buyer records that an accepted offer was delivered."""
    with write_transaction():
        offer = locked_offer(offer_id)
        _need_of_buyer(actor, offer.need_id)
        if offer.status != "accepted":
            raise Conflict("Hanya penawaran yang diterima yang dapat dicatat terkirim.")
        move_offer(actor, offer, "delivered", offer.shop_region_id)
        signals.offer_delivered.send(offer)
    return offer


def confirm_delivery(*, actor: User, offer_id: int) -> Offer:
    """The shop's owner confirms the delivery: the deal is complete and its amount (unit price x
    accepted quantity) becomes institutional spend of the shop's region. LimitExceeded (422) if
    the region's total would pass the safe maximum (:mod:`campaign.core.money`)."""
    try:
        with write_transaction():
            offer = locked_offer(offer_id)
            if offer.shop.owner_id != actor.id:
                raise PermissionDenied("Hanya pemilik toko penawar yang dapat mengonfirmasi pengiriman.")
            if offer.status != "delivered":
                raise Conflict("Pembeli belum mencatat pengiriman penawaran ini.")
            offer.completed_at = utcnow()
            move_offer(actor, offer, "completed", offer.shop_region_id, amount=offer.deal_amount)
            tally.add_deal(campaign_id=offer.need.campaign_id, region_id=offer.shop_region_id,
                           amount=offer.deal_amount)
            signals.delivery_confirmed.send(offer)
    except IntegrityError:  # the CHECK behind add_deal's own check, when two confirmations race
        raise LimitExceeded("Belanja lembaga wilayah ini melebihi batas aman sistem; transaksi tidak "
                            "dicatat. Hubungi admin provinsi.") from None
    return offer


def withdraw_offer(*, actor: User, offer_id: int) -> Offer:
    """The shop's owner withdraws an offer still waiting for the buyer."""
    with write_transaction():
        offer = locked_offer(offer_id)
        if offer.shop.owner_id != actor.id:
            raise PermissionDenied("Hanya pemilik toko penawar yang dapat menarik penawaran.")
        if offer.status != "sent":
            raise Conflict("Penawaran ini tidak lagi dapat ditarik.")
        move_offer(actor, offer, "withdrawn", offer.shop_region_id)
    return offer
