"""Papan Peringkat (public standings) and each region's progress page, target form and Excel."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from .. import privacy
from ..auth.decorators import admin_required, coordinator_required, public
from ..charts.bars import ranked_bars
from ..charts.tilemap import tile_map
from ..forms import submit
from ..pagecache import anonymous_page, campaign_from_args
from ..regions.models import Region
from ..routing import int_arg
from ..regions.services import get_target, region_by_code
from ..roster.queries import has_roster
from ..regions.services import set_region_target as set_target_service
from . import queries
from .export import XLSX_MIMETYPE, province_workbook, region_workbook
from .forms import TargetForm, standings_form, void_form

bp = Blueprint("leaderboard", __name__)


@bp.route("/peringkat")
@public
@anonymous_page(campaign_from_args)
def standings():
    form, valid = standings_form(request.args)
    if not valid:
        flash("Pilihan peringkat tidak dikenal; menampilkan peringkat bawaan.", "error")
    data = queries.get_standings(campaign_id=form.campaign.data, metric=form.metric.data,
                                 perspective=form.perspective.data)
    data = privacy.public_standings(data, viewer=current_user)
    return render_template("leaderboard/standings.html", form=form, standings=data, bars=ranked_bars(data),
                           tiles=tile_map(data, url_for_region=lambda code: url_for(
                               ".region", code=code, campaign=data.campaign.id)),
                           metrics=queries.METRICS, perspectives=queries.PERSPECTIVES)


@bp.route("/peringkat/unduh.xlsx")
@admin_required
def export_province():
    campaign_id = int_arg("campaign")
    by_asn = queries.get_standings(campaign_id=campaign_id, metric="realized", perspective="asn_region")
    by_shop = queries.get_standings(campaign_id=by_asn.campaign.id, metric="realized", perspective="shop_region")
    return send_file(province_workbook(by_asn, by_shop), mimetype=XLSX_MIMETYPE,
                     as_attachment=True, download_name=f"peringkat-{by_asn.campaign.id}.xlsx")


@bp.route("/wilayah/<code>")
@public
@anonymous_page(campaign_from_args)
def region(code: str):
    region = region_by_code(code)
    return _render_region(region, int_arg("campaign"))


@bp.route("/wilayah/<code>/target", methods=["POST"])
@coordinator_required("code")
def set_target(code: str):
    region = region_by_code(code)
    form = TargetForm()
    if form.validate_on_submit() and submit(
            form, set_target_service, actor=current_user, campaign_id=form.campaign_id.data, region_id=region.id,
            asn_headcount=form.asn_headcount.data, target_amount=form.target_amount.data):
        flash(f"Jumlah ASN dan target {region.kind} {region.name} sudah disimpan.", "success")
        return redirect(url_for(".region", code=code, campaign=form.campaign_id.data))
    campaign_id = None if form.campaign_id.errors else form.campaign_id.data  # never look up a refused id
    return _render_region(region, campaign_id, target_form=form)


@bp.route("/wilayah/<code>/unduh.xlsx")
@coordinator_required("code")
def export(code: str):
    progress = queries.get_region_progress(code=code, campaign_id=int_arg("campaign"),
                                           detailed=True, idle_limit=None)
    return send_file(region_workbook(progress), mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=f"capaian-{progress.region.code}-{progress.campaign.id}.xlsx")


def _render_region(region: Region, campaign_id: int | None, target_form: TargetForm | None = None):
    """The progress page; the coordinator's sections only for this region's coordinator or an admin."""
    detailed = current_user.is_authenticated and current_user.coordinates(region.id)
    progress = queries.get_region_progress(code=region.code, campaign_id=campaign_id, detailed=detailed)
    progress = privacy.public_progress(progress, viewer=current_user)
    void_forms = {}
    if detailed:
        target = get_target(progress.campaign.id, region.id)
        target_form = target_form or TargetForm(
            formdata=None, campaign_id=progress.campaign.id, asn_headcount=target.asn_headcount if target else None,
            target_amount=target.target_amount if target else None)
        back = url_for(".region", code=region.code, campaign=campaign_id)
        void_forms = {p.id: void_form(p.id, back) for p in progress.detail.disputed}
    return render_template("leaderboard/region.html", progress=progress, target_form=target_form,
                           roster_checked=has_roster(region.id),
                           void_forms=void_forms, metrics=queries.METRICS, perspectives=queries.PERSPECTIVES)
