"""THE AUTHORIZATION MATRIX: every URL rule of the app x six roles, with the outcome each one sees.

>>> Adding, renaming or removing a route? Edit MATRIX below, in THIS file (tests/access_matrix.py). <<<
``tests/test_authorization_matrix.py`` fails naming every rule of ``app.url_map`` that has no row
here (and every row whose rule is gone); ``tests/test_hostile_input.py`` walks the same rows with
hostile ids, query arguments and form fields. One row per (endpoint, method):

    ("blueprint.endpoint", "METHOD"): ("/url/{placeholder}", "anon asn owner coord other admin"),
    ("blueprint.endpoint", "POST"): ("/url/{placeholder}", "anon asn owner coord other admin", {"field": "value"}),

URL placeholders (each request gets freshly made objects, so one role's POST cannot change what the
next role sees): {shop} a verified shop of ``owner`` in Kota Palopo (73.73); {pending} a shop of
``owner`` waiting for verification in 73.73; {purchase} a ``reported`` purchase by ``asn`` at
{shop}; {staff} the user id of a coordinator of Makassar (73.71) that an admin may remove
({staff_login}: the login of another such coordinator); {entry} an active ASN roster
entry of 73.73 (which makes 73.73 roster-checked); {code} 73.73; {training} a training in
73.73 published by ``coord``, starting next week; {buyer} a pending buyer organisation in
73.73 owned by none of the roles; {need} an open sembako need from 73.73 by a verified organisation
of none of the roles; {offer} a ``sent`` offer by ``owner`` (from a fresh verified shop) for such a
need; {purchase_shop} a verified shop of ``owner`` in 73.73 with one ``reported`` purchase by
``asn``; {bulk_void} an admin's bulk void of such a purchase (73.73), still undoable; {flag} the key
of a flag of 73.73 (a shop whose confirmed Rp10.500.000 all comes from ``asn``); in data also
{today} (WITA), {campaign} (the current campaign's id), {asn_login} and {password} (the ASN's); a
data value "#{shop}" becomes the integer (for JSON ids). Add a placeholder to ``World.value`` if a
new rule needs another kind of object.

The six roles: ``anon`` (signed out), ``asn`` (a civil servant of 73.73, the buyer of {purchase}),
``owner`` (owner of {shop} and {pending}), ``coord`` (coordinator of 73.73), ``other``
(coordinator of Makassar 73.71), ``admin``. HTML rules are requested with the role's session
cookie, ``/api/`` rules with the role's bearer token. POST/PUT/DELETE send the row's data (its
optional third item) as a form (HTML) or a JSON object (API), an empty one by default; give data
where a shape check would answer 422 before the access check could refuse. The six outcome words:

    ok     passed access control: 2xx, a redirect that is not to the login page, 400, 409 or 422
    login  must sign in first: a redirect to /masuk, or 401 from the API
    deny   403
    hide   404 (the object exists but is not this role's to see)

Any 5xx fails the test.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from helpers import province_today

ROLES = ("anon", "asn", "owner", "coord", "other", "admin")
# Every {purchase} is a new purchase by the same ASN: the per-person limits must not stop the walk.
APP_CONFIG = {"PURCHASE_LIMIT_PER_DAY": 100_000, "PURCHASE_LIMIT_AMOUNT_PER_DAY": 10 ** 12,
              "PURCHASE_LIMIT_PER_SHOP_PER_DAY": 100_000}
OUTCOMES = {"ok", "login", "deny", "hide"}
HERE = "tests/access_matrix.py"

# Valid data for writes: the matrix then checks the action itself, and the hostile walk changes one
# field at a time while the others stay valid (so a bad value reaches the service and the database).
REASON = {"reason": "Belanja fiktif, tidak ada di toko"}
TARGET = {"asn_headcount": 100, "target_amount": 10_000_000}
NEW_PASSWORD = "kata-sandi-baru-123"
SIGN_UP = {"name": "Andi Baso", "login": "andi.baso@example.id", "password": NEW_PASSWORD,
           "confirm": NEW_PASSWORD, "consent": "y"}
SIGN_UP_ASN = {**SIGN_UP, "nip": "198701012010011001", "agency": "Dinas Koperasi dan UKM", "region": "73.73"}
LOGIN = {"login": "{asn_login}", "password": "{password}"}
CHANGE_PASSWORD = {"current_password": "{password}", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
SHOP = {"name": "Warung Daeng Ngai", "category": "sembako", "region": "73.73", "district": "73.73.01",
        "village": "Amassangan", "street": "Jl. Andi Djemma No. 5", "whatsapp": "0812-3456-7890",
        "description": "Warung dekat masjid", "products": "beras, telur", "nib": "1234567890123",
        "covid_affected": "y"}
PURCHASE = {"shop_id": "{shop}", "amount": "50.000", "purchased_on": "{today}", "note": "beras 5 kg",
            "client_ref": "ref-{today}"}
HTML_TARGET = {"campaign_id": "{campaign}", "asn_headcount": "2.500", "target_amount": "500.000.000"}
CAMPAIGN = {"name": "Gerakan Belanja di Warung Tetangga 2027", "appeal_letter_number": "4432/3004/JK/UMKM",
            "appeal_letter_date": "2027-01-02", "issuing_office": "Gubernur Sulawesi Selatan",
            "starts_on": "2027-01-10", "ends_on": "2027-12-31"}
APPOINT = {"login": "{asn_login}", "region_code": "73.72"}
TRAINING = {"title": "Pembukuan Warung", "topic": "keuangan", "mode": "offline", "place": "Aula Diskop UKM",
            "day": "2099-01-05", "start_time": "09:00", "duration_minutes": "120", "capacity": "30",
            "region": "73.73"}
API_TRAINING = {"title": "Pembukuan Warung", "topic": "keuangan", "mode": "online",
                "starts_at": "2099-01-05T09:00:00+08:00", "duration_minutes": 120, "capacity": 30,
                "online_url": "https://meet.example.id/buku", "region": "73.73"}
ROSTER_ENTRY = {"nip": "198801012012012001", "name": "Besse Tenri", "agency_name": "Dinas Kesehatan"}
API_ROSTER_ENTRY = {"nip": "198801012012012001", "name": "Besse Tenri", "agency": "Dinas Kesehatan"}
ROSTER_CSV = {"csv": "NIP,Nama,Instansi/OPD,Kabupaten/Kota\n198801012012012002,Cakra,Dinas Sosial,73.73\n"}
IMPACT = {"status": "reduced", "workers_before": 4, "workers_now": 1, "revenue_drop": "50_75", "main_need": "capital"}
FIELD_REPORT = {"business_name": "Konveksi Hj. Marwah", "category": "fesyen", **IMPACT}
API_FIELD_REPORT = {"region": "73.73", **FIELD_REPORT}
BUYER = {"name": "Yayasan Peduli Luwu Raya", "kind": "social", "region": "73.73", "address": "Jl. Andi Djemma No. 9",
         "whatsapp": "0813-5555-0001", "description": "Donasi APD"}
NEED = {"buyer_id": "#{buyer}", "title": "Baju APD", "category": "fesyen", "quantity": 100, "unit": "potong",
        "budget_min": 0, "budget_max": 10_000_000, "regions": ["73.73"], "deadline": "{today}",
        "delivery_place": "RSUD Sawerigading"}
HTML_NEED = {**NEED, "buyer_id": "{buyer}", "quantity": "100", "budget_min": "0", "budget_max": "10.000.000",
             "regions": "73.73"}
HTML_OFFER = {"shop_id": "{shop}", "unit_price": "50.000", "quantity": "10", "delivery_date": "{today}",
              "message": "Siap kirim"}
API_OFFER = {"need_id": "#{need}", "shop_id": "#{shop}", "unit_price": 50_000, "quantity": 10, "delivery_date": "{today}"}

MATRIX: dict[tuple[str, str], tuple] = {
    # endpoint, method                          URL, outcomes for: anon asn owner coord other admin
    ("admin.accounts_page", "GET"):            ("/admin/akun", "login deny deny deny deny ok"),
    ("admin.accounts_page", "POST"):           ("/admin/akun", "login deny deny deny deny ok", {"login": "{staff_login}"}),
    ("admin.campaigns", "GET"):                ("/admin/kampanye", "login deny deny deny deny ok"),
    ("admin.campaigns", "POST"):               ("/admin/kampanye", "login deny deny deny deny ok", CAMPAIGN),
    ("admin.coordinators", "GET"):             ("/admin/koordinator", "login deny deny deny deny ok"),
    ("admin.coordinators", "POST"):            ("/admin/koordinator", "login deny deny deny deny ok", APPOINT),
    ("admin.home", "GET"):                     ("/admin/", "login deny deny deny deny ok"),
    ("admin.reactivate", "POST"):              ("/admin/akun/{staff}/aktifkan", "login deny deny deny deny ok"),
    ("admin.remove_coordinator", "POST"):      ("/admin/koordinator/{staff}/cabut", "login deny deny deny deny ok"),

    ("affected.coordinator", "GET"):           ("/koordinator/umkm-terdampak/{code}", "login deny deny ok deny ok"),
    ("affected.coordinator", "POST"):          ("/koordinator/umkm-terdampak/{code}", "login deny deny ok deny ok", FIELD_REPORT),
    ("affected.delete", "POST"):               ("/koordinator/umkm-terdampak/{code}/laporan/1/hapus", "login deny deny ok deny ok"),
    ("affected.import_file", "POST"):          ("/koordinator/umkm-terdampak/{code}/impor", "login deny deny ok deny ok"),
    ("affected.province", "GET"):              ("/umkm-terdampak", "ok ok ok ok ok ok"),
    ("affected.region", "GET"):                ("/wilayah/{code}/umkm-terdampak", "ok ok ok ok ok ok"),
    ("affected.shop_report", "GET"):           ("/toko/{shop}/dampak", "login deny ok deny deny deny"),
    ("affected.shop_report", "POST"):          ("/toko/{shop}/dampak", "login deny ok deny deny deny", IMPACT),

    ("api.add_roster_entry", "POST"):         ("/api/v1/regions/{code}/roster", "login deny deny ok deny ok", API_ROSTER_ENTRY),
    ("api.campaigns", "GET"):                  ("/api/v1/campaigns", "ok ok ok ok ok ok"),
    ("api.confirm_purchase", "POST"):          ("/api/v1/purchases/{purchase}/confirm", "login deny ok deny deny deny"),
    ("api.create_token", "POST"):              ("/api/v1/tokens", "ok ok ok ok ok ok"),
    ("api.field_report", "POST"):              ("/api/v1/affected-reports", "login deny deny ok deny ok", API_FIELD_REPORT),
    ("api.province_affected", "GET"):          ("/api/v1/affected", "ok ok ok ok ok ok"),
    ("api.region_affected_view", "GET"):       ("/api/v1/regions/{code}/affected", "ok ok ok ok ok ok"),
    ("api.report_for_shop", "PUT"):            ("/api/v1/shops/{shop}/affected-report", "login deny ok deny deny deny", IMPACT),
    ("api.need", "GET"):                       ("/api/v1/needs/{need}", "ok ok ok ok ok ok"),
    ("api.need_offers", "GET"):                ("/api/v1/needs/{need}/offers", "login deny deny deny deny deny"),
    ("api.needs", "GET"):                      ("/api/v1/needs", "ok ok ok ok ok ok"),
    ("api.needs_board_gaps", "GET"):           ("/api/v1/regions/{code}/needs-board", "login deny deny ok deny ok"),
    ("api.needs_for_you", "GET"):              ("/api/v1/me/needs-for-you", "login deny ok deny deny ok"),
    ("api.post_need", "POST"):                 ("/api/v1/needs", "login deny deny deny deny deny", NEED),
    ("api.accept_offer", "POST"):              ("/api/v1/offers/{offer}/accept", "login deny deny deny deny deny"),
    ("api.confirm_delivery", "POST"):          ("/api/v1/offers/{offer}/confirm", "login deny ok deny deny deny"),
    ("api.record_delivery", "POST"):           ("/api/v1/offers/{offer}/deliver", "login deny deny deny deny deny"),
    ("api.withdraw_offer", "POST"):            ("/api/v1/offers/{offer}/withdraw", "login deny ok deny deny deny"),
    ("api.void_deal", "POST"):                 ("/api/v1/offers/{offer}/void", "login deny deny ok deny ok", REASON),
    ("api.undo_void_deal", "POST"):            ("/api/v1/offers/{offer}/void/undo", "login deny deny ok deny ok"),
    ("api.send_offer", "POST"):                ("/api/v1/offers", "login deny ok deny deny deny", API_OFFER),
    ("api.register_buyer", "POST"):            ("/api/v1/buyers", "login ok ok ok ok ok", BUYER),
    ("api.verify_buyer", "POST"):              ("/api/v1/buyers/{buyer}/verify", "login deny deny ok deny ok"),
    ("api.reject_buyer", "POST"):              ("/api/v1/buyers/{buyer}/reject", "login deny deny ok deny ok", REASON),
    ("api.region_institutional", "GET"):       ("/api/v1/regions/{code}/institutional", "ok ok ok ok ok ok"),
    ("api.current_campaign", "GET"):           ("/api/v1/campaigns/current", "ok ok ok ok ok ok"),
    ("api.deactivate_user", "POST"):           ("/api/v1/users/{staff}/deactivate", "login deny deny deny deny ok"),
    ("api.dispute_purchase", "POST"):          ("/api/v1/purchases/{purchase}/dispute", "login deny ok deny deny deny", REASON),
    ("api.leaderboard", "GET"):                ("/api/v1/leaderboard", "ok ok ok ok ok ok"),
    ("api.province_leaderboard", "GET"):       ("/api/v1/leaderboard/provinces", "ok ok ok ok ok ok"),
    ("api.log_purchase", "POST"):              ("/api/v1/purchases", "login ok deny deny deny deny"),
    ("api.me", "GET"):                         ("/api/v1/me", "login ok ok ok ok ok"),
    ("api.my_purchases", "GET"):               ("/api/v1/me/purchases", "login ok deny deny deny deny"),
    ("api.my_shops", "GET"):                   ("/api/v1/me/shops", "login ok ok ok ok ok"),
    ("api.my_summary", "GET"):                 ("/api/v1/me/summary", "login ok deny deny deny deny"),
    ("api.openapi_json", "GET"):               ("/api/v1/openapi.json", "ok ok ok ok ok ok"),
    ("api.pending_shops", "GET"):              ("/api/v1/shops/pending", "login deny deny ok ok ok"),
    ("api.reactivate_user", "POST"):           ("/api/v1/users/{staff}/reactivate", "login deny deny deny deny ok"),
    ("api.region_details", "GET"):             ("/api/v1/regions/{code}/details", "login deny deny ok deny ok"),
    ("api.import_roster", "POST"):            ("/api/v1/roster/import", "login deny deny deny deny ok", ROSTER_CSV),
    ("api.region_flags", "GET"):               ("/api/v1/regions/{code}/flags", "login deny deny ok deny ok"),
    ("api.review_flag", "POST"):               ("/api/v1/regions/{code}/flags/review", "login deny deny ok deny ok", {"flag": "{flag}"}),
    ("api.preview_bulk_void", "POST"):         ("/api/v1/regions/{code}/bulk-voids/preview", "login deny deny ok deny ok", {"status": "reported"}),
    ("api.bulk_void", "POST"):                 ("/api/v1/regions/{code}/bulk-voids", "login deny deny ok deny ok", {"status": "reported", "reason": "Toko fiktif"}),
    ("api.undo_bulk_void", "POST"):            ("/api/v1/bulk-voids/{bulk_void}/undo", "login deny deny ok deny ok"),
    ("api.region_progress", "GET"):            ("/api/v1/regions/{code}/progress", "ok ok ok ok ok ok"),
    ("api.regions", "GET"):                    ("/api/v1/regions", "ok ok ok ok ok ok"),
    ("api.register_shop", "POST"):             ("/api/v1/shops", "login ok ok ok ok ok"),
    ("api.reject_shop", "POST"):               ("/api/v1/shops/{pending}/reject", "login deny deny ok deny ok", REASON),
    ("api.region_roster", "GET"):             ("/api/v1/regions/{code}/roster", "login deny deny ok deny ok"),
    ("api.retire_roster_entry", "POST"):      ("/api/v1/roster/{entry}/retire", "login deny deny ok deny ok"),
    ("api.revoke_token", "DELETE"):            ("/api/v1/tokens/current", "login ok ok ok ok ok"),
    ("api.set_pledge", "PUT"):                 ("/api/v1/me/pledge", "login ok deny deny deny deny"),
    ("api.set_target", "PUT"):                 ("/api/v1/regions/{code}/target", "login deny deny ok deny ok", TARGET),
    ("api.shop", "GET"):                       ("/api/v1/shops/{shop}", "ok ok ok ok ok ok"),
    ("api.shop_purchases", "GET"):             ("/api/v1/shops/{shop}/purchases", "login deny ok ok deny ok"),
    ("api.shops", "GET"):                      ("/api/v1/shops", "ok ok ok ok ok ok"),
    ("api.sign_up", "POST"):                   ("/api/v1/users", "ok ok ok ok ok ok"),
    ("api.verify_shop", "POST"):               ("/api/v1/shops/{pending}/verify", "login deny deny ok deny ok"),
    ("api.void_purchase", "POST"):             ("/api/v1/purchases/{purchase}/void", "login deny deny ok deny ok", REASON),
    ("api.withdraw_purchase", "POST"):         ("/api/v1/purchases/{purchase}/withdraw", "login ok deny deny deny deny"),

    ("api.give_back_seat", "DELETE"):          ("/api/v1/trainings/{training}/seats/{shop}", "login deny ok deny deny deny"),
    ("api.get_training", "GET"):               ("/api/v1/trainings/{training}", "ok ok ok ok ok ok"),
    ("api.list_seats", "GET"):                 ("/api/v1/trainings/{training}/participants", "login deny deny ok deny ok"),
    ("api.list_trainings", "GET"):             ("/api/v1/trainings", "ok ok ok ok ok ok"),
    ("api.mark_attendance", "PUT"):            ("/api/v1/trainings/{training}/attendance", "login deny deny ok deny ok", {"attended": []}),
    ("api.publish_training", "POST"):          ("/api/v1/trainings", "login deny deny ok deny ok", API_TRAINING),
    ("api.take_seat", "POST"):                 ("/api/v1/trainings/{training}/seats", "login deny ok deny deny deny", {"shop_id": "#{shop}"}),

    ("auth.change_password", "GET"):           ("/akun/kata-sandi", "login ok ok ok ok ok"),
    ("auth.change_password", "POST"):          ("/akun/kata-sandi", "login ok ok ok ok ok", CHANGE_PASSWORD),
    ("auth.login", "GET"):                     ("/masuk", "ok ok ok ok ok ok"),
    ("auth.login", "POST"):                    ("/masuk", "ok ok ok ok ok ok", LOGIN),
    ("auth.logout", "POST"):                   ("/keluar", "login ok ok ok ok ok"),
    ("auth.logout_everywhere", "POST"):        ("/akun/keluar-semua", "login ok ok ok ok ok"),
    ("auth.sign_up", "GET"):                   ("/daftar", "ok ok ok ok ok ok"),
    ("auth.sign_up_asn", "GET"):               ("/daftar/asn", "ok ok ok ok ok ok"),
    ("auth.sign_up_asn", "POST"):              ("/daftar/asn", "ok ok ok ok ok ok", SIGN_UP_ASN),
    ("auth.sign_up_organisation", "GET"):      ("/daftar/lembaga", "ok ok ok ok ok ok"),
    ("auth.sign_up_organisation", "POST"):     ("/daftar/lembaga", "ok ok ok ok ok ok", SIGN_UP),
    ("auth.sign_up_shop_owner", "GET"):        ("/daftar/pemilik-toko", "ok ok ok ok ok ok"),
    ("auth.sign_up_shop_owner", "POST"):       ("/daftar/pemilik-toko", "ok ok ok ok ok ok", SIGN_UP),

    ("catalogue.region", "GET"):               ("/wilayah/{code}/katalog", "ok ok ok ok ok ok"),

    ("buyers.coordinator_needs", "GET"):       ("/koordinator/kebutuhan/{code}", "login deny deny ok deny ok"),
    ("buyers.mine", "GET"):                    ("/lembaga/saya", "login ok ok ok ok ok"),
    ("buyers.queue", "GET"):                   ("/koordinator/lembaga", "login deny deny ok ok ok"),
    ("buyers.region_spend", "GET"):            ("/wilayah/{code}/belanja-lembaga", "ok ok ok ok ok ok"),
    ("buyers.register", "GET"):                ("/lembaga/daftar", "login ok ok ok ok ok"),
    ("buyers.register", "POST"):               ("/lembaga/daftar", "login ok ok ok ok ok", BUYER),
    ("buyers.reject", "POST"):                 ("/koordinator/lembaga/{buyer}/tolak", "login deny deny ok deny ok", REASON),
    ("buyers.verify", "GET"):                  ("/koordinator/lembaga/{buyer}/verifikasi", "login deny deny ok deny ok"),
    ("buyers.verify", "POST"):                 ("/koordinator/lembaga/{buyer}/verifikasi", "login deny deny ok deny ok"),

    ("needs.accept", "GET"):                   ("/penawaran/{offer}/terima", "login deny deny deny deny deny"),
    ("needs.accept", "POST"):                  ("/penawaran/{offer}/terima", "login deny deny deny deny deny"),
    ("needs.board", "GET"):                    ("/kebutuhan", "ok ok ok ok ok ok"),
    ("needs.close", "POST"):                   ("/kebutuhan/{need}/tutup", "login deny deny deny deny deny"),
    ("needs.confirm", "POST"):                 ("/penawaran/{offer}/konfirmasi", "login deny ok deny deny deny"),
    ("needs.delivered", "GET"):                ("/penawaran/{offer}/terkirim", "login deny deny deny deny deny"),
    ("needs.delivered", "POST"):               ("/penawaran/{offer}/terkirim", "login deny deny deny deny deny"),
    ("needs.detail", "GET"):                   ("/kebutuhan/{need}", "ok ok ok ok ok ok"),
    ("needs.for_you", "GET"):                  ("/kebutuhan/untuk-anda", "login ok ok ok ok ok"),
    ("needs.new", "GET"):                      ("/kebutuhan/baru", "login ok ok ok ok ok"),
    ("needs.new", "POST"):                     ("/kebutuhan/baru", "login ok ok ok ok ok", HTML_NEED),
    ("needs.offer", "POST"):                   ("/kebutuhan/{need}/tawar", "login ok ok ok ok ok", HTML_OFFER),
    ("needs.withdraw", "POST"):                ("/penawaran/{offer}/tarik", "login deny ok deny deny deny"),
    ("needs.void", "POST"):                    ("/penawaran/{offer}/batalkan", "login deny deny ok deny ok", REASON),
    ("needs.undo_void", "POST"):               ("/penawaran/{offer}/urungkan-pembatalan", "login deny deny ok deny ok"),
    ("needs.deals", "GET"):                    ("/koordinator/kebutuhan/{code}/transaksi", "login deny deny ok deny ok"),

    ("coordinator.home", "GET"):               ("/koordinator/", "login deny deny ok ok ok"),
    ("coordinator.reject_shop", "GET"):        ("/koordinator/toko/{pending}/tolak", "login deny deny ok deny ok"),
    ("coordinator.reject_shop", "POST"):       ("/koordinator/toko/{pending}/tolak", "login deny deny ok deny ok", REASON),
    ("coordinator.verify_shop", "GET"):        ("/koordinator/toko/{pending}/verifikasi", "login deny deny ok deny ok"),
    ("coordinator.verify_shop", "POST"):       ("/koordinator/toko/{pending}/verifikasi", "login deny deny ok deny ok"),

    ("leaderboard.export_province", "GET"):    ("/peringkat/unduh.xlsx", "login deny deny deny deny ok"),
    ("leaderboard.region", "GET"):             ("/wilayah/{code}", "ok ok ok ok ok ok"),
    ("leaderboard.standings", "GET"):          ("/peringkat", "ok ok ok ok ok ok"),

    ("region_desk.agencies", "GET"):           ("/wilayah/{code}/instansi", "login deny deny ok deny ok"),
    ("region_desk.disputes", "GET"):           ("/wilayah/{code}/bantahan", "login deny deny ok deny ok"),
    ("region_desk.downloads", "GET"):          ("/wilayah/{code}/unduh", "login deny deny ok deny ok"),
    ("region_desk.export", "GET"):             ("/wilayah/{code}/unduh.xlsx", "login deny deny ok deny ok"),
    ("region_desk.shops", "GET"):              ("/wilayah/{code}/toko", "login deny deny ok deny ok"),
    ("region_desk.target", "GET"):             ("/wilayah/{code}/target", "login deny deny ok deny ok"),
    ("region_desk.target", "POST"):            ("/wilayah/{code}/target", "login deny deny ok deny ok", HTML_TARGET),

    ("main.favicon", "GET"):                   ("/favicon.ico", "ok ok ok ok ok ok"),
    ("main.healthz", "GET"):                   ("/healthz", "ok ok ok ok ok ok"),
    ("pwa.service_worker", "GET"):             ("/sw.js", "ok ok ok ok ok ok"),
    ("pwa.manifest", "GET"):                   ("/manifest.webmanifest", "ok ok ok ok ok ok"),
    ("pwa.offline", "GET"):                    ("/luring", "ok ok ok ok ok ok"),
    ("pwa.saved", "GET"):                      ("/luring/tersimpan", "ok ok ok ok ok ok"),
    ("main.index", "GET"):                     ("/", "ok ok ok ok ok ok"),
    ("main.privacy", "GET"):                   ("/privasi", "ok ok ok ok ok ok"),

    ("notifications.index", "GET"):            ("/notifikasi/", "login ok ok ok ok ok"),
    ("notifications.mark_read", "POST"):       ("/notifikasi/baca", "login ok ok ok ok ok"),

    ("people.districts", "GET"):               ("/wilayah/{code}/kecamatan", "login deny deny ok deny ok"),
    ("people.people", "GET"):                  ("/wilayah/{code}/asn", "login deny deny ok deny ok"),
    ("people.purchases_export", "GET"):        ("/wilayah/{code}/belanja.xlsx", "login deny deny ok deny ok"),

    ("purchases.at_my_shops", "GET"):          ("/toko/saya/belanja", "login deny ok deny deny ok"),
    ("purchases.confirm_all", "GET"):          ("/toko/saya/belanja/konfirmasi-semua", "login deny ok deny deny ok"),
    ("purchases.confirm_all", "POST"):         ("/toko/saya/belanja/konfirmasi-semua", "login deny ok deny deny deny",
                                                {"ids": "{purchase}"}),
    ("purchases.undo_confirm", "POST"):        ("/belanja/{purchase}/konfirmasi/batal", "login deny ok deny deny deny"),
    ("purchases.confirm", "POST"):             ("/belanja/{purchase}/konfirmasi", "login deny ok deny deny deny"),
    ("purchases.dispute", "GET"):              ("/belanja/{purchase}/bantah", "login deny ok deny deny deny"),
    ("purchases.dispute", "POST"):             ("/belanja/{purchase}/bantah", "login deny ok deny deny deny", REASON),
    ("purchases.mine", "GET"):                 ("/saya", "login ok deny deny deny deny"),
    ("purchases.new", "GET"):                  ("/belanja/baru", "login ok deny deny deny deny"),
    ("purchases.new", "POST"):                 ("/belanja/baru", "login ok deny deny deny deny", PURCHASE),
    ("purchases.pledge", "GET"):               ("/janji", "login ok deny deny deny deny"),
    ("purchases.pledge", "POST"):              ("/janji", "login ok deny deny deny deny", {"amount": "500.000"}),
    ("purchases.void", "GET"):                 ("/belanja/{purchase}/batal", "login deny deny ok deny ok"),
    ("purchases.void", "POST"):                ("/belanja/{purchase}/batal", "login deny deny ok deny ok", REASON),
    ("purchases.withdraw", "GET"):             ("/belanja/{purchase}/tarik", "login ok deny deny deny deny"),
    ("purchases.withdraw", "POST"):            ("/belanja/{purchase}/tarik", "login ok deny deny deny deny"),

    ("roster.add", "POST"):                    ("/wilayah/{code}/daftar-asn/tambah", "login deny deny ok deny ok", ROSTER_ENTRY),
    ("roster.import_file", "GET"):             ("/admin/daftar-asn", "login deny deny deny deny ok"),
    ("roster.import_file", "POST"):            ("/admin/daftar-asn", "login deny deny deny deny ok", {"region": "73.73"}),
    ("roster.region", "GET"):                  ("/wilayah/{code}/daftar-asn", "login deny deny ok deny ok"),
    ("roster.retire", "POST"):                 ("/daftar-asn/{entry}/nonaktifkan", "login deny deny ok deny ok"),
    ("trust.bulk_void", "GET"):                ("/koordinator/wilayah/{code}/batal-massal?toko={shop}", "login deny deny ok deny ok"),
    ("trust.bulk_void", "POST"):               ("/koordinator/wilayah/{code}/batal-massal?toko={purchase_shop}", "login deny deny ok deny ok", {"alasan": "Toko fiktif, kolusi"}),
    ("trust.bulk_void_detail", "GET"):         ("/koordinator/batal-massal/{bulk_void}", "login deny deny ok deny ok"),
    ("trust.flags", "GET"):                    ("/koordinator/wilayah/{code}/tanda", "login deny deny ok deny ok"),
    ("trust.review", "POST"):                  ("/koordinator/wilayah/{code}/tanda/tinjau", "login deny deny ok deny ok", {"tanda": "{flag}"}),
    ("trust.undo", "POST"):                    ("/koordinator/batal-massal/{bulk_void}/urungkan", "login deny deny ok deny ok"),

    ("shops.detail", "GET"):                   ("/toko/{shop}", "ok ok ok ok ok ok"),
    ("shops.directory", "GET"):                ("/toko", "ok ok ok ok ok ok"),
    ("shops.mine", "GET"):                     ("/toko/saya", "login ok ok ok ok ok"),
    ("shops.new", "GET"):                      ("/toko/baru", "login ok ok ok ok ok"),
    ("shops.new", "POST"):                     ("/toko/baru", "login ok ok ok ok ok", SHOP),
    ("shops.poster", "GET"):                   ("/toko/{shop}/poster", "login deny ok ok deny ok"),
    ("shops.short_link", "GET"):               ("/t/{shop}", "ok ok ok ok ok ok"),
    ("shops.qr", "GET"):                       ("/toko/{shop}/qr.svg", "ok ok ok ok ok ok"),

    ("training.attendance", "GET"):            ("/pelatihan/{training}/kehadiran", "login deny deny ok deny ok"),
    ("training.attendance", "POST"):           ("/pelatihan/{training}/kehadiran", "login deny deny ok deny ok"),
    ("training.attendance_xlsx", "GET"):       ("/pelatihan/{training}/kehadiran.xlsx", "login deny deny ok deny ok"),
    ("training.calendar", "GET"):              ("/pelatihan/{training}/kalender.ics", "ok ok ok ok ok ok"),
    ("training.call_off", "POST"):             ("/pelatihan/{training}/dibatalkan", "login deny deny ok deny ok",
                                                {"reason": "Narasumber berhalangan"}),
    ("training.cancel", "POST"):               ("/pelatihan/{training}/batal", "login ok ok ok ok ok", {"shop_id": "{shop}"}),
    ("training.detail", "GET"):                ("/pelatihan/{training}", "ok ok ok ok ok ok"),
    ("training.index", "GET"):                 ("/pelatihan", "ok ok ok ok ok ok"),
    ("training.manage", "GET"):                ("/pelatihan/kelola", "login deny deny ok ok ok"),
    ("training.mine", "GET"):                  ("/pelatihan/saya", "login deny ok deny deny ok"),
    ("training.new", "GET"):                   ("/pelatihan/baru", "login deny deny ok ok ok"),
    ("training.new", "POST"):                  ("/pelatihan/baru", "login deny deny ok ok ok", TRAINING),
    ("training.register", "POST"):             ("/pelatihan/{training}/daftar", "login ok ok ok ok ok", {"shop_id": "{shop}"}),
}


def expected(endpoint: str, method: str) -> dict[str, str]:
    """The expected outcome per role for one row of MATRIX."""
    words = MATRIX[(endpoint, method)][1]
    outcomes = words.split()
    assert len(outcomes) == len(ROLES) and set(outcomes) <= OUTCOMES, \
        f"{HERE}: row {endpoint} {method} needs six words out of {sorted(OUTCOMES)}, got {words!r}"
    return dict(zip(ROLES, outcomes))


def rule_keys(app) -> set[tuple[str, str]]:
    """(endpoint, method) for every rule of the app except static files, HEAD and OPTIONS."""
    keys = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            keys.add((rule.endpoint, method))
    return keys


def outcome_of(response) -> str:
    """The outcome word for a response (see the module docstring)."""
    status = response.status_code
    assert status < 500, f"{status}: {response.get_data(as_text=True)[:300]}"
    if status in (301, 302, 303, 307, 308):
        return "login" if "/masuk" in response.headers.get("Location", "") else "ok"
    if status == 401:
        return "login"
    if status == 403:
        return "deny"
    if status == 404:
        return "hide"
    assert status < 300 or status in (304, 400, 409, 422, 429), f"unexpected status {status}"
    return "ok"


@dataclass
class World:
    """The people of the matrix (made once per row) and the objects a URL needs (made per request)."""

    app: object
    people: dict
    builders: dict
    tokens: dict = field(default_factory=dict)
    counter: int = 0

    def value(self, name: str) -> str:
        make = self.builders
        owner, asn = self.people["owner"], self.people["asn"]
        self.counter += 1
        if name == "code":
            return "73.73"
        if name == "today":
            return province_today().isoformat()
        if name == "campaign":
            from campaign.domains.regions.services import current_campaign
            with self.app.app_context():
                return str(current_campaign().id)
        if name in ("asn_login", "password"):
            return getattr(asn, name.removeprefix("asn_"))
        if name == "shop":
            return str(make["shop"](owner=owner))
        if name == "pending":
            return str(make["shop"](owner=owner, status="pending"))
        if name == "purchase":
            shop_id = make["shop"](owner=owner)
            return str(make["purchase"](buyer=asn, shop_id=shop_id, amount=10_000 + self.counter * 1_000))
        if name == "purchase_shop":  # a shop of 73.73 with one reported purchase by ``asn``
            shop_id = make["shop"](owner=owner)
            make["purchase"](buyer=asn, shop_id=shop_id, amount=10_000 + self.counter * 1_000)
            return str(shop_id)
        if name == "flag":  # the key of a flag of 73.73: {shop}'s Rp10.500.000 confirmed, all from ``asn``
            from campaign.core.extensions import db
            from campaign.domains.auth.models import User
            from campaign.domains.purchases.services import confirm_purchase
            shop_id = make["shop"](owner=owner)
            ids = [make["purchase"](buyer=asn, shop_id=shop_id, amount=amount) for amount in (5_000_000, 5_500_000)]
            with self.app.app_context():
                for purchase_id in ids:
                    confirm_purchase(actor=db.session.get(User, owner.id), purchase_id=purchase_id)
            return f"shop:{shop_id}"
        if name == "bulk_void":  # an admin's bulk void of such a purchase, undoable
            from campaign.core.extensions import db
            from campaign.domains.auth.models import User
            from campaign.domains.trust.selection import Selection
            from campaign.domains.trust.services import bulk_void
            shop_id = int(self.value("purchase_shop"))
            with self.app.app_context():
                return str(bulk_void(actor=db.session.get(User, self.people["admin"].id), region_code="73.73",
                                     selection=Selection(shop_id=shop_id), reason="Uji matriks").id)
        if name == "staff":
            return str(make["staff"](role="coordinator", region="73.71").id)
        if name == "staff_login":
            return make["staff"](role="coordinator", region="73.71").login
        if name == "training":
            return str(self._training())
        if name == "entry":
            from sqlalchemy import select

            from campaign.core.extensions import db
            from campaign.domains.roster.models import RosterEntry
            from campaign.domains.roster.services import import_roster

            nip = f"19880101201201{1 + self.counter % 2}{self.counter % 999 + 1:03d}"
            with self.app.app_context():
                import_roster(actor=None, content=f"NIP,Nama,OPD\n{nip},ASN {self.counter},Dinas\n".encode(),
                              filename="matrix.csv", region_code="73.73")
                return str(db.session.scalar(select(RosterEntry.id).where(RosterEntry.nip == nip)))
        if name in ("buyer", "need", "offer"):
            from needs_helpers import matrix_buyer, matrix_need, matrix_offer
            if name == "buyer":
                return str(matrix_buyer(self.app, verified=False))
            if name == "need":
                return str(matrix_need(self.app))
            return str(matrix_offer(self.app, owner_id=owner.id, shop_id=make["shop"](owner=owner)))
        raise KeyError(f"{HERE}: unknown placeholder {{{name}}}; add it to World.value")

    def _training(self) -> int:
        from datetime import timedelta

        from campaign.core.extensions import db
        from campaign.domains.auth.models import User
        from campaign.domains.training.services import publish_training
        from campaign.util.formatting import utcnow

        with self.app.app_context():
            return publish_training(
                actor=db.session.get(User, self.people["coord"].id), title="Pelatihan Uji", topic="keuangan",
                starts_at=utcnow() + timedelta(days=7), duration_minutes=60, capacity=20, mode="offline",
                place="Aula Diskop UKM", region_code="73.73").id

    def url(self, template: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: self.value(m.group(1)), template)

    def fill(self, data: dict) -> dict:
        """The row's data with its placeholders ({shop}, {today}, ...) replaced, as for a URL."""
        def one(value):
            if isinstance(value, str) and value.startswith("#{"):
                return int(self.url(value[1:]))
            return self.url(value) if isinstance(value, str) else value
        return {key: one(value) for key, value in data.items()}

    def client(self, role: str, *, api: bool):
        """A test client acting as ``role``: its session cookie (HTML) or the headers for its token (API)."""
        client = self.app.test_client()
        person = self.people.get(role)
        if person is None:
            return client, {}
        if api:
            return client, {"Authorization": f"Bearer {self.token(role)}"}
        response = client.post("/masuk", data={"login": person.login, "password": person.password})
        assert response.status_code == 302, f"{role} could not sign in"
        return client, {}

    def token(self, role: str) -> str:
        if role not in self.tokens:
            from campaign.api.auth import issue_token
            from campaign.core.extensions import db
            from campaign.domains.auth.models import User

            with self.app.app_context():
                self.tokens[role], _ = issue_token(db.session.get(User, self.people[role].id))
        return self.tokens[role]


def make_world(app, make_asn, make_owner, make_staff, make_shop, make_purchase) -> World:
    people = {"asn": make_asn(region="73.73"), "owner": make_owner(),
              "coord": make_staff(role="coordinator", region="73.73"),
              "other": make_staff(role="coordinator", region="73.71"), "admin": make_staff(role="admin")}
    return World(app, people, {"shop": make_shop, "purchase": make_purchase, "staff": make_staff})


def row_data(endpoint: str, method: str) -> dict:
    row = MATRIX[(endpoint, method)]
    return dict(row[2]) if len(row) > 2 else {}


def send(client, method: str, url: str, headers: dict, *, api: bool, data=None):
    """One request as the matrix sends it (``data`` as a form or a JSON object for writes)."""
    if method == "GET":
        return client.get(url, headers=headers)
    if api:
        return client.open(url, method=method, headers=headers, json=data if data is not None else {})
    return client.open(url, method=method, headers=headers, data=data or {})
