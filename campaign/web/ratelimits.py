"""Rate limits that more than one view shares, counted in ``RATELIMIT_STORAGE_URI``.

With ``memory://`` each worker process counts on its own, so N workers let N times the limit
through; with Redis (``redis://127.0.0.1:6379/0``) every worker and instance shares one count.
A shared limit keeps a single count for all the views it decorates (HTML and API alike).
"""
from __future__ import annotations

from flask import current_app, g
from flask_limiter.util import get_remote_address
from flask_login import current_user

from campaign.core.extensions import limiter


def account_key() -> str:
    """The signed-in account (API token or browser session); the client address otherwise.
    Put the limit below the access decorator, so the account is known when it is counted."""
    user = g.get("api_user")
    if user is None and current_user.is_authenticated:
        user = current_user
    return f"account:{user.id}" if user is not None else get_remote_address()


# The HTML sign-up forms (ASN and shop owner together), per client address, like the API's.
sign_up = limiter.shared_limit(lambda: current_app.config["RATELIMIT_SIGN_UP"], scope="sign-up",
                               methods=["POST"])
# Logging a purchase, per account, whether by the HTML form or the API.
purchase_logging = limiter.shared_limit(lambda: current_app.config["RATELIMIT_PURCHASE"], scope="purchase-log",
                                        key_func=account_key, methods=["POST"])
