"""Demo data of the agency's other programmes (affected-UMKM data, the needs board), loaded by ``seed-demo``
after the campaign's own data, each through its own transactions, which also fill their tallies."""
from __future__ import annotations

import random

from campaign.core.database import write_transaction
from campaign.demo import affected as affected_demo
from campaign.demo import needs as needs_demo
from campaign.demo.places import Cast


def seed(random_seed: int, cast: Cast) -> dict[str, int]:
    """Seed every programme in the cast's regions; returns counts for the summary line."""
    rng = random.Random(random_seed)
    with write_transaction():
        reports = affected_demo.seed(rng, cast.affected)
    return {"laporan UMKM terdampak": reports, **needs_demo.seed(cast)}

