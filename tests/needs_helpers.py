"""Objects on the needs board for the authorization matrix (tests/access_matrix.py), and the steps
of a deal for the tests; the needs board's builder fixtures (make_buyer, make_need, make_offer) are
in builders.py."""
from __future__ import annotations

from datetime import timedelta

from helpers import province_today

from campaign.core.extensions import db
from campaign.domains.auth.models import User


def _account(prefix: str):
    import uuid

    from campaign.domains.auth.services import sign_up_shop_owner

    return sign_up_shop_owner(name=f"Pengurus {prefix}", login=f"{prefix}-{uuid.uuid4().hex[:12]}@example.id",
                              password="rahasia123", consent=True)


def matrix_buyer(app, *, verified: bool) -> int:
    """A buyer organisation in Kota Palopo owned by a stranger to the matrix's six roles."""
    from campaign.domains.auth.services import create_user
    from campaign.domains.buyers import services as buyers

    with app.app_context():
        owner = _account("lembaga")
        buyer = buyers.register_buyer(owner=owner, name="Yayasan Matriks", kind="social", region_code="73.73",
                                      address="Jl. Andi Djemma No. 9", whatsapp="0813-5555-0001")
        if verified:
            import uuid
            admin, _ = create_user(name="Admin Lembaga", login=f"adm-{uuid.uuid4().hex[:12]}@example.id",
                                   role="admin", password="rahasia123")
            buyers.verify_buyer(actor=admin, buyer_id=buyer.id)
        return buyer.id


def matrix_need(app) -> int:
    """An open need for sembako from Kota Palopo, so the matrix's shop owner's fresh shops fit it."""
    from campaign.domains.needs import services
    from campaign.domains.needs.models import BuyerOrganisation

    buyer_id = matrix_buyer(app, verified=True)
    with app.app_context():
        owner = db.session.get(BuyerOrganisation, buyer_id).owner
        return services.post_need(actor=owner, buyer_id=buyer_id, title="Paket sembako", category="sembako",
                                  quantity=100, unit="paket", budget_min=0, budget_max=10_000_000,
                                  region_codes=["73.73"], deadline=province_today() + timedelta(days=7),
                                  delivery_place="Posko").id


def matrix_offer(app, *, owner_id: int, shop_id: int) -> int:
    """An offer (``sent``) by the matrix's shop owner for a fresh need."""
    from campaign.domains.needs import services

    need_id = matrix_need(app)
    with app.app_context():
        return services.send_offer(actor=db.session.get(User, owner_id), need_id=need_id, shop_id=shop_id,
                                   unit_price=50_000, quantity=10, delivery_date=province_today()).id


def complete_deal(app, buyer, shop_owner, offer_id, quantity=None) -> int:
    """Accept (all, or ``quantity``), deliver and confirm an offer; returns the deal's rupiah."""
    from helpers import user

    from campaign.domains.needs import services
    with app.app_context():
        services.accept_offer(actor=user(buyer), offer_id=offer_id, quantity=quantity)
        services.record_delivery(actor=user(buyer), offer_id=offer_id)
        return services.confirm_delivery(actor=user(shop_owner), offer_id=offer_id).deal_amount


def institutional_spend(app, code: str = "73.73") -> tuple[int, int]:
    """(rupiah, deals) of the region's institutional spend, as its page shows them."""
    from campaign.domains.needs import standing
    with app.app_context():
        data = standing.region_institutional(code=code, campaign_id=None)
        return data.amount, data.deals
