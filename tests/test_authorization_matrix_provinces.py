"""The authorization matrix with two provinces served (73 and 34): every URL rule requested by a
province admin of 73, the province of the matrix's objects ({code} 73.73, {staff} a coordinator of
73.71, ...), and by a province admin of 34. The admin of 73 acts as an admin there, except on what
is national (campaigns, accounts) and on the shop owner's pages; the admin of 34 sees and acts on
none of 73's objects: on every region-scoped rule it answers as a coordinator of another region,
and its own admin pages list and accept only 34's regions. The rows come from ``MATRIX`` in
``tests/access_matrix.py``; the exceptions are listed here, each with its reason."""
import pytest
from access_matrix import APP_CONFIG, MATRIX, ROLES, expected, make_world, outcome_of, row_data, send
from helpers import PASSWORD, Person

from campaign.core.extensions import db

PROVINCE_ADMINS = ("padmin73", "padmin34")

NATIONAL = {("admin.campaigns", "GET"), ("admin.campaigns", "POST"), ("admin.accounts_page", "GET"),
            ("admin.accounts_page", "POST"), ("admin.reactivate", "POST"), ("api.deactivate_user", "POST"),
            ("api.reactivate_user", "POST")}
# Admin pages whose scope is the admin's own province: the admin of 34 reaches the page, which
# lists and accepts only 34's regions.
OWN_PROVINCE = {
    ("admin.home", "GET"): "ok ok",
    ("admin.coordinators", "GET"): "ok ok",
    # HTML forms: 73.72 is not among the 34 admin's choices (422); the one-button removal of 73.71's
    # coordinator is refused and flashed, back on the page (test_provinces_scoping shows both)
    ("admin.coordinators", "POST"): "ok ok",
    ("admin.remove_coordinator", "POST"): "ok ok",
    ("roster.import_file", "GET"): "ok ok",
    ("roster.import_file", "POST"): "ok ok",  # 73.73 is not among its choices: the form refuses (422)
    ("api.import_roster", "POST"): "ok ok",  # 200, the 73.73 row refused (test_provinces_scoping)
    ("leaderboard.export_province", "GET"): "ok ok",  # its own province's standings
    ("coordinator.home", "GET"): "ok ok",  # its own province's queue
    ("buyers.queue", "GET"): "ok ok",
}


def _expected(endpoint: str, method: str) -> dict[str, str]:
    want = expected(endpoint, method)
    if (endpoint, method) in NATIONAL:
        return {"padmin73": "deny", "padmin34": "deny"}
    if (endpoint, method) in OWN_PROVINCE:
        return dict(zip(PROVINCE_ADMINS, OWN_PROVINCE[(endpoint, method)].split()))
    if want["owner"] == "ok" and want["coord"] != "ok" and want["admin"] == "ok":  # the shop owner's side
        return {"padmin73": want["coord"], "padmin34": want["coord"]}
    same = want["admin"]
    other = want["other"] if want["coord"] == "ok" and want["other"] != "ok" else same
    return {"padmin73": same, "padmin34": other}


@pytest.fixture
def app_config():
    return {**APP_CONFIG, "PROVINCES": ["73", "34"]}


@pytest.fixture
def world(app, make_asn, make_owner, make_staff, make_shop, make_purchase):
    from campaign.domains.auth.services import create_user

    world = make_world(app, make_asn, make_owner, make_staff, make_shop, make_purchase)
    with app.app_context():
        for role in PROVINCE_ADMINS:
            user, _ = create_user(name=f"Admin {role}", login=f"{role}@example.id", role="admin",
                                  province_code=role[-2:], password=PASSWORD)
            world.people[role] = Person(user.id, user.name, f"{role}@example.id")
        db.session.remove()
    return world


@pytest.mark.parametrize("endpoint, method", sorted(MATRIX))
def test_province_admins_in_the_matrix(world, endpoint, method):
    url, data = MATRIX[(endpoint, method)][0], world.fill(row_data(endpoint, method))
    api = url.startswith("/api/")
    seen = {}
    for role in PROVINCE_ADMINS:
        client, headers = world.client(role, api=api)
        seen[role] = outcome_of(send(client, method, world.url(url), headers, api=api, data=data))
    assert seen == _expected(endpoint, method), f"{endpoint} {method} {url} (roles of {ROLES} in the matrix)"
