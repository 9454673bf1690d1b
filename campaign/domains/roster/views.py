"""The roster pages: a region's roster for its coordinator (add, retire) and the admin's import."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from campaign.core.errors import DomainError, NotFound, PermissionDenied
from campaign.domains.auth.decorators import admin_required, coordinator_required
from campaign.domains.regions.services import all_regions, region_by_code
from campaign.domains.roster import queries, services
from campaign.domains.roster.forms import PROVINCE, EntryForm, ImportForm, RetireForm
from campaign.web.forms import submit

bp = Blueprint("roster", __name__)


@bp.url_value_preprocessor
def allow_big_roster_files(endpoint, _values):
    """A province roster is many megabytes: its import alone may send ROSTER_MAX_UPLOAD bytes. Set
    here because URL preprocessors run before the CSRF check, which reads the form first."""
    if endpoint == "roster.import_file":
        request.max_content_length = current_app.config["ROSTER_MAX_UPLOAD"]


@bp.route("/wilayah/<code>/daftar-asn")
@coordinator_required("code")
def region(code: str):
    return _render_region(region_by_code(code), EntryForm(formdata=None))


@bp.route("/wilayah/<code>/daftar-asn/tambah", methods=["POST"])
@coordinator_required("code")
def add(code: str):
    form = EntryForm()
    if form.validate_on_submit() and submit(form, services.add_entry, actor=current_user, region_code=code,
                                            nip=form.nip.data, name=form.name.data,
                                            agency_name=form.agency_name.data):
        flash(f"{form.name.data} ditambahkan ke daftar ASN.", "success")
        return redirect(url_for(".region", code=code))
    return _render_region(region_by_code(code), form), 422


@bp.route("/daftar-asn/<int:entry_id>/nonaktifkan", methods=["POST"])
@coordinator_required()
def retire(entry_id: int):
    """Another region's entry is a 403 and an unknown one a 404, as in the verification queue."""
    form = RetireForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        entry = services.retire_entry(actor=current_user, entry_id=entry_id)
    except (PermissionDenied, NotFound) as exc:
        abort(exc.status)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("coordinator.home"))
    flash(f"{entry.name} dinonaktifkan dari daftar ASN.", "success")
    return redirect(url_for(".region", code=entry.region.code))


def _render_region(region, form: EntryForm):
    page = queries.entries(region_id=region.id, q=request.args.get("q"), page=request.args.get("page", 1, type=int),
                           per_page=current_app.config["PER_PAGE"])
    return render_template("roster/region.html", region=region, status=queries.roster_status(region.id),
                           page=page, form=form, retire_form=RetireForm(formdata=None), q=request.args.get("q", ""))


@bp.route("/admin/daftar-asn", methods=["GET", "POST"])
@admin_required
def import_file():
    form = ImportForm()
    form.region.choices = [(PROVINCE, "Seluruh provinsi")] + [(r.code, r.full_name) for r in all_regions()
                                                              if current_user.covers(r.code)]
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        report = submit(form, services.import_roster, actor=current_user, content=upload.read(),
                        filename=upload.filename or "", region_code=form.region.data or None)
        if report:
            flash(f"Impor selesai: {report.added} ditambahkan, {report.updated} diperbarui, "
                  f"{report.unchanged} tetap, {report.refused} ditolak.", "success")
    refused = request.method == "POST" and report is None
    return render_template("roster/import.html", form=form, report=report), 422 if refused else 200
