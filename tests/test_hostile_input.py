"""No input gives a 5xx: every rule of ``app.url_map`` (the rows of ``tests/access_matrix.py``)
walked with hostile values, on SQLite and PostgreSQL alike.

For each rule, with CSRF protection on and a valid token in every form:
- each path part replaced by huge, negative, zero, non-numeric, NUL-laden and 100 KB values, as each
  of the six roles of the matrix;
- each query argument the app reads (the API's declared ones for ``/api/`` rules) set to such
  values, as the first role the matrix lets through;
- for HTML writes, each form field (the row's data and every field on the rule's own page) set to
  such values while the others keep the row's valid data, as every role the matrix lets through.
JSON bodies get the same treatment field by field in ``tests/test_api_hostile.py``.
"""
import re
from urllib.parse import quote

import pytest
from access_matrix import APP_CONFIG, MATRIX, ROLES, expected, make_world, row_data, send

HUGE = "9" * 20
BIG = "x" * 100_000
PATH_VALUES = [HUGE, "2147483648", "-1", "0", "abc", "1\x00", "%", BIG]
TEXT_VALUES = [HUGE, "-1", "abc\x00\x01\x1b", "\x00", BIG]
FORM_VALUES = [HUGE, "-1", "  ", "a\x00b\x08c\x7f", BIG]
# Every query argument an HTML view reads; an API view declares its own (Operation.query).
HTML_QUERY_ARGS = ("campaign", "page", "toko", "q", "wilayah", "kategori", "status", "next", "metric",
                   "perspective", "provinsi")
NOT_FIELDS = {"csrf_token"}
PREFERENCE = ("admin", "coord", "owner", "asn", "other", "anon")
_PARAM = re.compile(r"\{(\w+)\}")
_FIELD_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
_TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture
def app_config():
    return APP_CONFIG


@pytest.fixture
def world(app, make_asn, make_owner, make_staff, make_shop, make_purchase):
    world = make_world(app, make_asn, make_owner, make_staff, make_shop, make_purchase)
    yield world
    app.config["WTF_CSRF_ENABLED"] = False


class Walker:
    """Sends requests for one row, one role at a time, and remembers any 5xx."""

    def __init__(self, world, endpoint: str, method: str):
        self.world, self.endpoint, self.method = world, endpoint, method
        self.url, self.data = MATRIX[(endpoint, method)][0], row_data(endpoint, method)
        self.api = self.url.startswith("/api/")
        self.failures: list[str] = []
        self.count = 0
        self.sessions: dict = {}

    def sign_in(self) -> None:
        """Each role's client, signed in before CSRF protection is turned on."""
        for role in ROLES:
            self.sessions[role] = self.world.client(role, api=self.api)

    def session(self, role: str):
        client, headers = self.sessions[role][:2]
        if len(self.sessions[role]) == 2:
            self.sessions[role] = (client, headers, None if self.api else _csrf_token(client))
        return self.sessions[role]

    def send(self, role: str, url: str, data: dict | None = None) -> None:
        client, headers, token = self.session(role)
        data = dict(data if data is not None else self.world.fill(self.data))
        if token and self.method != "GET":
            data["csrf_token"] = token
        response = send(client, self.method, url, headers, api=self.api, data=data)
        self.count += 1
        if response.status_code >= 500:
            self.failures.append(f"{role} {self.method} {url[:120]!r} {_short(data)}: {response.status_code}")


def _short(data: dict) -> str:
    return "{" + ", ".join(f"{k}: {v[:30]!r}{'…' if len(v) > 30 else ''}" for k, v in data.items()
                           if k != "csrf_token" and isinstance(v, str)) + "}"


def _csrf_token(client) -> str | None:
    for page in ("/akun/kata-sandi", "/masuk"):
        match = _TOKEN.search(client.get(page).get_data(as_text=True))
        if match:
            return match.group(1)
    return None


def _query_args(app, endpoint: str, api: bool) -> tuple[str, ...]:
    if not api:
        return HTML_QUERY_ARGS
    operation = getattr(app.view_functions[endpoint], "operation", None)
    return tuple(f.name for f in operation.query.fields) if operation and operation.query else ()


def _form_fields(walker: Walker, role: str) -> set[str]:
    fields = set(walker.data)
    if ("GET" in {m for (e, m) in MATRIX if e == walker.endpoint}) and not walker.api:
        client, headers, _ = walker.session(role)
        page = client.get(walker.world.url(walker.url), headers=headers).get_data(as_text=True)
        fields |= set(_FIELD_NAME.findall(page))
    return fields - NOT_FIELDS


def _with_path_value(world, template: str, name: str, value: str) -> str:
    return _PARAM.sub(lambda m: quote(value, safe="") if m.group(1) == name else world.value(m.group(1)), template)


@pytest.mark.slow
@pytest.mark.parametrize("endpoint, method", sorted(MATRIX))
def test_no_input_gives_a_5xx(app, world, endpoint, method):
    walker = Walker(world, endpoint, method)
    walker.sign_in()
    app.config["WTF_CSRF_ENABLED"] = True
    outcomes = expected(endpoint, method)
    allowed = [role for role in ROLES if outcomes[role] == "ok"]
    for name in _PARAM.findall(walker.url):
        for value in PATH_VALUES:
            for role in ROLES:
                walker.send(role, _with_path_value(world, walker.url, name, value))
    first = next((role for role in PREFERENCE if role in allowed), "anon")
    for arg in _query_args(app, endpoint, walker.api):
        for value in TEXT_VALUES:
            walker.send(first, f"{world.url(walker.url)}?{arg}={quote(value, safe='')}")
    if method != "GET" and not walker.api:
        for role in allowed:
            for field in sorted(_form_fields(walker, role)):
                for value in FORM_VALUES:
                    walker.send(role, world.url(walker.url), {**world.fill(walker.data), field: value})
    assert walker.count < 1_000, f"{walker.count} requests for one rule: keep the walk bounded"
    assert not walker.failures, f"{len(walker.failures)} of {walker.count} requests gave a 5xx:\n" + \
        "\n".join(walker.failures[:20])
