"""The OpenAPI document: valid OpenAPI 3.1, complete (every /api/v1 route), consistent errors."""
import re

import pytest
from openapi_spec_validator import validate

from campaign.api.openapi import build_document

HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def test_document_is_valid_openapi_3_1(app):
    document = build_document(app)
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_api_route_is_documented(app):
    documented = {(path, method.upper()) for path, item in build_document(app)["paths"].items()
                  for method in item}
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?(\w+)>", r"{\1}", rule.rule)
        routes |= {(path, method) for method in rule.methods & HTTP_METHODS}
    assert len(routes) >= 25
    assert routes - documented == set(), "routes missing from the OpenAPI document"
    assert documented - routes == set(), "documented paths that do not exist"


def test_a_view_without_an_operation_breaks_the_build(app):
    from campaign.domains.auth.decorators import public

    @public
    def undocumented():
        return {}

    app.add_url_rule("/api/v1/undocumented", view_func=undocumented)
    with pytest.raises(RuntimeError, match="undocumented"):
        build_document(app)


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_errors_use_the_error_schema_and_protected_operations_declare_bearer(app):
    document = build_document(app)
    error_ref = {"$ref": "#/components/schemas/Error"}
    for status, response in document["components"]["responses"].items():
        if status != "E304":
            assert response["content"]["application/json"]["schema"] == error_ref
    for path, method, operation in _operations(document):
        statuses = set(operation["responses"])
        assert any(s.startswith("2") for s in statuses), (path, method)
        if operation["x-access"].startswith("api:") and operation["x-access"] != "api:optional":
            assert operation["security"] == [{"bearerAuth": []}], (path, method)
            assert {"401", "403"} <= statuses, (path, method)
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= statuses, (path, method)
        if "{" in path:
            assert "404" in statuses, (path, method)
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "Token dari POST /api/v1/tokens."}


def test_the_contract_endpoints_exist(app):
    paths = build_document(app)["paths"]
    contract = {
        "/api/v1/tokens": "post", "/api/v1/tokens/current": "delete", "/api/v1/regions": "get",
        "/api/v1/campaigns": "get", "/api/v1/campaigns/current": "get", "/api/v1/leaderboard": "get",
        "/api/v1/regions/{code}/progress": "get", "/api/v1/shops": "get", "/api/v1/shops/{shop_id}": "get",
        "/api/v1/users": "post", "/api/v1/me": "get", "/api/v1/me/pledge": "put", "/api/v1/purchases": "post",
        "/api/v1/me/purchases": "get", "/api/v1/purchases/{purchase_id}/withdraw": "post",
        "/api/v1/me/shops": "get", "/api/v1/shops/{shop_id}/purchases": "get",
        "/api/v1/purchases/{purchase_id}/confirm": "post", "/api/v1/purchases/{purchase_id}/dispute": "post",
        "/api/v1/shops/{shop_id}/verify": "post", "/api/v1/shops/{shop_id}/reject": "post",
        "/api/v1/purchases/{purchase_id}/void": "post", "/api/v1/regions/{code}/target": "put",
        "/api/v1/regions/{code}/details": "get",
    }
    for path, method in contract.items():
        assert method in paths.get(path, {}), (path, method)
    assert "post" in paths["/api/v1/shops"]


def test_openapi_json_is_served_with_an_etag(api, app):
    response = api.get("/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == build_document(app)
    assert response.headers["ETag"] and "max-age=60" in response.headers["Cache-Control"]
    again = api.get("/openapi.json", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("method, path, status, code", [
    ("GET", "/api/v1/nothing-here", 404, "not_found"),
    ("DELETE", "/api/v1/regions", 405, "method_not_allowed"),
    ("GET", "/api/v1/shops/0", 404, "not_found"),
    ("GET", "/api/v1/shops/99999999999999999999999", 404, "not_found"),
])
def test_unknown_routes_answer_json_errors(client, method, path, status, code):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.is_json and response.get_json()["error"]["code"] == code
    assert "<html" not in response.get_data(as_text=True).lower()
