"""Nothing learnable by watching (issue 16, item 3): the attack of the issue, replayed.

A new ASN in a withheld region (Toraja Utara, 73.26: 3 people before, 4 after) logs a distinctive
amount at a new shop in Kota Palopo. Every public number (the API's leaderboards for every metric
and perspective, every region's progress with its weeks, the HTML leaderboard's ranks) is read
before and after. On the old rules 73.26, still withheld, jumped in rank and every total moved by
exactly the amount: the purchase was pinned to a group of 4. Now (campaign.domains.leaderboard.privacy):
- a withheld row has no rank, so no rank moves but those of rows whose own shown value moved;
- what a total moves beyond the shown rows' own moves (the withheld part) moves in whole steps;
- only figures that belong to at least MIN_PUBLIC_PARTICIPANTS people move by the amount.
"""
from __future__ import annotations

import pytest
from helpers import standings_rows

from campaign.core.extensions import db
from campaign.domains.leaderboard.queries import METRICS, PERSPECTIVES
from campaign.domains.regions.models import Region, RegionTarget
from campaign.domains.regions.services import get_campaign

AMOUNT = 9_876_543  # distinctive, under the Rp10.000.000 purchase limit
STEP = 10_000_000  # PUBLIC_TOTAL_STEP's default
MONEY = ("realized", "verified", "pledged")
TORAJA_UTARA, LUWU_UTARA, PALOPO, MAKASSAR = "73.26", "73.22", "73.73", "73.71"


@pytest.fixture
def province(app, make_asn, make_shop, make_purchase):
    """Palopo (6 buyers) and Makassar (7) shown; Toraja Utara (3) and Luwu Utara (3) withheld,
    together 6 people, so no shown region is withheld for their sake. Headcounts set, so the
    totals carry rates too."""
    for region, people, amount in ((PALOPO, 6, 100_000), (MAKASSAR, 7, 200_000), (TORAJA_UTARA, 3, 50_000),
                                   (LUWU_UTARA, 3, 60_000)):
        shop = make_shop(region=region)
        for _ in range(people):
            make_purchase(buyer=make_asn(region=region), shop_id=shop, amount=amount)
    with app.app_context():
        campaign = get_campaign(None)
        for region in db.session.query(Region).filter(Region.code.in_([PALOPO, MAKASSAR, TORAJA_UTARA])):
            db.session.add(RegionTarget(campaign_id=campaign.id, region_id=region.id, asn_headcount=1_000,
                                        target_amount=500_000_000))
        db.session.commit()


def _snapshot(client) -> dict:
    documents = {}
    for metric in METRICS:
        for perspective in PERSPECTIVES:
            documents[("leaderboard", metric, perspective)] = client.get(
                "/api/v1/leaderboard", query_string={"metric": metric, "perspective": perspective}).get_json()
    for code in _codes(documents):
        documents[("progress", code)] = client.get(f"/api/v1/regions/{code}/progress").get_json()
    for perspective in PERSPECTIVES:
        documents[("html", perspective)] = {row[1]: row[0] for row in standings_rows(client, perspective=perspective)}
    return documents


def _codes(documents) -> list[str]:
    board = documents[("leaderboard", "realized", "asn_region")]
    return [row["region"]["code"] for row in board["rows"]]


def _rows(document) -> dict[str, dict]:
    return {row["region"]["code"]: row for row in document["rows"]}


def _numbers(value, path=()) -> dict[tuple, float | None]:
    """Every number (and null) of a JSON document by path; rows by region code, weeks by date."""
    if isinstance(value, dict):
        found = {}
        for key, item in value.items():
            found.update(_numbers(item, (*path, key)))
        return found
    if isinstance(value, list):
        keyed = [(item.get("region", {}).get("code") or item.get("week_start") or i, item)
                 if isinstance(item, dict) else (i, item) for i, item in enumerate(value)]
        found = {}
        for key, item in keyed:
            found.update(_numbers(item, (*path, key)))
        return found
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return {path: value}
    return {}


@pytest.fixture
def watched(app, client, province, make_asn, make_shop, make_purchase):
    before = _snapshot(client)
    newcomer = make_asn(region=TORAJA_UTARA)
    make_purchase(buyer=newcomer, shop_id=make_shop(region=PALOPO), amount=AMOUNT)
    return before, _snapshot(client)


def test_the_buyers_region_stays_withheld_and_unranked(watched):
    before, after = watched
    for documents in (before, after):
        row = _rows(documents[("leaderboard", "realized", "asn_region")])[TORAJA_UTARA]
        assert row["realized"] is None and row["rank"] is None
        assert documents[("progress", TORAJA_UTARA)]["rank"] is None
        assert documents[("html", "asn_region")]["Kabupaten Toraja Utara"] == "–"


def _order(row: dict, metric: str) -> tuple:
    value = row[metric]
    return (value is None, -(value or 0), row["region"]["code"])


def test_ranks_come_from_the_shown_values_alone(watched):
    """Withheld rows have no rank; the ranked ones are in the order of their shown values. So a
    rank moves only when shown values move, and the buyer's perspective does not move at all."""
    before, after = watched
    for documents in (before, after):
        for key, document in documents.items():
            if key[0] != "leaderboard":
                continue
            rows = document["rows"]
            withheld = [row for row in rows if key[1] in row["suppressed_fields"]]
            ranked = [row for row in rows if key[1] not in row["suppressed_fields"]]
            assert all(row["rank"] is None for row in withheld) and rows[len(ranked):] == withheld
            assert [row["rank"] for row in ranked] == list(range(1, len(ranked) + 1))
            assert ranked == sorted(ranked, key=lambda row: _order(row, key[1])), key
    for key in before:
        if key[0] == "leaderboard" and key[2] == "asn_region":
            assert [r["rank"] for r in before[key]["rows"]] == [r["rank"] for r in after[key]["rows"]], key
    assert before[("html", "asn_region")] == after[("html", "asn_region")]


def test_the_withheld_part_of_every_total_moves_in_whole_steps(watched):
    before, after = watched
    for key in before:
        if key[0] != "leaderboard":
            continue
        old, new = before[key], after[key]
        for field in MONEY:
            if old["totals"][field] is None:
                continue
            shown_moves = sum((_rows(new)[code][field] or 0) - (_rows(old)[code][field] or 0)
                              for code in _rows(old) if None not in (_rows(old)[code][field], _rows(new)[code][field]))
            unexplained = new["totals"][field] - old["totals"][field] - shown_moves
            assert unexplained % STEP == 0, (key, field, unexplained)
        totals = new["totals"]
        if totals["asn_headcount"]:  # rates come from the stepped figures, not the exact ones
            assert totals["spend_per_asn"] == totals["realized"] / totals["asn_headcount"]


def test_only_figures_of_at_least_five_people_move_by_the_amount(watched):
    before, after = watched
    moved_by_the_amount = []
    for key in before:
        if key[0] == "html":
            continue
        old, new = _numbers(before[key]), _numbers(after[key])
        for path, value in new.items():
            if isinstance(value, int) and isinstance(old.get(path), int) and value - old[path] == AMOUNT:
                moved_by_the_amount.append((key, path))
    assert moved_by_the_amount  # the purchase is public where it belongs to enough people...
    for key, path in moved_by_the_amount:  # ...and only there: Palopo's shops, 7 buyers
        if key[0] == "leaderboard":  # (a total moves with that shown row, in that perspective)
            assert key[2] == "shop_region" and path[0] in ("rows", "totals"), (key, path)
            assert path[0] == "totals" or path[1] == PALOPO, (key, path)
            assert _rows(after[key])[PALOPO]["participants"] >= 5
        else:
            assert key == ("progress", PALOPO) and path[0] in ("shop_region", "weeks"), (key, path)
            assert path[0] == "shop_region" or path[1] == "shop_region"
            assert after[key]["shop_region"]["participants"] >= 5
