"""Configuration defaults and the steps that override them.

Order of precedence (later wins): the defaults in :class:`Defaults`, ``instance/config.py``,
``FLASK_*`` environment variables (``FLASK_SECRET_KEY``, ``FLASK_SQLALCHEMY_DATABASE_URI``, ...),
then ``DATABASE_URL`` when no ``FLASK_SQLALCHEMY_DATABASE_URI`` is given, then ``test_config``.
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask


class Defaults:
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in with instance/campaign.sqlite3
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = 30_000
    SQLITE_CHECKPOINT_WRITES = 32  # a WAL checkpoint after every this many write transactions of a process
    SQLITE_WAL_LIMIT_MB = 64  # past it a checkpoint waits briefly for readers and starts the WAL over
    # "production" refuses to start without a real secret key or with debug on.
    CAMPAIGN_ENV = "development"
    PURCHASE_MIN_AMOUNT = 1_000
    PURCHASE_MAX_AMOUNT = 10_000_000
    PLEDGE_MAX_AMOUNT = 1_000_000_000
    # Limits on logging per ASN, counted over the purchases the ASN logged on the same calendar day
    # in the zone of the ASN's province (the day of logging, not the purchase date), withdrawn ones
    # excluded. None: no limit.
    # A week of receipts logged on Sunday fits; the governor's leaderboard cannot be filled by one
    # account (10 x Rp10.000.000 purchases used to take 13 s).
    PURCHASE_LIMIT_PER_DAY = 10  # purchases
    PURCHASE_LIMIT_AMOUNT_PER_DAY = 20_000_000  # rupiah
    PURCHASE_LIMIT_PER_SHOP_PER_DAY = 3  # purchases at one shop
    # Institutional spend on the needs board, bounded like ASN spend (campaign.domains.needs.limits);
    # None switches a limit off, campaign.core.money.SAFE_MAX holds whatever the setting.
    NEED_MAX_QUANTITY = 100_000  # units per need and per offer
    NEED_MAX_UNIT_PRICE = 100_000_000  # rupiah per unit
    NEED_MAX_BUDGET = 5_000_000_000  # a need's budget_max; its deals together never exceed it
    DEAL_MAX_AMOUNT = 1_000_000_000  # one deal: unit price x accepted quantity
    DEAL_LIMIT_AMOUNT_PER_DAY = 2_000_000_000  # deals one organisation accepts per day (campaign.core.clock)
    FLAG_DEAL_FACTOR = 5  # a deal this many times the organisation's (or category's) median (needs/plausibility.py)
    FLAG_DEAL_NEW_DAYS = 30  # an organisation and a shop both registered less than this before the deal
    FLAG_DEAL_PAIR_SHARE = 0.5  # one organisation-shop pair holding this share of a region's institutional spend
    # The same shop, amount and purchase date again within this many minutes without the same
    # client_ref is refused as a duplicate (409).
    DUPLICATE_WINDOW_MINUTES = 10
    # An owner may take back a confirmation ("Batalkan" on the list) for this many minutes.
    CONFIRM_UNDO_MINUTES = 10
    # Plausibility flags for coordinators (campaign.domains.trust.flags states each rule). They never
    # change totals; only a void does.
    FLAG_ASN_MEDIAN_FACTOR = 10  # an ASN above 10 x the province median (spend or count) ...
    FLAG_ASN_MIN_AMOUNT = 5_000_000  # ... and above this spend, or
    FLAG_ASN_MIN_COUNT = 30  # ... above this many purchases
    FLAG_SHOP_MIN_VERIFIED = 10_000_000  # a shop with this much confirmed spend where ...
    FLAG_SHOP_TOP_SHARE = 0.8  # ... its two most frequent buyers log 80% of its purchases
    FLAG_FRESH_ACCOUNT_DAYS = 14  # such a shop where accounts created less than this many days ago ...
    FLAG_FRESH_SHARE = 0.8  # ... or buyers who buy at no other shop hold this share of its confirmed spend
    FLAG_BURST_MINUTES = 10  # bursts are counted in fixed periods of this length
    FLAG_BURST_SHOP_PURCHASES = 20  # purchases logged at one shop in one period
    FLAG_BURST_SHOP_CONFIRMATIONS = 20  # confirmations by one shop in one period
    FLAG_BURST_ASN_PURCHASES = 5  # purchases logged by one ASN in one period
    FLAG_BURST_FIRST_CONFIRMATIONS = 10  # confirmations by one shop of buyers' only purchase, in one period
    FLAG_BURST_SIGNUPS = 10  # ASN accounts created from one source (IP) in one period, across the province
    BULK_VOID_UNDO_DAYS = 7  # a bulk void can be undone for this many days
    BULK_VOID_MAX_PURCHASES = 5_000  # per operation; narrow the selection for more
    # The provinces served, by Kemendagri code (campaign/domains/regions/data/provinces.csv):
    # init-db loads their kabupaten/kota and kecamatan. FLASK_PROVINCES='["34"]' for DI Yogyakarta.
    PROVINCES: list = ["73"]
    # The appeal letter behind a province's campaign, by province code: init-db opens the default
    # campaign under it and the pages cite it. A province without one gets a campaign without a letter.
    APPEALS: dict = {"73": {"office": "Gubernur Sulawesi Selatan", "number": "4432/3004/JK/UMKM",
                            "date": "2020-04-30"}}
    PER_PAGE = 20
    # A directory page asked for by number past this many shops starts from a landmark (the last
    # shop of every page, kept per filter until a shop changes) instead of walking the index to
    # its place (campaign.domains.shops.directory); above it a walk costs more than its landmark.
    DIRECTORY_LANDMARKS_FROM = 1_000
    # Per-process caches (campaign.web.readcache, campaign.web.pagecache), bounded in bytes: whole
    # anonymous pages, and public read results (standings, directory pages, API bodies). A worker
    # starts at about 91 MB (openpyxl loads only with an export); deep directory pages fill both
    # caches to their bounds, so together they keep a worker under 150 MB (137 MB after the 10M
    # busy-day benchmark; 32 + 16 MB let it reach 165 MB when a worker started at 110 MB).
    PAGE_CACHE_BYTES = 20 * 1024 * 1024
    READ_CACHE_BYTES = 8 * 1024 * 1024
    # An anonymous page may lag a write by at most this many seconds: each process re-reads the
    # change markers for those pages at most this often (0: on every request). Signed-in pages,
    # the API and check-tallies are always exact.
    PAGE_CACHE_STALE_SECONDS = 3.0
    API_TOKEN_HOURS = 24 * 30
    # No public figure (page, API, download) belongs to fewer people than this (campaign.domains.leaderboard.privacy).
    MIN_PUBLIC_PARTICIPANTS = 5
    # The withheld regions' part of a public total is published in steps of this many rupiah (rounded
    # down), so one purchase there never shows as its amount; keep it at least PURCHASE_MAX_AMOUNT.
    PUBLIC_TOTAL_STEP = 10_000_000
    ROSTER_MAX_UPLOAD = 64 * 1024 * 1024  # the roster import only: 200,000 rows of CSV are about 15 MB
    # Uploads that cannot hold a worker (issue 16): rows a roster upload may hold (CSV lines are
    # counted before parsing; about 2.5 s on SQLite), and what an uploaded xlsx may unpack to
    # (checked before parsing; openpyxl reads about 4 MB of sheet XML a second). Bigger rosters
    # go through `flask --app campaign import-roster`, whose xlsx limit is CLI_XLSX_MAX_UNPACKED.
    ROSTER_WEB_MAX_ROWS = 50_000
    IMPORT_XLSX_MAX_UNPACKED = 20 * 1024 * 1024
    CLI_XLSX_MAX_UNPACKED = 1024 * 1024 * 1024
    # Behind one reverse proxy (nginx): trust its X-Forwarded-For/-Proto/-Host, so rate limits
    # count per phone, not per proxy, and external URLs (QR codes) get the right scheme and host.
    PROXY_FIX = False
    # Explicit, because Flask-Limiter's one Limiter defaults each app to the previous app's setting.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute"
    RATELIMIT_API_TOKENS = "10 per minute"  # POST /api/v1/tokens and POST /api/v1/users, per IP
    RATELIMIT_SIGN_UP = "10 per minute"  # the HTML sign-up forms together, per IP
    RATELIMIT_PURCHASE = "10 per minute;100 per hour"  # logging purchases, per account (HTML and API)
    # Per-account lockout after wrong passwords (campaign/auth/lockout.py): the 5th in a row locks
    # the account for 1 minute, each later one doubles the lock, never beyond 15 minutes.
    LOGIN_LOCKOUT_THRESHOLD = 5
    LOGIN_LOCKOUT_BASE_SECONDS = 60
    LOGIN_LOCKOUT_MAX_SECONDS = 15 * 60
    KNOWN_DEVICE_DAYS = 180  # a browser that logged in before is not held by the account's lock...
    LOGIN_KNOWN_DEVICE_FAILURES = "10 per hour"  # ...until it spends this many wrong passwords itself
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)  # FLASK_REMEMBER_COOKIE_DURATION: seconds
    HSTS_MAX_AGE = 365 * 24 * 3600  # production only: browsers keep to HTTPS for a year
    WTF_CSRF_TIME_LIMIT = None  # a form left open on a phone all day still submits
    MAX_CONTENT_LENGTH = 1 * 1024 * 1024
    PASSWORD_HASH_METHOD: str | None = None  # None: Werkzeug's default (scrypt)
    # E-mail notifications (Flask-Mail's setting names); no MAIL_SERVER: in-app notifications only.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "Belanja Warung Tetangga <noreply@localhost>"
    MAIL_TIMEOUT = 10  # seconds; a slow mail server delays the response by at most this


def load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    if "FLASK_SQLALCHEMY_DATABASE_URI" not in os.environ and os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("FLASK_ENV") == "production":
        app.config["CAMPAIGN_ENV"] = "production"
    if test_config:
        app.config.update(test_config)

    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        uri = "sqlite:///" + str(Path(app.instance_path) / "campaign.sqlite3")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(uri)
    if uri.startswith("sqlite"):
        # a SQLite file has no server to lose the connection to: the pool's ping was one more
        # statement before every transaction, a write's inside the one writer's turn
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_pre_ping": False}

    if app.config["CAMPAIGN_ENV"] == "production":
        _check_production(app)
        # Production is served over HTTPS: cookies never travel in the clear.
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    elif not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))


def normalize_database_url(uri: str) -> str:
    """Point ``postgres://`` and ``postgresql://`` URLs (Heroku style) at psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if uri.startswith(prefix):
            return "postgresql+psycopg://" + uri[len(prefix):]
    return uri


def _check_production(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    if not key or len(str(key)) < 16:
        raise RuntimeError(
            "CAMPAIGN_ENV=production needs FLASK_SECRET_KEY (at least 16 characters)."
        )
    if app.debug:
        raise RuntimeError("CAMPAIGN_ENV=production must not run with debug on.")


def _instance_secret(instance: Path) -> str:
    """A development secret generated once into ``instance/secret_key``, kept across restarts."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker won the race: use its key
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
