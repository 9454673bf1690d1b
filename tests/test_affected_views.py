"""The affected-UMKM pages: public aggregates, an owner's report form, the coordinator's entry."""
from sqlalchemy import select

from campaign.core.extensions import db
from campaign.domains.affected import services
from campaign.domains.affected.models import AffectedReport
from campaign.domains.auth.models import User


def _seed(app, person, region, count):
    with app.app_context():
        business = services.check_business(region_code=region, business_name="Usaha Rahasia Sekali",
                                           category="kue")
        impact = services.check_impact(status="reduced", workers_before=3, workers_now=1, revenue_drop="gt75",
                                       main_need="capital")
        services.record_field_reports(actor=db.session.get(User, person.id), reports=[(business, impact)] * count)


def test_public_pages_show_aggregates_and_hide_small_numbers(app, client, make_staff):
    admin = make_staff(role="admin")
    _seed(app, admin, "73.73", 6)
    _seed(app, admin, "73.02", 2)
    _seed(app, admin, "73.71", 5)  # withheld with Bulukumba's 2, so the total gives neither away
    page = client.get("/umkm-terdampak").get_data(as_text=True)
    assert "Kota Palopo" in page and "Kabupaten Kepulauan Selayar" in page
    assert ">6<" in page and ">12<" in page and ">13<" in page and page.count("&lt; 5") >= 4
    assert "Usaha Rahasia Sekali" not in page
    region = client.get("/wilayah/73.73/umkm-terdampak").get_data(as_text=True)
    assert "UMKM Terdampak Kota Palopo" in region and "Buka terbatas" in region and "Catat data lapangan" not in region
    assert client.get("/wilayah/99.99/umkm-terdampak").status_code == 404


def test_owner_reports_through_the_form(app, make_owner, make_shop, login_as, fetch):
    owner = make_owner()
    shop = make_shop(owner=owner)
    client = login_as(owner)
    assert "Laporkan dampak" in client.get("/toko/saya").get_data(as_text=True)
    form = {"status": "closed", "workers_before": "4", "workers_now": "1", "revenue_drop": "gt75", "main_need": "apd"}
    refused = client.post(f"/toko/{shop}/dampak", data=form)
    assert refused.status_code == 200 and "tidak mempekerjakan" in refused.get_data(as_text=True)
    saved = client.post(f"/toko/{shop}/dampak", data={**form, "workers_now": "0"})
    assert saved.status_code == 302
    (report,) = fetch(select(AffectedReport))
    assert (report.shop_id, report.status, report.workers_before) == (shop, "closed", 4)
    assert 'value="4"' in client.get(f"/toko/{shop}/dampak").get_data(as_text=True)


def test_only_the_owner_sees_the_report_form(app, make_owner, make_shop, login_as):
    shop = make_shop()
    assert login_as(make_owner()).get(f"/toko/{shop}/dampak").status_code == 403
    assert login_as(None).get(f"/toko/{shop}/dampak").status_code == 302


def test_coordinator_enters_a_field_report_and_deletes_it(app, make_staff, login_as, fetch):
    client = login_as(make_staff(region="73.73"))
    assert "Catat data lapangan" in client.get("/wilayah/73.73/umkm-terdampak").get_data(as_text=True)
    response = client.post("/koordinator/umkm-terdampak/73.73", data={
        "business_name": "Konveksi Hj. Marwah", "category": "fesyen", "status": "reduced", "workers_before": "6",
        "workers_now": "2", "revenue_drop": "50_75", "main_need": "apd"})
    assert response.status_code == 302
    (report,) = fetch(select(AffectedReport))
    assert report.source == "field" and report.business_name == "Konveksi Hj. Marwah"
    page = client.get("/koordinator/umkm-terdampak/73.73").get_data(as_text=True)
    assert "Konveksi Hj. Marwah" in page
    assert client.post(f"/koordinator/umkm-terdampak/73.73/laporan/{report.id}/hapus").status_code == 302
    assert fetch(select(AffectedReport)) == []


def test_coordinator_pages_are_for_that_region_only(app, make_staff, login_as):
    assert login_as(make_staff(region="73.71")).get("/koordinator/umkm-terdampak/73.73").status_code == 403
    assert login_as(make_staff(role="admin")).get("/koordinator/umkm-terdampak/73.73").status_code == 200
