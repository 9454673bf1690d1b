"""Property: after any sequence of pledges, purchases and state changes (allowed or refused),
the maintained tallies equal a recomputation from the raw rows."""
import pytest
from helpers import user
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from campaign.core.errors import DomainError
from campaign.core.extensions import db
from campaign.domains.purchases import pledges, services
from campaign.domains.purchases.models import Purchase

OPERATIONS = ["log", "log", "log", "confirm", "dispute", "withdraw", "void", "pledge"]


@pytest.fixture
def make_cast(make_asn, make_owner, make_shop, make_staff):
    """``make_cast()``: three ASN (Palopo, Makassar x2), two owners with three shops (Palopo, Luwu
    Utara, Makassar) and a coordinator of Makassar, made in the app's database as it is now."""
    def make() -> dict:
        owners = [make_owner(), make_owner()]
        return {
            "asn": [make_asn(region="73.73"), make_asn(region="73.71"),
                    make_asn(region="73.71", agency="Dinas Sosial")],
            "owners": owners,
            "shops": [make_shop(owner=owners[0], region="73.73"), make_shop(owner=owners[0], region="73.22"),
                      make_shop(owner=owners[1], region="73.71")],
            "coordinator": make_staff(region="73.71"),
        }
    return make


def _apply(cast, operation, pick, amount):
    purchases = db.session.scalars(select(Purchase.id).order_by(Purchase.id)).all()
    target = purchases[pick % len(purchases)] if purchases else 0
    if operation == "log":
        services.log_purchase(buyer=user(cast["asn"][pick % 3]), shop_id=cast["shops"][pick % 3], amount=amount)
    elif operation == "pledge":
        pledges.make_pledge(asn=user(cast["asn"][pick % 3]), amount=amount)
    elif operation in ("confirm", "dispute"):
        action = services.confirm_purchase if operation == "confirm" else services.dispute_purchase
        action(actor=user(cast["owners"][pick % 2]), purchase_id=target)
    elif operation == "withdraw":
        services.withdraw_purchase(actor=user(cast["asn"][pick % 3]), purchase_id=target)
    else:
        services.void_purchase(actor=user(cast["coordinator"]), purchase_id=target, reason="Uji acak")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 1000), st.integers(0, 12_000_000)),
                      min_size=1, max_size=20))
def test_any_sequence_keeps_tallies_exact(app, fresh_database, make_cast, tallies_agree, steps):
    """Each example starts from an empty database (the function-scoped fixtures are only
    factories), so a failing sequence replays and shrinks the same way."""
    fresh_database()
    with app.app_context():
        assert db.session.scalars(select(Purchase.id)).all() == []  # nothing left from an earlier example
    cast = make_cast()
    for operation, pick, amount in steps:
        with app.app_context():
            try:
                _apply(cast, operation, pick, amount)
            except DomainError:
                pass  # refused operations must leave the tallies untouched too
    tallies_agree()
