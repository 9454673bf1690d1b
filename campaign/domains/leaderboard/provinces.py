"""The province level of the leaderboard, for a deployment serving several provinces: the served
provinces ranked with the same metrics and the same fairness as the regions, under the national
totals (every served province together).

A province's figures are its province tally's (:data:`campaign.domains.tallies.buckets.PROVINCE_DIMENSIONS`:
distinct people and shops counted once however many of its regions they touch); its pledges,
headcount and target are its regions' summed (each belongs to one region). The national totals
are those of the leaderboard of every served region. Like :func:`.queries.get_standings`, this
reads the maintained aggregates only, never purchases.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from campaign.domains.leaderboard import queries
from campaign.domains.leaderboard.board import cached_board
from campaign.domains.leaderboard.metrics import METRICS, PERSPECTIVES
from campaign.domains.regions import areas, versions
from campaign.domains.regions.provinces import configured_provinces
from campaign.domains.regions.queries import CampaignInfo
from campaign.domains.tallies.buckets import PROVINCE_DIMENSIONS
from campaign.web import readcache


@dataclass(frozen=True, kw_only=True)
class ProvinceRow(queries.Measures):
    rank: int | None  # None: not ranked publicly (its figure is withheld, campaign.domains.leaderboard.privacy)
    province_code: str
    province_name: str
    region_count: int

    # named like a region row's, so the charts (bars, tile map) draw a province as they draw a region
    @property
    def region_code(self) -> str:
        return self.province_code

    @property
    def region_name(self) -> str:
        return self.province_name

    @property
    def region_kind(self) -> str:
        return "Provinsi"


@dataclass(frozen=True)
class ProvinceStandings:
    campaign: CampaignInfo
    metric: str
    perspective: str
    rows: list[ProvinceRow]
    totals: queries.Figures  # national: every served province

    def approximate_bytes(self) -> int:
        """For the read cache's bound (:func:`campaign.web.readcache.size_of`)."""
        return queries.ROW_BYTES * (len(self.rows) + 4)


def several_provinces() -> bool:
    """Whether the province level exists (more than one province served)."""
    return len(configured_provinces()) > 1


def get_province_standings(*, campaign_id: int | None, metric: str, perspective: str) -> ProvinceStandings:
    """The served provinces ranked by ``metric`` in ``perspective`` (by the ASN's province or by
    the shop's), every one listed, zeros included; ties broken by the province code; rates from
    the province's headcount (the sum of its regions'). Raises as :func:`.queries.get_standings`."""
    queries.check_choice("metric", metric, METRICS)
    queries.check_choice("perspective", perspective, PERSPECTIVES)
    campaign_id, version = versions.campaign_version(campaign_id)
    return readcache.remember(("provinces", campaign_id, metric, perspective), version,
                              lambda: _rank(campaign_id, version, metric, perspective))


def _rank(campaign_id: int | None, version, metric: str, perspective: str) -> ProvinceStandings:
    board = cached_board(campaign_id, version)
    rows = [_row_fields(board, perspective, code) for code in configured_provinces()]
    rows.sort(key=lambda row: (row[metric] is None, -(row[metric] or 0), row["province_code"]))
    ranked = [ProvinceRow(rank=position, **row) for position, row in enumerate(rows, start=1)]
    return ProvinceStandings(board.campaign, metric, perspective, ranked, queries.national_totals(board, perspective))


def _row_fields(board, perspective: str, code: str) -> dict:
    figures = queries.province_figures(board, perspective, code)
    fields = {name: value for name, value in asdict(figures).items()
              if name not in ("target_progress", "rounded", "suppressed")}
    institutional = sum(board.institutional[region.id] for region in board.regions_of(code))
    return dict(fields, institutional=institutional, province_code=code, province_name=areas.provinces()[code],
                region_count=len(board.regions_of(code)))


def province_people(campaign_id: int, perspective: str) -> dict[str, tuple[int, int, int]]:
    """(participants, verified buyers, pledgers) per served province in ``perspective``, from the
    same cached read as the standings (:mod:`campaign.domains.leaderboard.privacy` withholds by them).
    Pledgers are summed over the province's regions (one pledge per ASN, in one region)."""
    board = cached_board(*versions.campaign_version(campaign_id))
    people = {}
    for code in configured_provinces():
        tally = board.tallies.get((PROVINCE_DIMENSIONS[perspective], int(code)))
        pledgers = sum(board.tallies[("asn_region", r.id)].pledgers for r in board.regions_of(code)
                       if ("asn_region", r.id) in board.tallies) if perspective == "asn_region" else 0
        people[code] = (tally.participants if tally else 0, tally.verified_buyers if tally else 0, pledgers)
    return people
