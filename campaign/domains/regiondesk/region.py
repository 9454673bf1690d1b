"""The coordinator's pages of one region, each short and at its own URL, so a form shows its
errors where the coordinator is and an action returns to the section it was taken from.

``/wilayah/<kode>`` itself stays the public summary (``leaderboard.region``); for this region's
coordinator or an admin it also shows the section menu and a short summary of what needs doing
(``templates/region_desk/_summary.html``). A new section: add a view here (or in its own domain's
module) and a ``(endpoint, label)`` pair to :data:`SECTIONS`; the menu follows.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from campaign.domains.auth.decorators import coordinator_required
from campaign.domains.leaderboard import details, queries
from campaign.domains.leaderboard.forms import TargetForm
from campaign.domains.regions.queries import CampaignInfo
from campaign.domains.regions.services import get_campaign, get_target, region_by_code
from campaign.domains.regions.services import set_region_target as set_target_service
from campaign.util.spreadsheets import XLSX_MIMETYPE
from campaign.web.forms import submit
from campaign.web.routing import int_arg

bp = Blueprint("region_desk", __name__, url_prefix="/wilayah/<code>")

# The coordinator's menu on every page of a region, in order: (endpoint, label).
SECTIONS: list[tuple[str, str]] = [
    ("leaderboard.region", "Ringkasan"),
    ("region_desk.agencies", "Instansi/OPD"),
    ("people.people", "ASN"),
    ("roster.region", "Daftar ASN"),
    ("people.districts", "Kecamatan"),
    ("region_desk.shops", "Toko"),
    ("region_desk.disputes", "Bantahan"),
    ("trust.flags", "Tanda kewajaran"),
    ("trust.bulk_void", "Batal massal"),
    ("region_desk.target", "Target"),
    ("region_desk.downloads", "Unduhan"),
]


@bp.app_template_global()
def region_sections() -> list[tuple[str, str]]:
    return SECTIONS


def section_context(code: str) -> dict:
    """What every section page shows in its header: the region and the chosen campaign (?campaign=,
    the current one when absent). Raises NotFound for an unknown region or campaign."""
    region = region_by_code(code)
    campaign = CampaignInfo.of(get_campaign(int_arg("campaign")))
    return {"region": region, "campaign": campaign}


def render_rows_section(code: str, template: str, rows_of: Callable[..., list]) -> str:
    """A section that is one table: ``rows_of(campaign_id=..., region_id=...)`` in ``template``."""
    context = section_context(code)
    rows = rows_of(campaign_id=context["campaign"].id, region_id=context["region"].id)
    return render_template(template, rows=rows, **context)


@bp.route("/instansi")
@coordinator_required("code")
def agencies(code: str):
    return render_rows_section(code, "region_desk/agencies.html", details.by_agency)


@bp.route("/toko")
@coordinator_required("code")
def shops(code: str):
    context = section_context(code)
    campaign_id, region_id = context["campaign"].id, context["region"].id
    idle, idle_total = details.idle_shops(campaign_id=campaign_id, region_id=region_id)
    return render_template("region_desk/shops.html", top_shops=details.top_shops(
        campaign_id=campaign_id, region_id=region_id), idle_shops=idle, idle_shops_total=idle_total,
        pending_shops=details.pending_shop_count(region_id=region_id), **context)


@bp.route("/bantahan")
@coordinator_required("code")
def disputes(code: str):
    context = section_context(code)
    limit = details.DISPUTED_LIMIT
    disputed = details.disputed_purchases(campaign_id=context["campaign"].id, region_id=context["region"].id,
                                          limit=limit + 1)
    back = url_for(".disputes", code=code, campaign=int_arg("campaign"))
    return render_template("region_desk/disputes.html", disputed=disputed[:limit], disputed_more=len(disputed) > limit,
                           back=back, **context)


@bp.route("/target", methods=["GET", "POST"])
@coordinator_required("code")
def target(code: str):
    """GET shows the form filled with the saved values; POST saves and goes to the summary, or shows
    the errors here."""
    context = section_context(code)
    region = context["region"]
    form = TargetForm()
    if request.method == "POST":
        if form.validate_on_submit() and submit(
                form, set_target_service, actor=current_user, campaign_id=form.campaign_id.data,
                region_id=region.id, asn_headcount=form.asn_headcount.data, target_amount=form.target_amount.data):
            flash(f"Jumlah ASN dan target {region.kind} {region.name} sudah disimpan.", "success")
            return redirect(url_for("leaderboard.region", code=code, campaign=form.campaign_id.data))
    else:
        saved = get_target(context["campaign"].id, region.id)
        form = TargetForm(formdata=None, campaign_id=context["campaign"].id,
                          asn_headcount=saved.asn_headcount if saved else None,
                          target_amount=saved.target_amount if saved else None)
    return render_template("region_desk/target.html", form=form, **context)


@bp.route("/unduh")
@coordinator_required("code")
def downloads(code: str):
    return render_template("region_desk/downloads.html", **section_context(code))


@bp.route("/unduh.xlsx")
@coordinator_required("code")
def export(code: str):
    from campaign.domains.leaderboard.export import region_workbook  # openpyxl: see campaign.util.spreadsheets

    progress = queries.get_region_progress(code=code, campaign_id=int_arg("campaign"),
                                           detailed=True, idle_limit=None)
    return send_file(region_workbook(progress), mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=f"capaian-{progress.region.code}-{progress.campaign.id}.xlsx")
