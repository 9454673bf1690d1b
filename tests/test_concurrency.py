"""Many people at once against a live server on loopback: nothing lost, nothing counted twice.

24 ASN log purchases at the same time, then shop owners confirm or dispute while the buyers
withdraw some of the same purchases. Afterwards the tallies equal a recomputation from the raw
rows, and the province's realized total equals what the server acknowledged.
"""
import random
from concurrent.futures import ThreadPoolExecutor

from helpers import province_today
import pytest
import requests
from sqlalchemy import func, select

from campaign.core.extensions import db
from campaign.domains.purchases.models import Purchase
from campaign.domains.tallies.models import Tally

REGIONS = ["73.73", "73.71", "73.22", "73.02", "73.72", "73.06"]
BUYERS = 24
PURCHASES_EACH = 5



def _session(base: str, person) -> requests.Session:
    session = requests.Session()
    response = session.post(f"{base}/masuk", data={"login": person.login, "password": person.password},
                            allow_redirects=False, timeout=60)
    assert response.status_code == 302, response.text[:500]
    return session


def _log_purchases(base, person, shops, seed):
    rng = random.Random(seed)
    session = _session(base, person)
    acknowledged = []
    session.post(f"{base}/janji", data={"amount": f"{rng.randrange(1, 20) * 100_000}"}, timeout=60)
    for n in range(PURCHASES_EACH):
        amount = rng.randrange(2, 400) * 500
        response = session.post(f"{base}/belanja/baru", allow_redirects=False, timeout=60, data={
            "shop_id": rng.choice(shops), "amount": str(amount), "purchased_on": province_today().isoformat(),
            "client_ref": f"{person.id}-{n}"})
        if response.status_code == 302 and response.headers["Location"] == "/saya":
            acknowledged.append(amount)
    return session, acknowledged


def _owner_decides(base, owner, purchase_ids, seed):
    rng = random.Random(seed)
    session = _session(base, owner)
    for purchase_id in purchase_ids:
        action = "konfirmasi" if rng.random() < 0.8 else "bantah"
        session.post(f"{base}/belanja/{purchase_id}/{action}", allow_redirects=False, timeout=60)


@pytest.mark.slow
def test_concurrent_buyers_and_shops_keep_exact_totals(app, live_server, make_asn, make_owner, make_shop, no_logging_limits,
                                                        tallies_agree):
    owners = [make_owner() for _ in range(4)]
    shops_by_owner = {o.id: [make_shop(owner=o, region=REGIONS[i % len(REGIONS)]) for i in range(2)]
                      for o in owners}
    shops = [s for group in shops_by_owner.values() for s in group]
    buyers = [make_asn(region=REGIONS[i % len(REGIONS)]) for i in range(BUYERS)]

    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        results = list(pool.map(lambda ib: _log_purchases(live_server, ib[1], shops, ib[0]), enumerate(buyers)))
    acknowledged_total = sum(sum(amounts) for _, amounts in results)
    assert sum(len(amounts) for _, amounts in results) == BUYERS * PURCHASES_EACH  # nothing refused or lost

    with app.app_context():
        rows = db.session.execute(select(Purchase.id, Purchase.shop_id, Purchase.buyer_id)).all()
        province = db.session.scalar(select(func.sum(Tally.realized_amount)).where(Tally.dimension == "asn_region"))
    assert province == acknowledged_total
    tallies_agree()

    owner_of = {shop: owner for owner in owners for shop in shops_by_owner[owner.id]}
    by_owner = {o.id: [pid for pid, shop, _ in rows if owner_of[shop].id == o.id] for o in owners}
    first_of_buyer = {}
    for pid, _, buyer in rows:
        first_of_buyer.setdefault(buyer, pid)
    sessions = {b.id: s for b, (s, _) in zip(buyers, results)}

    def withdraw(buyer_id):
        sessions[buyer_id].post(f"{live_server}/belanja/{first_of_buyer[buyer_id]}/tarik", timeout=60,
                                allow_redirects=False)

    with ThreadPoolExecutor(max_workers=BUYERS + len(owners)) as pool:
        jobs = [pool.submit(_owner_decides, live_server, o, by_owner[o.id], i) for i, o in enumerate(owners)]
        jobs += [pool.submit(withdraw, b.id) for b in buyers]
        for job in jobs:
            job.result()

    with app.app_context():
        statuses = dict(db.session.execute(select(Purchase.status, func.count()).group_by(Purchase.status)).all())
        realized_rows = db.session.scalar(select(func.sum(Purchase.amount))
                                          .where(Purchase.status.in_(["reported", "confirmed"])))
        province = db.session.scalar(select(func.sum(Tally.realized_amount)).where(Tally.dimension == "asn_region"))
    assert sum(statuses.values()) == BUYERS * PURCHASES_EACH
    # every purchase was decided by its shop or withdrawn by its buyer; each race had one winner
    assert statuses.get("reported", 0) == 0
    assert 0 < statuses.get("withdrawn", 0) <= BUYERS and statuses.get("confirmed", 0) > 0
    assert province == (realized_rows or 0)
    tallies_agree()
