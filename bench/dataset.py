"""The benchmark's database and server: a fresh database built with ``seed-demo``, gunicorn on
127.0.0.1, API tokens and the pools of shops and purchases the write routes use."""
from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "campaign"]
SECRET = "bench-secret-key-0123456789abcdef"


def database_url(kind: str, workdir: Path, name: str, pg_database: str | None = None) -> str:
    """A new, empty database: a SQLite file in ``workdir`` or PostgreSQL ``pg_database`` (by
    default ``bench_<name>``) on 127.0.0.1, dropped and created again."""
    if kind == "sqlite":
        path = workdir / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    pg_database = pg_database or f"bench_{name}"

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{pg_database}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_database}"


# The per-person limits still run on every purchase, with thresholds the load cannot reach: the
# write trickle and the POST runs share a few hundred accounts on the small --check dataset.
LIMITS = {"FLASK_PURCHASE_LIMIT_PER_DAY": "100000", "FLASK_PURCHASE_LIMIT_PER_SHOP_PER_DAY": "100000",
          "FLASK_PURCHASE_LIMIT_AMOUNT_PER_DAY": "1000000000000", "FLASK_RATELIMIT_PURCHASE": "100000 per minute"}


def environment(url: str) -> dict[str, str]:
    return {**os.environ, "FLASK_SQLALCHEMY_DATABASE_URI": url, "FLASK_SECRET_KEY": SECRET,
            "PYTHONPATH": str(ROOT), **LIMITS}


def build(env: dict[str, str], *, asn: int, shops: int, purchases: int, province: str | None = None) -> dict:
    """init-db then seed-demo (in ``province``, ``semua`` for every configured one; by default the
    first); the wall and CPU seconds of seed-demo and its purchase rows per second."""
    subprocess.run([*FLASK, "init-db"], env=env, cwd=ROOT, check=True, capture_output=True)
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run([*FLASK, "seed-demo", "--asn", str(asn), "--shops", str(shops), "--purchases", str(purchases),
                    *(["--province", province] if province else [])], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"asn": asn, "shops": shops, "purchases": purchases, "province": province, "seconds": round(seconds, 1),
            "cpu_seconds": round(cpu, 1), "rows_per_second": round(purchases / seconds),
            "rows_per_cpu_second": round(purchases / cpu) if cpu else None,
            # the largest child so far: seed-demo, unless init-db was larger
            "peak_rss_mb": round(after.ru_maxrss / 1024)}


def check_tallies(env: dict[str, str]) -> bool:
    done = subprocess.run([*FLASK, "check-tallies"], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        print(done.stderr[-2000:], file=sys.stderr)
    return done.returncode == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(env: dict[str, str], workers: int, app: str = "campaign:create_app()", worker_class: str = "sync",
           threads: int = 1):
    """gunicorn with ``workers`` workers of ``worker_class`` on a free port of 127.0.0.1 serving
    ``app``; yields (base URL, pid)."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", worker_class,
         "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app], env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # at most 60 s to answer
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer /healthz within 60 s")
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def worker_pids(master_pid: int) -> list[int]:
    """The process ids of the gunicorn master's children (the workers)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master_pid:
                pids.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return pids


def worker_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of the gunicorn master's children (the workers), in MB."""
    sizes = []
    for pid in worker_pids(master_pid):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        sizes.append(round(kb / 1024, 1))
    return sorted(sizes)
