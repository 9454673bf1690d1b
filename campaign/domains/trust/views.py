"""The coordinator's trust pages for one region: flags (with review) and bulk void (dry run,
apply, undo). Admins may open any region; a coordinator only their own."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from campaign.core.errors import DomainError, NotFound, PermissionDenied
from campaign.domains.auth.decorators import coordinator_required
from campaign.domains.regions.services import current_campaign, region_by_code
from campaign.domains.trust import services
from campaign.domains.trust.flags import region_flags
from campaign.domains.trust.forms import BulkVoidForm, ReviewForm, SelectionForm, UndoForm
from campaign.web.forms import submit

bp = Blueprint("trust", __name__, url_prefix="/koordinator")
REFUSALS = (PermissionDenied, NotFound)


def _region(code: str):
    try:
        return region_by_code(code)
    except NotFound:
        abort(404)


@bp.route("/wilayah/<code>/tanda")
@coordinator_required("code")
def flags(code: str):
    region = _region(code)
    flags = region_flags(campaign_id=current_campaign().id, region_id=region.id)
    forms = {f.key: ReviewForm(formdata=None, tanda=f.key) for f in flags if f.review is None}
    for n, form in enumerate(forms.values()):
        form.catatan.id = form.catatan.label.field_id = f"catatan-{n}"
        form.tanda.id = f"tanda-{n}"
    return render_template("trust/flags.html", region=region, flags=flags, forms=forms)


@bp.route("/wilayah/<code>/tanda/tinjau", methods=["POST"])
@coordinator_required("code")
def review(code: str):
    form = ReviewForm()
    if form.validate_on_submit() and submit(form, services.review_flag, actor=current_user, region_code=code,
                                            flag_key=form.tanda.data, note=form.catatan.data or ""):
        flash("Tanda ditandai sudah ditinjau.", "success")
    elif form.errors:
        flash("Tanda tidak dapat ditandai.", "error")
    return redirect(url_for("trust.flags", code=code))


@bp.route("/wilayah/<code>/batal-massal", methods=["GET", "POST"])
@coordinator_required("code")
def bulk_void(code: str):
    region = _region(code)
    selection_form, form = SelectionForm(request.args), BulkVoidForm()
    preview = None
    if request.args and selection_form.validate():
        if request.method == "POST" and form.validate_on_submit():
            done = submit(form, services.bulk_void, actor=current_user, region_code=code,
                          selection=selection_form.selection(), reason=form.alasan.data)
            if done:
                flash(f"{services.summary(done)} dibatalkan. Dapat diurungkan selama 7 hari.", "success")
                return redirect(url_for("trust.bulk_void_detail", bulk_void_id=done.id))
        try:
            preview = services.preview_bulk_void(actor=current_user, region_code=code,
                                                 selection=selection_form.selection())
        except DomainError as exc:
            flash(exc.message, "error")
    return render_template("trust/bulk_void.html", region=region, selection_form=selection_form, form=form,
                           preview=preview, history=services.recent_bulk_voids(actor=current_user, region_code=code))


@bp.route("/batal-massal/<int:bulk_void_id>")
@coordinator_required()
def bulk_void_detail(bulk_void_id: int):
    try:
        operation = services.get_bulk_void(actor=current_user, bulk_void_id=bulk_void_id)
    except REFUSALS as exc:
        abort(exc.status)
    return render_template("trust/bulk_void_detail.html", operation=operation, form=UndoForm(),
                           can_undo=services.can_undo(operation))


@bp.route("/batal-massal/<int:bulk_void_id>/urungkan", methods=["POST"])
@coordinator_required()
def undo(bulk_void_id: int):
    form = UndoForm()
    try:
        if form.validate_on_submit():
            operation = services.undo_bulk_void(actor=current_user, bulk_void_id=bulk_void_id)
            flash(f"Diurungkan: {services.summary(operation)} kembali ke status sebelumnya.", "success")
    except REFUSALS as exc:
        abort(exc.status)
    except DomainError as exc:
        flash(exc.message, "error")
    return redirect(url_for("trust.bulk_void_detail", bulk_void_id=bulk_void_id))
