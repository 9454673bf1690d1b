"""The ``api`` blueprint and what every API view shares: the operation metadata that the
OpenAPI document is built from, JSON body and query parsing, errors and public caching.

Bearer tokens are the only credentials the API accepts (see :mod:`campaign.api.auth`), never the
session cookie, so CSRF does not apply and the blueprint is exempt from it.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from campaign.api.fields import INT32_MAX, Fields, Int, Variants
from campaign.core.errors import DomainError, NotFound, ValidationFailed
from campaign.core.extensions import csrf
from campaign.web import readcache
from campaign.web.errors import json_error
from campaign.web.pagination import MAX_PAGE, MAX_PER_PAGE

Version = tuple

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

ID = "id"  # path ids (campaign.web.routing.IdConverter): anything else is a 404, never a database overflow
REGION_CODE = r"^[0-9]{2}\.[0-9]{2}$"
PUBLIC_MAX_AGE = 60
CAMPAIGN = Int("campaign", required=False, minimum=1, maximum=INT32_MAX,
               description="Id kampanye; tanpa ini: kampanye yang sedang berjalan.")


def paging(per_page: int = 20) -> tuple[Int, Int]:
    """``page`` (from 1) and ``per_page`` (1-100) query parameters; out of range is a 422."""
    return (Int("page", required=False, default=1, minimum=1, maximum=MAX_PAGE),
            Int("per_page", required=False, default=per_page, minimum=1, maximum=MAX_PER_PAGE))


class MalformedRequest(DomainError):
    status = 400
    code = "malformed_json"


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says about one view. Errors that follow from the rest (401/403
    from the access rule, 404 for path ids, 400/413/415/422 for a body, 422 for a query, 429,
    304 for public GETs) are added by :mod:`campaign.api.openapi`; ``errors`` lists the others."""

    summary: str
    tag: str
    ok: tuple[int, str | None]  # status and the component schema of its body (None: no body)
    errors: tuple[int, ...] = ()
    query: Fields | None = None
    body: Fields | Variants | None = None
    body_required: bool = True
    rate_limited: bool = False
    description: str = ""


def operation(summary: str, *, tag: str, ok: tuple[int, str | None], **kwargs):
    """Attach an :class:`Operation` to a view (put it right below the route decorator)."""
    meta = Operation(summary, tag, ok, **kwargs)

    def decorator(view):
        view.operation = meta
        return view
    return decorator


def current_operation() -> Operation:
    return current_app.view_functions[request.endpoint].operation


def query_args() -> dict[str, Any]:
    """The view's declared query parameters, parsed; ValidationFailed (422) on bad values."""
    query = current_operation().query
    return query.parse_args(request.args) if query else {}


def json_body() -> dict[str, Any]:
    """The view's declared JSON body, parsed.

    400 for an empty or unreadable body, 415 for a non-JSON Content-Type, 413 (Werkzeug) over
    ``MAX_CONTENT_LENGTH``, 422 (with ``fields``) for a non-object or a field of the wrong shape.
    Answered from :func:`parse_body_early` when the request's body was parsed already.
    """
    early = g.get(_EARLY_BODY)
    if early is None:
        return _parse_body()
    body, error = early
    if error is not None:
        raise error
    return body


_EARLY_BODY = "api_early_body"


def parse_body_early() -> None:
    """Parse the view's declared body now, before its write transaction begins (on SQLite: before
    it takes the one writer's turn), for :func:`json_body`. What the body got wrong is raised
    only when the view asks for it, after the access checks, as if it were parsed then."""
    operation = getattr(current_app.view_functions.get(request.endpoint or ""), "operation", None)
    if operation is None or operation.body is None:
        return
    try:
        g.setdefault(_EARLY_BODY, (_parse_body(), None))
    except (DomainError, HTTPException) as error:
        g.setdefault(_EARLY_BODY, (None, error))


def _parse_body() -> dict[str, Any]:
    mimetype = request.mimetype
    if mimetype and mimetype != "application/json" and not mimetype.endswith("+json"):
        abort(415)
    op = current_operation()
    raw = request.get_data(cache=True)
    if not raw.strip() and not op.body_required:
        return op.body.parse({})
    if not raw.strip():
        raise MalformedRequest("Badan permintaan kosong; kirim objek JSON.")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise MalformedRequest("Badan permintaan bukan JSON yang valid.") from None
    if not isinstance(data, dict):
        message = "Badan permintaan harus berupa objek JSON."
        raise ValidationFailed(message, fields={"body": [message]})
    return op.body.parse(data)


@contextmanager
def unknown_as_field(name: str):
    """A NotFound from a service (an unknown region code in the body) becomes a faulty field (422)."""
    try:
        yield
    except NotFound as exc:
        raise ValidationFailed(exc.message, fields={name: [exc.message]}) from None


def check_region_code(code: str) -> str:
    """The code if it looks like a Kemendagri code (``73.73``); NotFound otherwise."""
    if not re.fullmatch(REGION_CODE, code):
        raise NotFound("Kabupaten/kota tidak ditemukan; gunakan kode Kemendagri, mis. 73.73.")
    return code


def public_json(payload: Any, *, shared: bool = True):
    """A JSON response with a strong ETag, answered with 304 when ``If-None-Match`` matches.

    ``shared``: any cache may keep it for a minute (``public, max-age=60``). Otherwise only the
    client's own cache may keep it and must revalidate (``private, no-cache``).
    """
    response = jsonify(payload)
    if shared:
        response.cache_control.public = True
        response.cache_control.max_age = PUBLIC_MAX_AGE
    else:
        response.cache_control.private = True
        response.cache_control.no_cache = True
    response.add_etag()
    return response.make_conditional(request)


def public_cached(key: tuple, version: Version, build: Callable[[], Any]):
    """A public JSON response whose body is ``build()`` and whose strong ETag is decided by
    ``version`` (:mod:`campaign.web.readcache`) before any work: a matching ``If-None-Match`` is a
    304 at the cost of reading the markers; otherwise the body comes from the cache while the
    version holds."""
    tag = readcache.etag(key, version)
    if request.if_none_match.contains(tag):
        response = current_app.response_class(status=304)
    else:
        body = readcache.remember(("json", *key), version, lambda: _json_bytes(build()))
        response = current_app.response_class(body, mimetype="application/json")
    response.cache_control.public = True
    response.cache_control.max_age = PUBLIC_MAX_AGE
    response.set_etag(tag)
    return response


def _json_bytes(payload: Any) -> bytes:
    return current_app.json.response(payload).get_data()


def page_json(items: list, page: int, per_page: int, total: int) -> dict:
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def paginate(rows: list, page: int, per_page: int) -> dict:
    """A page of a short in-memory list (regions, campaigns, an owner's shops)."""
    start = (page - 1) * per_page
    return page_json(rows[start:start + per_page], page, per_page, len(rows))


@bp.errorhandler(DomainError)
def domain_error(exc: DomainError):
    response, status = json_error(exc.status, exc.code, exc.message, exc.fields, exc.details)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response, status


@bp.after_request
def no_store_by_default(response):
    """Answers for one user must not sit in a shared cache; public views set their own policy."""
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response
