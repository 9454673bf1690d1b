"""The coordinator's people pages of a region: /wilayah/<kode>/asn, /kecamatan, /belanja.xlsx."""
from __future__ import annotations

from flask import Blueprint, render_template, send_file

from campaign.domains.auth.decorators import coordinator_required
from campaign.domains.leaderboard import queries as standings
from campaign.domains.regiondesk import people as queries
from campaign.domains.regiondesk.region import render_rows_section, section_context
from campaign.util.spreadsheets import XLSX_MIMETYPE

bp = Blueprint("people", __name__, url_prefix="/wilayah/<code>")


@bp.route("/asn")
@coordinator_required("code")
def people(code: str):
    context = section_context(code)
    campaign_id, region_id = context["campaign"].id, context["region"].id
    waiting, waiting_total = queries.pledged_not_bought(campaign_id=campaign_id, region_id=region_id)
    progress = standings.get_region_progress(code=code, campaign_id=campaign_id, detailed=False)
    province = standings.get_standings(campaign_id=campaign_id, metric="realized", perspective="asn_region")
    return render_template("people/asn.html", waiting=waiting, waiting_total=waiting_total,
                           comparison=queries.comparison(progress, province), progress=progress, **context)


@bp.route("/kecamatan")
@coordinator_required("code")
def districts(code: str):
    return render_rows_section(code, "people/districts.html", queries.by_district)


@bp.route("/belanja.xlsx")
@coordinator_required("code")
def purchases_export(code: str):
    from campaign.domains.regiondesk.people_export import purchases_workbook  # openpyxl: see campaign.util.spreadsheets

    context = section_context(code)
    region, campaign = context["region"], context["campaign"]
    workbook = purchases_workbook(campaign_id=campaign.id, region_id=region.id, region_name=region.full_name)
    return send_file(workbook, mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=f"belanja-{region.code}-{campaign.id}.xlsx")
