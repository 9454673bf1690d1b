"""The ASN sign-up form on a phone: the region first, then the OPD from a list, a numeric keypad
for the NIP, autocomplete hints on every field, and consent at the end."""
from __future__ import annotations

import re

from sqlalchemy import select

from campaign.domains.regions.models import Agency

FIELD = re.compile(r"<(input|select)\b([^>]*)>")


def fields(page: str) -> list[dict[str, str]]:
    """The form's visible inputs and selects, in order, as attribute dicts."""
    result = []
    for _tag, attrs in FIELD.findall(page):
        found = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        if found.get("type") not in ("hidden", "submit"):
            result.append(found)
    return result


def test_the_region_comes_first(client):
    page = client.get("/daftar/asn").get_data(as_text=True)
    assert [f.get("name") for f in fields(page)] == ["region"]
    assert 'method="get"' in page and "Lanjut" in page


def test_consent_is_the_last_field(client):
    names = [f["name"] for f in fields(client.get("/daftar/asn?region=73.71").get_data(as_text=True))]
    assert names[0] == "region" and names[-1] == "consent"
    assert names.index("nip") < names.index("login")


def test_nip_opens_a_numeric_keypad(client):
    nip = next(f for f in fields(client.get("/daftar/asn?region=73.71").get_data(as_text=True)) if f["name"] == "nip")
    assert nip["inputmode"] == "numeric" and nip["pattern"] == "[0-9 ]*"


def test_every_sign_up_field_has_an_autocomplete_hint(client):
    for url in ("/daftar/asn?region=73.71", "/daftar/pemilik-toko"):
        page_fields = fields(client.get(url).get_data(as_text=True))
        assert page_fields and all(f.get("autocomplete") for f in page_fields), url
    hints = {f["name"]: f["autocomplete"] for f in fields(client.get("/daftar/asn?region=73.71").get_data(as_text=True))}
    assert hints["name"] == "name" and hints["login"] == "username" and hints["password"] == "new-password"
    assert hints["agency"] == "organization"


def test_opd_is_chosen_from_the_regions_list(client, make_asn):
    make_asn(region="73.71", agency="Dinas Pendidikan", on_roster=False)
    make_asn(region="73.71", agency="Badan Kepegawaian Daerah", on_roster=False)
    make_asn(region="73.73", agency="Dinas Palopo Saja", on_roster=False)
    page = client.get("/daftar/asn?region=73.71").get_data(as_text=True)
    select_html = page.split('name="agency"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option[^>]*value="([^"]*)"', select_html) == [
        "", "Badan Kepegawaian Daerah", "Dinas Pendidikan", "__baru__"]


def test_a_new_opd_can_be_added(client, fetch):
    response = client.post("/daftar/asn", data={
        "region": "73.71", "name": "Andi", "nip": "198609262015051001", "agency": "__baru__",
        "new_agency": "Dinas Perikanan", "login": "andi@example.id", "password": "rahasia123",
        "confirm": "rahasia123", "consent": "y"})
    assert response.status_code == 302
    assert [a.name for a in fetch(select(Agency))] == ["Dinas Perikanan"]


def test_no_opd_chosen_is_a_field_error(client, fetch):
    response = client.post("/daftar/asn", data={
        "region": "73.71", "name": "Andi", "nip": "198609262015051001", "agency": "", "new_agency": "",
        "login": "andi@example.id", "password": "rahasia123", "confirm": "rahasia123", "consent": "y"})
    assert response.status_code == 200 and "Instansi/OPD wajib diisi" in response.get_data(as_text=True)
    assert fetch(select(Agency)) == []
