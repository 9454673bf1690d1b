"""What every leaderboard and progress page of one campaign is computed from, read in one statement.

The region and province tallies of both perspectives, the region targets and the institutional
tallies come in one ``UNION ALL`` (each tally dimension its own arm: an equality on the tally's
primary key prefix, which SQLite's planner serves from the index where an ``IN`` over the four
dimensions made it scan the whole table, per-ASN and per-shop rows included); the regions and the
campaign come from the per-process reference data (:mod:`campaign.domains.leaderboard.reference`).
The result is kept in the read cache under the campaign's version.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, bindparam, literal_column, select, union_all

from campaign.core.extensions import db
from campaign.domains.leaderboard.metrics import PERSPECTIVES
from campaign.domains.leaderboard.reference import Reference, RegionInfo, reference
from campaign.domains.needs.models import InstitutionalTally
from campaign.domains.regions import versions
from campaign.domains.regions.models import RegionTarget
from campaign.domains.regions.queries import CampaignInfo
from campaign.domains.tallies.buckets import PROVINCE_DIMENSIONS
from campaign.domains.tallies.models import Tally
from campaign.web import readcache

TARGET, INSTITUTIONAL = "target", "institutional"  # the arms that are not tally dimensions
DIMENSIONS = (*PERSPECTIVES, *PROVINCE_DIMENSIONS.values())
TALLY_ROW_BYTES = 800


@dataclass(frozen=True)
class Board:
    """Plain rows of one campaign's figures, beside the reference data they belong to."""

    campaign: CampaignInfo
    reference: Reference
    targets: dict[int, tuple[int, int]]  # region id -> (ASN headcount, target amount), active regions only
    institutional: dict[int, int]  # region id -> belanja lembaga (completed needs-board deals), 0 included
    tallies: dict[tuple[str, int], Any]  # (dimension, region id or province number) -> row of tally fields

    @property
    def regions(self) -> tuple[RegionInfo, ...]:
        return self.reference.regions

    def regions_of(self, province: str) -> tuple[RegionInfo, ...]:
        return self.reference.regions_of(province)

    def approximate_bytes(self) -> int:
        """For the read cache's bound (:func:`campaign.web.readcache.size_of`): the tally rows, as
        measured (their pickle times the cache's ratio); the reference data is shared, kept once."""
        return TALLY_ROW_BYTES * len(self.tallies) + 100 * (len(self.targets) + len(self.institutional))


def cached_board(campaign_id: int | None, version: readcache.Version) -> Board:
    """The board of campaign ``campaign_id`` (None: none is current, NotFound) at ``version``."""
    return readcache.remember(("board", campaign_id), version, lambda: read_board(campaign_id))


def read_board(campaign_id: int | None) -> Board:
    ref = reference()
    campaign = ref.campaign(campaign_id)
    tallies, targets, institutional = {}, {}, dict.fromkeys((region.id for region in ref.regions), 0)
    for row in db.session.execute(_board_statement(), {"campaign_id": campaign.id}).all():
        if row.dimension == TARGET:
            if row.key_id in institutional:  # an active region's
                targets[row.key_id] = (row.realized_count, row.realized_amount)
        elif row.dimension == INSTITUTIONAL:
            if row.key_id in institutional:
                institutional[row.key_id] = int(row.realized_amount)
        else:
            tallies[(row.dimension, row.key_id)] = row
    return Board(campaign, ref, targets, institutional, tallies)


@functools.cache
def _board_statement():
    """The one statement (built once per process: building it costs more than running it): a
    target's row carries (amount, headcount) and an institutional one (amount, deals) in the
    realized amount and count columns."""
    campaign_id = bindparam("campaign_id", type_=Integer)
    fields = (Tally.realized_amount, Tally.realized_count, Tally.verified_amount, Tally.participants,
              Tally.shops_supported, Tally.pledged_amount, Tally.pledgers, Tally.verified_buyers)
    zeros = [literal_column("0")] * (len(fields) - 2)
    arms = [select(Tally.dimension, Tally.key_id, *fields).where(Tally.campaign_id == campaign_id,
                                                                 Tally.dimension == literal_column(f"'{dimension}'"))
            for dimension in DIMENSIONS]
    arms.append(select(literal_column(f"'{TARGET}'"), RegionTarget.region_id, RegionTarget.target_amount,
                       RegionTarget.asn_headcount, *zeros).where(RegionTarget.campaign_id == campaign_id))
    arms.append(select(literal_column(f"'{INSTITUTIONAL}'"), InstitutionalTally.region_id, InstitutionalTally.amount,
                       InstitutionalTally.deals, *zeros).where(InstitutionalTally.campaign_id == campaign_id))
    return union_all(*arms)


def people_counts(campaign_id: int, perspective: str) -> dict[str, tuple[int, int]]:
    """(pledgers, verified buyers) per region code in ``perspective``, from the same cached read
    as the standings (:mod:`campaign.domains.leaderboard.privacy` withholds by them)."""
    board = cached_board(*versions.campaign_version(campaign_id))
    return {r.code: (t.pledgers, t.verified_buyers) for r in board.regions
            if (t := board.tallies.get((perspective, r.id))) is not None}
