"""Papan Peringkat (public standings) and each region's public progress page."""
from __future__ import annotations

from flask import Blueprint, flash, render_template, request, send_file, url_for
from flask_login import current_user

from campaign.domains.auth.decorators import admin_required, public
from campaign.domains.leaderboard import details, metrics, months, privacy, provinces, queries, region_public
from campaign.domains.leaderboard.charts.bars import ranked_bars
from campaign.domains.leaderboard.charts.tilemap import tile_map
from campaign.domains.leaderboard.forms import standings_form
from campaign.domains.leaderboard.reference import reference
from campaign.domains.leaderboard.versions import region_from_args
from campaign.domains.regions.provinces import scope_of
from campaign.domains.regions.versions import campaign_from_args
from campaign.util.spreadsheets import XLSX_MIMETYPE
from campaign.web.pagecache import anonymous_page
from campaign.web.routing import int_arg

bp = Blueprint("leaderboard", __name__)


@bp.route("/peringkat")
@public
@anonymous_page(campaign_from_args, args=("campaign", "metric", "perspective", "provinsi"))
def standings():
    """The regions' leaderboard; where several provinces are served, first the provinces' (each
    row opening its own leaderboard of kabupaten/kota, ``?provinsi=<kode>``)."""
    form, valid = standings_form(request.args)
    if not valid:
        flash("Pilihan peringkat tidak dikenal; menampilkan peringkat bawaan.", "error")
    several = provinces.several_provinces()
    if several and not form.provinsi.data:
        return _province_level(form)
    data = queries.get_standings(campaign_id=form.campaign.data, metric=form.metric.data,
                                 perspective=form.perspective.data, province=form.provinsi.data if several else None)
    data = privacy.public_standings(data, viewer=current_user)
    links = {row.region_code: url_for(".region", code=row.region_code, campaign=data.campaign.id) for row in data.rows}
    return render_template("leaderboard/standings.html", form=form, standings=data, bars=ranked_bars(data),
                           tiles=tile_map(data, url_for_region=links.__getitem__), region_links=links,
                           metrics=metrics.METRICS, perspectives=metrics.PERSPECTIVES, several=several,
                           checked=reference().checked,
                           scope_name=scope_of((data.province,)).name if data.province else None)


def _province_level(form):
    data = provinces.get_province_standings(campaign_id=form.campaign.data, metric=form.metric.data,
                                            perspective=form.perspective.data)
    data = privacy.public_province_standings(data, viewer=current_user)
    links = {row.province_code: url_for(".standings", provinsi=row.province_code, campaign=data.campaign.id,
                                        metric=data.metric, perspective=data.perspective) for row in data.rows}
    return render_template("leaderboard/provinces.html", form=form, standings=data, bars=ranked_bars(data),
                           tiles=tile_map(data, url_for_region=links.__getitem__, unit="provinsi"),
                           province_links=links, metrics=metrics.METRICS, perspectives=metrics.PERSPECTIVES)


@bp.route("/peringkat/unduh.xlsx")
@admin_required
def export_province():
    from campaign.domains.leaderboard.export import province_workbook  # openpyxl: see campaign.util.spreadsheets

    campaign_id, province = int_arg("campaign"), current_user.admin_province  # a province admin: its province
    by_asn = queries.get_standings(campaign_id=campaign_id, metric="realized", perspective="asn_region",
                                   province=province)
    by_shop = queries.get_standings(campaign_id=by_asn.campaign.id, metric="realized", perspective="shop_region",
                                    province=province)
    return send_file(province_workbook(by_asn, by_shop, checked=reference().checked), mimetype=XLSX_MIMETYPE,
                     as_attachment=True, download_name=f"peringkat-{by_asn.campaign.id}.xlsx")


@bp.route("/wilayah/<code>")
@public
@anonymous_page(region_from_args, args=("campaign",))
def region(code: str):
    """The public summary; this region's coordinator or an admin also gets the section menu and
    what waits for them (the sections themselves: ``regiondesk/region.py``)."""
    region = reference().region(code)
    progress = queries.get_region_progress(code=region.code, campaign_id=int_arg("campaign"), detailed=False)
    progress = region_public.public_progress(progress, viewer=current_user)
    desk = None
    if current_user.is_authenticated and current_user.coordinates(region.id):
        desk = details.coordinator_summary(campaign_id=progress.campaign.id, region_id=region.id)
    return render_template("leaderboard/region.html", progress=progress, desk=desk,
                           series=months.public_series(progress, viewer=current_user),
                           roster_checked=region.code in reference().checked,
                           metrics=metrics.METRICS, perspectives=metrics.PERSPECTIVES)
