"""Institutional spend bounded like ASN spend: limits on the needs board's quantities, prices
and deals, checked by :mod:`campaign.domains.needs.services` before anything is written.

Rules (defaults in :class:`campaign.core.config.Defaults`, ``None`` switches a limit off; every
refusal is :class:`~campaign.core.errors.LimitExceeded`, 422 ``limit_exceeded``):

- a need asks for at most ``NEED_MAX_QUANTITY`` units with a ``budget_max`` of at most
  ``NEED_MAX_BUDGET``; an offer for at most ``NEED_MAX_QUANTITY`` units at a unit price of at
  most ``NEED_MAX_UNIT_PRICE`` and never above the need's ``budget_max``;
- a deal (unit price x accepted quantity) is at most ``DEAL_MAX_AMOUNT``, and the deals of one
  need together never exceed its ``budget_max``;
- the deals one organisation accepts on one calendar day (in the deployment's zone,
  ``campaign.core.clock``) total at most ``DEAL_LIMIT_AMOUNT_PER_DAY``. The caller holds the
  organisation's row locked, so two acceptances at once are counted one after the other.

Whatever the configuration, no value passes :data:`campaign.core.money.SAFE_MAX`.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from campaign.core import clock
from campaign.core.errors import LimitExceeded
from campaign.core.extensions import db
from campaign.core.money import check_total
from campaign.domains.needs.models import ACCEPTED_STATES, Need, Offer
from campaign.util.formatting import number, rupiah


def _refuse(field: str, message: str) -> LimitExceeded:
    return LimitExceeded(message, fields={field: [message]})


def _limit(name: str) -> int | None:
    return current_app.config[name]


def check_need(*, quantity: int, budget_max: int) -> None:
    most, budget = _limit("NEED_MAX_QUANTITY"), _limit("NEED_MAX_BUDGET")
    if most is not None and quantity > most:
        raise _refuse("quantity", f"Jumlah paling banyak {number(most)} per kebutuhan.")
    if budget is not None and budget_max > budget:
        raise _refuse("budget_max", f"Anggaran maksimal paling besar {rupiah(budget)} per kebutuhan.")
    check_total(budget_max, what="Anggaran maksimal")


def check_offer(*, need: Need, unit_price: int, quantity: int) -> None:
    most, price = _limit("NEED_MAX_QUANTITY"), _limit("NEED_MAX_UNIT_PRICE")
    if most is not None and quantity > most:
        raise _refuse("quantity", f"Jumlah penawaran paling banyak {number(most)}.")
    if price is not None and unit_price > price:
        raise _refuse("unit_price", f"Harga satuan paling tinggi {rupiah(price)}.")
    if unit_price > need.budget_max:
        raise _refuse("unit_price", f"Harga satuan melebihi anggaran maksimal kebutuhan ({rupiah(need.budget_max)}).")


def check_deal(*, need: Need, buyer_id: int, amount: int) -> None:
    """The deal of ``amount`` about to be accepted for ``need`` (need and organisation locked)."""
    check_total(amount, what="Nilai transaksi")
    deal_max, per_day = _limit("DEAL_MAX_AMOUNT"), _limit("DEAL_LIMIT_AMOUNT_PER_DAY")
    if deal_max is not None and amount > deal_max:
        raise _refuse("quantity", f"Nilai satu transaksi paling besar {rupiah(deal_max)}; transaksi ini "
                                  f"{rupiah(amount)}. Terima sebagian jumlahnya saja.")
    taken = _deals_total(Offer.need_id == need.id)
    if taken + amount > need.budget_max:
        left = max(need.budget_max - taken, 0)
        raise _refuse("quantity", f"Transaksi ini ({rupiah(amount)}) melebihi sisa anggaran maksimal kebutuhan "
                                  f"({rupiah(left)} dari {rupiah(need.budget_max)}).")
    if per_day is not None:
        today = _deals_total(Need.buyer_id == buyer_id, Offer.decided_at >= clock.zone().day_start(clock.now()))
        if today + amount > per_day:
            left = max(per_day - today, 0)
            raise _refuse("quantity", f"Batas transaksi lembaga {rupiah(per_day)} per hari terlampaui; sisa hari "
                                      f"ini {rupiah(left)}.")


def check_restored_deal(*, need: Need, buyer_id: int, offer: Offer) -> None:
    """A voided deal about to count again (its void undone): while it was void its value was free,
    so the need's budget and the organisation's limit for the day it was accepted are checked
    again (need and organisation locked)."""
    amount = offer.deal_amount
    if _deals_total(Offer.need_id == need.id, Offer.id != offer.id) + amount > need.budget_max:
        raise _refuse("offer", f"Transaksi ini ({rupiah(amount)}) kini melebihi sisa anggaran maksimal kebutuhan "
                               f"({rupiah(need.budget_max)}): transaksi lain sudah memakainya.")
    per_day = _limit("DEAL_LIMIT_AMOUNT_PER_DAY")
    if per_day is not None:
        day = clock.zone().day_start(offer.decided_at)
        same_day = _deals_total(Need.buyer_id == buyer_id, Offer.id != offer.id, Offer.decided_at >= day,
                                Offer.decided_at < day + timedelta(days=1))
        if same_day + amount > per_day:
            raise _refuse("offer", f"Batas transaksi lembaga {rupiah(per_day)} per hari pada hari transaksi ini "
                                   "kini terlampaui oleh transaksi lain.")


def _deals_total(*conditions) -> int:
    total = db.session.scalar(select(func.coalesce(func.sum(Offer.unit_price * Offer.accepted_quantity), 0))
                              .join(Need, Need.id == Offer.need_id)
                              .where(Offer.status.in_(ACCEPTED_STATES), *conditions))
    return int(total)
