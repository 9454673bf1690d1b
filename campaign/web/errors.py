"""The HTTP error handlers: an Indonesian error page for a browser, ``{"error": {"code",
"message", "fields"}}`` for the API and for clients that ask for JSON."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from campaign.core.errors import DomainError

HTTP_MESSAGES = {
    400: ("bad_request", "Permintaan tidak dapat dibaca."),
    401: ("unauthorized", "Silakan masuk terlebih dahulu."),
    403: ("forbidden", "Anda tidak memiliki akses ke halaman ini."),
    404: ("not_found", "Halaman atau data tidak ditemukan."),
    405: ("method_not_allowed", "Metode permintaan tidak diizinkan."),
    409: ("conflict", "Permintaan bertentangan dengan data yang ada."),
    413: ("payload_too_large", "Data yang dikirim terlalu besar."),
    415: ("unsupported_media_type", "Gunakan Content-Type application/json."),
    422: ("validation_failed", "Data tidak valid."),
    429: ("rate_limited", "Terlalu banyak permintaan. Coba lagi sebentar lagi."),
    500: ("internal_error", "Terjadi kesalahan pada server. Silakan coba lagi."),
}


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def json_error(status: int, code: str, message: str, fields: dict | None = None, details: dict | None = None):
    body = {"error": {"code": code, "message": message, "fields": fields or {}, **(details or {})}}
    return jsonify(body), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException):
        status = exc.code or 500
        code, message = HTTP_MESSAGES.get(status, ("error", exc.description or "Kesalahan."))
        if wants_json():
            response, status = json_error(status, code, message)
            if status == 405 and getattr(exc, "valid_methods", None):
                response.headers["Allow"] = ", ".join(exc.valid_methods)
            if status == 429:
                _copy_retry_after(exc, response)
            return response, status
        template = f"errors/{status}.html" if status in (403, 404, 500) else "errors/generic.html"
        return render_template(template, status=status, message=message), status

    @app.errorhandler(DomainError)
    def handle_domain(exc: DomainError):
        # Views normally catch DomainError themselves; this is the safety net.
        if wants_json():
            return json_error(exc.status, exc.code, exc.message, exc.fields, exc.details)
        return render_template("errors/generic.html", status=exc.status, message=exc.message), exc.status


def _copy_retry_after(exc: HTTPException, response) -> None:
    original = exc.get_response()
    if "Retry-After" in original.headers:
        response.headers["Retry-After"] = original.headers["Retry-After"]
