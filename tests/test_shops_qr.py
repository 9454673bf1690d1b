"""The QR code (SVG) and the printable A4 poster."""
import re

import pytest
import segno
from flask import url_for


def expected_url(app, shop_id: int) -> str:
    """What the QR must encode: the purchase form with the shop chosen."""
    with app.test_request_context():
        url = url_for("purchases.new", toko=shop_id, _external=True)
    assert url == f"http://localhost/belanja/baru?toko={shop_id}"
    return url


def svg_modules(svg: str) -> list[list[bool]]:
    """Read back the dark modules of a segno SVG: one path of ``M x y``, ``m dx dy`` and ``h n``."""
    width = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1)) if "viewBox" in svg else None
    if width is None:
        scale = int(re.search(r'transform="scale\((\d+)\)"', svg).group(1))
        width = int(re.search(r'width="(\d+)"', svg).group(1)) // scale
    paths = re.findall(r' d="([^"]+)"', svg)
    assert len(paths) == 1
    grid = [[False] * width for _ in range(width)]
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", paths[0]):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            for col in range(int(x), int(x + float(a))):
                grid[int(y)][col] = True
            x += float(a)
    return grid


def matrix_with_border(url: str, border: int = 4) -> list[list[bool]]:
    matrix = [[bool(v) for v in row] for row in segno.make(url, error="m", micro=False).matrix]
    size = len(matrix) + 2 * border
    blank = [[False] * size for _ in range(border)]
    return blank + [[False] * border + row + [False] * border for row in matrix] + blank


def test_qr_svg_encodes_the_purchase_url(app, client, make_shop):
    shop_id = make_shop()
    response = client.get(f"/toko/{shop_id}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.cache_control.max_age > 0 and response.cache_control.public
    svg = response.get_data(as_text=True)
    assert svg.startswith("<?xml") and "<svg" in svg
    url = expected_url(app, shop_id)
    assert svg_modules(svg) == matrix_with_border(url)
    assert svg_modules(svg) != matrix_with_border(url.replace(str(shop_id), str(shop_id + 1)))


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_qr_only_for_verified_shops(client, make_shop, status):
    assert client.get(f"/toko/{make_shop(status=status)}/qr.svg").status_code == 404
    assert client.get("/toko/999999/qr.svg").status_code == 404


@pytest.mark.parametrize("viewer", ["owner", "coordinator", "admin"])
def test_poster_for_owner_coordinator_and_admin(app, login_as, make_owner, make_staff, make_shop, viewer):
    owner = make_owner()
    shop_id = make_shop(owner=owner, name="Warung Bu Sitti")
    people = {"owner": owner, "coordinator": make_staff(region="73.73"), "admin": make_staff(role="admin")}
    response = login_as(people[viewer]).get(f"/toko/{shop_id}/poster")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for text in ("Warung Bu Sitti", "Pindai untuk catat belanja", "Surat imbauan Gubernur Sulawesi Selatan "
                 "No. 4432/3004/JK/UMKM", "size: A4"):
        assert text in page
    inline = re.search(r'<svg viewBox="[^"]+" class="qr">.*?</svg>', page, re.S).group(0)
    assert svg_modules(inline) == matrix_with_border(expected_url(app, shop_id))


@pytest.mark.parametrize("viewer", ["other_owner", "asn", "other_coordinator"])
def test_poster_refused_to_others(login_as, make_owner, make_staff, make_asn, make_shop, viewer):
    shop_id = make_shop()
    people = {"other_owner": make_owner, "asn": make_asn, "other_coordinator": lambda: make_staff(region="73.71")}
    assert login_as(people[viewer]()).get(f"/toko/{shop_id}/poster").status_code == 403


def test_poster_needs_sign_in(client, make_shop):
    response = client.get(f"/toko/{make_shop()}/poster")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_no_poster_before_verification(login_as, make_owner, make_shop):
    owner = make_owner()
    shop_id = make_shop(owner=owner, status="pending")
    response = login_as(owner).get(f"/toko/{shop_id}/poster")
    assert response.status_code == 409
    assert "hanya tersedia untuk toko yang sudah terverifikasi" in response.get_data(as_text=True)
    assert login_as(make_owner()).get(f"/toko/{shop_id}/poster").status_code == 404


def test_poster_prints_the_shop_code_and_a_short_url_under_the_code(login_as, make_owner, make_shop):
    owner = make_owner()
    shop_id = make_shop(owner=owner)
    page = login_as(owner).get(f"/toko/{shop_id}/poster").get_data(as_text=True)
    under_the_code = page.split('class="qr"', 1)[1]
    assert f"Kode toko <strong>{shop_id}</strong>" in under_the_code
    assert f"atau buka <strong>localhost/t/{shop_id}</strong>" in under_the_code


def test_short_url_and_shop_code_open_the_purchase_form_for_that_shop(client, auth, make_asn, make_shop):
    shop_id = make_shop(name="Warung Bu Sitti")
    assert client.get(f"/t/{shop_id}").headers["Location"] == f"/belanja/baru?toko={shop_id}"
    auth.login(make_asn())
    for typed in (str(shop_id), f" #{shop_id} "):
        response = client.get("/belanja/baru", query_string={"q": typed})
        assert response.headers["Location"] == f"/belanja/baru?toko={shop_id}"
    page = client.get(f"/t/{shop_id}", follow_redirects=True).get_data(as_text=True)
    assert "Warung Bu Sitti" in page and "Simpan belanja" in page
