"""The public catalogue of a region: printable, and a WhatsApp text per category."""
from __future__ import annotations

from flask import Blueprint, render_template, url_for

from campaign.domains.auth.decorators import public
from campaign.domains.catalogue import queries, text
from campaign.domains.regions.services import region_by_code

bp = Blueprint("catalogue", __name__)


@bp.route("/wilayah/<code>/katalog")
@public
def region(code: str):
    region = region_by_code(code)
    catalogue = queries.region_catalogue(region)
    url = url_for(".region", code=region.code, _external=True)
    texts = {s.category: text.section_text(s, region_name=catalogue.region_name, catalogue_url=url)
             for s in catalogue.sections}
    return render_template("catalogue/region.html", catalogue=catalogue, texts=texts,
                           share_urls={k: text.share_url(v) for k, v in texts.items()})
