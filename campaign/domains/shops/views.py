"""Shop pages: registration, the owner's list, the public directory, a shop's page, QR poster."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from campaign.core.errors import NotFound
from campaign.domains.auth.decorators import login_required, public
from campaign.domains.shops import qr, queries, services
from campaign.domains.shops.forms import DirectoryFilterForm, ShopForm
from campaign.web.forms import submit
from campaign.web.pagecache import anonymous_page, shops_version
from campaign.web.routing import page_arg, parse_int

bp = Blueprint("shops", __name__)

QR_CACHE_SECONDS = 24 * 60 * 60


def _visible_shop(shop_id: int) -> queries.ShopDetail:
    """The shop as the current user may see it; 404 when hidden from them."""
    try:
        return queries.get_shop_detail(shop_id, viewer=current_user)
    except NotFound:
        abort(404)


@bp.route("/toko/baru", methods=["GET", "POST"])
@login_required
def new():
    form = ShopForm()
    if form.validate_on_submit() and submit(form, services.register_shop, owner=current_user, **form.shop_fields()):
        flash("Toko terdaftar dan menunggu verifikasi koordinator.", "success")
        return redirect(url_for("shops.mine"))
    return render_template("shops/new.html", form=form)


@bp.route("/toko/saya")
@login_required
def mine():
    return render_template("shops/mine.html", shops=queries.shops_of_owner(current_user.id))


@bp.route("/toko")
@public
@anonymous_page(shops_version, args=("q", "wilayah", "kecamatan", "kategori", "page", "setelah", "sebelum"))
def directory():
    """``?setelah=<id>`` / ``?sebelum=<id>``: the shop the page continues from or ends before (the
    paging links carry it, with ``page`` for display); anything else there is ignored."""
    form = DirectoryFilterForm(request.args)
    filters = form.filters()
    result = queries.search_shops(**filters, page=page_arg(), per_page=current_app.config["PER_PAGE"],
                                  after=parse_int(request.args.get("setelah")),
                                  before=parse_int(request.args.get("sebelum")))
    return render_template("shops/directory.html", form=form, result=result, filters=filters)


@bp.route("/toko/<id:shop_id>")
@public
def detail(shop_id: int):
    shop = _visible_shop(shop_id)
    return render_template("shops/detail.html", shop=shop,
                           can_manage=services.can_manage_shop(current_user, shop))


@bp.route("/toko/<id:shop_id>/qr.svg", endpoint="qr")
@public
def qr_code(shop_id: int):
    try:
        services.get_verified_shop(shop_id)
    except NotFound:
        abort(404)
    response = current_app.response_class(qr.svg_document(qr.purchase_url(shop_id)),
                                          mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = QR_CACHE_SECONDS
    return response


@bp.route("/t/<id:shop_id>")
@public
def short_link(shop_id: int):
    """The short URL printed under the poster's QR code: the same purchase form the code opens."""
    return redirect(url_for("purchases.new", toko=shop_id))


@bp.route("/toko/<id:shop_id>/poster")
@login_required
def poster(shop_id: int):
    shop = _visible_shop(shop_id)
    if not services.can_manage_shop(current_user, shop):
        abort(403)
    if shop.status != "verified":
        return render_template("shops/poster_unavailable.html", shop=shop), 409
    return render_template("shops/poster.html", shop=shop, qr_svg=qr.svg_inline(qr.purchase_url(shop_id)),
                           short_url=qr.short_url(shop_id))
