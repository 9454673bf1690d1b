"""seed-demo's binary COPY (:mod:`campaign.demo.binary_copy`): what numpy encodes is what
PostgreSQL reads back, for every column kind the demo writes."""
from __future__ import annotations

from datetime import date, datetime, timezone

import numpy as np
import pytest

from campaign.core.extensions import db
from campaign.demo import loading
from campaign.demo.binary_copy import Labels, days, microseconds


def test_binary_copy_reads_back_as_the_values_encoded(app, monkeypatch):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("binary COPY is PostgreSQL's; SQLite takes executemany")
        monkeypatch.setattr(loading, "COPY_CHUNK", 2)  # three chunks of one COPY
        db.session.execute(db.text(
            "CREATE TEMP TABLE copied (n int4, big int8, flag bool, day date, at timestamptz, "
            "label varchar(10), note text, fixed varchar(4))"))
        at = datetime(2026, 12, 4, 12, tzinfo=timezone.utc)
        loading.copy_columns("copied", {
            "n": np.array([1, -2, 3, 2**31 - 1, 0]), "big": np.array([10**14, 0, -1, 5, 6]),
            "flag": np.array([True, False, True, False, True]),
            "day": days(date(2026, 12, 4)) - np.array([0, 1, 2, 3, 4]),
            "at": np.full(5, microseconds(at)), "label": Labels(np.array([0, 1, 2, 1, 0]), ("confirmed", "voided", "")),
            "note": "", "fixed": "asn"}, 5)
        rows = db.session.execute(db.text("SELECT * FROM copied")).all()
    assert [tuple(row) for row in rows] == [
        (1, 10**14, True, date(2026, 12, 4), at, "confirmed", "", "asn"),
        (-2, 0, False, date(2026, 12, 3), at, "voided", "", "asn"),
        (3, -1, True, date(2026, 12, 2), at, "", "", "asn"),
        (2**31 - 1, 5, False, date(2026, 12, 1), at, "voided", "", "asn"),
        (0, 6, True, date(2026, 11, 30), at, "confirmed", "", "asn")]


def test_binary_copy_writes_dates_given_as_labels(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("binary COPY is PostgreSQL's; SQLite takes executemany")
        db.session.execute(db.text("CREATE TEMP TABLE weeks (week_start date, n int4)"))
        mondays = (date(2026, 11, 30), date(2026, 12, 7))
        loading.copy_columns("weeks", {"week_start": Labels(np.array([1, 0, 1]), mondays), "n": 7}, 3)
        rows = db.session.execute(db.text("SELECT week_start, n FROM weeks")).all()
    assert [tuple(row) for row in rows] == [(mondays[1], 7), (mondays[0], 7), (mondays[1], 7)]
