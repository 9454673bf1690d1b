"""The OpenAPI 3.1 document, built from the app's own routes.

Every rule under ``/api/v1`` becomes a path; its view's :class:`~campaign.api.core.Operation`
gives the summary, query, body and success schema; its access rule (``public``,
``api:optional`` or ``api:<role>``) gives the security requirement and the 401/403 answers. A
view without an operation makes the build fail, so an undocumented route cannot ship.
"""
from __future__ import annotations

import re

from flask import Flask, current_app

from campaign.api.core import REGION_CODE, Operation, bp, operation, public_json
from campaign.api.fields import INT32_MAX
from campaign.api.schemas import COMPONENTS, ref
from campaign.domains.auth.decorators import public
from campaign.domains.regions.provinces import normalize, scope_of

ERRORS = {
    304: "Tidak berubah: ETag sama dengan If-None-Match (tanpa isi).",
    400: "Badan permintaan kosong atau bukan JSON yang valid (code `malformed_json`).",
    401: "Token tidak ada, tidak valid, kedaluwarsa atau dicabut; atau login/kata sandi salah.",
    403: "Token valid tetapi peran atau wilayahnya tidak berhak.",
    404: "Data tidak ditemukan (termasuk id di luar jangkauan dan toko yang belum terverifikasi).",
    409: "Bertentangan dengan data yang ada: duplikat, atau status tidak mengizinkan tindakan ini.",
    413: "Badan permintaan lebih dari 1 MB.",
    415: "Content-Type bukan application/json.",
    422: "Isian tidak valid; `fields` berisi pesan per isian.",
    429: "Terlalu banyak permintaan; lihat Retry-After.",
}
_PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
TAGS = [("Publik", "Data agregat terbuka, tanpa token; dengan Cache-Control dan ETag."),
        ("Akun", "Pendaftaran, token, akun sendiri."),
        ("ASN", "Janji dan catatan belanja ASN."),
        ("Pemilik toko", "Pendaftaran toko, konfirmasi atau bantahan belanja."),
        ("Koordinator", "Koordinator kabupaten/kota dan admin provinsi."),
        ("Admin", "Admin provinsi: menonaktifkan dan mengaktifkan kembali akun."),
        ("Pelatihan", "Pelatihan UMKM: daftar publik, penerbitan, kursi, kehadiran.")]
DESCRIPTION = """\
* JSON masuk dan keluar; jumlah uang dalam rupiah utuh (integer); tanggal `YYYY-MM-DD`;
  waktu ISO 8601 dengan offset zona waktu provinsi yang dilayani (WIB `+07:00`, WITA `+08:00`,
  WIT `+09:00`); "hari ini" menurut zona waktu provinsi wilayahnya; wilayah dengan kode Kemendagri
  (`73.73`).
* Token: `POST /api/v1/tokens`, lalu kirim `Authorization: Bearer <token>`.
* Kesalahan selalu `{"error": {"code", "message", "fields"}}`.
* Daftar berhalaman: `?page=` (mulai 1) dan `?per_page=` (1-100); nilai di luar itu 422.
"""


def path_of(rule: str) -> tuple[str, list[dict]]:
    """``/api/v1/shops/<id:shop_id>`` -> ``/api/v1/shops/{shop_id}`` and its parameters."""
    params = []
    for converter, name in _PARAM.findall(rule):
        if converter in ("id", "int"):
            schema = {"type": "integer", "minimum": 1, "maximum": INT32_MAX, "examples": [1]}
        elif name == "code":
            schema = {"type": "string", "pattern": REGION_CODE, "examples": ["73.73"]}
        else:
            schema = {"type": "string"}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return _PARAM.sub(lambda m: "{" + m.group(2) + "}", rule), params


def _error_statuses(op: Operation, access: str, has_path_params: bool) -> set[int]:
    statuses = set(op.errors)
    if op.body is not None:
        statuses |= {400, 413, 415, 422}
    if op.query is not None:
        statuses.add(422)
    if has_path_params:
        statuses.add(404)
    if access.startswith("api:"):
        statuses |= {401} if access == "api:optional" else {401, 403}
    if op.rate_limited:
        statuses.add(429)
    return statuses


def _success(op: Operation, cached: bool) -> dict:
    status, schema = op.ok
    response: dict = {"description": "Berhasil." if schema else "Berhasil, tanpa isi."}
    if schema:
        response["content"] = {"application/json": {"schema": ref(schema)}}
    if cached:
        response["headers"] = {
            "ETag": {"required": True, "schema": {"type": "string"}, "description": "ETag kuat."},
            "Cache-Control": {"required": True, "schema": {"type": "string"}, "description": "public, max-age=60"}}
    return {str(status): response}


def _operation(endpoint: str, view, method: str, params: list[dict]) -> dict:
    op: Operation | None = getattr(view, "operation", None)
    if op is None:
        raise RuntimeError(f"API view {endpoint} has no @operation: document it.")
    access = view.access
    cached = method == "GET" and access in ("public", "api:optional")
    statuses = _error_statuses(op, access, bool(params)) | ({304} if cached else set())
    responses = _success(op, cached)
    responses.update({str(s): {"$ref": f"#/components/responses/E{s}"} for s in sorted(statuses)})
    query = [{"name": f.name, "in": "query", "required": f.required, "schema": f.schema()}
             for f in (op.query.fields if op.query else ())]
    result: dict = {"operationId": endpoint.removeprefix("api."), "summary": op.summary, "tags": [op.tag],
                    "x-access": access, "parameters": params + query, "responses": responses}
    if op.description:
        result["description"] = op.description
    if op.body is not None:
        result["requestBody"] = {"required": op.body_required, "content": {"application/json": {"schema": op.body.schema()}}}
    if access == "api:optional":
        result["security"] = [{}, {"bearerAuth": []}]
    elif access.startswith("api:"):
        result["security"] = [{"bearerAuth": []}]
    return result


def _error_response(status: int) -> dict:
    if status == 304:
        return {"description": ERRORS[304]}
    response = {"description": ERRORS[status], "content": {"application/json": {"schema": ref("Error")}}}
    if status == 401:
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    return response


def build_document(app: Flask) -> dict:
    """The document; built inside the app's context, since some limits follow its configuration
    (a list of region codes holds at most the served provinces' region count)."""
    paths: dict[str, dict] = {}
    with app.app_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if not rule.rule.startswith(bp.url_prefix + "/"):
                continue
            path, params = path_of(rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                paths.setdefault(path, {})[method.lower()] = _operation(
                    rule.endpoint, app.view_functions[rule.endpoint], method, params)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Belanja Warung Tetangga API", "version": "1.0.0", "description": _description(app)},
        "servers": [{"url": "/"}],
        "tags": [{"name": name, "description": text} for name, text in TAGS],
        "paths": paths,
        "components": {
            "schemas": COMPONENTS,
            "responses": {f"E{status}": _error_response(status) for status in ERRORS},
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "Token dari POST /api/v1/tokens."}},
        },
    }


def _description(app: Flask) -> str:
    scope = scope_of(normalize(app.config["PROVINCES"]))
    return f"API JSON Belanja Warung Tetangga ({scope.name}: {scope.region_count} kabupaten/kota).\n\n{DESCRIPTION}"


def document(app: Flask) -> dict:
    """The document, built once per app."""
    if "api_openapi" not in app.extensions:
        app.extensions["api_openapi"] = build_document(app)
    return app.extensions["api_openapi"]


@bp.get("/openapi.json")
@operation("Dokumen OpenAPI 3.1 ini", tag="Publik", ok=(200, "OpenAPIDocument"))
@public
def openapi_json():
    return public_json(document(current_app._get_current_object()))


