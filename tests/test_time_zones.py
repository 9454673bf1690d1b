"""Each province's time zone (WIB, WITA, WIT) as data, and every date rule and time shown following
the zone of the province served: DI Yogyakarta (34) in WIB, Sulawesi Selatan (73) unchanged in WITA.
The clock is fixed (``campaign.core.clock.now``) near midnight, where the two zones disagree on the day."""
from __future__ import annotations

import csv
import importlib.util
import io
import json
import tarfile
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from helpers import province_today
from sqlalchemy import update

from campaign.core import clock
from campaign.core.errors import LimitExceeded, ValidationFailed
from campaign.core.extensions import db
from campaign.domains.purchases.models import Purchase
from campaign.domains.regions import areas
from campaign.domains.regions.models import Campaign
from campaign.domains.sharing.whatsapp import as_of

# Keppres 41/1987, by province name, written out here independently of the script's rule by code.
WIB = {"Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Jambi", "Sumatera Selatan", "Bengkulu", "Lampung",
       "Kepulauan Bangka Belitung", "Kepulauan Riau", "Daerah Khusus Ibukota Jakarta", "Jawa Barat", "Jawa Tengah",
       "Daerah Istimewa Yogyakarta", "Jawa Timur", "Banten", "Kalimantan Barat", "Kalimantan Tengah"}
WITA = {"Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Selatan", "Kalimantan Timur",
        "Kalimantan Utara", "Sulawesi Utara", "Sulawesi Tengah", "Sulawesi Selatan", "Sulawesi Tenggara", "Gorontalo",
        "Sulawesi Barat"}
WIT = {"Maluku", "Maluku Utara", "Papua", "Papua Barat", "Papua Selatan", "Papua Tengah", "Papua Pegunungan",
       "Papua Barat Daya"}
SCRIPT = Path(__file__).parents[1] / "scripts" / "areas_from_idn_area_data.py"

DAY = date(2026, 12, 10)
LATE_EVENING_WIB = datetime(2026, 12, 10, 16, 30, tzinfo=timezone.utc)  # 23.30 WIB; 00.30 WITA on the 11th
AFTER_MIDNIGHT_WIB = datetime(2026, 12, 10, 17, 10, tzinfo=timezone.utc)  # 00.10 WIB; 01.10 WITA, both the 11th


@pytest.fixture
def province():
    return "34"


@pytest.fixture
def app_config(province):
    return {"PROVINCES": [province]}


@pytest.fixture
def fixed_clock(app, monkeypatch):
    """``fixed_clock(moment)``: from now on every rule reads ``moment`` as the current time; the
    campaign started a month before ``DAY``."""
    with app.app_context():
        db.session.execute(update(Campaign).values(starts_on=DAY - timedelta(days=30)))
        db.session.commit()

    def fix(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)
    return fix


@pytest.fixture
def buyer(make_asn, province):
    return make_asn(region=areas.regencies(province)[0].code)


@pytest.fixture
def shops(make_shop, province):
    return [make_shop(region=areas.regencies(province)[0].code) for _ in range(2)]


def _log(make_purchase, buyer, shop, *, day=None, amount=50_000):
    return make_purchase(buyer=buyer, shop_id=shop, purchased_on=day, amount=amount)


def _logged_at(app, purchase_id: int, moment: datetime) -> None:
    with app.app_context():
        db.session.execute(update(Purchase).where(Purchase.id == purchase_id).values(created_at=moment))
        db.session.commit()


# --- the data --------------------------------------------------------------------------------

def test_every_province_has_its_zone_under_keppres_41_1987():
    names, zones = areas.provinces(), areas.time_zones()
    assert len(zones) == 38 and set(zones) == set(names)
    by_zone = {"Asia/Jakarta": WIB, "Asia/Makassar": WITA, "Asia/Jayapura": WIT}
    assert {code: zones[code] for code in names} == {
        code: next(zone for zone, members in by_zone.items() if name in members) for code, name in names.items()}
    assert {label for label in clock.LABELS.values()} == {"WIB", "WITA", "WIT"}


def _convert(tmp_path: Path, provinces: list[tuple[str, str]]) -> Path:
    """Run the conversion script on a small tarball shaped like idn-area-data's."""
    spec = importlib.util.spec_from_file_location("areas_script", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    files = {"package/package.json": json.dumps({"version": "9.9.9"}),
             "package/data/provinces.csv": "code,name\n" + "".join(f"{c},{n}\n" for c, n in provinces),
             "package/data/regencies.csv": "code,province_code,name\n" + "".join(
                 f"{c}.01,{c},Kota Satu\n" for c, _ in provinces),
             "package/data/districts.csv": "code,regency_code,name\n" + "".join(
                 f"{c}.01.01,{c}.01,Satu\n" for c, _ in provinces)}
    tarball = tmp_path / "idn-area-data.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    out = tmp_path / "data"
    script.convert(str(tarball), out)
    return out


def test_the_conversion_script_writes_each_provinces_zone(tmp_path):
    out = _convert(tmp_path, list(areas.provinces().items()))
    with open(out / "provinces.csv", encoding="utf-8") as fh:
        written = {row["code"]: row["time_zone"] for row in csv.DictReader(fh)}
    assert written == areas.time_zones()


def test_the_conversion_script_stops_on_a_province_it_cannot_place(tmp_path):
    with pytest.raises(SystemExit, match="no time zone for province 66"):
        _convert(tmp_path, [("66", "Kalimantan Baru")])


# --- dates: "today" and the per-day limits ----------------------------------------------------

@pytest.mark.parametrize("province, tomorrow_allowed", [("34", False), ("73", True)],
                         ids=["yogyakarta_wib", "sulawesi_selatan_wita"])
def test_a_purchase_dated_tomorrow_near_midnight_follows_the_provinces_zone(
        app, fixed_clock, make_purchase, buyer, shops, tomorrow_allowed):
    fixed_clock(LATE_EVENING_WIB)  # 23.30 in Yogyakarta, already 00.30 the next day in Makassar
    tomorrow = DAY + timedelta(days=1)
    if tomorrow_allowed:
        assert _log(make_purchase, buyer, shops[0], day=tomorrow)
    else:
        with pytest.raises(ValidationFailed, match="tidak boleh setelah hari ini"):
            _log(make_purchase, buyer, shops[0], day=tomorrow)
    assert _log(make_purchase, buyer, shops[1], day=DAY)  # the day a WIB user sees is always fine
    fixed_clock(AFTER_MIDNIGHT_WIB)
    assert _log(make_purchase, buyer, shops[0], day=tomorrow, amount=60_000)


def test_the_purchase_form_offers_todays_wib_date(app, fixed_clock, buyer, shops, login_as):
    fixed_clock(LATE_EVENING_WIB)
    page = login_as(buyer).get(f"/belanja/baru?toko={shops[0]}").get_data(as_text=True)
    assert f'data-today="{DAY.isoformat()}"' in page and f'max="{DAY.isoformat()}"' in page
    assert f'value="{DAY.isoformat()}"' in page


def test_a_purchase_without_a_date_is_dated_today_in_wib(app, fixed_clock, make_purchase, buyer, shops, fetch):
    fixed_clock(LATE_EVENING_WIB)
    purchase = _log(make_purchase, buyer, shops[0])
    assert fetch(Purchase, purchase).purchased_on == DAY


@pytest.mark.parametrize("province, rolled_over", [("34", True), ("73", False)],
                         ids=["yogyakarta_wib", "sulawesi_selatan_wita"])
def test_per_day_limits_roll_over_at_the_provinces_midnight(app, fixed_clock, make_purchase, buyer, shops,
                                                            rolled_over):
    app.config["PURCHASE_LIMIT_PER_DAY"] = 1
    before_midnight = datetime(2026, 12, 10, 16, 50, tzinfo=timezone.utc)  # 23.50 WIB, 00.50 WITA
    fixed_clock(before_midnight)
    evening = _log(make_purchase, buyer, shops[0], day=DAY)
    _logged_at(app, evening, before_midnight)
    fixed_clock(AFTER_MIDNIGHT_WIB)  # 00.10 WIB: a new day in Yogyakarta, not in Makassar
    if not rolled_over:
        with pytest.raises(LimitExceeded, match="Batas 1 catatan belanja per hari"):
            _log(make_purchase, buyer, shops[1], day=DAY)
        return
    morning = _log(make_purchase, buyer, shops[1], day=DAY)
    _logged_at(app, morning, AFTER_MIDNIGHT_WIB)
    with pytest.raises(LimitExceeded, match="Batas 1 catatan belanja per hari"):  # the new day has its own limit
        _log(make_purchase, buyer, shops[0], day=DAY, amount=70_000)


@pytest.mark.parametrize("app_config", [{"PROVINCES": ["73", "34"]}])
def test_with_two_provinces_each_buyers_day_follows_their_own_province(app, fixed_clock, make_asn, make_shop,
                                                                       make_purchase):
    fixed_clock(LATE_EVENING_WIB)
    tomorrow = DAY + timedelta(days=1)
    makassar, jogja = make_asn(region="73.73"), make_asn(region="34.71")
    assert _log(make_purchase, makassar, make_shop(region="73.73"), day=tomorrow)
    with pytest.raises(ValidationFailed, match="tidak boleh setelah hari ini"):
        _log(make_purchase, jogja, make_shop(region="34.71"), day=tomorrow)
    with app.app_context():  # deployment-wide: the first province's day and zone, labelled
        assert clock.today() == tomorrow and clock.waktu(LATE_EVENING_WIB) == "11 Desember 2026 00.30 WITA"


@pytest.mark.parametrize("app_config", [{"PROVINCES": ["73", "34"]}])
def test_a_campaign_opened_after_midnight_wita_takes_in_the_wib_evening(app, monkeypatch, runner, make_asn,
                                                                        make_shop, make_purchase):
    """init-db's campaign starts on a day begun in every served zone: at 00.30 WITA (23.30 WIB) it
    is WIB's date, so a Yogyakarta ASN can log the evening's purchase."""
    monkeypatch.setattr(clock, "now", lambda: LATE_EVENING_WIB)
    with app.app_context():
        db.session.execute(Campaign.__table__.delete())
        db.session.commit()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(db.select(Campaign.starts_on)) == DAY
    assert _log(make_purchase, make_asn(region="34.71"), make_shop(region="34.71"), day=DAY)


# --- times shown -----------------------------------------------------------------------------

def test_training_times_are_read_and_shown_in_wib(app, login_as, make_staff, make_training, api, province):
    starts = datetime.combine(province_today(province) + timedelta(days=5), time(9, 0))  # naive: local, WIB
    training = make_training(region=areas.regencies(province)[0].code, starts_at=starts)
    admin = login_as(make_staff(role="admin"))
    form = admin.get("/pelatihan/baru").get_data(as_text=True)
    assert "Jam mulai (WIB)" in form and "Waktu dalam WIB" in form and "WITA" not in form
    page = admin.get(f"/pelatihan/{training}").get_data(as_text=True)
    assert "09.00 WIB" in page and "WITA" not in page
    assert api.get(f"/trainings/{training}").get_json()["starts_at"] == f"{starts.date().isoformat()}T09:00:00+07:00"


def test_share_texts_and_logged_times_say_wib(app, fixed_clock, make_purchase, make_owner, make_shop, buyer,
                                              client, login_as):
    owner = make_owner()
    shop = make_shop(owner=owner, region=areas.regencies("34")[0].code)
    fixed_clock(LATE_EVENING_WIB)
    purchase = _log(make_purchase, buyer, shop, day=DAY)
    _logged_at(app, purchase, LATE_EVENING_WIB)
    listing = login_as(owner).get("/toko/saya/belanja").get_data(as_text=True)
    assert "23.30 WIB" in listing and "WITA" not in listing
    with app.app_context():
        assert as_of() == "per 10 Desember 2026 pukul 23.30 WIB"
