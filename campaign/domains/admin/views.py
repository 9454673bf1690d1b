"""The province admin's pages: campaigns (each under an appeal letter) and coordinators."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from campaign.domains.admin.forms import AppointForm, CampaignForm, DeactivateForm, RemoveForm
from campaign.domains.auth import services as accounts
from campaign.domains.auth import sessions
from campaign.domains.auth.decorators import admin_required
from campaign.domains.regions.services import all_campaigns, create_campaign, current_campaign
from campaign.web.forms import submit

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@admin_required
def home():
    return render_template("admin/home.html")


@bp.route("/kampanye", methods=["GET", "POST"])
@admin_required
def campaigns():
    form = CampaignForm()
    if form.validate_on_submit() and submit(form, create_campaign, actor=current_user, **form.campaign_fields()):
        flash("Kampanye dibuat.", "success")
        return redirect(url_for(".campaigns"))
    return render_template("admin/campaigns.html", form=form, campaigns=all_campaigns(),
                           current=current_campaign())


@bp.route("/koordinator", methods=["GET", "POST"])
@admin_required
def coordinators():
    form = AppointForm()
    if form.validate_on_submit():
        user = submit(form, accounts.appoint_coordinator, actor=current_user, login=form.login.data,
                      region_code=form.region_code.data)
        if user:
            flash(f"{user.name} kini koordinator {user.coordinator_region.full_name}.", "success")
            return redirect(url_for(".coordinators"))
    return render_template("admin/coordinators.html", form=form, roster=accounts.coordinator_roster(),
                           remove_form=RemoveForm(formdata=None))


@bp.route("/koordinator/<id:user_id>/cabut", methods=["POST"])
@admin_required
def remove_coordinator(user_id: int):
    form = RemoveForm()
    if not form.validate_on_submit():
        abort(400)
    user = submit(form, accounts.remove_coordinator, actor=current_user, user_id=user_id)
    if user:
        flash(f"{user.name} tidak lagi menjadi koordinator.", "success")
    return redirect(url_for(".coordinators"))


@bp.route("/akun", methods=["GET", "POST"])
@admin_required
def accounts_page():
    form = DeactivateForm()
    if form.validate_on_submit():
        user = submit(form, sessions.deactivate_account, actor=current_user, login=form.login.data)
        if user:
            flash(f"Akun {user.name} dinonaktifkan; semua sesi dan token API-nya berakhir.", "success")
            return redirect(url_for(".accounts_page"))
    return render_template("admin/accounts.html", form=form, deactivated=sessions.deactivated_accounts(),
                           reactivate_form=RemoveForm(formdata=None))


@bp.route("/akun/<int:user_id>/aktifkan", methods=["POST"])
@admin_required
def reactivate(user_id: int):
    form = RemoveForm()
    if not form.validate_on_submit():
        abort(400)
    user = submit(form, sessions.reactivate_account, actor=current_user, user_id=user_id)
    if user:
        flash(f"Akun {user.name} aktif kembali; ia perlu masuk lagi.", "success")
    return redirect(url_for(".accounts_page"))
