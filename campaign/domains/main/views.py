from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, render_template
from flask_login import current_user
from sqlalchemy import text

from campaign.core.extensions import db
from campaign.domains.auth.decorators import public
from campaign.domains.main.headline import campaign_headline
from campaign.domains.main.home import next_steps
from campaign.domains.regions.services import current_campaign

bp = Blueprint("main", __name__)

FAVICON_MAX_AGE = 7 * 24 * 60 * 60  # its URL has no version to change


@bp.route("/")
@public
def index():
    campaign = current_campaign()
    return render_template("main/index.html", campaign=campaign, steps=next_steps(current_user, campaign),
                           headline=campaign_headline(current_user) if campaign else None)


@bp.route("/favicon.ico")
@public
def favicon():
    """Browsers ask for it unprompted and pages link it; served from memory, cached for a week."""
    icon = Path(current_app.static_folder, "favicon.ico").read_bytes()  # 200 bytes: no file handle left open
    response = current_app.response_class(icon, mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = FAVICON_MAX_AGE
    return response


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
