"""Kebutuhan: the public board, a need's page (offers for its buyer, an offer form for fitting
shops), posting a need, "Kebutuhan untuk Anda", and the steps of a deal."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from campaign.core.errors import DomainError
from campaign.core.extensions import db
from campaign.domains.auth.decorators import coordinator_required, login_required, public
from campaign.domains.needs import plausibility, queries, services, standing, voids
from campaign.domains.needs.forms import AcceptForm, ActionForm, NeedFilterForm, NeedForm, OfferForm, VoidDealForm
from campaign.domains.needs.models import Need, Offer
from campaign.domains.regions.services import get_campaign, region_by_code
from campaign.web.forms import submit

DEALS_SHOWN = 200

bp = Blueprint("needs", __name__)


@bp.route("/kebutuhan")
@public
def board():
    form = NeedFilterForm(request.args)
    filters = form.filters()
    result = queries.open_needs(**filters, page=request.args.get("page", 1, type=int),
                                per_page=current_app.config["PER_PAGE"])
    return render_template("needs/board.html", form=form, result=result, filters=filters)


def _need(need_id: int) -> Need:
    need = db.session.get(Need, need_id)
    if need is None:
        abort(404)
    return need


@bp.route("/kebutuhan/<int:need_id>")
@public
def detail(need_id: int):
    return _render_detail(_need(need_id))


def _render_detail(need: Need, offer_form: OfferForm | None = None, status: int = 200):
    user = current_user if current_user.is_authenticated else None
    is_buyer = user is not None and need.buyer.owner_id == user.id
    shops = queries.shops_that_may_offer(user.id, need) if user else []
    if shops and offer_form is None:
        offer_form = OfferForm(formdata=None, shops=shops)
    return render_template(
        "needs/detail.html", need=queries.need_summary(need.id), is_buyer=is_buyer,
        offers=queries.offers_for_buyer(need) if is_buyer else [],
        my_offers=queries.offers_of_owner(user.id, need.id) if user and not is_buyer else [],
        offer_form=offer_form if shops else None, accept_form=AcceptForm(formdata=None),
        action_form=ActionForm(formdata=None)), status


@bp.route("/kebutuhan/baru", methods=["GET", "POST"])
@login_required
def new():
    buyers = [b for b in queries.buyers_of(current_user.id) if b.is_verified]
    if not buyers:
        flash("Daftarkan lembaga Anda dan tunggu verifikasi koordinator sebelum memasang kebutuhan.", "info")
        return redirect(url_for("buyers.mine"))
    form = NeedForm(buyers=buyers)
    need = form.validate_on_submit() and submit(form, services.post_need, actor=current_user, **form.fields())
    if need:
        flash("Kebutuhan terpasang. Toko yang cocok dapat mulai mengirim penawaran.", "success")
        return redirect(url_for(".detail", need_id=need.id))
    return render_template("needs/new.html", form=form)


@bp.route("/kebutuhan/<int:need_id>/tawar", methods=["POST"])
@login_required
def offer(need_id: int):
    need = _need(need_id)
    form = OfferForm(shops=queries.shops_that_may_offer(current_user.id, need))
    if form.validate_on_submit() and submit(
            form, services.send_offer, actor=current_user, need_id=need.id, shop_id=form.shop_id.data,
            unit_price=form.unit_price.data, quantity=form.quantity.data, delivery_date=form.delivery_date.data,
            message=form.message.data or ""):
        flash("Penawaran terkirim. Pembeli akan melihatnya berdampingan dengan penawaran lain.", "success")
        return redirect(url_for(".detail", need_id=need.id))
    return _render_detail(need, offer_form=form, status=422)


@bp.route("/kebutuhan/untuk-anda")
@login_required
def for_you():
    return render_template("needs/for_you.html", rows=queries.needs_for_owner(current_user.id),
                           offers=queries.offers_of_owner(current_user.id))


def _act(service, success: str, back: int, form=None, **kwargs):
    """Run a one-button action with a CSRF-checked form; flash the outcome; back to the need."""
    form = form or ActionForm()
    if form.validate_on_submit():
        try:
            service(actor=current_user, **kwargs)
        except DomainError as exc:
            if exc.status in (403, 404):  # not this user's need or offer: answered, not flashed
                abort(exc.status)
            flash(exc.message, "error")
        else:
            flash(success, "success")
    else:
        flash(next(iter(form.errors.values()))[0], "error")
    return redirect(url_for(".detail", need_id=back))


def _offer_need(offer_id: int) -> int:
    offer = db.session.get(Offer, offer_id)
    if offer is None:
        abort(404)
    return offer.need_id


@bp.route("/kebutuhan/<int:need_id>/tutup", methods=["POST"])
@login_required
def close(need_id: int):
    return _act(services.close_need, "Kebutuhan ditutup.", need_id, need_id=_need(need_id).id)


def _buyers_offer(offer_id: int, status: str) -> Offer | None:
    """The offer a second-look page shows, to its need's buyer only (403 to others, 404 unknown);
    None (with a message) when it is no longer ``status``."""
    offer = db.session.get(Offer, offer_id)
    if offer is None:
        abort(404)
    if offer.need.buyer.owner_id != current_user.id:
        abort(403)
    if offer.status != status or (status == "sent" and offer.need.status != "open"):
        flash("Penawaran ini tidak lagi menunggu keputusan Anda.", "info")
        return None
    return offer


@bp.route("/penawaran/<int:offer_id>/terima", methods=["GET", "POST"])
@login_required
def accept(offer_id: int):
    """GET: a second look (it may close the need and decline the other offers, and every shop
    hears at once, so it cannot be taken back); POST: accept."""
    if request.method == "GET":
        form = AcceptForm(request.args)
        offer = _buyers_offer(offer_id, "sent")
        if offer is None or not form.quantity.validate(form):
            if offer is not None:
                flash(" ".join(form.quantity.errors), "error")
            return redirect(url_for(".detail", need_id=_offer_need(offer_id)))
        taken = form.quantity.data or offer.quantity
        if taken > offer.quantity:
            flash(f"Jumlah yang diterima paling banyak {offer.quantity} (jumlah penawaran).", "error")
            return redirect(url_for(".detail", need_id=offer.need_id))
        return render_template("needs/accept.html", offer=queries.offer_view(offer, for_buyer=True), need=offer.need,
                               taken=taken, others=queries.other_waiting_offers(offer), form=form)
    form = AcceptForm()
    return _act(services.accept_offer, "Penawaran diterima. Hubungi toko lewat WhatsApp untuk rinciannya.",
                _offer_need(offer_id), form=form, offer_id=offer_id, quantity=form.quantity.data)


@bp.route("/penawaran/<int:offer_id>/terkirim", methods=["GET", "POST"])
@login_required
def delivered(offer_id: int):
    """GET: a second look (the shop is told at once and asked to confirm the deal); POST: record."""
    if request.method == "GET":
        offer = _buyers_offer(offer_id, "accepted")
        if offer is None:
            return redirect(url_for(".detail", need_id=_offer_need(offer_id)))
        return render_template("needs/delivered.html", offer=queries.offer_view(offer, for_buyer=True),
                               need=offer.need, form=ActionForm(formdata=None))
    return _act(services.record_delivery, "Pengiriman tercatat; menunggu konfirmasi toko.",
                _offer_need(offer_id), offer_id=offer_id)


@bp.route("/penawaran/<int:offer_id>/konfirmasi", methods=["POST"])
@login_required
def confirm(offer_id: int):
    return _act(services.confirm_delivery, "Transaksi selesai dan tercatat sebagai belanja lembaga.",
                _offer_need(offer_id), offer_id=offer_id)


@bp.route("/penawaran/<int:offer_id>/tarik", methods=["POST"])
@login_required
def withdraw(offer_id: int):
    return _act(services.withdraw_offer, "Penawaran ditarik.", _offer_need(offer_id), offer_id=offer_id)


@bp.route("/koordinator/kebutuhan/<code>/transaksi")
@coordinator_required("code")
def deals(code: str):
    """The region's completed deals (newest first), each with a void form, and its voided deals
    with an undo while the time allows."""
    region, campaign = region_by_code(code), get_campaign(None)
    return render_template("needs/deals.html", region=region, shown=DEALS_SHOWN,
                           deals=standing.recent_deals(campaign, region.id, DEALS_SHOWN),
                           voided=standing.recent_voids(campaign, region.id, DEALS_SHOWN),
                           flags=plausibility.deal_flags(campaign_id=campaign.id, region_id=region.id),
                           form=VoidDealForm(formdata=None), undo_form=ActionForm(formdata=None))


def _coordinator_act(offer_id: int, form, act, done: str, **values):
    """Run a coordinator's ``act`` on the deal and go back to its region's deals; another region's
    deal (403) or none (404) is answered, not flashed."""
    offer = db.session.get(Offer, offer_id)
    if offer is None:
        abort(404)
    code = offer.shop.region.code
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()))[0], "error")
        return redirect(url_for(".deals", code=code))
    try:
        act(actor=current_user, offer_id=offer_id, **values)
    except DomainError as exc:
        if exc.status in (403, 404):
            abort(exc.status)
        flash(exc.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for(".deals", code=code))


@bp.route("/penawaran/<int:offer_id>/batalkan", methods=["POST"])
@coordinator_required()
def void(offer_id: int):
    form = VoidDealForm()
    return _coordinator_act(offer_id, form, voids.void_deal, "Transaksi dibatalkan dan dikeluarkan dari belanja "
                            "lembaga wilayah ini. Lembaga dan toko diberi tahu.", reason=form.reason.data)


@bp.route("/penawaran/<int:offer_id>/urungkan-pembatalan", methods=["POST"])
@coordinator_required()
def undo_void(offer_id: int):
    return _coordinator_act(offer_id, ActionForm(), voids.undo_void, "Pembatalan diurungkan: transaksi kembali "
                            "tercatat sebagai belanja lembaga wilayah ini. Lembaga dan toko diberi tahu.")
