"""What the write routes need, read and made through the app itself: API tokens for ASN and
shop owners, the shops to buy at, reported purchases to confirm, and row counts to compare."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from campaign import create_app
from campaign.core.extensions import db

BUYERS = 2_000  # purchases rotate over this many ASN, so per-person limits are not what is measured
OWNERS = 60


@dataclass
class Actors:
    asn_tokens: list[str]
    shop_ids: list[int]
    owner_tokens: dict[int, str]  # shop id -> its owner's token


def app_for(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret-key-0123456789abcdef"})


def _tokens(user_ids: list[int]) -> dict[int, str]:
    """One API token per user, stored in one transaction (as :func:`issue_token` stores each)."""
    from campaign.api.auth import token_hash
    from campaign.core.database import write_transaction
    from campaign.domains.auth.models import ApiToken
    from campaign.util.formatting import utcnow

    tokens = {user_id: secrets.token_urlsafe(32) for user_id in dict.fromkeys(user_ids)}
    with write_transaction():
        db.session.add_all([ApiToken(user_id=user_id, token_hash=token_hash(token),
                                     expires_at=utcnow() + timedelta(days=1)) for user_id, token in tokens.items()])
    return tokens


def actors(app) -> Actors:
    """Tokens for the first BUYERS ASN (by id) and for the owners of OWNERS verified shops."""
    from campaign.domains.auth.models import AsnProfile
    from campaign.domains.shops.models import Shop

    with app.app_context():
        buyer_ids = list(db.session.scalars(select(AsnProfile.user_id).order_by(AsnProfile.user_id).limit(BUYERS)))
        shops = db.session.execute(select(Shop.id, Shop.owner_id).where(Shop.status == "verified")
                                   .order_by(Shop.id).limit(OWNERS)).all()
        owners = _tokens([owner_id for _shop_id, owner_id in shops])
        return Actors(list(_tokens(buyer_ids).values()), [shop_id for shop_id, _ in shops],
                      {shop_id: owners[owner_id] for shop_id, owner_id in shops})


def confirm_pool(app, actors_: Actors, seeded: int = 5_000, *, newest_first: bool = True) -> list[tuple[int, str]]:
    """(purchase id, owner token) for reported purchases: all those at the actors' shops (the
    purchase runs logged them) and ``seeded`` of the demo data, with their owners' tokens.

    ``newest_first``: in the order a shop's own list offers them (newest purchase day first,
    :func:`campaign.domains.purchases.queries.purchases_at_shops`), so a confirmation is of what
    was bought lately, as at the counter; else by id, as before: the demo's first ids,
    purchases of any day of the campaign, whose rows the databases' caches hold least."""
    from campaign.domains.purchases.models import Purchase
    from campaign.domains.shops.models import Shop

    order = (Purchase.purchased_on.desc(), Purchase.id.desc()) if newest_first else (Purchase.id,)
    with app.app_context():
        mine = db.session.execute(select(Purchase.id, Purchase.shop_id).where(
            Purchase.shop_id.in_(actors_.shop_ids), Purchase.status == "reported").order_by(*order)).all()
        others = db.session.execute(select(Purchase.id, Shop.owner_id).join(Shop, Shop.id == Purchase.shop_id)
                                    .where(Purchase.status == "reported", Purchase.shop_id.not_in(actors_.shop_ids))
                                    .order_by(*order).limit(seeded)).all()
        owners = _tokens([owner_id for _id, owner_id in others])
        return ([(purchase_id, actors_.owner_tokens[shop_id]) for purchase_id, shop_id in mine]
                + [(purchase_id, owners[owner_id]) for purchase_id, owner_id in others])


def missing(app, created: list[int], confirmed: list[int]) -> dict[str, int]:
    """Answers the database does not back: purchases answered 201 but not stored, and purchases
    answered "confirmed" that are not confirmed."""
    from campaign.domains.purchases.models import Purchase

    lost = {"lost_writes": 0, "lost_confirms": 0}
    with app.app_context():
        for name, ids, condition in (("lost_writes", created, None),
                                     ("lost_confirms", confirmed, Purchase.status == "confirmed")):
            for start in range(0, len(ids), 5000):
                chunk = set(ids[start:start + 5000])
                query = select(Purchase.id).where(Purchase.id.in_(chunk))
                found = set(db.session.scalars(query if condition is None else query.where(condition)))
                lost[name] += len(chunk - found)
    return lost


def last_purchase_id(app) -> int:
    from campaign.domains.purchases.models import Purchase

    with app.app_context():
        return db.session.scalar(select(func.max(Purchase.id))) or 0


def stored_since(app, last_id: int, run: str) -> int:
    """Purchases stored after ``last_id`` by this run (their client_ref starts with ``run``)."""
    from campaign.domains.purchases.models import Purchase

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Purchase).where(
            Purchase.id > last_id, Purchase.client_ref.startswith(f"{run}-")))
