"""Pelatihan pages: the public list, a training's page with one-tap sign-up for owners, the
calendar file, publishing and attendance for coordinators and admins."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from campaign.core.errors import NotFound
from campaign.domains.auth.decorators import coordinator_required, login_required, public, shop_owner_required
from campaign.domains.regions.services import all_regions
from campaign.domains.training import export, lifecycle, queries, services
from campaign.domains.training.forms import AttendanceForm, CancelTrainingForm, SeatForm, TrainingForm
from campaign.web.forms import submit
from campaign.web.routing import page_arg

bp = Blueprint("training", __name__, url_prefix="/pelatihan")


def _detail(training_id: int) -> queries.TrainingDetail:
    try:
        return queries.training_detail(training_id)
    except NotFound:
        abort(404)


@bp.route("")
@public
def index():
    region = request.args.get("wilayah", "")[:8] or None
    result = queries.upcoming_trainings(region_code=region, page=page_arg(),
                                        per_page=current_app.config["PER_PAGE"])
    return render_template("training/index.html", result=result, region=region, regions=all_regions())


@bp.route("/<int:training_id>")
@public
def detail(training_id: int):
    training = _detail(training_id)
    shops = queries.eligible_shops(current_user, training)
    return render_template("training/detail.html", training=training, shops=shops,
                           seat_form=SeatForm(shops=[(i, n) for i, n, seated in shops if not seated]),
                           can_manage=current_user.is_authenticated and queries.may_manage(current_user, training.id),
                           cancel_form=CancelTrainingForm(formdata=None))


@bp.route("/<int:training_id>/daftar", methods=["POST"])
@login_required
def register(training_id: int):
    training = _detail(training_id)
    shops = [(i, n) for i, n, seated in queries.eligible_shops(current_user, training) if not seated]
    form = SeatForm(shops=shops)
    if form.validate_on_submit() and submit(form, services.register_for_training, actor=current_user,
                                            training_id=training.id, shop_id=form.shop_id.data):
        flash(f"Terdaftar di pelatihan \u201c{training.title}\u201d. Sampai jumpa!", "success")
    elif form.errors:
        flash(" ".join(sum(form.errors.values(), [])), "error")
    return redirect(url_for(".detail", training_id=training.id))


@bp.route("/<int:training_id>/batal", methods=["POST"])
@login_required
def cancel(training_id: int):
    training = _detail(training_id)
    form = SeatForm(shops=[(i, n) for i, n, seated in queries.eligible_shops(current_user, training) if seated])
    if form.validate_on_submit() and submit(form, services.cancel_registration, actor=current_user,
                                            training_id=training.id, shop_id=form.shop_id.data):
        flash("Pendaftaran dibatalkan; kursi Anda kini dapat dipakai orang lain.", "success")
    return redirect(url_for(".detail", training_id=training.id))


@bp.route("/<int:training_id>/dibatalkan", methods=["POST"])
@coordinator_required()
def call_off(training_id: int):
    training = _detail(training_id)
    if not queries.may_manage(current_user, training.id):
        abort(403)
    form = CancelTrainingForm()
    if not form.validate_on_submit():
        flash(" ".join(sum(form.errors.values(), [])), "error")
    elif submit(form, lifecycle.cancel_training, actor=current_user, training_id=training.id,
                reason=form.reason.data):
        flash("Pelatihan dibatalkan; setiap peserta sudah diberi tahu.", "success")
    return redirect(url_for(".detail", training_id=training.id))


@bp.route("/<int:training_id>/kalender.ics")
@public
def calendar(training_id: int):
    training = _detail(training_id)
    url = url_for(".detail", training_id=training.id, _external=True)
    response = current_app.response_class(export.ics_document(training, url, request.host),
                                          mimetype=export.ICS_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="pelatihan-{training.id}.ics"'
    return response


@bp.route("/saya")
@shop_owner_required
def mine():
    return render_template("training/mine.html", seats=queries.seats_of_owner(current_user.id))


@bp.route("/kelola")
@coordinator_required()
def manage():
    result = queries.managed_trainings(current_user, page=page_arg(),
                                       per_page=current_app.config["PER_PAGE"])
    return render_template("training/manage.html", result=result)


@bp.route("/baru", methods=["GET", "POST"])
@coordinator_required()
def new():
    form = TrainingForm(actor=current_user)
    if form.validate_on_submit():
        training = submit(form, services.publish_training, actor=current_user, **form.training_fields())
        if training:
            flash("Pelatihan diterbitkan.", "success")
            return redirect(url_for(".detail", training_id=training.id))
    return render_template("training/new.html", form=form)


@bp.route("/<int:training_id>/kehadiran", methods=["GET", "POST"])
@coordinator_required()
def attendance(training_id: int):
    training = _detail(training_id)
    if not queries.may_manage(current_user, training.id):
        abort(403)
    seats = queries.seats_of(training.id)
    form = AttendanceForm(seats=seats)
    if form.validate_on_submit():
        counts = submit(form, services.mark_attendance, actor=current_user, training_id=training.id,
                        attended_shop_ids=set(form.attended.data or []))
        if counts:
            flash(f"Kehadiran tersimpan: {counts['attended']} hadir, {counts['absent']} tidak hadir.", "success")
            return redirect(url_for(".attendance", training_id=training.id))
    return render_template("training/attendance.html", training=training, seats=seats, form=form)


@bp.route("/<int:training_id>/kehadiran.xlsx")
@coordinator_required()
def attendance_xlsx(training_id: int):
    training = _detail(training_id)
    if not queries.may_manage(current_user, training.id):
        abort(403)
    return send_file(export.attendance_workbook(training, queries.seats_of(training.id)),
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     as_attachment=True, download_name=f"kehadiran-pelatihan-{training.id}.xlsx")
