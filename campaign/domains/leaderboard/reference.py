"""The reference data every leaderboard and region page reads (the active regions, the campaigns,
which regions have an ASN roster), kept per process under the ``reference`` change marker.

Regions, campaigns and roster entries touch that marker whenever they change
(:mod:`campaign.web.markers`), and a request reads every marker's token anyway
(:func:`campaign.domains.regions.versions.campaign_tokens`), so this costs no statement while the
token holds, and one read of each table when it moves. A purchase, a pledge or a target leaves it
alone: a page rendered cold after such a write finds the regions already grouped by province
instead of reading and grouping them again. Kept apart from the read cache (:mod:`campaign.web.readcache`),
which holds the figures and is emptied by a cold render's measurement; this is a few kilobytes per
process (514 regions for the whole country).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from campaign.core.errors import NotFound
from campaign.core.extensions import db
from campaign.domains.regions import versions
from campaign.domains.regions.models import Campaign, Region
from campaign.domains.regions.queries import CampaignInfo
from campaign.domains.roster.models import RosterEntry
from campaign.web import markers

_KEY = "leaderboard_reference"


@dataclass(frozen=True)
class RegionInfo:
    id: int
    code: str
    name: str
    kind: str
    capital: str

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"

    @property
    def province(self) -> str:
        return self.code.split(".")[0]


@dataclass(frozen=True)
class Reference:
    regions: tuple[RegionInfo, ...]  # the active ones, in code order
    by_code: dict[str, RegionInfo]
    by_province: dict[str, tuple[RegionInfo, ...]]  # province code -> its active regions, in code order
    campaigns: tuple[CampaignInfo, ...]  # newest first (start date, then id), as ``all_campaigns``
    by_id: dict[int, CampaignInfo]
    checked: frozenset[str]  # codes of the regions with an ASN roster (``roster.queries.checked_region_codes``)

    def regions_of(self, province: str) -> tuple[RegionInfo, ...]:
        return self.by_province.get(province, ())

    def region(self, code: str) -> RegionInfo:
        """The active region of that code; NotFound otherwise (as ``region_by_code``)."""
        found = self.by_code.get(code)
        if found is None:
            raise NotFound(f"Kabupaten/kota dengan kode {code} tidak ditemukan.")
        return found

    def campaign(self, campaign_id: int | None) -> CampaignInfo:
        """The campaign of that id (``campaign_tokens`` resolved None to the current one); NotFound
        for an unknown one or none at all."""
        found = self.by_id.get(campaign_id) if campaign_id is not None else None
        if found is None:
            raise NotFound("Kampanye tidak ditemukan.")
        return found


def reference() -> Reference:
    """The reference data as of the ``reference`` marker this request reads."""
    _campaign_id, tokens, _today = versions.campaign_tokens(None)
    token = tokens.get(markers.REFERENCE)
    kept = current_app.extensions.get(_KEY)
    if kept is not None and kept[0] == token:
        return kept[1]
    value = _read()
    current_app.extensions[_KEY] = (token, value)
    return value


def _read() -> Reference:
    regions = tuple(RegionInfo(*row) for row in db.session.execute(
        select(Region.id, Region.code, Region.name, Region.kind, Region.capital)
        .where(Region.active).order_by(Region.code)))
    by_province: dict[str, list[RegionInfo]] = {}
    for region in regions:
        by_province.setdefault(region.province, []).append(region)
    campaigns = tuple(CampaignInfo(*row) for row in db.session.execute(
        select(Campaign.id, Campaign.name, Campaign.appeal_letter_number, Campaign.appeal_letter_date,
               Campaign.starts_on, Campaign.ends_on).order_by(Campaign.starts_on.desc(), Campaign.id.desc())))
    has_roster = select(RosterEntry.id).where(RosterEntry.region_id == Region.id).exists()
    checked = frozenset(db.session.scalars(select(Region.code).where(has_roster)))
    return Reference(regions, {region.code: region for region in regions},
                     {code: tuple(members) for code, members in by_province.items()}, campaigns,
                     {campaign.id: campaign for campaign in campaigns}, checked)
