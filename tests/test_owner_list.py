"""The owner's list /toko/saya/belanja (issue 18, item 8): each purchase shows when it was logged,
in WITA, so two purchases of one day by the same ASN tell apart; Konfirmasi and Bantah are a pair
of full-size buttons (their height is checked in Chromium, tests/browser)."""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from helpers import province_time, province_today
from sqlalchemy import update

from campaign.core.extensions import db
from campaign.domains.purchases.models import Purchase
from campaign.util.formatting import as_utc, tanggal


def _logged_at(app, purchase_id: int, when: datetime) -> None:
    with app.app_context():
        db.session.execute(update(Purchase).where(Purchase.id == purchase_id).values(created_at=as_utc(when)))
        db.session.commit()


def test_two_purchases_of_one_day_show_their_time_in_wita(app, make_asn, make_owner, make_shop, make_purchase,
                                                          login_as, no_logging_limits):
    owner, asn = make_owner(), make_asn(name="Andi Baso")
    shop_id = make_shop(owner=owner)
    today = province_today()
    morning, afternoon = make_purchase(buyer=asn, shop_id=shop_id), make_purchase(buyer=asn, shop_id=shop_id)
    _logged_at(app, morning, province_time(today, time(8, 5)))
    _logged_at(app, afternoon, province_time(today, time(14, 30)))
    page = login_as(owner).get("/toko/saya/belanja").get_data(as_text=True)
    assert f"{tanggal(today)}, pukul 08.05 WITA" in page and f"{tanggal(today)}, pukul 14.30 WITA" in page


def test_a_purchase_logged_on_a_later_day_shows_both_days(app, make_asn, make_owner, make_shop, make_purchase,
                                                         login_as):
    owner = make_owner()
    shop_id = make_shop(owner=owner)
    purchase = make_purchase(buyer=make_asn(), shop_id=shop_id)  # bought today (the campaign starts today)...
    later = province_today() + timedelta(days=1)
    _logged_at(app, purchase, province_time(later, time(7, 0)))  # ...logged the next morning
    page = login_as(owner).get("/toko/saya/belanja").get_data(as_text=True)
    assert f"belanja {tanggal(province_today())} · dicatat {tanggal(later)} 07.00 WITA" in page


def test_konfirmasi_and_bantah_are_one_pair_of_full_size_buttons(make_asn, make_owner, make_shop, make_purchase,
                                                                 login_as):
    owner = make_owner()
    make_purchase(buyer=make_asn(), shop_id=make_shop(owner=owner))
    page = login_as(owner).get("/toko/saya/belanja").get_data(as_text=True)
    pair = re.search(r'<div class="entry-actions pair">(.*?)</div>', page, re.S).group(1)
    assert re.search(r'<button class="button" type="submit">Konfirmasi</button>', pair)
    assert re.search(r'<a class="button danger-outline" href="[^"]+">Bantah</a>', pair)
