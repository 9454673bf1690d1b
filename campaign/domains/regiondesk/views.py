"""The coordinator's shop verification queue: verify or reject, one region (admins: all)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from campaign.core.errors import DomainError, NotFound, PermissionDenied
from campaign.domains.auth.decorators import coordinator_required
from campaign.domains.regiondesk.forms import DecisionForm, QueueFilterForm, RejectForm, decision_forms
from campaign.domains.shops import queries, services
from campaign.domains.trust.flags import open_flag_count
from campaign.web.forms import apply_domain_error
from campaign.web.routing import page_arg

bp = Blueprint("coordinator", __name__, url_prefix="/koordinator")

REFUSALS = (PermissionDenied, NotFound)  # answered with their HTTP status, not a flash


def _queue_url(wilayah: str | None):
    return url_for("coordinator.home", wilayah=wilayah or None)


@bp.route("/")
@coordinator_required()
def home():
    wilayah = request.args.get("wilayah") or None
    try:
        region = services.queue_region_for(actor=current_user, region_code=wilayah)
    except DomainError as exc:
        abort(exc.status)
    result = queries.pending_shops(region_code=region.code if region else None,
                                   province=current_user.admin_province,
                                   page=page_arg(),
                                   per_page=current_app.config["PER_PAGE"])
    return render_template("coordinator/home.html", region=region, result=result, wilayah=wilayah,
                           open_flags=open_flag_count(region.id) if region else None,
                           forms=decision_forms([s.id for s in result.items], wilayah),
                           filter_form=QueueFilterForm(request.args) if current_user.is_admin else None)


@bp.route("/toko/<id:shop_id>/verifikasi", methods=["GET", "POST"])
@coordinator_required()
def verify_shop(shop_id: int):
    """GET asks first (the shop's details and one button); POST verifies."""
    form = DecisionForm(wilayah=request.args.get("wilayah"))
    if request.method == "GET":
        try:
            shop = services.shop_to_decide(actor=current_user, shop_id=shop_id)
        except REFUSALS as exc:
            abort(exc.status)
        return render_template("coordinator/verify.html", shop=shop, form=form)
    if not form.validate_on_submit():
        abort(400)
    try:
        shop = services.verify_shop(actor=current_user, shop_id=shop_id)
    except REFUSALS as exc:
        abort(exc.status)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(f"{shop.name} terverifikasi dan kini tampil di Daftar Toko.", "success")
    return redirect(_queue_url(form.wilayah.data))


@bp.route("/toko/<id:shop_id>/tolak", methods=["GET", "POST"])
@coordinator_required()
def reject_shop(shop_id: int):
    try:
        shop = services.shop_to_decide(actor=current_user, shop_id=shop_id)
    except REFUSALS as exc:
        abort(exc.status)
    form = RejectForm(wilayah=request.args.get("wilayah"))
    if form.validate_on_submit():
        try:
            services.reject_shop(actor=current_user, shop_id=shop_id, reason=form.reason.data)
        except REFUSALS as exc:
            abort(exc.status)
        except DomainError as exc:
            if not apply_domain_error(form, exc):
                flash(exc.message, "error")
                return redirect(_queue_url(form.wilayah.data))
        else:
            flash(f"{shop.name} ditolak. Pemilik toko akan melihat alasannya.", "success")
            return redirect(_queue_url(form.wilayah.data))
    return render_template("coordinator/reject.html", shop=shop, form=form)
