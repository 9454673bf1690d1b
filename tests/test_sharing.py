"""WhatsApp sharing (wa.me links with a short Indonesian summary and the page URL) and the
"last updated" line on the pages with figures."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import unquote

import pytest

from campaign.domains.sharing.whatsapp import as_of


@pytest.fixture
def app_config():
    """The figures themselves; withheld ones are drawn in test_charts_privacy.py."""
    return {"MIN_PUBLIC_PARTICIPANTS": 1}

WA = re.compile(r'href="(https://wa\.me/\?text=[^"]+)"')


def shared_text(page: str) -> str:
    links = WA.findall(page)
    assert len(links) == 1, links
    return unquote(links[0].removeprefix("https://wa.me/?text=").replace("&amp;", "&"))


def test_as_of_is_in_wita_with_pukul(app):
    with app.app_context():  # Sulawesi Selatan, the default province: WITA
        assert as_of(datetime(2026, 11, 28, 6, 5, tzinfo=timezone.utc)) == "per 28 November 2026 pukul 14.05 WITA"


def test_leaderboard_share_has_the_top_regions_and_the_page_url(client, scenario):
    page = client.get("/peringkat?metric=realized").get_data(as_text=True)
    assert "Bagikan ke WhatsApp" in page
    text = shared_text(page)
    assert re.match(r"Papan Peringkat Belanja Warung Tetangga \(belanja terealisasi\) per \d+ \w+ \d{4} "
                    r"pukul \d\d\.\d\d WITA: 1\. Kota Makassar Rp200\.000; 2\. Kota Palopo Rp170\.000; 3\. ", text)
    assert re.search(r"\nhttp://localhost/peringkat\?campaign=\d+&metric=realized&perspective=asn_region$", text)


def test_region_share_has_rank_spend_and_participation(client, scenario):
    text = shared_text(client.get("/wilayah/73.73").get_data(as_text=True))
    assert text.startswith("Kota Palopo peringkat 2 dari 24 kabupaten/kota di Belanja Warung Tetangga: "
                           "belanja terealisasi Rp170.000, partisipasi ")
    assert " WITA." in text and re.search(r"\nhttp://localhost/wilayah/73\.73\?campaign=\d+$", text)


def test_own_progress_share_names_no_nip(app, make_asn, make_shop, make_purchase, login_as):
    from campaign.core.extensions import db
    from campaign.domains.auth.models import User
    from campaign.domains.purchases.pledges import make_pledge

    asn = make_asn(region="73.71")
    with app.app_context():
        make_pledge(asn=db.session.get(User, asn.id), amount=200_000)
    make_purchase(buyer=asn, shop_id=make_shop(), amount=50_000)
    text = shared_text(login_as(asn).get("/saya").get_data(as_text=True))
    assert text.startswith("Saya sudah belanja Rp50.000 di warung tetangga (25,0% dari janji Rp200.000), per ")
    assert asn.nip not in text and text.endswith("\nhttp://localhost/wilayah/73.71")


def test_pages_show_when_the_figures_last_changed(client, make_asn, make_shop, make_purchase):
    before = client.get("/peringkat").get_data(as_text=True)  # nothing changed yet: the time of reading
    assert re.search(r"Angka per \d+ \w+ \d{4} pukul \d\d\.\d\d WITA\.", before)
    make_purchase(buyer=make_asn(), shop_id=make_shop())
    for url in ("/peringkat", "/wilayah/73.73"):
        page = client.get(url).get_data(as_text=True)
        assert re.search(r"Angka diperbarui terakhir \d+ \w+ \d{4} \d\d\.\d\d WITA\.", page), url
