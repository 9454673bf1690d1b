"""The affected-UMKM totals: moved by the report services in the same transaction, recomputed
from the raw reports by ``check-tallies`` (see :mod:`campaign.domains.tallies.reconcile`)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, literal, select

from campaign.core.database import dialect_insert
from campaign.core.extensions import db
from campaign.domains.affected.models import AffectedReport, AffectedTally
from campaign.domains.tallies import checks

FIELDS = ("businesses", "affected_workers")
Key = tuple  # (region_id, dimension, bucket)


@dataclass(frozen=True)
class ReportState:
    region_id: int
    status: str
    main_need: str
    affected_workers: int

    @classmethod
    def of(cls, report: AffectedReport) -> ReportState:
        return cls(report.region_id, report.status, report.main_need, report.affected_workers)

    def keys(self) -> list[Key]:
        return [(self.region_id, "total", ""), (self.region_id, "status", self.status),
                (self.region_id, "need", self.main_need)]


def move(old: ReportState | None, new: ReportState | None) -> None:
    """Apply a report's creation (old None), change, or removal (new None). Rows are touched in
    sorted key order so concurrent writers cannot deadlock on them."""
    deltas: dict[Key, dict[str, int]] = {}
    for state, sign in ((old, -1), (new, 1)):
        if state is None:
            continue
        for key in state.keys():
            delta = deltas.setdefault(key, dict.fromkeys(FIELDS, 0))
            delta["businesses"] += sign
            delta["affected_workers"] += sign * state.affected_workers
    table = AffectedTally.__table__
    for (region_id, dimension, bucket), delta in sorted(deltas.items()):
        if not any(delta.values()):
            continue
        statement = dialect_insert(table).values(region_id=region_id, dimension=dimension, bucket=bucket, **delta)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.region_id, table.c.dimension, table.c.bucket],
            set_={name: table.c[name] + statement.excluded[name] for name in FIELDS})
        db.session.execute(statement)


def _affected_workers():
    difference = AffectedReport.workers_before - AffectedReport.workers_now
    return case((difference > 0, difference), else_=0)


def _grouped():
    """(dimension, SELECT region_id, bucket, businesses, affected_workers) from the raw reports."""
    for dimension, column in (("total", literal("")), ("status", AffectedReport.status),
                              ("need", AffectedReport.main_need)):
        yield dimension, (select(AffectedReport.region_id, column, func.count(),
                                 func.coalesce(func.sum(_affected_workers()), 0))
                          .group_by(AffectedReport.region_id, column))


def expected() -> dict[Key, dict]:
    rows: dict[Key, dict] = {}
    for dimension, statement in _grouped():
        for region_id, bucket, businesses, workers in db.session.execute(statement):
            rows[(region_id, dimension, bucket)] = {"businesses": businesses, "affected_workers": int(workers)}
    return _nonzero(rows)


def connect_signals() -> None:
    """``check-tallies`` and ``rebuild-tallies`` prove and repair these totals too."""
    checks.register_table(AffectedTally, keys=("region_id", "dimension", "bucket"),
                             fields=("businesses", "affected_workers"), expected=expected)


def _nonzero(rows: dict[Key, dict]) -> dict[Key, dict]:
    return {key: values for key, values in rows.items() if any(values.values())}
