"""Other domains' aggregates, registered so that ``check-tallies`` and ``rebuild-tallies`` prove
and repair them with the purchase tallies (:mod:`.reconcile`): this domain sits below them."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from campaign.core.extensions import db


@dataclass(frozen=True)
class Check:
    """Another domain's aggregate, checked and rebuilt with the purchase tallies."""

    differences: Callable[[int], list[str]]
    rebuild: Callable[[], int]


CHECKS: dict[str, Check] = {}


def register_check(name: str, *, differences: Callable[[int], list[str]], rebuild: Callable[[], int]) -> None:
    """Have ``check-tallies`` and ``rebuild-tallies`` cover another domain's aggregate too
    (``differences(limit)`` lists what disagrees; ``rebuild()`` returns the rows written)."""
    CHECKS[name] = Check(differences, rebuild)


def rebuild_check(name: str) -> int:
    """Rebuild one registered aggregate (inside the caller's transaction): the rows written."""
    return CHECKS[name].rebuild()


def register_table(model, *, keys: tuple[str, ...], fields: tuple[str, ...],
                   expected: Callable[[], dict[tuple, dict[str, int]]]) -> None:
    """Check and rebuild ``model``, a table of sums keyed by the columns ``keys`` whose ``fields``
    ``expected()`` recomputes from the raw rows (rows of zeros and missing rows are the same)."""
    name = model.__tablename__

    def wanted() -> dict[tuple, dict[str, int]]:
        return _nonzero(expected())

    def stored_rows() -> dict[tuple, dict[str, int]]:
        rows = db.session.execute(select(*(getattr(model, column) for column in (*keys, *fields))))
        return _nonzero({tuple(row[:len(keys)]): dict(zip(fields, row[len(keys):])) for row in rows})

    def differences(limit: int) -> list[str]:
        want, have = wanted(), stored_rows()
        return [f"{name} {key}: tersimpan {have.get(key)}, seharusnya {want.get(key)}"
                for key in sorted(set(want) | set(have)) if want.get(key) != have.get(key)][:limit]

    def rebuild() -> int:
        db.session.execute(delete(model))
        payload = [{**dict(zip(keys, key)), **values} for key, values in wanted().items()]
        if payload:
            db.session.execute(insert(model), payload)
        return len(payload)

    register_check(name, differences=differences, rebuild=rebuild)


def _nonzero(rows: dict[tuple, dict]) -> dict[tuple, dict]:
    return {key: dict(values) for key, values in rows.items() if any(values.values())}
