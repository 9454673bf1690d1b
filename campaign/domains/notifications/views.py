"""The user's notifications list and "mark all read"."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from campaign.domains.auth.decorators import login_required
from campaign.domains.notifications import services
from campaign.domains.notifications.models import Notification
from campaign.web.forms import Form
from campaign.web.pagination import paginate
from campaign.web.routing import page_arg

bp = Blueprint("notifications", __name__, url_prefix="/notifikasi")


@bp.route("/")
@login_required
def index():
    statement = (select(Notification).where(Notification.user_id == current_user.id)
                 .order_by(Notification.id.desc()))
    page = paginate(statement, page=page_arg(), per_page=current_app.config["PER_PAGE"],
                    row=lambda notification: notification)
    return render_template("notifications/index.html", page=page, form=Form())


@bp.route("/baca", methods=["POST"])
@login_required
def mark_read():
    form = Form()
    if form.validate_on_submit():
        count = services.mark_all_read(user=current_user)
        flash(f"{count} notifikasi ditandai sudah dibaca." if count else "Tidak ada notifikasi baru.", "success")
    return redirect(url_for(".index"))
