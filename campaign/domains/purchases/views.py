"""Pledges and purchases: the ASN's pages, the shop owner's confirmations, the coordinator's void."""
from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from campaign.core.errors import DomainError, NotFound, PermissionDenied
from campaign.domains.auth.decorators import asn_required, coordinator_required, login_required, shop_owner_required
from campaign.domains.auth.views import safe_next
from campaign.domains.purchases import limits, pledges, queries, services, undo
from campaign.domains.purchases.forms import (
    ActionForm,
    ConfirmAllForm,
    PledgeForm,
    PurchaseForm,
    ReasonForm,
    ShopSearchForm,
)
from campaign.domains.regions.services import current_campaign
from campaign.domains.shops.models import Shop
from campaign.domains.shops.queries import search_shops
from campaign.domains.shops.services import get_shop
from campaign.util.formatting import utcnow
from campaign.web import ratelimits
from campaign.web.forms import apply_domain_error, submit
from campaign.web.routing import int_arg, page_arg

bp = Blueprint("purchases", __name__)


@bp.route("/saya")
@asn_required
def mine():
    campaign = current_campaign()
    summary = queries.my_summary(user_id=current_user.id, campaign=campaign)
    purchases = queries.my_purchases(user_id=current_user.id, campaign_id=campaign.id, page=page_arg())
    return render_template("purchases/mine.html", summary=summary, purchases=purchases, action_form=ActionForm())


@bp.route("/janji", methods=["GET", "POST"])
@asn_required
def pledge():
    campaign = current_campaign()
    current = pledges.get_pledge(current_user.id, campaign.id)
    form = PledgeForm(data={"amount": current.amount} if current else None)
    if form.validate_on_submit() and submit(form, pledges.make_pledge, asn=current_user, amount=form.amount.data,
                                            campaign_id=campaign.id):
        flash("Janji belanja tersimpan. Selamat berbelanja di warung tetangga!", "success")
        return redirect(url_for("purchases.mine"))
    return render_template("purchases/pledge.html", form=form, campaign=campaign, current=current)


@bp.route("/belanja/baru", methods=["GET", "POST"])
@login_required  # ASN only: the view answers everyone else with a page that says what to do instead
@ratelimits.purchase_logging
def new():
    own = _own_shop(int_arg("toko")) if request.method == "GET" else None
    if own is not None or not current_user.is_asn:
        return render_template("purchases/not_for_this_account.html", shop=own), 200 if own else 403
    form = PurchaseForm()
    today = limits.buyer_zone(current_user.id).today()  # the buyer's province's day
    code = request.args.get("q", "").strip().lstrip("#")
    if not form.is_submitted() and code.isdigit() and len(code) < 10:
        return redirect(url_for("purchases.new", toko=int(code)))  # the shop's code from its poster
    if not form.is_submitted():
        form.shop_id.data = str(int_arg("toko") or "")
        form.purchased_on.data = today
        form.client_ref.data = secrets.token_urlsafe(16)
    if form.validate_on_submit() and submit(
            form, services.log_purchase, buyer=current_user, shop_id=form.shop_id_value() or 0,
            amount=form.amount.data, purchased_on=form.purchased_on.data, note=form.note.data or "",
            client_ref=form.client_ref.data or None):
        flash("Belanja tercatat. Terima kasih sudah berbelanja di warung tetangga!", "success")
        return redirect(url_for("purchases.mine"))
    if form.is_submitted():
        # Nothing was recorded under this request: the form shown again is a new request. (Its
        # old client_ref may belong to an earlier purchase, which would refuse any changed body.)
        form.client_ref.data = secrets.token_urlsafe(16)
    return render_template("purchases/new.html", form=form, shop=_shop_for(form.shop_id_value()),
                           search=_search(), today=today)


def _own_shop(shop_id: int | None) -> Shop | None:
    """The shop of a scanned poster when it is the signed-in user's own (they cannot buy there)."""
    shop = _shop_for(shop_id)
    return shop if shop is not None and shop.owner_id == current_user.id else None


def _shop_for(shop_id: int | None) -> Shop | None:
    try:
        return get_shop(shop_id) if shop_id else None
    except NotFound:
        return None


def _search():
    """Verified shops matching ?q= for picking a shop without a QR code (None: no search)."""
    form = ShopSearchForm(request.args)
    if not (form.q.data or "").strip():
        return None
    return search_shops(region_code=None, category=None, q=form.q.data, page=1, per_page=10)


@dataclass(frozen=True)
class Decision:
    """A state change that asks first: GET shows the purchase and a confirm button, POST acts.
    Lists may still POST straight to the same URL (the buttons that need no second look)."""

    action: str  # as named in services.purchase_to_decide
    service: Callable
    title: str
    hint: str
    button: str  # red: every one of these takes something away
    success: str
    fallback: str  # endpoint to return to when ``next`` is absent or not on this site
    reason: str | None = None  # the reason field's label; None: no reason asked


WITHDRAW = Decision("withdraw", services.withdraw_purchase, "Tarik catatan belanja ini?",
                    "Catatan yang ditarik tidak dihitung lagi dan tidak dapat dikembalikan.", "Ya, tarik catatan",
                    "Catatan belanja ditarik.", "purchases.mine")
DISPUTE = Decision("dispute", services.dispute_purchase, "Bantah belanja ini?",
                   "Bantah hanya bila belanja ini tidak terjadi di toko Anda. Koordinator akan meninjaunya.",
                   "Ya, bantah belanja", "Belanja dibantah; koordinator dapat meninjaunya.", "purchases.at_my_shops",
                   reason="Alasan (opsional)")
VOID = Decision("void", services.void_purchase, "Batalkan belanja ini?",
                "Belanja yang dibatalkan tidak dihitung di capaian mana pun. Alasannya tercatat di log audit.",
                "Batalkan belanja", "Belanja dibatalkan.", "coordinator.home",
                reason="Alasan pembatalan (minimal 5 karakter)")


def _decide(decision: Decision, purchase_id: int):
    """Confirmation page (GET) and the action (POST). Errors in the reason stay on this page;
    after the action, back to ``next`` (a path on this site) with a message."""
    back = safe_next(request.values.get("next"), url_for(decision.fallback))
    form = ReasonForm()
    form.next.data = back  # only ever a path on this site, whatever was posted
    if decision.reason:
        form.reason.label.text = decision.reason
    if request.method == "POST":
        if not form.validate_on_submit():
            if "csrf_token" in form.errors:
                abort(400)
        else:
            kwargs = {"reason": form.reason.data} if decision.reason else {}
            try:
                decision.service(actor=current_user, purchase_id=purchase_id, **kwargs)
            except (PermissionDenied, NotFound) as exc:
                abort(exc.status)
            except DomainError as exc:
                if not apply_domain_error(form, exc):
                    flash(exc.message, "error")
                    return redirect(back)
            else:
                flash(decision.success, "success")
                return redirect(back)
    try:
        purchase = services.purchase_to_decide(actor=current_user, purchase_id=purchase_id, action=decision.action)
    except (PermissionDenied, NotFound) as exc:
        abort(exc.status)
    return render_template("purchases/decide.html", decision=decision, purchase=purchase, form=form, back=back)


@bp.route("/belanja/<id:purchase_id>/tarik", methods=["GET", "POST"])
@asn_required
def withdraw(purchase_id: int):
    return _decide(WITHDRAW, purchase_id)


@bp.route("/toko/saya/belanja")
@shop_owner_required
def at_my_shops():
    status = request.args.get("status", "reported") or None  # opens on the ones waiting; "Semua" sends ""
    purchases = queries.purchases_at_shops(owner_id=current_user.id, status=status, page=page_arg())
    waiting = [p.id for p in purchases.items if p.status == "reported"]
    recent = queries.recently_confirmed(owner_id=current_user.id, since=utcnow() - undo.undo_window())
    return render_template("purchases/at_my_shops.html", purchases=purchases, status=status,
                           action_form=ActionForm(), waiting=waiting, recent=recent,
                           undo_minutes=undo.undo_window().seconds // 60, ids=",".join(map(str, waiting)))


@bp.route("/toko/saya/belanja/konfirmasi-semua", methods=["GET", "POST"])
@shop_owner_required
def confirm_all():
    """GET (from the list's button): the purchases it would confirm and one button to do it, a
    second look because it confirms many at once; POST confirms them."""
    form = ConfirmAllForm(request.args) if request.method == "GET" else ConfirmAllForm()
    if request.method == "GET":
        rows = queries.waiting_at_shops(owner_id=current_user.id, ids=form.id_list()) if form.ids.validate(form) else []
        if not rows:
            flash("Tidak ada belanja yang menunggu konfirmasi.", "info")
            return redirect(url_for("purchases.at_my_shops"))
        form.ids.data = ",".join(str(row.id) for row in rows)
        return render_template("purchases/confirm_all.html", rows=rows, form=form)
    if not form.validate_on_submit():
        abort(400)
    try:
        count = services.confirm_purchases(actor=current_user, purchase_ids=form.id_list())
    except (PermissionDenied, NotFound) as exc:
        abort(exc.status)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(f"{count} belanja dikonfirmasi." if count else "Tidak ada belanja yang menunggu konfirmasi.", "success")
    return redirect(url_for("purchases.at_my_shops"))


@bp.route("/belanja/<id:purchase_id>/konfirmasi", methods=["POST"])
@shop_owner_required
def confirm(purchase_id: int):
    """One tap, no second look: confirming tells nobody, and a wrong tap is taken back from the
    list ("Batalkan", :mod:`.undo`) for ``CONFIRM_UNDO_MINUTES``."""
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.confirm_purchase(actor=current_user, purchase_id=purchase_id)
    except (PermissionDenied, NotFound) as exc:
        abort(exc.status)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(f"Belanja dikonfirmasi. Salah tekan? Batalkan dalam {undo.undo_window().seconds // 60} menit "
              "di bagian \u201cBaru dikonfirmasi\u201d.", "success")
    return redirect(safe_next(request.form.get("next") or request.args.get("next"), url_for("purchases.at_my_shops")))


@bp.route("/belanja/<id:purchase_id>/konfirmasi/batal", methods=["POST"])
@shop_owner_required
def undo_confirm(purchase_id: int):
    """"Batalkan" beside a purchase just confirmed: back to waiting, within the undo window."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        undo.undo_confirmation(actor=current_user, purchase_id=purchase_id)
    except (PermissionDenied, NotFound) as exc:
        abort(exc.status)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash("Konfirmasi dibatalkan; belanja ini kembali menunggu konfirmasi.", "success")
    return redirect(url_for("purchases.at_my_shops"))


@bp.route("/belanja/<id:purchase_id>/bantah", methods=["GET", "POST"])
@shop_owner_required
def dispute(purchase_id: int):
    return _decide(DISPUTE, purchase_id)


@bp.route("/belanja/<id:purchase_id>/batal", methods=["GET", "POST"])
@coordinator_required()
def void(purchase_id: int):
    return _decide(VOID, purchase_id)
