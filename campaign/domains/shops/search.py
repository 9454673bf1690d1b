"""Shop name search inside the database, the same answers on SQLite and PostgreSQL.

A query is split into words; a shop matches when its name contains every word as a piece of
text, ignoring case: "kopi" finds "Kedai Kopi Daeng", "warung" finds "WARUNG Bu Sitti", "ked kop"
finds it too (partial words, any order). SQLite answers from an FTS5 index with the trigram
tokenizer (``shop_search``, kept in step with ``shop`` by triggers); PostgreSQL from a pg_trgm
GIN index on ``lower(name)``. Words shorter than three letters have no trigram and are checked
on the rows the other words left (or on the whole directory if none is longer).

The index objects are not models: :func:`install` creates them (from a migration) and
:func:`is_search_object` keeps schema comparisons from reporting them.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, Integer, String, and_, bindparam, column, func, text
from sqlalchemy.engine import Connection

from campaign.domains.shops.models import Shop

FTS_TABLE = "shop_search"
TRGM_INDEX = "ix_shop_name_trgm"
MAX_WORDS = 8
_SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(name, content='shop', content_rowid='id', "
    "tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS shop_search_insert AFTER INSERT ON shop BEGIN "  # nosec B608: table/column names come from the code; values are bound parameters
    f"INSERT INTO {FTS_TABLE}(rowid, name) VALUES (new.id, new.name); END",
    f"CREATE TRIGGER IF NOT EXISTS shop_search_delete AFTER DELETE ON shop BEGIN "  # nosec B608: table/column names come from the code; values are bound parameters
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name) VALUES ('delete', old.id, old.name); END",
    f"CREATE TRIGGER IF NOT EXISTS shop_search_update AFTER UPDATE OF name ON shop BEGIN "  # nosec B608: table/column names come from the code; values are bound parameters
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name) VALUES ('delete', old.id, old.name); "
    f"INSERT INTO {FTS_TABLE}(rowid, name) VALUES (new.id, new.name); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",  # nosec B608: table/column names come from the code; values are bound parameters
]
_POSTGRESQL_DDL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON shop USING gin (lower(name) gin_trgm_ops)",
]


def install(connection: Connection) -> None:
    """Create the search index for the connection's database and fill it from ``shop``."""
    for statement in _SQLITE_DDL if connection.dialect.name == "sqlite" else _POSTGRESQL_DDL:
        connection.execute(text(statement))


def uninstall(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for name in ("shop_search_insert", "shop_search_delete", "shop_search_update"):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        connection.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))
    else:
        connection.execute(text(f"DROP INDEX IF EXISTS {TRGM_INDEX}"))


def is_search_object(name: str | None, type_: str, _parent=None) -> bool:
    """True for the FTS5 table and its shadow tables, and the trigram index (Alembic ``include_name``
    answers the opposite)."""
    return bool(name) and (name == TRGM_INDEX or (type_ == "table" and name.startswith(FTS_TABLE)))


def include_name(name: str | None, type_: str, parent_names) -> bool:
    return not is_search_object(name, type_)


def words(q: str | None) -> list[str]:
    """The query's words, lower-cased, without repeats, at most :data:`MAX_WORDS`."""
    seen: list[str] = []
    for word in (q or "").lower().split():
        if word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def name_terms(q: str | None, dialect: str) -> tuple[tuple[int, bool], dict[str, str]]:
    """How the query's words are matched, as the shape of the condition (how many LIKE patterns,
    whether an FTS5 match) and its parameters: the statement is built once per shape
    (:func:`name_condition`) and the words travel as parameters."""
    found = words(q)
    if dialect == "postgresql":
        likes, long_words = found, []
    else:
        likes, long_words = [word for word in found if len(word) < 3], [word for word in found if len(word) >= 3]
    params = {f"name_{n}": "%" + _escape_like(word) + "%" for n, word in enumerate(likes)}
    if long_words:
        params["name_match"] = " AND ".join('"' + word.replace('"', '""') + '"' for word in long_words)
    return (len(likes), bool(long_words)), params


def _escape_like(word: str) -> str:
    """``word`` as a piece of a LIKE pattern with ``/`` as the escape character."""
    return word.replace("/", "//").replace("%", "/%").replace("_", "/_")


def name_condition(shape: tuple[int, bool]) -> ColumnElement[bool] | None:
    """A WHERE condition on :class:`Shop` of :func:`name_terms`'s shape (None for no words)."""
    likes, fts = shape
    conditions = [func.lower(Shop.name).like(bindparam(f"name_{n}", type_=String), escape="/") for n in range(likes)]
    if fts:
        match = text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :name_match")  # nosec B608: table/column names come from the code; values are bound parameters
        match = match.bindparams(bindparam("name_match", type_=String))
        conditions.insert(0, Shop.id.in_(match.columns(column("rowid", Integer))))
    return and_(*conditions) if conditions else None
