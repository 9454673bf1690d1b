"""Issue 16's deal and ring replays against a live server on loopback (as the probe ran them):
the deal of Rp10^17 is refused piece by piece, acceptances racing one organisation's daily limit
pass exactly as far as the limit, and a completed deal's void and its undo move the spend; the ring
spread over regions is flagged in each region and is not verified spend (its made-up NIPs are on no
roster)."""
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from helpers import province_today
import pytest
import requests
from sqlalchemy import select

from campaign.core.extensions import db
from campaign.domains.needs.models import InstitutionalTally
from campaign.domains.purchases.models import Purchase
from campaign.domains.regions.services import current_campaign, region_by_code
from campaign.domains.tallies.models import Tally
from campaign.domains.trust.flags import region_flags

TIMEOUT = 60


def _token(base: str, person) -> dict:
    response = requests.post(f"{base}/api/v1/tokens", json={"login": person.login, "password": person.password},
                             timeout=TIMEOUT)
    assert response.status_code == 201, response.text[:300]
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _need(base, buyer, buyer_id, **changes):
    return requests.post(f"{base}/api/v1/needs", headers=buyer, timeout=TIMEOUT, json={
        "buyer_id": buyer_id, "title": "Baju APD", "category": "fesyen", "quantity": 100, "unit": "potong",
        "budget_min": 0, "budget_max": 5_000_000_000, "regions": ["73.73"],
        "deadline": (province_today() + timedelta(days=7)).isoformat(), "delivery_place": "RSUD", **changes})


def _offer(base, maker, need_id, shop_id, **changes):
    return requests.post(f"{base}/api/v1/offers", headers=maker, timeout=TIMEOUT, json={
        "need_id": need_id, "shop_id": shop_id, "unit_price": 100_000_000, "quantity": 10,
        "delivery_date": province_today().isoformat(), **changes})


@pytest.mark.slow
def test_the_deal_replay_is_bounded_on_a_live_server(app, live_server, make_buyer, make_owner, make_shop, make_staff,
                                                     runner):
    owner, buyer_id = make_buyer()
    maker_person = make_owner()
    shop_id = make_shop(owner=maker_person, category="fesyen", region="73.73")
    buyer, maker = _token(live_server, owner), _token(live_server, maker_person)

    huge = _need(live_server, buyer, buyer_id, quantity=1_000_000, budget_max=100_000_000_000)
    assert huge.status_code == 422 and huge.json()["error"]["code"] == "limit_exceeded"
    need_ids = [_need(live_server, buyer, buyer_id).json()["id"] for _ in range(5)]
    price = _offer(live_server, maker, need_ids[0], shop_id, unit_price=100_000_000_000, quantity=1)
    assert price.status_code == 422 and price.json()["error"]["code"] == "limit_exceeded"
    whole = _offer(live_server, maker, need_ids[0], shop_id, quantity=100).json()  # Rp10.000.000.000
    over = requests.post(f"{live_server}/api/v1/offers/{whole['id']}/accept", headers=buyer, timeout=TIMEOUT)
    assert over.status_code == 422 and over.json()["error"]["code"] == "limit_exceeded"  # over DEAL_MAX_AMOUNT

    # five deals of Rp1.000.000.000 accepted at once: the organisation's Rp2.000.000.000 a day lets two through
    offers = [whole["id"]] + [_offer(live_server, maker, need_id, shop_id).json()["id"] for need_id in need_ids[1:]]
    bodies = [{"quantity": 10}] + [None] * 4
    with ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(pool.map(lambda pair: requests.post(
            f"{live_server}/api/v1/offers/{pair[0]}/accept", headers=buyer, json=pair[1], timeout=TIMEOUT),
            zip(offers, bodies)))
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [200, 200, 422, 422, 422], [answer.text[:200] for answer in answers]
    for answer in (a for a in answers if a.status_code == 200):
        offer_id = answer.json()["id"]
        assert requests.post(f"{live_server}/api/v1/offers/{offer_id}/deliver", headers=buyer,
                             timeout=TIMEOUT).status_code == 200
        assert requests.post(f"{live_server}/api/v1/offers/{offer_id}/confirm", headers=maker,
                             timeout=TIMEOUT).json()["status"] == "completed"
    with app.app_context():
        assert [t.amount for t in db.session.scalars(select(InstitutionalTally))] == [2_000_000_000]
    assert runner.invoke(args=["check-tallies"]).exit_code == 0

    # Palopo's coordinator voids one of them and undoes the void: the spend follows, both times
    coordinator = _token(live_server, make_staff(region="73.73"))
    done = next(answer for answer in answers if answer.status_code == 200).json()["id"]
    spend = lambda: requests.get(f"{live_server}/api/v1/regions/73.73/institutional",  # noqa: E731
                                 timeout=TIMEOUT).json()["amount"]
    voided = requests.post(f"{live_server}/api/v1/offers/{done}/void", headers=coordinator, timeout=TIMEOUT,
                           json={"reason": "Transaksi fiktif, diperiksa ulang"})
    assert voided.json()["status"] == "voided" and spend() == 1_000_000_000
    undone = requests.post(f"{live_server}/api/v1/offers/{done}/void/undo", headers=coordinator, timeout=TIMEOUT)
    assert undone.json()["status"] == "completed" and spend() == 2_000_000_000
    assert runner.invoke(args=["check-tallies"]).exit_code == 0


RING = {"73.10": 7, "73.11": 6, "73.12": 6}


@pytest.mark.slow
def _palopo_shop_spend(app) -> tuple[int, int]:
    """(realized, verified) spend at Palopo's shops, as the tallies hold them."""
    with app.app_context():
        tally = db.session.scalar(select(Tally).where(Tally.campaign_id == current_campaign().id,
                                                      Tally.dimension == "shop_region",
                                                      Tally.key_id == region_by_code("73.73").id))
        return (tally.realized_amount, tally.verified_amount) if tally else (0, 0)


@pytest.mark.slow
def test_the_ring_replay_is_flagged_on_a_live_server(app, live_server, make_asn, make_owner, make_shop,
                                                     make_purchase, no_logging_limits, tallies_agree):
    """...and not verified: the made-up NIPs are on no roster, so Palopo's verified spend stays put."""
    honest = make_owner()
    honest_shop = make_shop(owner=honest, region="73.73")
    for _ in range(5):  # Palopo's honest spend, by buyers on its roster
        make_purchase(buyer=make_asn(region="73.73"), shop_id=honest_shop, amount=1_000_000, confirmed_by=honest)
    before = _palopo_shop_spend(app)
    assert before == (5_000_000, 5_000_000)
    owner = make_owner()
    shop = make_shop(owner=owner, region="73.73", name="Toko Cincin")
    n = 0
    for region, accounts in RING.items():
        for _ in range(accounts):
            session = requests.Session()
            signed_up = session.post(f"{live_server}/daftar/asn", allow_redirects=False, timeout=TIMEOUT, data={
                "name": f"Cincin {n}", "login": f"cincin{n}@example.id", "password": "rahasia123",
                "confirm": "rahasia123", "consent": "y", "nip": f"19880202201202{1 + n % 2}{n + 1:03d}",
                "agency": "Dinas Fiktif", "region": region})
            assert signed_up.status_code == 302, signed_up.text[:300]
            session.post(f"{live_server}/masuk", data={"login": f"cincin{n}@example.id", "password": "rahasia123"},
                         allow_redirects=False, timeout=TIMEOUT)
            logged = session.post(f"{live_server}/belanja/baru", allow_redirects=False, timeout=TIMEOUT, data={
                "shop_id": shop, "amount": "4.999.999", "purchased_on": province_today().isoformat(),
                "client_ref": f"cincin-{n}"})
            assert logged.status_code == 302
            n += 1
    shop_session = requests.Session()
    shop_session.post(f"{live_server}/masuk", data={"login": owner.login, "password": owner.password},
                      allow_redirects=False, timeout=TIMEOUT)
    with app.app_context():
        ids = ",".join(str(i) for i in db.session.scalars(select(Purchase.id).where(Purchase.shop_id == shop)))
    assert shop_session.post(f"{live_server}/toko/saya/belanja/konfirmasi-semua", data={"ids": ids},
                             allow_redirects=False, timeout=TIMEOUT).status_code == 302
    with app.app_context():
        campaign_id = current_campaign().id
        for region in [*RING, "73.73"]:
            kinds = {flag.kind for flag in region_flags(campaign_id=campaign_id, region_id=region_by_code(region).id)}
            assert ("first" if region == "73.73" else "signup") in kinds, (region, kinds)
    realized, verified = _palopo_shop_spend(app)
    assert verified == before[1] and realized == before[0] + 19 * 4_999_999
    tallies_agree()
