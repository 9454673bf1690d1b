"""A region's progress page (/wilayah/<code>): the public aggregates, the coordinator's detail, who
may see and change what, the target form (with CSRF) and the weekly series."""
from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta

import pytest
from helpers import BONE, MAKASSAR, PALOPO, csrf_token, province_today, stats, table_rows
from sqlalchemy import select

from campaign.core.audit import AuditEvent
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.regions.models import Campaign, RegionTarget
from campaign.domains.tallies.buckets import week_start


@pytest.fixture
def app_config():
    """These tests check the figures themselves; withholding small numbers is tested in test_privacy.py."""
    return {"MIN_PUBLIC_PARTICIPANTS": 1}


@pytest.mark.parametrize("url, message", [
    ("/wilayah/99.99", "99.99 tidak ditemukan"),
    ("/wilayah/73.73?campaign=99999", "Kampanye tidak ditemukan"),
])
def test_unknown_region_or_campaign_is_404(client, url, message):
    response = client.get(url)
    assert response.status_code == 404
    assert message in response.get_data(as_text=True)


def test_public_page_shows_aggregates_only(client, scenario, tallies_agree):
    page = client.get("/wilayah/73.73").get_data(as_text=True)
    assert "Capaian Kota Palopo" in page
    assert "Peringkat <strong>2</strong> dari 24" in page
    assert stats(page, "ringkasan-asn") == {
        "Belanja terealisasi": "Rp170.000", "Belanja terverifikasi": "Rp100.000", "Janji belanja": "Rp300.000",
        "ASN berpartisipasi": "2", "Jumlah transaksi": "3", "Toko didukung": "2", "Jumlah ASN": "10",
        "Target belanja": "Rp1.000.000", "Tingkat partisipasi": "20,0%", "Realisasi janji": "56,7%",
        "Belanja per ASN": "Rp17.000", "Capaian target": "17,0%",
    }
    assert stats(page, "ringkasan-toko") == {
        "Belanja terealisasi": "Rp120.000", "Belanja terverifikasi": "Rp100.000", "ASN pembeli": "2",
        "Jumlah transaksi": "2", "Toko didukung": "1",
    }
    for private in ("Andi Palopo", "Besse Palopo", "Warung Dibantah", "Kios Sepi", 'id="koordinator"',
                    "Unduh Excel", "asn_headcount"):
        assert private not in page
    tallies_agree()


def test_region_without_headcount_shows_dashes(client, scenario):
    page = client.get(f"/wilayah/{BONE}").get_data(as_text=True)
    figures = stats(page, "ringkasan-asn")
    assert figures["Belanja terealisasi"] == "Rp150.000" and figures["Janji belanja"] == "Rp0"
    assert [figures[k] for k in ("Jumlah ASN", "Target belanja", "Tingkat partisipasi", "Realisasi janji",
                                 "Belanja per ASN", "Capaian target")] == ["-"] * 6
    assert "Peringkat <strong>3</strong> dari 24" in page  # ties Parepare at Rp150.000; 73.08 < 73.72


@pytest.mark.parametrize("who", ["coord_palopo", "admin"])
def test_coordinator_and_admin_see_the_detail(app, scenario, who, login_as):
    client = login_as(scenario["people"][who])
    page = client.get("/wilayah/73.73").get_data(as_text=True)
    assert 'id="koordinator"' in page and "/wilayah/73.73/unduh.xlsx" in page
    assert "Toko menunggu verifikasi: <strong>1</strong>" in page
    assert "Belanja dibantah toko: <strong>1</strong>" in page
    for section in ("instansi", "toko", "bantahan", "target", "unduh"):
        assert f'href="/wilayah/73.73/{section}?campaign={scenario["campaign_id"]}"' in page
    for section in ("tanda", "batal-massal"):  # the trust pages are sections of the region too
        assert f'href="/koordinator/wilayah/73.73/{section}?campaign={scenario["campaign_id"]}"' in page
    agencies = client.get("/wilayah/73.73/instansi").get_data(as_text=True)
    assert table_rows(agencies, "per-instansi") == [
        ["Dinas Koperasi dan UKM", "Rp150.000", "Rp100.000", "Rp200.000", "1", "1", "2"],
        ["Dinas Pendidikan", "Rp20.000", "Rp0", "Rp100.000", "1", "1", "1"],
    ]
    shops = client.get("/wilayah/73.73/toko").get_data(as_text=True)
    assert table_rows(shops, "toko-teratas") == [
        ["1", "Warung Ibu Sitti", "Warung kelontong/sembako", "Rp120.000", "Rp100.000", "2", "2"]]
    assert "Toko belum ada pembeli (2)" in shops
    assert shops.index("Kios Sepi") < shops.index("Warung Dibantah")  # by name
    assert "Toko menunggu verifikasi: <strong>1</strong>" in shops
    disputed = client.get("/wilayah/73.73/bantahan").get_data(as_text=True).split("Belanja dibantah toko", 1)[1]
    assert "Rp30.000" in disputed and "Besse Palopo" in disputed and "Dinas Pendidikan" in disputed
    assert "Tidak ada transaksi ini" in disputed
    for html in (page, agencies, shops, disputed):
        assert scenario["people"]["palopo2"].nip not in html and "198609" not in html  # no NIP, not even masked
    purchase_id = scenario["purchases"]["p2_disputed"]
    assert f'href="/belanja/{purchase_id}/batal?next=/wilayah/73.73/bantahan' in disputed  # asks first
    confirm = client.get(f"/belanja/{purchase_id}/batal?next=/wilayah/73.73/bantahan").get_data(as_text=True)
    assert "Batalkan belanja ini?" in confirm and "Besse Palopo" in confirm
    assert f'action="/belanja/{purchase_id}/batal"' in confirm and 'class="button danger"' in confirm
    assert re.search(r'<textarea id="reason"[^>]* name="reason"', confirm)
    assert re.search(r'name="next" type="hidden" value="/wilayah/73.73/bantahan"', confirm)
    # the target form, filled in with the current values
    target = client.get("/wilayah/73.73/target").get_data(as_text=True)
    assert re.search(r'id="asn_headcount" inputmode="numeric" name="asn_headcount" required type="text" value="10"',
                     target)
    assert 'value="1.000.000"' in target


@pytest.mark.parametrize("section", ["instansi", "toko", "bantahan", "target", "unduh", "unduh.xlsx"])
def test_sections_are_for_the_regions_coordinator_only(app, scenario, login_as, section):
    assert login_as(scenario["people"]["coord_palopo"]).get(f"/wilayah/73.73/{section}").status_code == 200
    assert login_as(scenario["people"]["coord_makassar"]).get(f"/wilayah/73.73/{section}").status_code == 403
    assert login_as(scenario["people"]["palopo1"]).get(f"/wilayah/73.73/{section}").status_code == 403
    assert login_as(None).get(f"/wilayah/73.73/{section}").status_code == 302


def test_a_bad_target_shows_its_errors_on_the_target_page(app, scenario, login_as):
    client = login_as(scenario["people"]["coord_palopo"])
    response = client.post("/wilayah/73.73/target", data={
        "campaign_id": scenario["campaign_id"], "asn_headcount": "-5", "target_amount": "1.000.000"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1>Jumlah ASN dan target</h1>" in page
    assert 'aria-invalid="true"' in page and "Tulis bilangan bulat tanpa tanda minus" in page
    assert "Per instansi/OPD" not in page.split("</nav>", 2)[-1]  # only this section below the menu


def test_other_region_coordinator_sees_only_the_public_page(app, scenario, login_as):
    client = login_as(scenario["people"]["coord_makassar"])
    page = client.get("/wilayah/73.73").get_data(as_text=True)
    assert "Rp170.000" in page
    assert 'id="koordinator"' not in page and "Besse Palopo" not in page and "Kios Sepi" not in page
    assert 'id="koordinator"' in client.get(f"/wilayah/{MAKASSAR}").get_data(as_text=True)


@pytest.mark.parametrize("who, status", [(None, 302), ("palopo1", 403), ("coord_makassar", 403)])
def test_export_and_target_refused_to_others(app, scenario, fetch, who, status, login_as):
    client = login_as(scenario["people"][who] if who else None)
    assert client.get("/wilayah/73.73/unduh.xlsx").status_code == status
    response = client.post("/wilayah/73.73/target", data={
        "campaign_id": scenario["campaign_id"], "asn_headcount": "999", "target_amount": "1"})
    assert response.status_code == status
    target = fetch(select(RegionTarget).where(RegionTarget.region_id == scenario["regions"][PALOPO]))[0]
    assert (target.asn_headcount, target.target_amount) == (10, 1_000_000)


def test_coordinator_sets_headcount_and_target_with_csrf(csrf_app, make_staff, fetch):
    coordinator = make_staff(region=PALOPO)
    client = csrf_app.test_client()
    client.post("/masuk", data={"login": coordinator.login, "password": coordinator.password,
                                "csrf_token": csrf_token(client, "/masuk")})
    campaign_id = fetch(select(Campaign))[0].id
    data = {"campaign_id": campaign_id, "asn_headcount": "2.500",
            "target_amount": "Rp2.500.000.000"}
    assert client.post("/wilayah/73.73/target", data=data).status_code == 400  # no token
    data["csrf_token"] = csrf_token(client, "/wilayah/73.73")
    response = client.post("/wilayah/73.73/target", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/wilayah/73.73?campaign={campaign_id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Jumlah ASN dan target Kota Palopo sudah disimpan." in page
    assert stats(page, "ringkasan-asn")["Jumlah ASN"] == "2.500"
    assert stats(page, "ringkasan-asn")["Target belanja"] == "Rp2.500.000.000"
    event = fetch(select(AuditEvent).where(AuditEvent.action == "target.set"))[0]
    assert event.actor_id == coordinator.id and event.before is None
    assert event.after == {"asn_headcount": 2500, "target_amount": 2_500_000_000}


@pytest.mark.parametrize("field, value, message", [
    ("asn_headcount", "-5", "Tulis bilangan bulat tanpa tanda minus"),
    ("asn_headcount", "banyak", "Tulis bilangan bulat tanpa tanda minus"),
    ("asn_headcount", "2,5", "Tulis bilangan bulat tanpa tanda minus"),
    ("asn_headcount", "20.000.000", "Paling banyak 10.000.000."),
    ("asn_headcount", "", "Wajib diisi."),
    ("target_amount", "lima juta", "Tulis jumlah dalam rupiah"),
    ("target_amount", "", "Wajib diisi."),
])
def test_target_form_rejects_bad_input(app, make_staff, fetch, field, value, message, login_as):
    client = login_as(make_staff(region=PALOPO))
    data = {"campaign_id": fetch(select(Campaign))[0].id, "asn_headcount": "100", "target_amount": "1.000.000",
            field: value}
    response = client.post("/wilayah/73.73/target", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and "Capaian Kota Palopo" in page
    assert fetch(select(RegionTarget)) == []


def test_weekly_series_has_zero_weeks_and_follows_the_chosen_campaign(app, client, make_asn, make_shop,
                                                                       make_campaign):
    from campaign.domains.leaderboard.queries import get_region_progress
    from campaign.domains.purchases.services import confirm_purchase, log_purchase

    asn, owner_shop = make_asn(region=PALOPO), make_shop(region=MAKASSAR)
    today = province_today()
    campaign_id = make_campaign(name="Kampanye Panjang", appeal_letter_number="2/2026",
                                appeal_letter_date=date(2026, 1, 5), starts_on=today - timedelta(days=20))
    with app.app_context():
        buyer = db.session.get(User, asn.id)
        early = log_purchase(buyer=buyer, shop_id=owner_shop, amount=10_000, purchased_on=today - timedelta(days=15),
                             campaign_id=campaign_id)
        log_purchase(buyer=buyer, shop_id=owner_shop, amount=25_000, purchased_on=today, campaign_id=campaign_id)
        owner = db.session.get(User, early.shop.owner_id)
        confirm_purchase(actor=owner, purchase_id=early.id)
        progress = get_region_progress(code=PALOPO, campaign_id=campaign_id, detailed=False)
    first, last = week_start(today - timedelta(days=20)), week_start(today)
    weeks = progress.weeks_asn_region
    assert [p.week_start for p in weeks] == [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    by_week = {p.week_start: (p.realized, p.verified, p.purchases) for p in weeks}
    assert by_week[week_start(today - timedelta(days=15))] == (10_000, 10_000, 1)
    assert by_week[last] == (25_000, 0, 1)
    assert sum(p.realized for p in weeks) == 35_000 and any(p.realized == 0 for p in weeks)
    assert all(p.realized == 0 for p in progress.weeks_shop_region)  # Palopo's shops sold nothing
    assert progress.detail is None
    assert dataclasses.asdict(progress)["asn_region"]["realized"] == 35_000  # plain data for the API
    page = client.get(f"/wilayah/{PALOPO}?campaign={campaign_id}").get_data(as_text=True)
    assert "Kampanye Panjang" in page and stats(page, "ringkasan-asn")["Belanja terealisasi"] == "Rp35.000"
    assert stats(client.get(f"/wilayah/{PALOPO}").get_data(as_text=True), "ringkasan-asn")[
        "Belanja terealisasi"] == "Rp0"  # the running campaign (started today) has none


def test_idle_shops_are_capped_with_a_total(app, make_shop):
    from campaign.domains.leaderboard.details import idle_shops
    from campaign.domains.regions.services import current_campaign, region_by_code

    for n in range(3):
        make_shop(region=PALOPO, name=f"Warung Sepi {n}")
    make_shop(region=PALOPO, name="Warung Ditolak", status="rejected")
    with app.app_context():
        campaign, region = current_campaign(), region_by_code(PALOPO)
        shops, total = idle_shops(campaign_id=campaign.id, region_id=region.id, limit=2)
        everything, _ = idle_shops(campaign_id=campaign.id, region_id=region.id, limit=None)
    assert [s.name for s in shops] == ["Warung Sepi 0", "Warung Sepi 1"] and total == 3
    assert len(everything) == 3


@pytest.mark.parametrize("headcount, target, field", [(-1, 0, "asn_headcount"), (10_000_001, 0, "asn_headcount"),
                                                      (100, -5, "target_amount"), (100, 10**15 + 1, "target_amount")])
def test_target_bounds_are_a_service_rule(app, make_staff, headcount, target, field):
    """The HTML form and the API both bound these, but the rule lives in the service."""
    from campaign.core.errors import ValidationFailed
    from campaign.core.extensions import db
    from campaign.domains.auth.models import User
    from campaign.domains.regions.services import current_campaign, region_by_code, set_region_target
    coordinator = make_staff(region="73.73")
    with app.app_context(), pytest.raises(ValidationFailed) as info:
        set_region_target(actor=db.session.get(User, coordinator.id), campaign_id=current_campaign().id,
                          region_id=region_by_code("73.73").id, asn_headcount=headcount, target_amount=target)
    assert field in info.value.fields
