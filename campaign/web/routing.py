"""What the URL carries: one bounded converter for every id in a path, one for every other path
part, and one parser for integer query arguments. Ids are PostgreSQL ``integer`` primary keys (1..2147483647); a value outside that
range, or not a number at all, names nothing, so it is a 404 before any query runs."""
from __future__ import annotations

import re

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, UnicodeConverter

from campaign.web.pagination import MAX_PAGE

ID_MIN = 1
ID_MAX = 2_147_483_647
_DIGITS = re.compile(r"-?[0-9]{1,19}")  # ASCII only: str.isdigit() would accept "²" and "٣"


class IdConverter(IntegerConverter):
    """``<id:shop_id>``: a database id, 1..2147483647. Registered as ``id`` and also as ``int``,
    so a rule written ``<int:...>`` is bounded the same way."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", ID_MIN)
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)


class TextConverter(UnicodeConverter):
    """The default ``<name>`` (``<string:name>``) part: at most 200 characters and no control
    characters (PostgreSQL refuses NUL in text), else the URL matches nothing (404)."""

    def __init__(self, map, minlength: int = 1, maxlength: int | None = 200, length: int | None = None):
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]")


def register_url_converters(app: Flask) -> None:
    """Must run before any blueprint is registered (rules bind their converters when added)."""
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["default"] = TextConverter
    app.url_map.converters["string"] = TextConverter


def parse_int(raw: str | None, *, minimum: int = ID_MIN, maximum: int = ID_MAX) -> int | None:
    """``raw`` as an int when it is a plain decimal number within [minimum, maximum]; else None."""
    text = (raw or "").strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def int_arg(name: str, default: int | None = None, *, minimum: int = ID_MIN, maximum: int = ID_MAX) -> int | None:
    """The query argument ``name`` as an int: ``default`` when absent or empty; 404 when it is not
    a whole number within [minimum, maximum] (``?campaign=abc`` or ``?toko=99999999999`` name
    nothing, like an unknown path)."""
    raw = request.args.get(name, "")
    if not raw.strip():
        return default
    value = parse_int(raw, minimum=minimum, maximum=maximum)
    if value is None:
        abort(404)
    return value


def page_arg() -> int:
    """``?page=`` for the HTML lists: 1 when absent or not a number, kept within 1..MAX_PAGE (a
    page past the end is an empty page, as in the API's paging)."""
    text = request.args.get("page", "").strip()
    if not _DIGITS.fullmatch(text):
        return MAX_PAGE if re.fullmatch(r"[0-9]+", text) else 1  # more digits than any int64
    return min(max(1, int(text)), MAX_PAGE)
