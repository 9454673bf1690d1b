"""UMKM Terdampak: the province and region pages, an owner's report, the coordinator's field data."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from campaign.core.errors import DomainError
from campaign.domains.affected import importer, queries, services
from campaign.domains.affected.forms import FieldReportForm, ImpactForm, ImportForm
from campaign.domains.auth.decorators import coordinator_required, login_required, public
from campaign.domains.regions.services import region_by_code
from campaign.domains.shops.services import get_shop
from campaign.web.forms import apply_domain_error, submit

bp = Blueprint("affected", __name__)


@bp.route("/umkm-terdampak")
@public
def province():
    return render_template("affected/province.html", data=queries.province_affected(viewer=current_user))


@bp.route("/wilayah/<code>/umkm-terdampak")
@public
def region(code: str):
    data = queries.region_affected(code, viewer=current_user)
    region = region_by_code(code)
    can_enter = current_user.is_authenticated and current_user.coordinates(region.id)
    return render_template("affected/region.html", data=data, can_enter=can_enter)


@bp.route("/toko/<int:shop_id>/dampak", methods=["GET", "POST"])
@login_required
def shop_report(shop_id: int):
    shop = get_shop(shop_id)
    if shop.owner_id != current_user.id:
        abort(403)
    existing = queries.report_of_shop(shop_id)
    form = ImpactForm(obj=existing)
    if form.validate_on_submit() and submit(form, lambda: services.report_for_shop(
            owner=current_user, shop_id=shop_id, impact=form.impact())):
        flash("Terima kasih. Data dampak usaha Anda sudah disimpan.", "success")
        return redirect(url_for("shops.mine"))
    return render_template("affected/shop_report.html", form=form, shop=shop, existing=existing)


def _coordinator_page(code: str, form: FieldReportForm | None = None, import_form: ImportForm | None = None,
                      import_report=None, status: int = 200):
    region = region_by_code(code)
    reports = queries.reports_of_region(region, page=request.args.get("page", 1, type=int),
                                        per_page=current_app.config["PER_PAGE"])
    return render_template("affected/coordinator.html", region=region, reports=reports,
                           form=form or FieldReportForm(formdata=None), import_form=import_form or ImportForm(
                               formdata=None), import_report=import_report), status


@bp.route("/koordinator/umkm-terdampak/<code>", methods=["GET", "POST"])
@coordinator_required("code")
def coordinator(code: str):
    form = FieldReportForm()
    if form.validate_on_submit() and submit(form, lambda: services.record_field_reports(
            actor=current_user, reports=[(services.check_business(
                region_code=code, business_name=form.business_name.data, category=form.category.data),
                form.impact())])):
        flash(f"Laporan {form.business_name.data} tersimpan.", "success")
        return redirect(url_for(".coordinator", code=code))
    return _coordinator_page(code, form=form if request.method == "POST" else None)


@bp.route("/koordinator/umkm-terdampak/<code>/impor", methods=["POST"])
@coordinator_required("code")
def import_file(code: str):
    form = ImportForm()
    if not form.validate_on_submit():
        return _coordinator_page(code, import_form=form, status=422)
    upload = form.file.data
    try:
        result = importer.import_field_reports(actor=current_user, filename=upload.filename or "",
                                               content=upload.read())
    except DomainError as exc:
        if not apply_domain_error(form, exc):
            flash(exc.message, "error")
        return _coordinator_page(code, import_form=form, status=422)
    flash(f"{result.saved} baris tersimpan, {len(result.refused)} baris ditolak.",
          "success" if not result.refused else "error")
    return _coordinator_page(code, import_report=result)


@bp.route("/koordinator/umkm-terdampak/<code>/laporan/<int:report_id>/hapus", methods=["POST"])
@coordinator_required("code")
def delete(code: str, report_id: int):
    try:
        services.delete_report(actor=current_user, report_id=report_id)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash("Laporan dihapus.", "success")
    return redirect(url_for(".coordinator", code=code))
