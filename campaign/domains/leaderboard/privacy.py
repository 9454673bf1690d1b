"""Small numbers stay private: a public figure that belongs to fewer than
``MIN_PUBLIC_PARTICIPANTS`` people (default 5) is withheld.

A presentation step over the leaderboard's query results, applied for each viewer after the
figures are computed (and cached): it never changes how they are computed, nor the ranks, which
stay those of the real values. Withheld values become None and their names go into the row's
``suppressed`` set; HTML shows "< 5 peserta", JSON ``null`` with ``"suppressed": true``.

Who a figure belongs to:
- a region's row or totals (either perspective): its participants, the ASN with at least one
  realized purchase there. Realized and verified spend, participants, purchases, shops
  supported, participation rate, spend per ASN and target progress go with them;
- verified spend also belongs to the verified buyers alone, the ASN with at least one confirmed
  purchase there: a region shown publicly may still have verified spend of 1..4 people;
- the pledged amount: the pledgers; pledge realization goes with both groups;
- headcount and target are set by the coordinator and belong to nobody: always shown;
- zero belongs to nobody and is shown.

Differencing: the province total is public, so the withheld regions must together hold at least
``MIN`` people; otherwise the smallest shown regions are withheld as well (secondary
suppression), and if that cannot reach ``MIN`` the total is withheld. Each group (participants,
verified buyers, pledgers) is withheld on its own this way.

The weekly series follows the same rule by the people of each week (``TallyWeek`` keeps them):
a week of 1..MIN-1 buyers loses its realized spend, purchases and verified spend, a week of
1..MIN-1 verified buyers its verified spend, whatever the number of purchases. Weeks share
people (one ASN buys in many weeks), so withheld weeks together are only known to hold as many
people as the largest of them: the complementary rule against the region's shown total withholds
the smallest shown week as well (it holds ``MIN`` or more). A figure withheld for the region
withholds it in every week.

Watching (issue 16): comparing the public figures before and after one purchase must not pin it
to fewer than ``MIN`` people. So, as published (HTML and API alike):
- a row whose ranking figure is withheld is not ranked (``rank`` None) and is listed after the
  ranked rows, by region code; the ranked rows are numbered 1..n among themselves. A withheld
  region can then never move in the ranking, so its purchases cannot be read off ranks;
- where a total includes withheld rows, its money figures (realized, verified, pledged, and the
  rates computed from them) publish the withheld rows' part in steps of ``PUBLIC_TOTAL_STEP``
  rupiah, rounded down (the shown rows' part stays exact, so the step does not hide them). A
  step at least as large as the largest purchase means one purchase in a withheld region moves a
  total by nothing or by one whole step, never by its amount. ``rounded`` names such figures.
A region's progress page shows the same rank as the leaderboard (None when not ranked).

National admins see every real figure; a province admin sees their province's (its row and its
regions), a region's coordinator their own region's, and the rule above then treats those as
known to the viewer (they cannot hide anyone).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from flask import current_app

from campaign.domains.leaderboard import board, provinces, queries
from campaign.domains.leaderboard.details import WeekPoint
from campaign.domains.leaderboard.reference import reference

PEOPLE_FIELDS = frozenset({"realized", "verified", "participants", "purchases", "shops_supported",
                           "participation_rate", "spend_per_asn", "target_progress", "pledge_realization"})
VERIFIED_FIELDS = frozenset({"verified"})
PLEDGE_FIELDS = frozenset({"pledged", "pledge_realization"})
WEEK_FIELDS = frozenset({"realized", "verified", "purchases"})  # a week's buyers
WEEK_VERIFIED_FIELDS = frozenset({"verified"})  # a week's verified buyers
MONEY_FIELDS = ("realized", "verified", "pledged")  # totals published in steps (see the module's rules)


def minimum() -> int:
    return int(current_app.config["MIN_PUBLIC_PARTICIPANTS"])


@dataclass(frozen=True)
class Withheld:
    """Per region code, the withheld field names; and those of the province totals."""

    rows: dict[str, frozenset[str]]
    totals: frozenset[str]


def withheld_groups(sizes: Sequence[int], *, least: int, known: Iterable[int] = (),
                    overlapping: bool = False) -> tuple[set[int], bool]:
    """Which groups (by index) to withhold, and whether their total must be withheld too.

    Primary: groups of 1..least-1 people. Secondary: while the withheld groups hold fewer than
    ``least`` people together, the smallest shown non-empty group joins them (so the total minus
    the shown groups reveals no small group). ``known`` groups are visible to this viewer: never
    withheld, never counted as hiding anyone. ``overlapping``: one person may be in several
    groups (weeks), so withheld groups together hold at least as many people as the largest.
    """
    known = set(known)
    together = max if overlapping else sum
    hidden = {i for i, size in enumerate(sizes) if 0 < size < least and i not in known}
    spare = sorted((size, i) for i, size in enumerate(sizes) if size > 0 and i not in hidden | known)
    while hidden and together(sizes[i] for i in hidden) < least and spare:
        hidden.add(spare.pop(0)[1])
    total = sum(sizes)
    total_hidden = 0 < total < least or (bool(hidden) and together(sizes[i] for i in hidden) < least)
    return hidden, total_hidden


def sees_real_figures(viewer, region_id: int) -> bool:
    return viewer is not None and viewer.is_authenticated and viewer.coordinates(region_id)


def knows_nobody(viewer) -> bool:
    """Whether ``viewer`` sees no region's or province's real figures (anonymous, an ASN, a shop
    owner): the rules then withhold for them exactly what they withhold for an anonymous visitor."""
    return (viewer is None or not viewer.is_authenticated
            or (not viewer.is_admin and viewer.coordinator_region_id is None))


def _known_codes(viewer) -> set[str]:
    """The region codes whose real figures ``viewer`` sees: a coordinator's region, a province
    admin's province's regions."""
    if knows_nobody(viewer):
        return set()
    if viewer.is_admin:
        return {region.code for region in reference().regions if viewer.covers(region.code)}
    return {viewer.coordinator_region.code} if viewer.coordinator_region is not None else set()


def withheld(standings: queries.Standings, *, viewer, least: int) -> Withheld:
    """The fields to withhold from ``standings`` for ``viewer`` (see the module's rules). Regions
    are withheld within their province (whose total is public); with several provinces served,
    the province level's withholding (:func:`province_withheld`) applies to its regions too."""
    return withheld_regions(standings.campaign.id, standings.perspective,
                            [(row.region_code, row.participants) for row in standings.rows],
                            province=standings.province, viewer=viewer, least=least)


def withheld_regions(campaign_id: int, perspective: str, rows: list[tuple[str, int]], *, province: str | None,
                     viewer, least: int) -> Withheld:
    """:func:`withheld` for the rows (region code, participants) of a leaderboard of ``province``
    (None: of every served region), in the leaderboard's order: secondary suppression takes the
    smallest shown region first, and among equal ones the first in that order."""
    known_codes = _known_codes(viewer)
    fields: dict[str, set[str]] = {code: set() for code, _participants in rows}
    totals: set[str] = set()
    people = board.people_counts(campaign_id, perspective)
    for group in _by_province(rows).values():
        known = [i for i, (code, _participants) in enumerate(group) if code in known_codes]
        groups = [(PEOPLE_FIELDS, [participants for _code, participants in group]),
                  (VERIFIED_FIELDS, [people.get(code, (0, 0))[1] for code, _participants in group])]
        if perspective == "asn_region":
            groups.append((PLEDGE_FIELDS, [people.get(code, (0, 0))[0] for code, _participants in group]))
        for names, sizes in groups:
            hidden, total_hidden = withheld_groups(sizes, least=least, known=known)
            for i in hidden:
                fields[group[i][0]] |= names
            if total_hidden:
                totals |= names
    if provinces.several_provinces():
        level = province_withheld(campaign_id, perspective, viewer=viewer, least=least)
        for code, participants in rows:  # a withheld province's regions too (zero belongs to nobody: shown)
            if participants or any(people.get(code, (0, 0))):
                fields[code] |= level.rows[_province_of(code)]
        totals |= level.rows[province] if province else level.totals
    return Withheld({code: frozenset(names) for code, names in fields.items()}, frozenset(totals))


def _province_of(region_code: str) -> str:
    return region_code.split(".")[0]


def _by_province(rows: list[tuple[str, int]]) -> dict[str, list[tuple[str, int]]]:
    groups: dict[str, list[tuple[str, int]]] = {}
    for row in rows:
        groups.setdefault(_province_of(row[0]), []).append(row)
    return groups


def province_withheld(campaign_id: int, perspective: str, *, viewer, least: int) -> Withheld:
    """Per served province code, the fields withheld from its row (and from its own leaderboard's
    totals); and those of the national totals: the regions' rule one level up, by each
    province's distinct participants, verified buyers and pledgers."""
    people = provinces.province_people(campaign_id, perspective)
    codes = list(people)
    known = [i for i, code in enumerate(codes) if viewer is not None and viewer.is_authenticated
             and viewer.is_admin and viewer.admin_province == code]
    groups = [(PEOPLE_FIELDS, [people[code][0] for code in codes]),
              (VERIFIED_FIELDS, [people[code][1] for code in codes])]
    if perspective == "asn_region":
        groups.append((PLEDGE_FIELDS, [people[code][2] for code in codes]))
    fields: dict[str, set[str]] = {code: set() for code in codes}
    totals: set[str] = set()
    for names, sizes in groups:
        hidden, total_hidden = withheld_groups(sizes, least=least, known=known)
        for i in hidden:
            fields[codes[i]] |= names
        if total_hidden:
            totals |= names
    return Withheld({code: frozenset(names) for code, names in fields.items()}, frozenset(totals))


def blank(item, names: frozenset[str]):
    present = {name for name in names if hasattr(item, name)}
    if not present:
        return item
    return replace(item, suppressed=frozenset(present), **dict.fromkeys(present))


def public_standings(standings: queries.Standings, *, viewer) -> queries.Standings:
    """``standings`` as ``viewer`` may see them (admins: unchanged): small figures withheld,
    withheld rows unranked and last, totals stepped (the module's rules)."""
    if viewer is not None and viewer.is_authenticated and viewer.is_national_admin:
        return standings
    hidden = withheld(standings, viewer=viewer, least=minimum())
    rows = [blank(row, hidden.rows[row.region_code]) for row in standings.rows]
    totals = _stepped(standings.totals, [(row, hidden.rows[row.region_code]) for row in standings.rows],
                      hidden.totals, step=int(current_app.config["PUBLIC_TOTAL_STEP"]))
    return replace(standings, rows=_unranked_last(rows, standings.metric, "region_code"),
                   totals=blank(totals, hidden.totals))


def public_province_standings(standings: provinces.ProvinceStandings, *, viewer) -> provinces.ProvinceStandings:
    """The province level as ``viewer`` may see it, by the same rules as the regions': a province
    of too few people withheld (and the smallest shown ones while the withheld hold too few),
    withheld provinces unranked and last, the national totals' withheld part in steps."""
    if viewer is not None and viewer.is_authenticated and viewer.is_national_admin:
        return standings
    hidden = province_withheld(standings.campaign.id, standings.perspective, viewer=viewer, least=minimum())
    rows = [blank(row, hidden.rows[row.province_code]) for row in standings.rows]
    totals = _stepped(standings.totals, [(row, hidden.rows[row.province_code]) for row in standings.rows],
                      hidden.totals, step=int(current_app.config["PUBLIC_TOTAL_STEP"]))
    return replace(standings, rows=_unranked_last(rows, standings.metric, "province_code"),
                   totals=blank(totals, hidden.totals))


def _unranked_last(rows: list, metric: str, code: str) -> list:
    ranked = [row for row in rows if metric not in row.suppressed]
    unranked = sorted((row for row in rows if metric in row.suppressed), key=lambda row: getattr(row, code))
    # rows keep their rank where it stands (nearly all of them when few are withheld): no copy
    return ([row if row.rank == position else replace(row, rank=position) for position, row in enumerate(ranked, 1)]
            + [row if row.rank is None else replace(row, rank=None) for row in unranked])


def _stepped(totals: queries.Figures, rows: list[tuple], hidden_totals: frozenset[str], *,
             step: int) -> queries.Figures:
    """``totals`` with the withheld rows' part of each money figure rounded down to ``step``
    (``rows``: each row with its withheld field names)."""
    changes = {}
    for name in MONEY_FIELDS:
        value = getattr(totals, name)
        part_of = [row for row, names in rows if name in names]
        if value is None or name in hidden_totals or not part_of:
            continue
        part = sum(getattr(row, name) or 0 for row in part_of)
        changes[name] = value - part + part // step * step
    if not changes:
        return totals
    realized, pledged = changes.get("realized", totals.realized), changes.get("pledged", totals.pledged)
    rates = {}  # computed from the stepped figures, or they would give the exact ones away
    if "realized" in changes or "pledged" in changes:
        rates["pledge_realization"] = queries.ratio(realized, pledged)
    if "realized" in changes:
        rates.update(spend_per_asn=queries.ratio(realized, totals.asn_headcount),
                     target_progress=queries.ratio(realized, totals.target_amount))
    rounded = set(changes) | {name for name, rate in rates.items() if rate is not None}
    return replace(totals, **changes, **rates, rounded=frozenset(rounded))


def public_weeks(points: list[WeekPoint], *, least: int, region_withheld: frozenset[str] = frozenset()
                 ) -> list[WeekPoint]:
    """The weekly series with the figures of small weeks withheld (by the week's buyers and
    verified buyers, see above); a figure in ``region_withheld`` is withheld in every week.
    A week with any figure withheld has ``suppressed`` True and those figures None."""
    names: list[set[str]] = [set() for _point in points]
    for fields, people, region_hidden in (
            (WEEK_FIELDS, [point.participants for point in points], "realized" in region_withheld),
            (WEEK_VERIFIED_FIELDS, [point.verified_buyers for point in points], "verified" in region_withheld)):
        if region_hidden:
            hidden = {i for i, size in enumerate(people) if size}
        else:
            hidden, _ = withheld_groups(people, least=least, overlapping=True)
        for i in hidden:
            names[i] |= fields
    return [replace(point, suppressed=True, **dict.fromkeys(hidden)) if hidden else point
            for point, hidden in zip(points, names)]
