"""Hostile input for every documented operation: no 500, only documented statuses, on SQLite and
PostgreSQL alike (the schemathesis script runs on SQLite only; this runs wherever the suite runs).

Each operation gets its documented example body with one field at a time replaced by a hostile
value, each query parameter set to hostile text, and each path parameter replaced by hostile text.
"""
import tempfile
from urllib.parse import quote

import pytest

from campaign.api.openapi import build_document

JSON_VALUES = [None, True, -1, 0, 2 ** 31, 2 ** 63, 10 ** 30, 1.5, "", " ", "\x00", "\ud800", "🙂" * 3,
               "x" * 5000, [], {}, "73.73", "2026-02-30", "50.000"]
TEXT_VALUES = ["", "\x00", "-1", "0", "9" * 40, "🙂", "%", "x" * 3000, "1e3", "73.73", "true"]
PATH_VALUES = ["0", "-1", "abc", "%00", "9" * 30, "%F0%9F%99%82", "73.73", "1"]
TOKEN_BY_ACCESS = {"api:asn": "asn", "api:shop_owner": "owner", "api:staff": "coordinator", "api:user": "owner",
                   "api:optional": "owner"}


def _operations():
    from campaign import create_app

    document = build_document(create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 20},
                                         instance_path=tempfile.mkdtemp(prefix="api-hostile-")))
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if (path, method) != ("/api/v1/tokens/current", "delete"):
                yield pytest.param(path, method, operation, id=f"{method.upper()} {path}")


def _examples(operation) -> list[dict]:
    if "requestBody" not in operation:
        return []
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    return [example for option in schema.get("oneOf", [schema]) for example in option.get("examples", [{}])]


def _url(path: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path.removeprefix("/api/v1")


@pytest.mark.parametrize("path, method, operation", list(_operations()))
def test_hostile_input_never_breaks_the_api(api, world, path, method, operation, tallies_agree):
    token = world.tokens.get(TOKEN_BY_ACCESS.get(operation["x-access"], ""), None)
    params = [p for p in operation["parameters"] if p["in"] == "path"]
    good = {p["name"]: ("73.73" if p["name"] == "code" else str(world.shop_id)) for p in params}
    calls = []
    for param in params:
        calls += [(_url(path, {**good, param["name"]: value}), None) for value in PATH_VALUES]
    for param in (p for p in operation["parameters"] if p["in"] == "query"):
        calls += [(_url(path, good) + f"?{param['name']}={quote(value)}", None) for value in TEXT_VALUES]
    for example in _examples(operation):
        for field in example:
            calls += [(_url(path, good), {**example, field: value}) for value in JSON_VALUES]
    if not calls:
        calls = [(_url(path, good), None)]
    for url, body in calls:
        response = api.request(method.upper(), url, token=token, json=body)  # api checks status and schema
        assert response.status_code < 500, (url, body)
    tallies_agree()
