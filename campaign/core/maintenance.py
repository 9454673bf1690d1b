"""Schema migrations and backups, for the CLI."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from flask import current_app
from flask_migrate import upgrade

from campaign.core.extensions import db


def schema_differences(connection) -> list:
    """What Alembic finds between the models and the database's schema (empty: they agree),
    with the ``include_name`` the app gave Flask-Migrate (it leaves out objects that are not
    models, such as the shop search index)."""
    from alembic.autogenerate import compare_metadata

    include_name = current_app.extensions["migrate"].configure_args.get("include_name")
    context = MigrationContext.configure(connection, opts={"include_name": include_name})
    return compare_metadata(context, db.metadata)


def _current_heads() -> set[str]:
    with db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def migrate_to_head() -> list[str]:
    """Apply pending migrations; return the revisions that were applied (empty: none)."""
    before = _current_heads()
    upgrade()
    after = _current_heads()
    return sorted(after - before)


def backup_database(path: Path) -> None:
    """SQLite: the online backup API (consistent under concurrent writers).
    PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot), restorable with pg_restore."""
    url = db.engine.url
    path.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(url.database)
        target = sqlite3.connect(path)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return
    if url.get_backend_name() == "postgresql":
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise RuntimeError("pg_dump tidak ditemukan; pasang klien PostgreSQL (paket postgresql-client).")
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        result = subprocess.run([pg_dump, "--format=custom", "--file", str(path), plain],
                                capture_output=True, text=True, timeout=3600)
        if result.returncode != 0:
            raise RuntimeError(f"pg_dump gagal: {result.stderr.strip()}")
        return
    raise RuntimeError(f"Cadangan untuk {url.get_backend_name()} belum didukung.")
