"""Verified means a real NIP (issue 16, item 2): a purchase counts as verified only when the shop
confirmed it and the buyer's NIP is on an active roster entry. Roster changes (add, retire, import)
move the verified spend of that NIP's purchases in their own transaction; check-tallies proves
it from the roster itself. (The ring of issue 16's table row 2, which leaves Palopo's verified spend
alone, is replayed in tests/test_trust_attack_replay.py and, live, in tests/test_trust_live_replays.py.)"""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from campaign.core.extensions import db
from campaign.domains.auth.models import AsnProfile, User
from campaign.domains.purchases import services
from campaign.domains.regions.services import current_campaign, region_by_code
from campaign.domains.roster.models import RosterEntry
from campaign.domains.roster.services import add_entry, import_roster, retire_entry
from campaign.domains.tallies.models import Tally
from campaign.domains.tallies.reconcile import find_differences, rebuild


def spend(app, dimension: str, code: str) -> tuple[int, int]:
    """(realized, verified) of a region in one perspective, as the tallies hold them."""
    with app.app_context():
        tally = db.session.scalar(select(Tally).where(
            Tally.campaign_id == current_campaign().id, Tally.dimension == dimension,
            Tally.key_id == region_by_code(code).id))
        return (tally.realized_amount, tally.verified_amount) if tally else (0, 0)


@pytest.fixture
def bought(make_owner, make_shop, make_purchase):
    """``bought(buyer, amount)``: a purchase at one Palopo shop, confirmed by its owner; its id."""
    owner = make_owner()
    shop = make_shop(owner=owner, region="73.73")
    return lambda buyer, amount: make_purchase(buyer=buyer, shop_id=shop, amount=amount, confirmed_by=owner)


def test_only_a_buyer_on_an_active_roster_entry_buys_verified_spend(app, make_asn, bought, tallies_agree):
    listed = make_asn(region="73.73")
    unlisted = make_asn(region="73.17", on_roster=False)  # Bone: no roster
    bought(listed, 100_000)
    bought(unlisted, 30_000)
    assert spend(app, "shop_region", "73.73") == (130_000, 100_000)
    assert spend(app, "asn_region", "73.17") == (30_000, 0)
    tallies_agree()


def test_retiring_and_adding_a_roster_entry_move_that_nips_verified_spend(app, make_asn, make_staff, bought,
                                                                            tallies_agree):
    coordinator = make_staff(role="coordinator", region="73.73")
    buyer = make_asn(region="73.73")
    bought(buyer, 200_000)
    bought(buyer, 50_000)
    with app.app_context():
        entry_id = db.session.scalar(select(RosterEntry.id).where(RosterEntry.nip == buyer.nip))
        retire_entry(actor=db.session.get(User, coordinator.id), entry_id=entry_id)
    assert spend(app, "asn_region", "73.73") == (250_000, 0)
    tallies_agree()
    with app.app_context():
        add_entry(actor=db.session.get(User, coordinator.id), region_code="73.73", nip=buyer.nip,
                  name="Kembali Lagi", agency_name="Dinas Pendidikan")
    assert spend(app, "asn_region", "73.73") == (250_000, 250_000)
    tallies_agree()


def test_a_roster_import_moves_the_verified_spend_of_those_it_lists(app, make_asn, make_staff, bought,
                                                                      tallies_agree):
    admin = make_staff(role="admin")
    early = [make_asn(region="73.17", on_roster=False) for _ in range(3)]  # signed up before Bone had a roster
    for n, buyer in enumerate(early):
        bought(buyer, 10_000 * (n + 1))
    assert spend(app, "asn_region", "73.17") == (60_000, 0)
    csv = "NIP,Nama,Instansi/OPD,Kabupaten/Kota\n" + "".join(
        f"{buyer.nip},{buyer.name},Dinas Sosial,73.17\n" for buyer in early[:2])
    with app.app_context():
        report = import_roster(actor=db.session.get(User, admin.id), content=csv.encode(), filename="bone.csv",
                               region_code="73.17")
    assert report.added == 2
    assert spend(app, "asn_region", "73.17") == (60_000, 30_000)  # the third is not on it
    tallies_agree()


def test_a_purchase_logged_while_off_the_roster_becomes_verified_when_the_nip_comes_on(
        app, make_asn, make_staff, bought, tallies_agree):
    coordinator = make_staff(role="coordinator", region="73.73")
    make_asn(region="73.73")  # Palopo has a roster
    newcomer = make_asn(region="73.17", on_roster=False)
    bought(newcomer, 75_000)
    with app.app_context():
        entry = RosterEntry(nip="199912312020121999", name="Orang Lain", agency_name="Dinas Sosial",
                            region_id=region_by_code("73.73").id)
        db.session.add(entry)
        db.session.commit()
        retire_entry(actor=db.session.get(User, coordinator.id), entry_id=entry.id)  # someone else: nothing moves
    assert spend(app, "asn_region", "73.17") == (75_000, 0)
    with app.app_context():
        add_entry(actor=db.session.get(User, coordinator.id), region_code="73.73", nip=newcomer.nip,
                  name="Pendatang", agency_name="Dinas Sosial")
    assert spend(app, "asn_region", "73.17") == (75_000, 75_000)
    tallies_agree()


def test_check_tallies_reads_the_roster_itself_and_rebuild_repairs_the_copies(app, make_asn, bought):
    buyer = make_asn(region="73.73")
    bought(buyer, 40_000)
    with app.app_context():  # the roster changed behind the services' back
        db.session.execute(update(RosterEntry).where(RosterEntry.nip == buyer.nip).values(active=False))
        db.session.commit()
        problems = find_differences()
        assert any("buyer_on_roster" in p for p in problems) and any("verified" in p for p in problems)
        rebuild()
        assert find_differences() == []
        assert db.session.scalar(select(AsnProfile.on_roster).where(AsnProfile.user_id == buyer.id)) is False
    assert spend(app, "asn_region", "73.73") == (40_000, 0)


def test_pages_exports_and_the_api_mark_verified_spend_not_roster_checked(app, client, make_asn, bought, login_as,
                                                                           make_staff):
    bought(make_asn(region="73.73"), 100_000)
    rows = {row["region"]["code"]: row for row in client.get("/api/v1/leaderboard").get_json()["rows"]}
    assert rows["73.73"]["roster_checked"] is True and rows["73.17"]["roster_checked"] is False
    assert client.get("/api/v1/regions/73.17/progress").get_json()["roster_checked"] is False
    assert "Belanja terverifikasi (belum dicek dengan daftar ASN)" in client.get("/wilayah/73.17").get_data(as_text=True)
    assert "Belanja terverifikasi (belum dicek" not in client.get("/wilayah/73.73").get_data(as_text=True)
    page = client.get("/peringkat?metric=verified&perspective=asn_region").get_data(as_text=True)
    marked = [line for line in page.split("<tr>") if "(belum dicek dengan daftar ASN)" in line]
    assert len(marked) == 23 and not any("Palopo" in line for line in marked)
    from io import BytesIO

    from openpyxl import load_workbook

    admin = login_as(make_staff(role="admin"))
    sheet = load_workbook(BytesIO(admin.get("/peringkat/unduh.xlsx").data))["Wilayah ASN"]
    marks = {row[1]: row[-1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert marks["73.73"] == "ada" and marks["73.17"] == "belum dicek dengan daftar ASN"


def test_roster_changes_racing_purchases_and_confirmations_keep_exact_tallies(
        app, make_asn, make_owner, make_shop, make_staff, no_logging_limits, tallies_agree):
    """Buyers log and their shop confirms in batches while a coordinator retires and re-adds the
    same buyers' roster entries: no deadlock on PostgreSQL, and every figure exact afterwards."""
    from concurrent.futures import ThreadPoolExecutor

    coordinator = make_staff(role="coordinator", region="73.73")
    owner = make_owner()
    shop = make_shop(owner=owner, region="73.73")
    buyers = [make_asn(region="73.73") for _ in range(6)]

    def buy_and_confirm(buyer) -> int:
        with app.app_context():
            ids = [services.log_purchase(buyer=db.session.get(User, buyer.id), shop_id=shop,
                                         amount=10_000 * (n + 1), client_ref=f"balap-{buyer.id}-{n}").id
                   for n in range(4)]
            return services.confirm_purchases(actor=db.session.get(User, owner.id), purchase_ids=ids)

    def flip(buyer) -> None:
        with app.app_context():
            for _ in range(3):
                entry_id = db.session.scalar(select(RosterEntry.id).where(RosterEntry.nip == buyer.nip))
                retire_entry(actor=db.session.get(User, coordinator.id), entry_id=entry_id)
                add_entry(actor=db.session.get(User, coordinator.id), region_code="73.73", nip=buyer.nip,
                          name=buyer.name, agency_name="Dinas Koperasi dan UKM")

    with ThreadPoolExecutor(max_workers=8) as pool:
        confirmed = [pool.submit(buy_and_confirm, buyer) for buyer in buyers]
        flipped = [pool.submit(flip, buyer) for buyer in buyers[::2]]
        assert sum(future.result() for future in confirmed) == 24
        for future in flipped:
            future.result()
    assert spend(app, "shop_region", "73.73") == (6 * 100_000, 6 * 100_000)
    tallies_agree()
