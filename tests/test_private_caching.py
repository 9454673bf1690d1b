"""Private pages stay private (issue 18, item 9): every page for a signed-in user, and every answer
that sets the session cookie, is ``Cache-Control: private, no-store``; anonymous public pages,
static files, public pictures and the public API keep their caching."""
from __future__ import annotations

import re

import pytest

PRIVATE = "private, no-store"


@pytest.mark.parametrize("path", ["/", "/peringkat", "/toko", "/pelatihan", "/kebutuhan", "/privasi"])
def test_anonymous_public_pages_keep_their_caching(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_asn_page_with_the_nip_is_never_stored(login_as, make_asn):
    asn = make_asn()
    client = login_as(asn)
    response = client.get("/saya")
    assert response.status_code == 200 and response.headers["Cache-Control"] == PRIVATE
    client.post("/keluar")
    again = client.get("/saya")  # what the back button asks for, since nothing was stored
    assert again.status_code == 302 and again.headers["Location"].startswith("/masuk")


@pytest.mark.parametrize("path", ["/", "/peringkat", "/toko/saya", "/notifikasi/", "/tidak-ada"])
def test_every_page_for_a_signed_in_user_is_private(login_as, make_owner, path):
    response = login_as(make_owner()).get(path)
    assert response.headers["Cache-Control"] == PRIVATE, (path, response.status_code)


def test_an_answer_that_sets_the_session_cookie_is_private(client, make_owner):
    owner = make_owner()
    response = client.post("/masuk", data={"login": owner.login, "password": owner.password})
    assert response.status_code == 302 and "Set-Cookie" in response.headers
    assert response.headers["Cache-Control"] == PRIVATE


def test_static_files_and_public_pictures_stay_public_for_a_signed_in_user(login_as, make_owner, make_shop):
    owner = make_owner()
    shop_id = make_shop(owner=owner)
    client = login_as(owner)
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"', client.get("/").get_data(as_text=True)).group(1)
    for path in (css, f"/toko/{shop_id}/qr.svg", "/favicon.ico"):
        response = client.get(path)
        response.close()  # a static file answers with an open file
        assert response.cache_control.public and response.cache_control.max_age > 0, path
        assert "no-store" not in response.headers["Cache-Control"], path


def test_the_public_api_keeps_its_own_policy_with_a_session_cookie(login_as, make_owner):
    response = login_as(make_owner()).get("/api/v1/regions")
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
