"""Control characters in text from outside, handled in one place.

No database here stores NUL (PostgreSQL refuses it in text), and no field has a use for the other
C0 control characters or DEL. Form fields and query arguments have them stripped as the request
parses them (:class:`Request`), so every WTForms form and every ``request.args`` lookup sees clean
text; the JSON API refuses them field by field (``campaign.api.fields.Str`` calls
:func:`has_control_characters`). Tab, line feed and carriage return stay: a textarea sends them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from flask import Flask
from flask import Request as FlaskRequest
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def _clean(value):
    return strip_control_characters(value) if isinstance(value, str) else value


class CleanParameters(ImmutableMultiDict):
    """``request.args`` and ``request.form``: keys and text values without control characters."""

    def __init__(self, mapping=None):
        if isinstance(mapping, MultiDict):
            mapping = list(mapping.items(multi=True))
        elif isinstance(mapping, Mapping):
            mapping = [(key, item) for key, value in mapping.items()
                       for item in (value if isinstance(value, (list, tuple)) else [value])]
        if mapping is not None:
            mapping = [(_clean(key), _clean(value)) for key, value in mapping]
        super().__init__(mapping)


class Request(FlaskRequest):
    parameter_storage_class = CleanParameters


def register_request_class(app: Flask) -> None:
    app.request_class = Request
