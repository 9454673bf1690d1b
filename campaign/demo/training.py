"""Demo trainings for ``seed-demo``: one held two weeks ago with attendance marked, and three to come."""
from __future__ import annotations

from datetime import time, timedelta

from campaign.core import clock
from campaign.core.extensions import db
from campaign.demo.places import Cast
from campaign.domains.regions.districts import districts_of
from campaign.domains.training.models import Training, TrainingSeat


def demo_trainings(cast: Cast) -> list[tuple]:
    """(title, topic, mode, place or link, region (None: province), days from today, hours, capacity,
    seats), placed in the cast's regions."""
    home, second = cast.home, cast.second
    kecamatan = next(iter(districts_of(home.id)), None)
    office = f"Kantor Kecamatan {kecamatan.name}, {home.full_name}" if kecamatan else f"Kantor {home.full_name}"
    return [
        ("Jualan lewat WhatsApp Business dan Katalog", "pemasaran_digital", "offline",
         f"Aula Dinas Koperasi dan UKM {home.full_name}", home, -14, 3, 40, 12),
        ("Produksi APD sesuai standar kesehatan", "apd", "online", "https://meet.diskop.example.id/apd",
         None, 5, 2, 100, 6),
        ("Pembukuan sederhana untuk warung", "keuangan", "offline", office, home, 10, 3, 30, 5),
        ("Kemasan dan merek produk UMKM", "kemasan", "offline", f"Gedung Serbaguna {second.full_name}", second,
         14, 4, 25, 4),
    ]


def seed_trainings(*, organiser_id: int, shops, cast: Cast) -> int:
    """Add the demo trainings and seats (inside the seed's transaction). ``shops`` are the seed's
    shop records (``id``, ``region_id``, ``owner_id``, ``verified``); returns the number of seats."""
    seats = 0
    for title, topic, mode, venue, region, days, hours, capacity, wanted in demo_trainings(cast):
        starts = clock.zone().at(clock.today() + timedelta(days=days), time(9, 0))
        region_id = region.id if region else None
        fitting = [s for s in shops if s.verified and (region_id is None or s.region_id == region_id)][:wanted]
        training = Training(title=title, topic=topic, mode=mode, starts_at=starts,
                            ends_at=starts + timedelta(hours=hours), capacity=capacity, seats_taken=len(fitting),
                            region_id=region_id, organiser_id=organiser_id,
                            online_url=venue if mode == "online" else None,
                            place=venue if mode == "offline" else None,
                            description="Gratis untuk pemilik warung dan UMKM. Bawa contoh produk Anda.")
        db.session.add(training)
        db.session.flush()
        for n, shop in enumerate(fitting):
            status = "registered" if days > 0 else ("absent" if n % 4 == 3 else "attended")
            db.session.add(TrainingSeat(training_id=training.id, shop_id=shop.id, user_id=shop.owner_id,
                                        status=status))
        seats += len(fitting)
    return seats
