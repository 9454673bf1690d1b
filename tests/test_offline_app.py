"""The pieces the service worker needs from the server (issue 18, item 3); the worker itself is
tested in Chromium (tests/browser/test_offline.py)."""
from __future__ import annotations

import json
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "static"


def _get(client, url: str) -> tuple[int, bytes]:
    """Status and body of a (static) file, its file handle closed."""
    response = client.get(url)
    try:
        return response.status_code, response.get_data()
    finally:
        response.close()


def test_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response.headers["Cache-Control"]
    body = response.get_data(as_text=True)
    shell = json.loads(body.split("\n", 1)[0].removeprefix("self.SHELL = ").removesuffix(";"))
    assert "/luring" in shell and "/luring/tersimpan" in shell
    assert any(url.startswith("/static/css/app.css?v=") for url in shell)
    for url in shell:  # every file the worker caches at install answers
        assert _get(client, url)[0] == 200, url


def test_service_worker_loads_workbox_from_this_site_only(client):
    body = client.get("/sw.js").get_data(as_text=True)
    scripts = [line.strip().strip('",') for line in body.split("importScripts(", 1)[1].split(")", 1)[0].splitlines()]
    scripts = [s for s in scripts if s]
    assert scripts and all(s.startswith("/static/vendor/workbox/") for s in scripts)
    for script in scripts:
        assert _get(client, script)[0] == 200, script
    readme = (STATIC / "vendor" / "workbox" / "README.md").read_text()
    assert "7.4.1" in readme and (STATIC / "vendor" / "workbox" / "LICENSE").is_file()
    assert "http" not in body.replace("http://", "").split("importScripts", 1)[0]


def test_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone" and manifest["lang"] == "id"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        status, data = _get(client, icon["src"])
        assert status == 200 and data.startswith(b"\x89PNG")


def test_every_page_links_the_manifest_and_registers_the_worker(client):
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<script src="/static/js/offline.js?v=' in page and " defer></script>" in page


def test_offline_pages_say_in_indonesian_what_happened(client):
    saved = client.get("/luring/tersimpan").get_data(as_text=True)
    assert "Belanja tersimpan di ponsel ini" in saved and "dikirim otomatis" in saved
    offline = client.get("/luring").get_data(as_text=True)
    assert "Ponsel sedang luring" in offline
    for page in (saved, offline):
        assert 'id="menunggu"' in page and "Menunggu dikirim" in page


def test_purchase_form_carries_what_the_worker_keeps(app, client, auth, make_asn, make_shop):
    asn = make_asn()
    shop = make_shop(name="Warung Bu Ani")
    auth.login(asn)
    app.config["WTF_CSRF_ENABLED"] = True  # as in production, once signed in
    page = client.get(f"/belanja/baru?toko={shop}").get_data(as_text=True)
    assert 'name="shop_name" type="hidden" value="Warung Bu Ani"' in page
    assert f'name="akun" type="hidden" value="{asn.id}"' in page
    assert 'name="client_ref" type="hidden" value="' in page and "data-offline-form" in page
    assert 'name="csrf_token" type="hidden" value="' in page  # the worker reads a fresh one before sending
    assert 'id="menunggu"' in client.get("/saya").get_data(as_text=True)
