"""axe-core on the pages with tables that scroll sideways or had an empty header cell (issue 18,
row 13), at 360 px: nothing serious or critical (Tab.check) and no ``empty-table-header`` either."""
from __future__ import annotations

import pytest
from helpers import user

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _empty_headers(tab) -> list:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab.page, options={"runOnly": ["empty-table-header", "scrollable-region-focusable"]})
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]


@pytest.fixture
def deal(app, make_need, make_offer):
    """A completed needs-board deal at a Kota Palopo shop: /wilayah/73.73/belanja-lembaga lists it."""
    from campaign.domains.needs import services

    buyer, need = make_need()
    owner, offer = make_offer(need)
    with app.app_context():
        services.accept_offer(actor=user(buyer), offer_id=offer)
        services.record_delivery(actor=user(buyer), offer_id=offer)
        services.confirm_delivery(actor=user(owner), offer_id=offer)


@pytest.fixture
def affected(app, make_staff):
    from campaign.core.extensions import db
    from campaign.domains.affected import services
    from campaign.domains.auth.models import User

    admin = make_staff(role="admin")
    with app.app_context():
        business = services.check_business(region_code="73.73", business_name="Usaha Kue Daeng", category="kue")
        impact = services.check_impact(status="reduced", workers_before=3, workers_now=1, revenue_drop="gt75",
                                       main_need="capital")
        services.record_field_reports(actor=db.session.get(User, admin.id), reports=[(business, impact)] * 6)


def test_table_pages_pass_axe_at_360_px(open_tab, deal, affected, make_staff, make_asn, make_shop, make_purchase):
    shop = make_shop(region="73.73")
    for _ in range(5):
        make_purchase(buyer=make_asn(region="73.73"), shop_id=shop)
    coordinator = make_staff(region="73.73")
    tab = open_tab(viewport="phone", javascript=True)
    pages = ["/wilayah/73.73/belanja-lembaga", "/umkm-terdampak", "/wilayah/73.73/umkm-terdampak", "/peringkat"]
    for path in pages:
        tab.goto(path)  # Tab.check: axe finds nothing serious or critical
        if path == "/peringkat":
            tab.page.locator("summary", has_text="Lihat tabel lengkap").click()
        assert _empty_headers(tab) == [], path
        if path.endswith("belanja-lembaga"):
            assert "Transaksi terbaru" in tab.text()  # the table that scrolled without a keyboard way in
    tab.goto("/masuk")
    tab.fill("E-mail atau nomor WhatsApp", coordinator.login)
    tab.fill("Kata sandi", coordinator.password)
    tab.press("Masuk")
    for path in ["/koordinator/umkm-terdampak/73.73", "/wilayah/73.73/daftar-asn"]:
        tab.goto(path)
        assert _empty_headers(tab) == [], path
