"""Helpers for the JSON API tests (the ``api`` and ``world`` fixtures live in conftest.py and
scenarios.py).

``api`` wraps the test client: ``api.get("/me", token=...)``, ``api.post(path, json=..., token=...)``.
Every response it returns has been checked against the OpenAPI document: its status must be
documented for the operation and its JSON body must match the documented schema (the error
schema for errors). So each test is also a conformance test of the document.
"""
from __future__ import annotations

from dataclasses import dataclass

from jsonschema import Draft202012Validator
from werkzeug.exceptions import HTTPException

from campaign.api.openapi import build_document, path_of

PREFIX = "/api/v1"


def inline_refs(schema, components: dict):
    """The schema with every ``#/components/schemas/...`` reference replaced by its target."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return inline_refs(components[schema["$ref"].rsplit("/", 1)[-1]], components)
        return {key: inline_refs(value, components) for key, value in schema.items()}
    if isinstance(schema, list):
        return [inline_refs(item, components) for item in schema]
    return schema


class ApiClient:
    def __init__(self, app, client):
        self.app = app
        self.client = client
        self.document = build_document(app)

    def request(self, method: str, path: str, *, token: str | None = None, headers: dict | None = None, **kwargs):
        headers = dict(headers or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        response = self.client.open(PREFIX + path, method=method, headers=headers, **kwargs)
        self.check(method, PREFIX + path.split("?")[0], response)
        return response

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs):
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def check(self, method: str, path: str, response) -> None:
        """The status is documented for the operation and the body matches its schema."""
        assert response.status_code != 500, response.get_data(as_text=True)
        if response.status_code == 304:
            assert response.get_data() == b""
        elif response.status_code != 204:
            assert response.is_json, response.get_data(as_text=True)[:200]
        try:
            rule, _ = self.app.url_map.bind("localhost").match(path, method=method, return_rule=True)
        except HTTPException:  # no such route: an error in the one error shape
            assert set(response.get_json()) == {"error"}
            return
        operation = self.document["paths"][path_of(rule.rule)[0]][method.lower()]
        assert str(response.status_code) in operation["responses"], \
            f"{method} {path}: {response.status_code} not documented: {response.get_data(as_text=True)[:300]}"
        documented = operation["responses"][str(response.status_code)]
        if "$ref" in documented:
            documented = self.document["components"]["responses"][documented["$ref"].rsplit("/", 1)[-1]]
        if "content" in documented:
            schema = inline_refs(documented["content"]["application/json"]["schema"],
                                 self.document["components"]["schemas"])
            errors = sorted(Draft202012Validator(schema).iter_errors(response.get_json()), key=str)
            assert not errors, f"{method} {path}: {errors[0]}"


def token_for(api: ApiClient, person) -> str:
    response = api.post("/tokens", json={"login": person.login, "password": person.password})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


def error_of(response) -> dict:
    """The ``error`` object, after checking the one error shape."""
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) - {"purchase_id"} == {"code", "message", "fields"}  # purchase_id: idempotency
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@dataclass
class World:
    """A small campaign: an ASN, a shop owner with a verified shop in Kota Palopo (73.73), a
    coordinator of 73.73, a coordinator of Makassar (73.71) and an admin, each with a token."""

    asn: object
    owner: object
    shop_id: int
    coordinator: object
    other_coordinator: object
    admin: object
    tokens: dict
