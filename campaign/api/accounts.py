"""Accounts: bearer tokens, sign-up, the caller's own account, and deactivation by an admin."""
from __future__ import annotations

from flask import current_app, g, request

from campaign.api import auth, serializers
from campaign.api.core import ID, bp, json_body, operation, unknown_as_field
from campaign.api.fields import Bool, Fields, Str, Variants
from campaign.core.extensions import limiter
from campaign.domains.auth import services as accounts
from campaign.domains.auth import sessions
from campaign.domains.auth import signals as account_signals
from campaign.domains.auth.decorators import public


def _credential_limit() -> str:
    return current_app.config["RATELIMIT_API_TOKENS"]


LOGIN = Str("login", max_length=254, description="E-mail atau nomor WhatsApp (0812..., +62812...).")
PASSWORD = Str("password", max_length=1024)
TOKEN_BODY = Fields(LOGIN, PASSWORD, example={"login": "rahmat@contoh.go.id", "password": "rahasia123"})


@bp.post("/tokens")
@operation("Minta token", tag="Akun", ok=(201, "Token"), body=TOKEN_BODY, errors=(401,), rate_limited=True,
           description="Login salah dan kata sandi salah mendapat jawaban 401 yang sama. "
           "Token berlaku API_TOKEN_HOURS jam (bawaan 30 hari). Dibatasi per alamat IP.")
@limiter.limit(_credential_limit)
@public
def create_token():
    body = json_body()
    user = accounts.authenticate(login=body["login"], password=body["password"])
    token, expires_at = auth.issue_token(user)
    return {"token": token, "token_type": "Bearer", "expires_at": serializers.timestamp(expires_at)}, 201


@bp.delete("/tokens/current")
@operation("Cabut token yang dipakai", tag="Akun", ok=(204, None))
@auth.token_required
def revoke_token():
    auth.revoke_token(g.api_token_id)
    return "", 204


_COMMON = (Str("name", max_length=120), LOGIN, PASSWORD,
           Bool("consent", description="Menyetujui pemberitahuan privasi; harus true."))
SIGN_UP_BODY = Variants("role", {
    "asn": Fields(*_COMMON, Str("nip", max_length=40, description="18 digit; spasi boleh."),
                  Str("agency", required=False, max_length=160,
                      description="Instansi/OPD; wajib kecuali NIP ada di daftar ASN (instansi diambil dari sana)."),
                  Str("region", max_length=8, description="Kode Kemendagri wilayah kerja, mis. 73.73."),
                  example={"role": "asn", "name": "Rahmat Hidayat", "nip": "199001012015031002",
                           "agency": "Dinas Koperasi dan UKM", "region": "73.73", "login": "rahmat@contoh.go.id",
                           "password": "rahasia123", "consent": True}),
    "shop_owner": Fields(*_COMMON, example={"role": "shop_owner", "name": "Sitti Aminah", "login": "0812-3456-7890",
                                            "password": "rahasia123", "consent": True}),
})


@bp.post("/users")
@operation("Daftar sebagai ASN atau pemilik toko", tag="Akun", ok=(201, "Me"), body=SIGN_UP_BODY,
           errors=(409,), rate_limited=True,
           description="409 bila login atau NIP sudah terdaftar. Di wilayah yang memiliki daftar ASN, NIP harus "
           "aktif di daftar (422 pada `nip` bila tidak); instansi dan wilayah diambil dari daftar. Setelah itu "
           "minta token.")
@limiter.limit(_credential_limit)
@public
def sign_up():
    body = json_body()
    common = dict(name=body["name"], login=body["login"], password=body["password"], consent=body["consent"])
    if body["role"] == "asn":
        with unknown_as_field("region"):
            user = accounts.sign_up_asn(nip=body["nip"], agency_name=body["agency"], region_code=body["region"],
                                        **common)
        account_signals.asn_signed_up.send(user.id, ip_address=request.remote_addr)
    else:
        user = accounts.sign_up_shop_owner(**common)
    return serializers.me(user), 201


@bp.get("/me")
@operation("Akun saya", tag="Akun", ok=(200, "Me"))
@auth.token_required
def me():
    return serializers.me(auth.api_user())


@bp.post(f"/users/<{ID}:user_id>/deactivate")
@operation("Nonaktifkan akun", tag="Admin", ok=(200, "Account"), errors=(409,),
           description="Admin nasional. Akun tidak dapat masuk lagi; sesi browser dan semua token API-nya "
           "langsung berakhir. 403 untuk akun sendiri, 409 bila sudah nonaktif.")
@auth.national_admin_required
def deactivate_user(user_id: int):
    return serializers.account(sessions.deactivate_account(actor=auth.api_user(), user_id=user_id))


@bp.post(f"/users/<{ID}:user_id>/reactivate")
@operation("Aktifkan kembali akun", tag="Admin", ok=(200, "Account"), errors=(409,),
           description="Admin nasional. Pemilik akun perlu masuk atau meminta token lagi. 409 bila masih aktif.")
@auth.national_admin_required
def reactivate_user(user_id: int):
    return serializers.account(sessions.reactivate_account(actor=auth.api_user(), user_id=user_id))
