"""How pages travel to a phone on a slow network: gzip when asked, a favicon, nothing extra."""
from __future__ import annotations

import gzip
import re

import pytest


def test_favicon_is_served_and_cached(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert response.cache_control.max_age > 0 and response.cache_control.public
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico">' in page


def test_html_is_gzipped_when_the_browser_asks(client):
    plain = client.get("/peringkat")
    packed = client.get("/peringkat", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers and "Accept-Encoding" in plain.headers["Vary"]
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 3


def test_stylesheet_is_gzipped_with_a_weak_etag(client):
    url = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{10})"', client.get("/").get_data(as_text=True)).group(1)
    with client.get(url) as plain, client.get(url, headers={"Accept-Encoding": "gzip"}) as packed:
        assert packed.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.data) == plain.data
        assert packed.headers["ETag"].startswith("W/") and "immutable" in packed.headers["Cache-Control"]


@pytest.mark.parametrize("accept", ["gzip;q=0", "identity", "br"])
def test_no_gzip_unless_accepted(client, accept):
    assert "Content-Encoding" not in client.get("/peringkat", headers={"Accept-Encoding": accept}).headers


def test_json_and_small_bodies_stay_as_they_are(client):
    api = client.get("/api/v1/leaderboard", headers={"Accept-Encoding": "gzip"})
    assert api.status_code == 200 and "Content-Encoding" not in api.headers  # its ETag names these bytes
    assert "Content-Encoding" not in client.get("/healthz", headers={"Accept-Encoding": "gzip"}).headers
