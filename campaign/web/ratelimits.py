"""Rate limits that more than one view shares, counted in ``RATELIMIT_STORAGE_URI``.

With ``memory://`` each worker process counts on its own, so N workers let N times the limit
through; with Redis (``redis://127.0.0.1:6379/0``) every worker and instance shares one count.
A shared limit keeps a single count for all the views it decorates (HTML and API alike).
"""
from __future__ import annotations

import time

from flask import Flask, current_app, flash, g, render_template, request
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user

from campaign.core import clock
from campaign.core.extensions import limiter
from campaign.web.errors import HTTP_MESSAGES, json_error, wants_json


def account_key() -> str:
    """The signed-in account (API token or browser session); the client address otherwise.
    Put the limit below the access decorator, so the account is known when it is counted, or
    give it to the API's ``auth.writes``, which on SQLite counts it before its transaction under
    the account its token was issued to (``g.api_account_id``)."""
    user = g.get("api_user")
    if user is not None:
        return f"account:{user.id}"
    account = g.get("api_account_id")  # before the browser session: loading it cost a tenth of the count
    if account is not None:
        return f"account:{account}"
    return f"account:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def replaying() -> bool:
    """``exempt_when`` of every limit on an HTML form: true while :func:`register_form_retry`
    shows the form again (the limit was already counted and hit for this request)."""
    return g.get("rate_limited_until") is not None


# The HTML sign-up forms (ASN and shop owner together), per client address, like the API's.
sign_up = limiter.shared_limit(lambda: current_app.config["RATELIMIT_SIGN_UP"], scope="sign-up",
                               methods=["POST"], exempt_when=replaying)
# Logging a purchase, per account, whether by the HTML form or the API.
purchase_logging = limiter.shared_limit(lambda: current_app.config["RATELIMIT_PURCHASE"], scope="purchase-log",
                                        key_func=account_key, methods=["POST"], exempt_when=replaying)


def register_form_retry(app: Flask) -> None:
    """A form POST over its limit gets the same form back (status 429), with what was typed and
    when to try again, instead of an error page that loses the typing: the view runs once more
    with the limit out of the way and its forms refusing to submit (``Form.validate_on_submit``).
    JSON callers and anything but a form POST get the plain 429 with Retry-After."""
    @app.errorhandler(RateLimitExceeded)
    def form_again(exc: RateLimitExceeded):
        code, message = HTTP_MESSAGES[429]
        if wants_json():
            response, status = json_error(429, code, message)
            original = exc.get_response()
            if "Retry-After" in original.headers:
                response.headers["Retry-After"] = original.headers["Retry-After"]
            return response, status
        view = app.view_functions.get(request.endpoint or "")
        if request.method != "POST" or view is None or replaying():
            return render_template("errors/generic.html", status=429, message=message), 429
        current = limiter.current_limit
        g.rate_limited_until = current.reset_at if current else int(time.time()) + 60
        flash(retry_message(g.rate_limited_until), "error")
        response = app.make_response(view(**(request.view_args or {})))
        response.status_code = 429
        response.headers["Retry-After"] = str(max(1, int(g.rate_limited_until - time.time())))
        return response


def retry_message(until: float) -> str:
    from datetime import datetime, timezone

    seconds = max(1, int(until - time.time()))
    moment = clock.jam(datetime.fromtimestamp(until, timezone.utc))
    return (f"Terlalu banyak kiriman dalam waktu singkat, jadi yang ini belum disimpan. Isian Anda masih ada "
            f"di bawah: kirim lagi dalam {seconds} detik (setelah pukul {moment}).")
