from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import text

from ..auth.decorators import public
from ..extensions import db
from ..regions.services import current_campaign

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def index():
    return render_template("main/index.html", campaign=current_campaign())


@bp.route("/privasi")
@public
def privacy():
    return render_template("main/privacy.html")


@bp.route("/healthz")
@public
def healthz():
    """200 ``ok`` when the app and its database answer; 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not healthy", never a 500 page
        db.session.rollback()
        return {"status": "database unavailable"}, 503
    finally:
        db.session.remove()
    return {"status": "ok"}, 200
