"""Demo trainings for ``seed-demo``: one held two weeks ago with attendance marked, and three to come."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from campaign.core.extensions import db
from campaign.domains.regions.models import Region
from campaign.domains.training.models import Training, TrainingSeat
from campaign.util.formatting import WITA, as_utc, today_wita

# (title, topic, mode, place or link, region code (None: province), days from today, hours, capacity, seats)
DEMO_TRAININGS = [
    ("Jualan lewat WhatsApp Business dan Katalog", "pemasaran_digital", "offline",
     "Aula Dinas Koperasi dan UKM Kota Palopo, Jl. Andi Djemma", "73.73", -14, 3, 40, 12),
    ("Produksi APD sesuai standar kesehatan", "apd", "online", "https://meet.diskop.sulselprov.go.id/apd",
     None, 5, 2, 100, 6),
    ("Pembukuan sederhana untuk warung", "keuangan", "offline", "Kantor Kecamatan Wara, Kota Palopo",
     "73.73", 10, 3, 30, 5),
    ("Kemasan dan merek produk UMKM", "kemasan", "offline", "Gedung Serbaguna Masamba", "73.22", 14, 4, 25, 4),
]


def seed_trainings(*, organiser_id: int, shops) -> int:
    """Add the demo trainings and seats (inside the seed's transaction). ``shops`` are the seed's
    shop records (``id``, ``region_id``, ``owner_id``, ``verified``); returns the number of seats."""
    regions = {r.code: r.id for r in db.session.query(Region)}
    seats = 0
    for title, topic, mode, venue, code, days, hours, capacity, wanted in DEMO_TRAININGS:
        starts = as_utc(datetime.combine(today_wita() + timedelta(days=days), time(9, 0), tzinfo=WITA))
        region_id = regions[code] if code else None
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
