"""The write floor of this stack: a minimal Flask + Flask-SQLAlchemy app whose POST is one
indexed INSERT, served by the same gunicorn on the same database, so ``bench/run.py`` can show
how far the project's POST is from what the stack itself allows.

    gunicorn 'bench.floor_app:create_app()'   (FLOOR_DATABASE_URL: the database to insert into)

It accepts the benchmark's purchase request as it is (``POST /api/v1/purchases`` with a JSON
body; the bearer token is ignored) and answers 201 with the new row's id. ``GET /healthz`` runs
``SELECT 1``, as the project's does.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Index, String, event, text
from sqlalchemy.orm import Mapped, mapped_column

db = SQLAlchemy()


class FloorPurchase(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int]
    amount: Mapped[int]
    client_ref: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_floor_purchase_shop_created", "shop_id", "created_at"),)


def _wal(connection, _record) -> None:
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")


def create_app() -> Flask:
    app = Flask(__name__)
    url = app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["FLOOR_DATABASE_URL"]
    if url.startswith("sqlite"):  # as the project does: WAL, and wait for the write lock
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    db.init_app(app)
    with app.app_context():
        if url.startswith("sqlite"):
            event.listen(db.engine, "connect", _wal)
        db.create_all()

    @app.post("/api/v1/purchases")
    def purchase():
        body = request.get_json()
        row = FloorPurchase(shop_id=int(body["shop_id"]), amount=int(body["amount"]),
                            client_ref=str(body.get("client_ref", ""))[:64], created_at=datetime.now(timezone.utc))
        db.session.add(row)
        db.session.commit()
        return jsonify({"id": row.id}), 201

    @app.get("/healthz")
    def healthz():
        db.session.execute(text("SELECT 1"))
        return "ok"

    return app
