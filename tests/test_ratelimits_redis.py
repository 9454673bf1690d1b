"""With ``RATELIMIT_STORAGE_URI`` pointing at Redis, the workers of a real gunicorn share one count.

A live gunicorn with 3 workers on 127.0.0.1 (a free port), the test database and the Redis on
127.0.0.1:6379 (``TEST_REDIS_URL``; CI starts it). Its access log names the worker process of
each request, so the test also shows that more than one worker answered.
"""
import os
import re
import secrets
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
GUNICORN = Path(sys.executable).with_name("gunicorn")
ROOT = Path(__file__).resolve().parent.parent
ATTEMPTS = 30
LIMIT = 10


def _redis_answers() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def gunicorn(app, tmp_path):
    """``(base_url, access_log_path)`` of gunicorn serving the test database with Redis limits."""
    if not _redis_answers():
        message = f"no Redis at {REDIS_URL} (.ci/run starts one)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    env = {**os.environ, "FLASK_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
           "FLASK_SECRET_KEY": app.config["SECRET_KEY"], "FLASK_RATELIMIT_STORAGE_URI": REDIS_URL,
           "FLASK_RATELIMIT_KEY_PREFIX": f"test-{secrets.token_hex(6)}",
           "FLASK_RATELIMIT_LOGIN": f"{LIMIT} per minute", "FLASK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    env.pop("FLASK_ENV", None)
    instance = tmp_path / "gunicorn-instance"
    process = subprocess.Popen(
        [str(GUNICORN), "--workers", "3", "--bind", "127.0.0.1:0", "--access-logfile", str(access_log),
         "--access-logformat", "%(p)s %(m)s %(U)s %(s)s", "--error-logfile", str(error_log),
         f"campaign:create_app(instance_path={str(instance)!r})"], cwd=ROOT, env=env)
    try:
        yield _listening_url(error_log, process), access_log
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _listening_url(error_log: Path, process: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = error_log.read_text() if error_log.exists() else ""
        match = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", text)
        booted = len(re.findall(r"Booting worker", text))
        if match and booted >= 3:
            return match.group(1)
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited: {text[-2000:]}")
        time.sleep(0.2)
    pytest.fail("gunicorn did not start within 60 s")


def _login_attempt(base: str, n: int) -> int:
    with requests.Session() as session:
        form = session.get(f"{base}/masuk", timeout=30).text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        return session.post(f"{base}/masuk", timeout=30, allow_redirects=False, data={
            "csrf_token": token, "login": f"tidak.ada{n}@example.id", "password": "salah-sandi"}).status_code


@pytest.mark.slow
def test_workers_share_one_login_limit_in_redis(gunicorn):
    base, access_log = gunicorn
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(lambda n: _login_attempt(base, n), range(ATTEMPTS)))
    assert statuses.count(200) == LIMIT  # wrong login, form shown again: counted
    assert statuses.count(429) == ATTEMPTS - LIMIT
    time.sleep(0.5)  # let the workers flush their access log lines
    workers = {line.split()[0] for line in access_log.read_text().splitlines() if " POST /masuk " in line}
    assert len(workers) >= 2, f"only {workers} answered"
