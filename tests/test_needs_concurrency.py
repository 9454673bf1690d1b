"""Acceptances arriving at the same moment never over-commit a need (SQLite and PostgreSQL):
the CHECK on need.accepted_quantity refuses what the services' own checks could not see."""
import threading

from helpers import user

from campaign.core.errors import Conflict
from campaign.core.extensions import db
from campaign.domains.needs import services
from campaign.domains.needs.models import Need, Offer

ROUNDS = 3


def _accept_all_at_once(app, buyer, offer_ids) -> list[str]:
    barrier = threading.Barrier(len(offer_ids), timeout=30)
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(offer_id):
        with app.app_context():
            actor = user(buyer)
            db.session.commit()  # end the read so each thread starts its write fresh
            barrier.wait()
            try:
                services.accept_offer(actor=actor, offer_id=offer_id)
                result = "accepted"
            except Conflict:
                result = "refused"
            finally:
                db.session.remove()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=accept, args=(offer_id,)) for offer_id in offer_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_two_acceptances_at_once_never_exceed_the_quantity(app, make_need, make_offer, fetch):
    for _ in range(ROUNDS):
        buyer, need_id = make_need(quantity=100)
        offers = [make_offer(need_id, quantity=60)[1] for _ in range(2)]
        assert sorted(_accept_all_at_once(app, buyer, offers)) == ["accepted", "refused"]
        assert fetch(Need, need_id).accepted_quantity == 60


def test_many_acceptances_at_once_fill_the_need_exactly_as_far_as_it_goes(app, make_need, make_offer, fetch,
                                                                          tallies_agree):
    buyer, need_id = make_need(quantity=100)
    offers = [make_offer(need_id, quantity=30)[1] for _ in range(5)]
    outcomes = _accept_all_at_once(app, buyer, offers)
    assert outcomes.count("accepted") == 3 and outcomes.count("refused") == 2
    accepted = [o for o in (fetch(Offer, i) for i in offers) if o.status == "accepted"]
    assert sum(o.accepted_quantity for o in accepted) == fetch(Need, need_id).accepted_quantity == 90
    tallies_agree()


def test_acceptances_that_fill_the_need_together_both_pass(app, make_need, make_offer, fetch):
    """Each acceptance would close the need and decline the other's offer: no deadlock, no loss."""
    for _ in range(ROUNDS):
        buyer, need_id = make_need(quantity=100)
        offers = [make_offer(need_id, quantity=50)[1] for _ in range(2)] + [make_offer(need_id, quantity=10)[1]]
        outcomes = _accept_all_at_once(app, buyer, offers)
        need = fetch(Need, need_id)
        assert need.accepted_quantity <= 100
        assert sorted(fetch(Offer, i).status for i in offers).count("accepted") == outcomes.count("accepted")
        assert outcomes.count("accepted") == 2
