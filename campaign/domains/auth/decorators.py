"""Access control for views. Deny by default: every view declares who may see it.

A view without one of these decorators answers 403 (see :func:`enforce_declared_access`),
so a forgotten check fails closed instead of open.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, request
from flask_login import current_user

from campaign.core.extensions import login_manager


def declare_access(view, access: str):
    """Mark ``view`` as having an access rule (see :func:`enforce_declared_access`)."""
    view.access = access
    return view


def public(view):
    """Anyone, signed in or not."""
    return declare_access(view, "public")


def _requires(check, access: str):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not check(current_user, kwargs):
                abort(403)
            return view(*args, **kwargs)
        return declare_access(wrapped, access)
    return decorator


login_required = _requires(lambda user, kwargs: True, "user")
asn_required = _requires(lambda user, kwargs: user.is_asn, "asn")
shop_owner_required = _requires(lambda user, kwargs: user.acts_for_shops, "shop_owner")
admin_required = _requires(lambda user, kwargs: user.is_admin, "admin")  # national or of a province
national_admin_required = _requires(lambda user, kwargs: user.is_national_admin, "national_admin")


def coordinator_required(region_arg: str | None = None):
    """A coordinator or admin; with ``region_arg``, only of the region whose Kemendagri code is
    in that URL argument (admins: any region of their scope, :meth:`User.covers`)."""
    def check(user, kwargs) -> bool:
        if not user.is_staff or region_arg is None:
            return user.is_staff
        return user.covers(str(kwargs.get(region_arg)))
    return _requires(check, "coordinator")


def enforce_declared_access() -> None:
    """``before_request``: refuse any endpoint whose view declared no access rule."""
    if request.endpoint is None or request.endpoint == "static":
        return
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "access", None) is None:
        abort(403)
