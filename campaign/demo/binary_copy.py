"""PostgreSQL's binary COPY format built from numpy columns, a chunk at a time: the rows never
become Python tuples. 10M purchases through ``copy.write_row``: most of seed-demo's Python time.

A column is a numpy array of numbers (integers; dates as days since 2000-01-01; timestamps as
microseconds since 2000-01-01 UTC), a :class:`Labels` (text as codes into a few labels), or one
value for every row (an int or a str). The wire width of each number comes from the column's
type in the database (``int4``, ``int8``, ``bool``, ``date``, ``timestamptz``), so a mismatch
cannot slip through as a wrong value.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

import numpy as np

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, header extension length
TRAILER = b"\xff\xff"
EPOCH_DAY = date(2000, 1, 1)
EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
WIDTH = {"int2": ">i2", "int4": ">i4", "int8": ">i8", "bool": "u1", "date": ">i4", "timestamptz": ">i8"}
TEXT = ("text", "varchar", "bpchar")


@dataclass(frozen=True)
class Labels:
    """A column as ``codes`` into a few ``labels``: texts (statuses), or dates or numbers."""

    codes: np.ndarray
    labels: tuple[str, ...]


def days(value: date) -> int:
    return (value - EPOCH_DAY).days


def microseconds(value: datetime) -> int:
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _number(value) -> int:
    if isinstance(value, datetime):
        return microseconds(value)
    return days(value) if isinstance(value, date) else int(value)


def column_types(cursor, table: str) -> dict[str, str]:
    """Column name -> type name (``int4``, ``varchar``...) of ``table`` in the database."""
    cursor.execute("SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                   "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped", (table,))
    return dict(cursor.fetchall())


def _field(value, typename: str, count: int) -> tuple[np.ndarray, np.ndarray | None]:
    """One column as (count, width) bytes, length word included, and which of those bytes are used
    (None: all of them)."""
    if typename in TEXT:
        labels = value.labels if isinstance(value, Labels) else (value,)
        codes = value.codes if isinstance(value, Labels) else np.zeros(count, dtype=np.intp)
        encoded = [label.encode() for label in labels]
        width = 4 + max(len(e) for e in encoded)
        table = np.zeros((len(encoded), width), dtype=np.uint8)
        used = np.zeros((len(encoded), width), dtype=bool)
        for n, e in enumerate(encoded):
            table[n, :4 + len(e)] = np.frombuffer(len(e).to_bytes(4, "big") + e, dtype=np.uint8)
            used[n, :4 + len(e)] = True
        return table[codes], (None if used.all() else used[codes])
    if isinstance(value, Labels):  # dates or numbers as codes into a few values
        value = np.array([_number(label) for label in value.labels], dtype=np.int64)[value.codes]
    dtype = np.dtype(WIDTH[typename])
    out = np.empty((count, 4 + dtype.itemsize), dtype=np.uint8)
    out[:, :4] = np.frombuffer(dtype.itemsize.to_bytes(4, "big"), dtype=np.uint8)
    values = np.broadcast_to(np.asarray(value), (count,)).astype(dtype)
    out[:, 4:] = values.view(np.uint8).reshape(count, dtype.itemsize)
    return out, None


def encode(columns: dict, types: dict[str, str], count: int) -> bytes:
    """``count`` rows of ``columns`` (in the COPY's column order) as binary COPY tuples, without
    the header and trailer."""
    parts = [np.broadcast_to(np.frombuffer(len(columns).to_bytes(2, "big"), dtype=np.uint8), (count, 2))]
    masks: list[np.ndarray | None] = [None]
    for name, value in columns.items():
        data, used = _field(value, types[name], count)
        parts.append(data)
        masks.append(used)
    rows = np.concatenate(parts, axis=1)
    if all(m is None for m in masks):
        return rows.tobytes()
    used = np.concatenate([np.ones(p.shape, dtype=bool) if m is None else m for p, m in zip(parts, masks)], axis=1)
    return rows[used].tobytes()
