"""Every URL rule x {anonymous, ASN, shop owner, coordinator of the region, coordinator of another
region, admin} answers as ``tests/access_matrix.py`` says. A rule without a row there fails."""
import pytest
from access_matrix import APP_CONFIG, HERE, MATRIX, ROLES, expected, make_world, outcome_of, row_data, rule_keys, send


@pytest.fixture
def app_config():
    return APP_CONFIG


@pytest.fixture
def world(app, make_asn, make_owner, make_staff, make_shop, make_purchase):
    return make_world(app, make_asn, make_owner, make_staff, make_shop, make_purchase)


def test_every_rule_is_in_the_matrix(app):
    rules = rule_keys(app)
    missing = sorted(rules - set(MATRIX))
    gone = sorted(set(MATRIX) - rules)
    assert not missing, (f"URL rules with no row in {HERE} (add one per rule, see the note at its top): "
                         + ", ".join(f"{e} {m}" for e, m in missing))
    assert not gone, f"rows in {HERE} for rules that no longer exist: " + ", ".join(f"{e} {m}" for e, m in gone)


@pytest.mark.parametrize("endpoint, method", sorted(MATRIX))
def test_authorization_matrix(world, endpoint, method):
    url, data = MATRIX[(endpoint, method)][0], world.fill(row_data(endpoint, method))
    api = url.startswith("/api/")
    seen = {}
    for role in ROLES:
        client, headers = world.client(role, api=api)
        seen[role] = outcome_of(send(client, method, world.url(url), headers, api=api, data=data))
    want = expected(endpoint, method)
    assert seen == want, (f"{endpoint} {method} {url}: expected {' '.join(want.values())!r}, "
                          f"got {' '.join(seen.values())!r} (roles: {' '.join(ROLES)}; table: {HERE})")
