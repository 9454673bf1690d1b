"""Offline at the counter (issue 18, item 3): the service worker keeps the purchase form of a shop
already opened, keeps a purchase submitted without a connection on the phone, says so in Indonesian,
lists it as waiting, and sends it once when the phone is back online."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import select

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _purchases(fetch, buyer_id: int):
    from campaign.domains.purchases.models import Purchase

    return fetch(select(Purchase).where(Purchase.buyer_id == buyer_id))


def _wait_for(condition, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (value := condition()):
            return value
        time.sleep(0.25)
    return condition()


def _sign_in(tab, person) -> None:
    tab.goto("/masuk")
    tab.fill("E-mail atau nomor WhatsApp", person.login)
    tab.fill("Kata sandi", person.password)
    tab.press("Masuk")


def _controlled(tab) -> None:
    """Wait until the service worker controls the page, then load it again through the worker (the
    first load happened before the worker existed, so only the second one is kept)."""
    tab.page.wait_for_function("navigator.serviceWorker.controller !== null")
    tab.page.reload()


SEND_AND_LIST = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const ask = (message) => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    registration.active.postMessage(message, [channel.port2]);
  });
  await ask("kirim");
  return await ask("daftar");
}"""


def _send_and_list(tab) -> list[dict]:
    """Ask the worker to send what it keeps, then what it still keeps (waiting or refused)."""
    return tab.page.evaluate(SEND_AND_LIST)


def test_a_purchase_made_offline_is_kept_and_sent_once_back_online(open_tab, make_asn, make_shop, fetch):
    asn = make_asn(name="Andi Luring")
    shop = make_shop(name="Warung Sinyal Hilang")
    tab = open_tab(viewport="phone", javascript=True)
    _sign_in(tab, asn)
    tab.goto(f"/t/{shop}", name="catat-belanja-daring")
    _controlled(tab)

    tab.context.set_offline(True)
    tab.page.reload()  # the shop's form, from the phone's own copy
    assert "Warung Sinyal Hilang" in tab.text()
    tab.fill("Jumlah belanja (Rp)", "15rb")  # read by the server when sent, and confirmed then
    tab.press("Simpan belanja")
    page = tab.text()
    assert "Belanja tersimpan di ponsel ini" in page and "dikirim otomatis" in page
    assert "ERR_" not in tab.page.content()
    waiting = tab.page.locator("#menunggu")
    waiting.wait_for(state="visible")
    assert "15rb" in waiting.inner_text() and "Warung Sinyal Hilang" in waiting.inner_text()
    tab.check(name="belanja-tersimpan-luring")
    assert _purchases(fetch, asn.id) == []

    tab.context.set_offline(False)  # the page hears "online" and asks the worker to send
    stored = _wait_for(lambda: _purchases(fetch, asn.id))
    assert [(p.amount, p.shop_id, p.status) for p in stored] == [(15_000, shop, "reported")]
    assert stored[0].client_ref and stored[0].client_ref.startswith("sw-")

    tab.goto("/saya", name="saya-setelah-terkirim")
    assert "Rp15.000" in tab.text() and tab.page.locator("#menunggu").is_hidden()
    assert _send_and_list(tab) == []  # sending again finds nothing left
    assert len(_purchases(fetch, asn.id)) == 1


def test_a_replay_of_a_purchase_already_stored_counts_once(app, open_tab, make_asn, make_shop, fetch):
    """The server stored the purchase but the answer never reached the phone, which kept it: when
    the kept copy is sent, the form's client_ref makes the server answer with the one it has."""
    from campaign.core.extensions import db
    from campaign.domains.auth.models import User
    from campaign.domains.purchases.services import log_purchase

    asn = make_asn(name="Andi Dua Kali")
    shop = make_shop(name="Warung Ulang")
    tab = open_tab(viewport="phone", javascript=True)
    _sign_in(tab, asn)
    tab.goto(f"/belanja/baru?toko={shop}")
    _controlled(tab)
    ref = tab.page.locator("input[name=client_ref]").input_value()
    with app.app_context():  # what the server did with the request whose answer was lost
        log_purchase(buyer=db.session.get(User, asn.id), shop_id=shop, amount=20_000, client_ref=ref)
    tab.context.set_offline(True)
    tab.fill("Jumlah belanja (Rp)", "20.000")
    tab.press("Simpan belanja")
    assert "Belanja tersimpan di ponsel ini" in tab.text()
    assert [item["ref"] for item in tab.page.evaluate(SEND_AND_LIST.replace('await ask("kirim");', ""))] == [ref]

    tab.context.set_offline(False)
    assert _wait_for(lambda: _send_and_list(tab) == [])  # sent; the server answered with the one it has
    assert [(p.client_ref, p.amount) for p in _purchases(fetch, asn.id)] == [(ref, 20_000)]
