"""Who hears about what: receivers of the shop and purchase domains' signals, run inside the
transaction of the change (connected by :func:`connect_signals` when the app is built)."""
from __future__ import annotations

from sqlalchemy import select

from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.notifications.services import notify
from campaign.domains.purchases import signals as purchase_signals
from campaign.domains.shops import signals as shop_signals
from campaign.util.formatting import rupiah, tanggal


def coordinators_of(region_id: int) -> list[User]:
    """The active coordinators of a region."""
    return list(db.session.scalars(select(User).where(
        User.coordinator_region_id == region_id, User.active.is_(True))))


def shop_registered(shop, **_kwargs) -> None:
    """The region's coordinators hear that a new shop waits for verification."""
    notify(users=coordinators_of(shop.region_id), kind="shop.registered", endpoint="coordinator.home",
           message=f"Toko baru menunggu verifikasi: {shop.name} ({shop.village}, Kec. {shop.district}).")


def shop_decided(shop, **_kwargs) -> None:
    """The owner hears that the shop was verified or rejected (with the reason)."""
    if shop.status == "verified":
        message = (f"Toko {shop.name} sudah terverifikasi dan tampil di Daftar Toko. "
                   "Cetak poster kode QR agar ASN dapat mencatat belanja di toko Anda.")
    else:
        message = f"Toko {shop.name} ditolak. Alasan: {shop.rejection_reason}"
    notify(users=[shop.owner], kind=f"shop.{shop.status}", message=message, endpoint="shops.mine")


def purchase_changed(purchase, **_kwargs) -> None:
    """The buyer hears when a purchase is disputed by the shop or voided by a coordinator."""
    if purchase.status not in ("disputed", "voided"):
        return
    what = "dibantah oleh toko" if purchase.status == "disputed" else "dibatalkan oleh koordinator"
    message = (f"Belanja {rupiah(purchase.amount)} di {purchase.shop.name} pada {tanggal(purchase.purchased_on)} "
               f"{what}.")
    if purchase.status_reason:
        message += f" Alasan: {purchase.status_reason}"
    notify(users=[purchase.buyer], kind=f"purchase.{purchase.status}", message=message, endpoint="purchases.mine")


def connect_signals() -> None:
    shop_signals.shop_registered.connect(shop_registered)
    shop_signals.shop_decided.connect(shop_decided)
    purchase_signals.purchase_changed.connect(purchase_changed)
