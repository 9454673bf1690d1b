"""Driving one route with wrk: a Lua script per route, results as a dict.

The Lua script counts responses by status and prints one JSON line from ``done``: requests,
duration, latency percentiles and wrk's own error counts. It writes the id of every purchase
answered 201 (created) or 200 with status confirmed to a file, so each can be looked up after. ``errors`` in the results is socket
errors plus timeouts plus responses other than the route's expected statuses.
"""
from __future__ import annotations

import json
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

WRK_ARGS = ("-t1", "-c16")
# A purchase's amount cycles through this many values (under the default maximum of Rp10,000,000),
# and a run starts at a random point of the cycle: two runs' purchases repeat each other's buyer,
# shop and amount (the duplicate guard's 409) only if their starting points fall within a run's
# length, which with a cycle of 500,000 happened in about one run of eight.
AMOUNT_CYCLE = 9_000_000

LUA = r"""
local routes = %(routes)s
local tokens = %(tokens)s
local shops = %(shops)s
local confirms = %(confirms)s
local run = "%(run)s"
local ids = io.open("%(ids)s", "a")
local counter = 0
local purchases = 0  -- its own count, so buyers and shops rotate fully in a mixed run too
statuses = {}

local function purchase(n)
  local i = n + %(offset)d  -- another run on the same data starts elsewhere: no repeats for the duplicate guard
  local token = tokens[(i * 7) %% #tokens + 1]
  local shop = shops[(i * 13) %% #shops + 1]
  local body = string.format('{"shop_id": %%d, "amount": %%d, "client_ref": "%%s-%%d"}',
                             shop, 1000 + (i * 977) %% %(amounts)d, run, i)
  return wrk.format("POST", "/api/v1/purchases",
                    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

local function confirm(i)
  local pair = confirms[(i - 1) %% #confirms + 1]
  return wrk.format("POST", "/api/v1/purchases/" .. pair[1] .. "/confirm",
                    {["Authorization"] = "Bearer " .. pair[2]}, "")
end

request = function()
  counter = counter + 1
  local route = routes[(counter - 1) %% #routes + 1]
  if route[1] == "purchase" then
    purchases = purchases + 1
    return purchase(purchases)
  end
  if route[1] == "confirm" then return confirm(counter) end
  return wrk.format("GET", route[2], route[3])
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  -- a confirm's answer is one purchase (under 2 KB): the size test spares scanning a 200 KB leaderboard
  if status == 201 or (status == 200 and #body < 8192 and body:sub(1, 1) == "{"
                       and body:find('"status": *"confirmed"')) then
    local id = body:match('"id": *(%%d+)')  -- the first "id" of a purchase (keys are sorted)
    if id then ids:write(status, " ", id, "\n") end
  end
end

local threads = {}
setup = function(thread) table.insert(threads, thread) end

done = function(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local seen = thread:get("statuses")
    for status, n in pairs(seen) do counts[status] = (counts[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(counts) do table.insert(parts, string.format('"%%d": %%d', status, n)) end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, "socket_errors": %%d, ' ..
    '"statuses": {%%s}}\n', summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout, table.concat(parts, ", ")))
end
"""


@dataclass
class Load:
    """What a wrk run sends: ``routes`` cycled in order, each ("get", path, headers),
    ("purchase",) or ("confirm",); tokens and shops for purchases; (id, token) pairs to confirm."""

    routes: list[tuple]
    tokens: list[str] = field(default_factory=lambda: ["-"])
    shops: list[int] = field(default_factory=lambda: [0])
    confirms: list[tuple[int, str]] = field(default_factory=lambda: [(0, "-")])
    run: str = "bench"


def ensure_wrk() -> str:
    """wrk's path; installs the Debian package when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or "wrk"


def _lua_list(values) -> str:
    def one(value):
        if isinstance(value, (list, tuple)):
            return _lua_list(value)
        if isinstance(value, dict):
            return "{" + ", ".join(f'["{k}"] = {one(v)}' for k, v in value.items()) + "}"
        return json.dumps(value)
    return "{" + ", ".join(one(v) for v in values) + "}"


def drive(base_url: str, load: Load, seconds: int, wrk: str) -> dict:
    """Run wrk for ``seconds`` with ``load``; return requests/s, p50/p99 (ms) and status counts."""
    ids = Path(tempfile.mkstemp(suffix=".ids")[1])
    script = LUA % {"routes": _lua_list(load.routes), "tokens": _lua_list(load.tokens),
                    "shops": _lua_list(load.shops), "confirms": _lua_list(load.confirms), "run": load.run,
                    "ids": ids, "offset": random.randrange(AMOUNT_CYCLE), "amounts": AMOUNT_CYCLE}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
    try:
        done = subprocess.run([wrk, *WRK_ARGS, f"-d{seconds}s", "--timeout", "10s", "-s", fh.name, base_url],
                              capture_output=True, text=True, timeout=seconds + 60, check=True)
        answered = [line.split() for line in ids.read_text().splitlines()]
    finally:
        Path(fh.name).unlink()
        ids.unlink()
    line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH "))
    raw = json.loads(line[len("BENCH "):])
    statuses = {int(k): v for k, v in raw["statuses"].items()}
    return {"requests": raw["requests"], "requests_per_second": raw["requests"] / (raw["duration_us"] / 1e6),
            "p50_ms": raw["p50_us"] / 1000, "p99_ms": raw["p99_us"] / 1000,
            "socket_errors": raw["socket_errors"], "statuses": statuses,
            "created_ids": [int(i) for status, i in answered if status == "201"],
            "confirmed_ids": [int(i) for status, i in answered if status == "200"]}
