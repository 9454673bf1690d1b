"""The admin's pages: campaigns (each under an appeal letter) and accounts (national admins), and
coordinators (every admin, within their scope: a province admin's province)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from campaign.domains.admin.forms import AppointForm, CampaignForm, DeactivateForm, RemoveForm
from campaign.domains.auth import services as accounts
from campaign.domains.auth import sessions
from campaign.domains.auth.decorators import admin_required, national_admin_required
from campaign.domains.regions.areas import provinces
from campaign.domains.regions.services import all_campaigns, create_campaign, current_campaign
from campaign.web.forms import submit

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@admin_required
def home():
    return render_template("admin/home.html", province_names=provinces())


@bp.route("/kampanye", methods=["GET", "POST"])
@national_admin_required
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
    form = AppointForm(actor=current_user)
    if _done(form, accounts.appoint_coordinator, lambda user: f"{user.name} kini koordinator "
             f"{user.coordinator_region.full_name}.", login=form.login.data, region_code=form.region_code.data):
        return redirect(url_for(".coordinators"))
    return render_template("admin/coordinators.html", form=form, roster=accounts.coordinator_roster(current_user),
                           remove_form=RemoveForm(formdata=None))


@bp.route("/koordinator/<id:user_id>/cabut", methods=["POST"])
@admin_required
def remove_coordinator(user_id: int):
    return _act(accounts.remove_coordinator, lambda user: f"{user.name} tidak lagi menjadi koordinator.",
                ".coordinators", user_id=user_id)


@bp.route("/akun", methods=["GET", "POST"])
@national_admin_required
def accounts_page():
    form = DeactivateForm()
    if _done(form, sessions.deactivate_account,
             lambda user: f"Akun {user.name} dinonaktifkan; semua sesi dan token API-nya berakhir.",
             login=form.login.data):
        return redirect(url_for(".accounts_page"))
    return render_template("admin/accounts.html", form=form, deactivated=sessions.deactivated_accounts(),
                           reactivate_form=RemoveForm(formdata=None))


@bp.route("/akun/<int:user_id>/aktifkan", methods=["POST"])
@national_admin_required
def reactivate(user_id: int):
    return _act(sessions.reactivate_account, lambda user: f"Akun {user.name} aktif kembali; ia perlu masuk lagi.",
                ".accounts_page", user_id=user_id)


def _done(form, service, message: Callable[[Any], str], **kwargs) -> bool:
    """Validate ``form``, call ``service(actor=current_user, **kwargs)`` and flash ``message(user)``;
    True when it succeeded (the service's refusal is flashed by ``submit``)."""
    if not form.validate_on_submit():
        return False
    user = submit(form, service, actor=current_user, **kwargs)
    if user:
        flash(message(user), "success")
    return bool(user)


def _act(service, message: Callable[[Any], str], back: str, **kwargs):
    """A one-button action (CSRF only): 400 on a bad token, then as :func:`_done`, back to ``back``."""
    form = RemoveForm()
    if not form.validate_on_submit():
        abort(400)
    _done(form, service, message, **kwargs)
    return redirect(url_for(back))
