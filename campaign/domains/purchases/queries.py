"""Read functions for the ASN's own page and the shop owner's purchase list (HTML and API)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import inspect, select

from campaign.core import clock
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.purchases import writes
from campaign.domains.purchases.models import PURCHASE_STATUSES, Pledge, Purchase
from campaign.domains.regions.models import Agency, Campaign
from campaign.domains.shops.models import Shop
from campaign.domains.tallies.models import Tally
from campaign.web.pagination import Page, paginate


@dataclass(frozen=True)
class MySummary:
    campaign_id: int
    campaign_name: str
    pledged: int | None
    realized: int
    verified: int
    purchases: int
    shops_supported: int

    @property
    def progress(self) -> float | None:
        """Realized over pledged; None without a pledge."""
        return self.realized / self.pledged if self.pledged else None


@dataclass(frozen=True)
class PurchaseRow:
    id: int
    purchased_on: date
    amount: int
    status: str
    status_label: str
    status_reason: str | None
    note: str
    shop_id: int
    shop_name: str
    buyer_name: str
    agency_name: str
    created_at: datetime

    @property
    def can_withdraw(self) -> bool:
        return self.status == "reported"

    @property
    def logged_at(self) -> datetime:
        """When the purchase was logged, local time (two purchases of one day tell apart by it)."""
        return clock.zone().local(self.created_at)

    @property
    def logged_time(self) -> str:
        """``14.05 WIB``."""
        return clock.jam(self.created_at)

    @property
    def logged_on_purchase_day(self) -> bool:
        return self.logged_at.date() == self.purchased_on


PurchasePage = Page[PurchaseRow]


def my_summary(*, user_id: int, campaign: Campaign) -> MySummary:
    """The ASN's pledge and totals, from the maintained ``asn`` tally (no purchase scan)."""
    tally = db.session.get(Tally, (campaign.id, "asn", user_id))
    pledge = db.session.scalar(select(Pledge.amount).where(Pledge.campaign_id == campaign.id,
                                                           Pledge.user_id == user_id))
    return MySummary(campaign.id, campaign.name, pledge,
                     tally.realized_amount if tally else 0, tally.verified_amount if tally else 0,
                     tally.realized_count if tally else 0, tally.shops_supported if tally else 0)


def _row(p: Purchase, shop_name: str, buyer_name: str, agency_name: str) -> PurchaseRow:
    return PurchaseRow(p.id, p.purchased_on, p.amount, p.status, PURCHASE_STATUSES[p.status],
                       p.status_reason, p.note, p.shop_id, shop_name, buyer_name, agency_name, p.created_at)


def _page(statement, page: int, per_page: int) -> PurchasePage:
    return paginate(statement, page=page, per_page=per_page, row=_row)


def purchase_row(purchase_id: int) -> PurchaseRow:
    """One purchase with its shop's, buyer's and agency's names, in one statement."""
    return _row(*db.session.execute(_base().where(Purchase.id == purchase_id)).one())


def row_of(purchase: Purchase) -> PurchaseRow:
    """The same row from an object whose shop, buyer and agency the session holds, or whose names
    its writer kept with it (:func:`.writes.insert_reported`): no statement."""
    names = inspect(purchase).info.get(writes.NAMES)
    if names is not None:
        return _row(purchase, *names)
    return _row(purchase, purchase.shop.name, purchase.buyer.name, purchase.agency.name)


def _base():
    return (select(Purchase, Shop.name, User.name, Agency.name)
            .join(Shop, Shop.id == Purchase.shop_id)
            .join(User, User.id == Purchase.buyer_id)
            .join(Agency, Agency.id == Purchase.agency_id))


def my_purchases(*, user_id: int, campaign_id: int | None, page: int = 1, per_page: int = 20) -> PurchasePage:
    """The ASN's own purchases, newest first."""
    statement = _base().where(Purchase.buyer_id == user_id)
    if campaign_id is not None:
        statement = statement.where(Purchase.campaign_id == campaign_id)
    return _page(statement.order_by(Purchase.purchased_on.desc(), Purchase.id.desc()), page, per_page)


def purchases_at_shops(*, owner_id: int, shop_id: int | None = None, status: str | None = None,
                       page: int = 1, per_page: int = 20) -> PurchasePage:
    """Purchases at the owner's shops, ``reported`` ones first, then newest. Buyers appear by
    name and agency only (never NIP, e-mail or phone)."""
    statement = _base().where(Shop.owner_id == owner_id)
    if shop_id is not None:
        statement = statement.where(Purchase.shop_id == shop_id)
    if status in PURCHASE_STATUSES:
        statement = statement.where(Purchase.status == status)
    waiting_first = (Purchase.status != "reported")
    return _page(statement.order_by(waiting_first, Purchase.purchased_on.desc(), Purchase.id.desc()),
                 page, per_page)


def recently_confirmed(*, owner_id: int, since: datetime, limit: int = 20) -> list[PurchaseRow]:
    """What the owner confirmed since ``since``, newest first (the "Batalkan" notice on their list)."""
    rows = db.session.execute(
        _base().where(Shop.owner_id == owner_id, Purchase.status == "confirmed",
                      Purchase.decided_by_id == owner_id, Purchase.decided_at >= since)
        .order_by(Purchase.decided_at.desc(), Purchase.id.desc()).limit(limit))
    return [_row(*row) for row in rows]


def waiting_at_shops(*, owner_id: int, ids: list[int]) -> list[PurchaseRow]:
    """Of ``ids``, the purchases still ``reported`` at the owner's shops (what "Konfirmasi semua"
    would confirm), newest first."""
    rows = db.session.execute(
        _base().where(Shop.owner_id == owner_id, Purchase.id.in_(ids), Purchase.status == "reported")
        .order_by(Purchase.purchased_on.desc(), Purchase.id.desc()))
    return [_row(*row) for row in rows]
