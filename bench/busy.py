"""A busy day for ``bench/run.py``: reads that defeat the caches, each alone and under a steady
write trickle, and the floor app as the reference for writes.

- cache-busting routes: every metric x perspective of ``/peringkat`` and ``/api/v1/leaderboard``,
  every region's page and progress JSON, ``/peringkat?_=<N>`` with a new N each time, directory
  pages at random depths (by page number, and by the "Berikutnya" link of a random shop), random
  search words, and every kecamatan filter;
- the write trickle: ``POST /api/v1/purchases`` at a fixed rate from threads of this process,
  each sent at its time whatever the answers before it (not wrk's ``delay()``, which only spaces
  one connection's requests);
- the floor: :mod:`bench.floor_app`, one indexed INSERT per POST on the same database and gunicorn.
"""
from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select

from bench import dataset
from bench.wrk import AMOUNT_CYCLE, Load, drive

HEALTHZ = ("get", "/healthz", {})
URLS_PER_ROUTE = 6_000  # more than a route serves in its seconds, so a random one seldom repeats


def _get(path: str) -> tuple:
    return ("get", path, {})


def routes(app, seed: int = 17, province: str | None = None) -> dict[str, list[tuple]]:
    """Each cache-busting route as the list of requests wrk cycles through; with ``province`` (several
    served) also the 16 variants of that province's leaderboard of kabupaten/kota."""
    from campaign.core.extensions import db
    from campaign.domains.leaderboard.metrics import METRICS, PERSPECTIVES
    from campaign.domains.regions.models import District, Region
    from campaign.domains.shops.models import Shop

    rng = random.Random(seed)
    with app.app_context():
        regions = list(db.session.scalars(select(Region.code).where(Region.active).order_by(Region.code)))
        districts = db.session.execute(select(Region.code, District.code).join(Region, Region.id == District.region_id)
                                       .where(Region.active, District.active).order_by(District.code)).all()
        shop_ids = list(db.session.scalars(select(Shop.id).where(Shop.status == "verified")))
        names = db.session.scalars(select(Shop.name).where(Shop.status == "verified").limit(5_000))
        words = sorted({word.lower() for name in names for word in name.split() if len(word) >= 3})
        per_page = app.config["PER_PAGE"]
    pages = max(1, -(-len(shop_ids) // per_page))
    variants = [f"metric={m}&perspective={p}" for m in METRICS for p in PERSPECTIVES]
    syllables = ["ma", "ko", "pi", "sa", "ru", "ng", "da", "eng", "tu", "li"]

    def word() -> str:  # a word of the shops' names, or a made-up one
        return rng.choice(words) if words and rng.random() < 0.7 else "".join(rng.sample(syllables, 2))

    n = URLS_PER_ROUTE
    one_province = {} if province is None else {
        f"GET /peringkat?provinsi={province}, 16 metric x perspective": [
            _get(f"/peringkat?provinsi={province}&{v}") for v in variants],
        f"GET /api/v1/leaderboard?province={province}, 16 metric x perspective": [
            _get(f"/api/v1/leaderboard?province={province}&{v}") for v in variants]}
    return {
        "GET /peringkat, 16 metric x perspective": [_get(f"/peringkat?{v}") for v in variants],
        "GET /api/v1/leaderboard, 16 metric x perspective": [_get(f"/api/v1/leaderboard?{v}") for v in variants],
        **one_province,
        f"GET /wilayah/<code>, all {len(regions)}": [_get(f"/wilayah/{code}") for code in regions],
        f"GET /api/v1/regions/<code>/progress, all {len(regions)}": [
            _get(f"/api/v1/regions/{code}/progress") for code in regions],
        "GET /peringkat?_=<N>, a new N each time": [_get(f"/peringkat?_={rng.randrange(10**9)}") for _ in range(n)],
        f"GET /toko?page=<random 1..{pages}>": [_get(f"/toko?page={rng.randint(1, pages)}") for _ in range(n)],
        "GET /toko?page=<n>&setelah=<random shop>": [
            _get(f"/toko?page={rng.randint(2, pages)}&setelah={rng.choice(shop_ids)}") for _ in range(n)],
        "GET /toko?q=<random words>": [
            _get("/toko?q=" + "+".join(word() for _ in range(rng.choice((1, 1, 2))))) for _ in range(n)],
        f"GET /toko?wilayah=&kecamatan=, all {len(districts)}": [
            _get(f"/toko?wilayah={region}&kecamatan={district}") for region, district in districts],
    }


class Trickle:
    """``POST /api/v1/purchases`` at ``rate`` per second while the ``with`` block runs, each
    request sent at its time from a pool of threads (so a slow answer does not delay the next)."""

    def __init__(self, base: str, tokens: list[str], shops: list[int], rate: float, run: str) -> None:
        self.base, self.tokens, self.shops, self.rate, self.run = base, tokens, shops, rate, run
        self.offset = random.randrange(AMOUNT_CYCLE)
        self.statuses: dict[int, int] = {}
        self.latencies: list[float] = []
        self.created_ids: list[int] = []
        self.refusals: list[str] = []  # the first few bodies of answers other than 201
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self.seconds = 0.0

    def __enter__(self) -> Trickle:
        self._started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()
        self.seconds = time.monotonic() - self._started

    def _loop(self) -> None:
        interval, due, n = 1 / self.rate, time.monotonic(), 0
        with ThreadPoolExecutor(max_workers=32) as pool:
            while not self._stop.is_set():
                pool.submit(self._post, n)
                n += 1
                due += interval
                self._stop.wait(max(0.0, due - time.monotonic()))

    def _post(self, n: int) -> None:
        i = n + self.offset
        body = json.dumps({"shop_id": self.shops[(i * 17) % len(self.shops)],
                           "amount": 1_000 + (i * 991) % AMOUNT_CYCLE, "client_ref": f"{self.run}-{i}"}).encode()
        request = urllib.request.Request(f"{self.base}/api/v1/purchases", data=body, method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {self.tokens[(i * 11) % len(self.tokens)]}"})
        start = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # nosec B310: 127.0.0.1 only
                status, answer = response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            status, answer = error.code, {}
            with self._lock:
                if len(self.refusals) < 3:
                    self.refusals.append(error.read()[:300].decode(errors="replace"))
        except OSError:
            status, answer = 0, {}
        with self._lock:
            self.latencies.append(time.monotonic() - start)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 201:
                self.created_ids.append(int(answer["id"]))

    def summary(self) -> dict:
        sent = sum(self.statuses.values())
        ordered = sorted(self.latencies) or [0.0]
        return {"target_per_second": self.rate, "sent": sent,
                "per_second": round(sent / self.seconds, 1) if self.seconds else 0.0,
                "p50_ms": round(statistics.median(ordered) * 1000, 1),
                "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))] * 1000, 1), "statuses": self.statuses,
                "refusals": self.refusals}


def _row(name: str, result: dict, healthz: float, trickle: dict | None = None) -> dict:
    errors = result["socket_errors"] + sum(n for status, n in result["statuses"].items() if status not in (200, 201))
    row = {"route": name, "requests_per_second": round(result["requests_per_second"], 1),
           "p50_ms": round(result["p50_ms"], 2), "p99_ms": round(result["p99_ms"], 2), "errors": errors,
           "ratio_to_healthz": round(result["requests_per_second"] / healthz, 3),
           "healthz_requests_per_second": round(healthz, 1), "statuses": result["statuses"]}
    if trickle is not None:
        row["trickle"] = trickle
        row["errors"] += sum(n for status, n in trickle["statuses"].items() if status != 201)
    print(f"{name:<48}{row['requests_per_second']:>9.1f}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}"
          f"{row['errors']:>7}{row['ratio_to_healthz']:>8.3f}"
          + (f"  trickle {trickle['per_second']}/s p99 {trickle['p99_ms']} ms" if trickle else ""), flush=True)
    return row


def measure(base: str, app, actors, run: str, *, seconds: int, wrk: str, rate: float, alone: bool,
            healthz: float, province: str | None = None) -> tuple[list[dict], list[int], float]:
    """Every cache-busting route (alone when ``alone``, then under the trickle), each followed by
    a /healthz run unless ``alone`` is off (the quick --check run: ratios to the last /healthz).
    Returns the rows, the ids the trickle was answered 201 for, and the last /healthz rate."""
    rows, created = [], []
    # the trickled twin of a random route draws its own URLs: with the same ones it would find
    # the pages its alone twin had just left in the workers' caches, and measure those
    others = routes(app, seed=18, province=province)
    for name, requests in routes(app, province=province).items():
        runs = [(name, None, requests)] if alone else []
        runs.append((f"{name} + {rate:g} POST/s", rate, others[name]))
        for label, trickle_rate, requests in runs:
            if trickle_rate is None:
                result, trickle = drive(base, Load(requests), seconds, wrk), None
            else:
                with Trickle(base, actors.asn_tokens, actors.shop_ids, trickle_rate, f"{run}t") as flow:
                    result = drive(base, Load(requests), seconds, wrk)
                trickle = flow.summary()
                created += flow.created_ids
            after = drive(base, Load([HEALTHZ]), seconds, wrk)["requests_per_second"] if alone else healthz
            rows.append(_row(label, result, (healthz + after) / 2, trickle))
            healthz = after
    return rows, created, healthz


def floor(url: str, *, workers: int, seconds: int, wrk: str) -> dict:
    """The floor app's POST on the same kind of database (PostgreSQL: the benchmark's database,
    its own table; SQLite: a file beside it), as a ratio to its own /healthz."""
    floor_url = url
    if url.startswith("sqlite:///"):
        floor_url = f"sqlite:///{Path(url.removeprefix('sqlite:///')).parent / 'floor.sqlite3'}"
    env = {**dataset.environment(url), "FLOOR_DATABASE_URL": floor_url}
    # its table made once here: three workers creating it at once collide on PostgreSQL's catalog
    subprocess.run([sys.executable, "-c", "from bench import floor_app; floor_app.create_app()"], env=env,
                   cwd=dataset.ROOT, check=True)
    with dataset.server(env, workers, app="bench.floor_app:create_app()") as (base, _master):
        healthz = drive(base, Load([HEALTHZ]), seconds, wrk)["requests_per_second"]
        result = drive(base, Load([("purchase",)], shops=list(range(1, 1_001)), run="floor"), seconds, wrk)
    return _row("floor app: POST, one indexed INSERT (own /healthz)", result, healthz)
