"""Pelatihan: trainings for UMKM published by coordinators and admins, seats taken by shop owners."""
from __future__ import annotations

from flask import Flask


def register_template_globals(app: Flask) -> None:
    """A shop's page shows how many trainings its owner attended (shops sit below training)."""
    from campaign.domains.training.queries import trainings_attended

    app.jinja_env.globals.update(trainings_attended=trainings_attended)
