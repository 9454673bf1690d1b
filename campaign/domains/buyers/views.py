"""Buyer organisations (sign-up, "Lembaga Saya"), their verification by coordinators, the
coordinator's view of the needs board, and a region's institutional spend page."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from campaign.core.errors import DomainError
from campaign.domains.auth.decorators import coordinator_required, login_required, public
from campaign.domains.buyers import services as buyers
from campaign.domains.needs import queries, standing
from campaign.domains.needs.forms import ActionForm, BuyerForm, RejectBuyerForm
from campaign.domains.regions.models import Region
from campaign.domains.regions.services import region_by_code
from campaign.web.forms import submit
from campaign.web.routing import int_arg

bp = Blueprint("buyers", __name__)


@bp.route("/lembaga/daftar", methods=["GET", "POST"])
@login_required
def register():
    form = BuyerForm()
    if form.validate_on_submit() and submit(form, buyers.register_buyer, owner=current_user, **form.fields()):
        flash("Lembaga terdaftar dan menunggu verifikasi koordinator.", "success")
        return redirect(url_for(".mine"))
    return render_template("needs/buyer_new.html", form=form)


@bp.route("/lembaga/saya")
@login_required
def mine():
    return render_template("needs/buyer_mine.html", buyers=queries.buyers_of(current_user.id),
                           needs=queries.needs_of_buyer_owner(current_user.id))


def _staff_region() -> Region | None:
    """The coordinator's region; None for an admin (every region)."""
    if current_user.is_admin:
        return None
    return current_user.coordinator_region


@bp.route("/koordinator/lembaga")
@coordinator_required()
def queue():
    region = _staff_region()
    pending = [buyer for buyer in buyers.pending_buyers(region.id if region else None)
               if current_user.coordinates(buyer.region_id)]
    return render_template("needs/buyer_queue.html", region=region, pending=pending,
                           action_form=ActionForm(formdata=None), reject_form=RejectBuyerForm(formdata=None))


@bp.route("/koordinator/lembaga/<int:buyer_id>/verifikasi", methods=["GET", "POST"])
@coordinator_required()
def verify(buyer_id: int):
    """GET: a second look, as for shops (the organisation is told by e-mail at once and may post
    needs that shops act on); POST: verify."""
    if request.method == "GET":
        buyer = buyers.buyer_to_decide(actor=current_user, buyer_id=buyer_id)
        return render_template("needs/buyer_verify.html", buyer=buyer, form=ActionForm(formdata=None))
    return _decide(buyers.verify_buyer, ActionForm(), "Lembaga diverifikasi; kini dapat memasang kebutuhan.",
                   buyer_id=buyer_id)


@bp.route("/koordinator/lembaga/<int:buyer_id>/tolak", methods=["POST"])
@coordinator_required()
def reject(buyer_id: int):
    form = RejectBuyerForm()
    return _decide(buyers.reject_buyer, form, "Lembaga ditolak.", buyer_id=buyer_id, reason=form.reason.data)


def _decide(service, form, success: str, **kwargs):
    if not form.validate_on_submit():
        flash("Tuliskan alasan penolakan (minimal 5 karakter).", "error")
        return redirect(url_for(".queue"))
    try:
        service(actor=current_user, **kwargs)
    except DomainError as exc:
        if exc.status in (403, 404):
            abort(exc.status)
        flash(exc.message, "error")
    else:
        flash(success, "success")
    return redirect(url_for(".queue"))


@bp.route("/koordinator/kebutuhan/<code>")
@coordinator_required("code")
def coordinator_needs(code: str):
    region = region_by_code(code)
    idle = queries.shops_never_offered(region.id, page=request.args.get("page", 1, type=int),
                                       per_page=current_app.config["PER_PAGE"])
    return render_template("needs/coordinator.html", region=region, idle=idle,
                           needs=queries.needs_without_offers(region.id))


@bp.route("/wilayah/<code>/belanja-lembaga")
@public
def region_spend(code: str):
    data = standing.region_institutional(code=code, campaign_id=int_arg("campaign"))
    return render_template("needs/region.html", data=data)
