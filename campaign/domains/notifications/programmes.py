"""Who hears about the programmes: buyer organisations, the needs board and trainings.
Receivers of the lower domains' signals, run inside the sender's transaction (connected by
``register_signal_receivers`` in ``create_app``); each message names what happened and what
to do next, in Bahasa Indonesia."""
from __future__ import annotations

from campaign.core import clock
from campaign.domains.buyers import signals as buyer_signals
from campaign.domains.needs import signals as need_signals
from campaign.domains.notifications.events import coordinators_of
from campaign.domains.notifications.services import notify
from campaign.domains.training import signals as training_signals
from campaign.util.formatting import number, rupiah, tanggal

# --- buyer organisations -------------------------------------------------------------------

def buyer_registered(buyer, **_) -> None:
    """The region's coordinators hear that an organisation waits for verification."""
    notify(users=coordinators_of(buyer.region_id), kind="buyer.registered", endpoint="buyers.queue",
           message=f"Lembaga baru menunggu verifikasi: {buyer.name} ({buyer.kind_label}).")


def buyer_decided(buyer, **_) -> None:
    """The organisation's owner hears that it was verified (and may post needs) or rejected."""
    if buyer.status == "verified":
        message = f"Lembaga {buyer.name} sudah terverifikasi. Kini Anda dapat memasang kebutuhan."
    else:
        message = f"Lembaga {buyer.name} ditolak. Alasan: {buyer.rejection_reason}"
    notify(users=[buyer.owner], kind=f"buyer.{buyer.status}", message=message, endpoint="buyers.mine")


# --- the needs board -----------------------------------------------------------------------

def _offer_line(offer) -> str:
    return f"{number(offer.quantity)} {offer.need.unit} @ {rupiah(offer.unit_price)}"


def offer_sent(offer, **_) -> None:
    """The organisation that posted the need hears of each offer."""
    notify(users=[offer.need.buyer.owner], kind="offer.received", endpoint="needs.detail", need_id=offer.need_id,
           message=f"Penawaran baru dari {offer.shop.name} untuk \u201c{offer.need.title}\u201d: "
                   f"{_offer_line(offer)}, kirim {tanggal(offer.delivery_date)}.")


def offer_decided(offer, **_) -> None:
    """The shop hears that its offer was accepted (how much) or not chosen."""
    if offer.status == "accepted":
        message = (f"Penawaran {offer.shop.name} untuk \u201c{offer.need.title}\u201d diterima: "
                   f"{number(offer.accepted_quantity)} {offer.need.unit}, {rupiah(offer.deal_amount)}. "
                   f"Hubungi {offer.need.buyer.name} untuk pengiriman.")
    else:
        message = (f"Penawaran {offer.shop.name} untuk \u201c{offer.need.title}\u201d tidak dipilih; "
                   "kebutuhan ini sudah ditutup. Terima kasih sudah menawar.")
    notify(users=[offer.shop.owner], kind=f"offer.{offer.status}", endpoint="needs.detail", need_id=offer.need_id,
           message=message)


def offer_delivered(offer, **_) -> None:
    """The shop hears that the buyer recorded the delivery, and is asked to confirm it."""
    notify(users=[offer.shop.owner], kind="offer.delivered", endpoint="needs.detail", need_id=offer.need_id,
           message=f"{offer.need.buyer.name} mencatat barang \u201c{offer.need.title}\u201d sudah diterima. "
                   "Konfirmasi pengiriman agar transaksi selesai dan tercatat.")


def delivery_confirmed(offer, **_) -> None:
    """The organisation hears that the deal is complete."""
    notify(users=[offer.need.buyer.owner], kind="offer.completed", endpoint="needs.detail", need_id=offer.need_id,
           message=f"{offer.shop.name} mengonfirmasi pengiriman \u201c{offer.need.title}\u201d. Transaksi "
                   f"{rupiah(offer.deal_amount)} selesai dan tercatat sebagai belanja lembaga.")


def _deal_parties(offer) -> list:
    """The organisation's owner and the shop's owner (once if they are the same account)."""
    owners = {offer.need.buyer.owner.id: offer.need.buyer.owner, offer.shop.owner.id: offer.shop.owner}
    return list(owners.values())


def deal_voided(offer, **_) -> None:
    """Both sides of a deal hear that a coordinator voided it, and why."""
    notify(users=_deal_parties(offer), kind="offer.voided", endpoint="needs.detail", need_id=offer.need_id,
           message=f"Transaksi \u201c{offer.need.title}\u201d antara {offer.need.buyer.name} dan {offer.shop.name} "
                   f"({rupiah(offer.deal_amount)}) dibatalkan koordinator dan tidak lagi dihitung sebagai belanja "
                   f"lembaga. Alasan: {offer.void_reason}")


def deal_restored(offer, **_) -> None:
    """Both sides hear that the void was undone: the deal counts again."""
    notify(users=_deal_parties(offer), kind="offer.restored", endpoint="needs.detail", need_id=offer.need_id,
           message=f"Pembatalan transaksi \u201c{offer.need.title}\u201d antara {offer.need.buyer.name} dan "
                   f"{offer.shop.name} diurungkan koordinator: {rupiah(offer.deal_amount)} kembali tercatat "
                   "sebagai belanja lembaga.")


# --- trainings -----------------------------------------------------------------------------

def _where(training) -> str:
    return "daring" if training.mode == "online" else f"di {training.place}"


def seat_taken(seat, **_) -> None:
    """The owner who took the seat gets the when and where."""
    training = seat.training
    notify(users=[seat.shop.owner], kind="training.registered", endpoint="training.detail",
           training_id=training.id,
           message=f"{seat.shop.name} terdaftar di pelatihan \u201c{training.title}\u201d, "
                   f"{clock.waktu(training.starts_at)}, {_where(training)}.")


def reminder_due(seat, **_) -> None:
    """The day before: the seat holder is reminded."""
    training = seat.training
    notify(users=[seat.shop.owner], kind="training.reminder", endpoint="training.detail", training_id=training.id,
           message=f"Pengingat: pelatihan \u201c{training.title}\u201d besok, {clock.waktu(training.starts_at)}, "
                   f"{_where(training)}. Peserta: {seat.shop.name}.")


def training_cancelled(training, *, seats, **_) -> None:
    """Every owner who held a seat hears, with the organiser's reason."""
    owners = {seat.shop.owner.id: seat.shop.owner for seat in seats}
    notify(users=owners.values(), kind="training.cancelled", endpoint="training.detail", training_id=training.id,
           message=f"Pelatihan \u201c{training.title}\u201d ({clock.waktu(training.starts_at)}) dibatalkan "
                   f"penyelenggara. Alasan: {training.cancel_reason}")


def connect_signals() -> None:
    buyer_signals.buyer_registered.connect(buyer_registered)
    buyer_signals.buyer_decided.connect(buyer_decided)
    need_signals.offer_sent.connect(offer_sent)
    need_signals.offer_decided.connect(offer_decided)
    need_signals.offer_delivered.connect(offer_delivered)
    need_signals.delivery_confirmed.connect(delivery_confirmed)
    need_signals.deal_voided.connect(deal_voided)
    need_signals.deal_restored.connect(deal_restored)
    training_signals.seat_taken.connect(seat_taken)
    training_signals.reminder_due.connect(reminder_due)
    training_signals.training_cancelled.connect(training_cancelled)
