"""The numbers beside the menu: unread notifications, purchases waiting for the owner's
confirmation, offers waiting for an organisation's decision, shops and buyer organisations
waiting for the coordinator's verification. Counted once per request,
only when a page shows the menu to a signed-in user."""
from __future__ import annotations

from dataclasses import dataclass

from flask import g
from flask_login import current_user
from sqlalchemy import func, select

from campaign.core.extensions import db
from campaign.domains.needs.models import BuyerOrganisation
from campaign.domains.needs.queries import waiting_offers_of_buyer_owner
from campaign.domains.notifications.services import unread_count
from campaign.domains.purchases.models import Purchase
from campaign.domains.regions.models import Region
from campaign.domains.shops.models import Shop


@dataclass(frozen=True)
class MenuBadges:
    unread: int
    waiting_purchases: int  # reported purchases at the user's shops
    pending_shops: int  # shops waiting for verification in the coordinator's region (admins: all)
    pending_buyers: int = 0  # buyer organisations waiting, the same way
    organisations: int = 0  # buyer organisations the user registered (shows "Lembaga Saya")
    waiting_offers: int = 0  # offers still to decide on the open needs of those organisations

    @property
    def waiting_verification(self) -> int:
        """The coordinator's badge: shops and organisations waiting."""
        return self.pending_shops + self.pending_buyers


def waiting_purchases(owner_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Purchase).join(Shop, Shop.id == Purchase.shop_id)
                             .where(Shop.owner_id == owner_id, Purchase.status == "reported")) or 0


def _pending(model, user) -> int:
    statement = select(func.count()).select_from(model).where(model.status == "pending")
    if not user.is_admin:
        statement = statement.where(model.region_id == user.coordinator_region_id)
    elif user.admin_province is not None:
        statement = statement.where(model.region_id.in_(
            select(Region.id).where(Region.code.startswith(f"{user.admin_province}."))))
    return db.session.scalar(statement) or 0


def pending_shops(user) -> int:
    return _pending(Shop, user)


def pending_buyers(user) -> int:
    return _pending(BuyerOrganisation, user)


def organisations(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(BuyerOrganisation)
                             .where(BuyerOrganisation.owner_id == user_id)) or 0


def menu_badges() -> MenuBadges | None:
    """None for visitors."""
    if not current_user.is_authenticated:
        return None
    if "menu_badges" not in g:
        owned = organisations(current_user.id)
        g.menu_badges = MenuBadges(
            unread=unread_count(current_user.id),
            waiting_purchases=waiting_purchases(current_user.id) if current_user.is_shop_owner else 0,
            pending_shops=pending_shops(current_user) if current_user.is_staff else 0,
            pending_buyers=pending_buyers(current_user) if current_user.is_staff else 0,
            organisations=owned, waiting_offers=waiting_offers_of_buyer_owner(current_user.id) if owned else 0)
    return g.menu_badges
