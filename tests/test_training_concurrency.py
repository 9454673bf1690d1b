"""Owners racing for the last seats against a live server: the database keeps the capacity."""
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests
from sqlalchemy import func, select

from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.training import services
from campaign.domains.training.models import Training, TrainingSeat
from campaign.util.formatting import utcnow

CAPACITY = 5
OWNERS = 16



@pytest.mark.slow
def test_owners_taking_the_last_seats_at_once_never_overfill(app, live_server, make_staff, make_owner,
                                                            make_shop, tallies_agree):
    admin = make_staff(role="admin")
    with app.app_context():
        training_id = services.publish_training(
            actor=db.session.get(User, admin.id), title="Produksi APD Standar Kesehatan", topic="apd",
            starts_at=utcnow() + timedelta(days=2), duration_minutes=120, capacity=CAPACITY, mode="offline",
            place="Aula Diskop UKM Sulsel", region_code=None).id
    owners = [make_owner() for _ in range(OWNERS)]
    shops = [make_shop(owner=o, region=("73.73", "73.22", "73.02")[i % 3]) for i, o in enumerate(owners)]
    sessions = []
    for owner in owners:
        session = requests.Session()
        assert session.post(f"{live_server}/masuk", data={"login": owner.login, "password": owner.password},
                            allow_redirects=False, timeout=60).status_code == 302
        sessions.append(session)
    barrier = threading.Barrier(OWNERS)

    def take(index):
        barrier.wait(timeout=60)
        return sessions[index].post(f"{live_server}/pelatihan/{training_id}/daftar",
                                    data={"shop_id": shops[index]}, timeout=60).text

    with ThreadPoolExecutor(max_workers=OWNERS) as pool:
        pages = list(pool.map(take, range(OWNERS)))
    assert sum("Terdaftar di pelatihan" in page for page in pages) == CAPACITY
    assert sum("kursi pelatihan ini sudah penuh" in page for page in pages) == OWNERS - CAPACITY
    with app.app_context():
        assert db.session.get(Training, training_id).seats_taken == CAPACITY
        assert db.session.scalar(select(func.count()).select_from(TrainingSeat)) == CAPACITY
    tallies_agree()
