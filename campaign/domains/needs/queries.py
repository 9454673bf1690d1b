"""Read side of the needs board, for the HTML pages and the API.

Public answers carry the need, its buyer organisation (an institution, not a person) and the
number of offers; the offers themselves are for the buyer and for each offering shop's owner.
A ``wa.me`` link to the other side appears only once an offer is accepted.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from sqlalchemy import exists, func, select

from campaign.core import clock
from campaign.core.extensions import db
from campaign.domains.needs.models import ACCEPTED_STATES, NEED_STATUSES, BuyerOrganisation, Need, Offer, need_region
from campaign.domains.regions.models import Region
from campaign.domains.shops.models import Shop
from campaign.web.pagination import Page, paginate


def wa_link(phone: str, text: str) -> str:
    return f"https://wa.me/{phone.lstrip('+')}?text={quote(text)}"


@dataclass(frozen=True)
class NeedSummary:
    id: int
    title: str
    category: str
    category_label: str
    buyer_name: str
    buyer_kind: str
    buyer_region: str
    quantity: int
    unit: str
    remaining: int
    budget_min: int
    budget_max: int
    deadline: date
    delivery_place: str
    description: str
    status: str
    regions: list[tuple[str, str]]  # (code, full name)
    offers: int

    @property
    def status_label(self) -> str:
        return NEED_STATUSES[self.status]


def _summary(need: Need, offers: int) -> NeedSummary:
    buyer = need.buyer
    return NeedSummary(need.id, need.title, need.category, need.category_label, buyer.name, buyer.kind_label,
                       buyer.region.full_name, need.quantity, need.unit, need.remaining, need.budget_min,
                       need.budget_max, need.deadline, need.delivery_place, need.description, need.status,
                       [(r.code, r.full_name) for r in need.regions], offers)


def _offer_count():
    return select(func.count(Offer.id)).where(Offer.need_id == Need.id).correlate(Need).scalar_subquery()


def open_needs(*, category: str | None, region_code: str | None, page: int, per_page: int) -> Page[NeedSummary]:
    """Open needs not past their deadline, nearest deadline first, then newest (id)."""
    statement = select(Need, _offer_count()).where(Need.status == "open", Need.deadline >= clock.today())
    if category:
        statement = statement.where(Need.category == category)
    if region_code:
        statement = statement.where(exists().where(need_region.c.need_id == Need.id, need_region.c.region_id == Region.id,
                                                   Region.code == region_code))
    return paginate(statement.order_by(Need.deadline, Need.id.desc()), page=page, per_page=per_page, row=_summary)


def need_summary(need_id: int) -> NeedSummary | None:
    row = db.session.execute(select(Need, _offer_count()).where(Need.id == need_id)).first()
    return _summary(*row) if row else None


@dataclass(frozen=True)
class OfferView:
    id: int
    need_id: int
    need_title: str
    shop_id: int
    shop_name: str
    shop_region: str
    unit_price: int
    quantity: int
    delivery_date: date
    message: str
    status: str
    status_label: str
    accepted_quantity: int | None
    deal_amount: int | None
    whatsapp_url: str | None  # to the other side, once accepted


def offer_view(offer: Offer, *, for_buyer: bool) -> OfferView:
    link = None
    if offer.status in ACCEPTED_STATES:
        need = offer.need
        if for_buyer:
            link = wa_link(offer.shop.whatsapp, f"Halo {offer.shop.name}, dari {need.buyer.name} tentang "
                                                f"\"{need.title}\" (Belanja Warung Tetangga).")
        else:
            link = wa_link(need.buyer.whatsapp, f"Halo {need.buyer.name}, dari {offer.shop.name} tentang "
                                                f"\"{need.title}\" (Belanja Warung Tetangga).")
    return OfferView(offer.id, offer.need_id, offer.need.title, offer.shop_id, offer.shop.name, offer.shop.region.full_name,
                     offer.unit_price, offer.quantity, offer.delivery_date, offer.message, offer.status,
                     offer.status_label, offer.accepted_quantity, offer.deal_amount, link)


def other_waiting_offers(offer: Offer) -> int:
    """Offers besides ``offer`` still waiting on its need (declined if accepting it closes the need)."""
    return db.session.scalar(select(func.count()).select_from(Offer).where(
        Offer.need_id == offer.need_id, Offer.status == "sent", Offer.id != offer.id)) or 0


def offers_for_buyer(need: Need) -> list[OfferView]:
    """Side by side: lowest unit price first, then earliest delivery, then id."""
    offers = db.session.scalars(select(Offer).where(Offer.need_id == need.id)
                                .order_by(Offer.unit_price, Offer.delivery_date, Offer.id))
    return [offer_view(o, for_buyer=True) for o in offers]


def offers_of_owner(owner_id: int, need_id: int | None = None) -> list[OfferView]:
    statement = select(Offer).join(Shop, Shop.id == Offer.shop_id).where(Shop.owner_id == owner_id)
    if need_id is not None:
        statement = statement.where(Offer.need_id == need_id)
    return [offer_view(o, for_buyer=False) for o in db.session.scalars(statement.order_by(Offer.id.desc()))]


def needs_for_owner(owner_id: int) -> list[tuple[NeedSummary, list[tuple[int, str]]]]:
    """"Kebutuhan untuk Anda": open needs matching a verified shop of the owner by category and
    region, with the shops that may still offer (none has yet). Nearest deadline first."""
    shops = list(db.session.scalars(select(Shop).where(Shop.owner_id == owner_id, Shop.status == "verified")))
    if not shops:
        return []
    needs = db.session.execute(
        select(Need, _offer_count()).join(need_region, need_region.c.need_id == Need.id)
        .where(Need.status == "open", Need.deadline >= clock.today(),
               Need.category.in_({s.category for s in shops}), need_region.c.region_id.in_({s.region_id for s in shops}))
        .distinct().order_by(Need.deadline, Need.id))
    offered = set(db.session.execute(select(Offer.need_id, Offer.shop_id).where(Offer.shop_id.in_([s.id for s in shops]))))
    result = []
    for need, count in needs:
        if need.buyer.owner_id == owner_id:
            continue
        regions = {r.id for r in need.regions}
        fitting = [(s.id, s.name) for s in shops if s.category == need.category and s.region_id in regions
                   and (need.id, s.id) not in offered]
        if fitting:
            result.append((_summary(need, count), fitting))
    return result


def shops_that_may_offer(owner_id: int, need: Need) -> list[tuple[int, str]]:
    """The owner's verified shops that fit an open need and have not offered for it yet."""
    if need.status != "open" or need.deadline < clock.today() or need.buyer.owner_id == owner_id:
        return []
    regions = [r.id for r in need.regions]
    shops = db.session.scalars(select(Shop).where(
        Shop.owner_id == owner_id, Shop.status == "verified", Shop.category == need.category,
        Shop.region_id.in_(regions), ~exists().where(Offer.shop_id == Shop.id, Offer.need_id == need.id))
        .order_by(Shop.name))
    return [(s.id, s.name) for s in shops]


def needs_of_buyer_owner(owner_id: int) -> list[NeedSummary]:
    rows = db.session.execute(select(Need, _offer_count()).join(BuyerOrganisation)
                              .where(BuyerOrganisation.owner_id == owner_id).order_by(Need.id.desc()))
    return [_summary(need, count) for need, count in rows]


def waiting_offers_of_buyer_owner(owner_id: int) -> int:
    """Offers still waiting for a decision on the open needs of the owner's organisations."""
    return db.session.scalar(
        select(func.count()).select_from(Offer).join(Need, Need.id == Offer.need_id)
        .join(BuyerOrganisation, BuyerOrganisation.id == Need.buyer_id)
        .where(BuyerOrganisation.owner_id == owner_id, Need.status == "open", Offer.status == "sent")) or 0


@dataclass(frozen=True)
class IdleShop:
    id: int
    name: str
    category_label: str
    whatsapp: str


def needs_without_offers(region_id: int) -> list[NeedSummary]:
    """Open needs (deadline not passed) that buy from the region and have no offer yet."""
    rows = db.session.execute(
        select(Need, _offer_count()).join(need_region, need_region.c.need_id == Need.id)
        .where(need_region.c.region_id == region_id, Need.status == "open", Need.deadline >= clock.today(),
               ~exists().where(Offer.need_id == Need.id)).order_by(Need.deadline, Need.id))
    return [_summary(need, count) for need, count in rows]


def shops_never_offered(region_id: int, *, page: int, per_page: int) -> Page[IdleShop]:
    """Verified shops of the region that have never sent an offer, by name."""
    statement = (select(Shop).where(Shop.region_id == region_id, Shop.status == "verified",
                                    ~exists().where(Offer.shop_id == Shop.id)).order_by(Shop.name, Shop.id))
    return paginate(statement, page=page, per_page=per_page,
                    row=lambda s: IdleShop(s.id, s.name, s.category_label, s.whatsapp))


def buyers_of(user_id: int) -> list[BuyerOrganisation]:
    """The organisations ``user_id`` registered, oldest first (any status)."""
    return list(db.session.scalars(select(BuyerOrganisation).where(BuyerOrganisation.owner_id == user_id)
                                   .order_by(BuyerOrganisation.id)))
