"""`make soak`: gunicorn under a steady mixed load, with zero errors and flat worker memory.

From the project root: `.venv/bin/python bench/soak.py [--seconds 60] [--connections 32]`.
It builds a throwaway database (SQLite in a temporary folder, or `<name>_soak` beside
DATABASE_URL's PostgreSQL database), starts `bin/serve` (gunicorn, DJANGO_DEBUG=0, worker
recycling off so that a leak would show) on a free loopback port, warms it up, then drives it
with wrk over a mix of pages, searches with ever-new words, filters, exports, plan posts and
the owner's progress posts (with a session cookie and a CSRF token). It reports requests per
second, every status seen, and each worker's resident memory at the start and the end, and
exits non-zero on any error, any worker restart or memory that grows. Every request goes to
127.0.0.1 only, and the run is bounded by --seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.process import free_port, process_env, throwaway_database_url  # noqa: E402
from tests.process import manage as run_manage  # noqa: E402


def manage(env: dict[str, str], *args: str) -> str:
    return run_manage(env, *args, timeout=None, failure=SystemExit)


PYTHON = sys.executable
# A worker may grow this much after the warm-up: caches fill to their bounds, the allocator
# keeps some arenas. A leak grows with every request and passes it within the minute.
GROWTH_LIMIT_BYTES = 16 * 1024 * 1024
GROWTH_LIMIT_RATIO = 0.15

SETUP = """
import json
from django.contrib.sessions.backends.db import SessionStore
from catalog.selectors import catalog_document
from paths.services import learner_create
from tests.factories import first_choice_answers, make_path
document = catalog_document()[1].model_dump(mode="json")
learner = learner_create()
answers = first_choice_answers(document)
path = make_path(learner=learner, answers=answers)
session = SessionStore()
session["learner_id"] = str(learner.pk)
session.create()
words = sorted({word.lower() for t in document["technologies"] for word in t["name"].split()
                if word.isalpha()})
print(json.dumps({
    "token": path.token,
    "session": session.session_key,
    "steps": [step["technology"] for step in path.snapshot["steps"]],
    "categories": [category["slug"] for category in document["categories"]],
    "technologies": [technology["slug"] for technology in document["technologies"]],
    "answers": answers,
    "words": words,
}))
"""

# Requests are drawn at random from this mix; the weights are in tenths of the traffic.
LUA = r"""
local data = __DATA__
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
  table.insert(threads, thread)
end

local function pick(list) return list[math.random(#list)] end

local function word()
  if math.random() < 0.5 then return pick(data.words) end
  local letters = {}
  for i = 1, math.random(2, 8) do letters[i] = string.char(math.random(97, 122)) end
  return table.concat(letters)
end

local owner = {
  ["Cookie"] = "sessionid=" .. data.session .. "; csrftoken=" .. data.csrf_cookie,
  ["X-CSRFToken"] = data.csrf_token,
  ["Content-Type"] = "application/x-www-form-urlencoded",
}
local statuses_of_step = {"todo", "doing", "done", "skipped"}
local path = "/paths/" .. data.token

local mix = {
  function() return wrk.format("GET", "/") end,
  function() return wrk.format("GET", "/catalog/") end,
  function() return wrk.format("GET", "/catalog/" .. pick(data.categories) .. "/") end,
  function() return wrk.format("GET", "/technologies/" .. pick(data.technologies) .. "/") end,
  function() return wrk.format("GET", "/search/?q=" .. word()) end,
  function()
    return wrk.format("GET", "/catalog/?q=" .. word(), {["HX-Request"] = "true"})
  end,
  function()
    return wrk.format("GET", "/catalog/?kind=" .. pick({"framework", "library", "tool"})
      .. "&level=" .. pick({"beginner", "intermediate", "advanced"}))
  end,
  function() return wrk.format("GET", path .. "/", {["Cookie"] = owner["Cookie"]}) end,
  function() return wrk.format("GET", path .. "/") end,
  function() return wrk.format("GET", path .. ".md") end,
  function() return wrk.format("GET", path .. ".ics") end,
  function() return wrk.format("GET", "/advisor/") end,
  function()
    return wrk.format("POST", "/api/plan", {["Content-Type"] = "application/json"}, data.plan)
  end,
  function()
    return wrk.format("POST", path .. "/progress/" .. pick(data.steps) .. "/", owner,
      "status=" .. pick(statuses_of_step))
  end,
  function()
    local headers = {}
    for key, value in pairs(owner) do headers[key] = value end
    headers["HX-Request"] = "true"
    return wrk.format("POST", path .. "/progress/" .. pick(data.steps) .. "/", headers,
      "status=" .. pick(statuses_of_step))
  end,
}

function init(args)
  math.randomseed(os.time() * 100 + seed)
  statuses = {}
end

function request()
  return pick(mix)()
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(total) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  io.write("STATUSES {" .. table.concat(parts, ", ") .. "}\n")
end
"""


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string literal for our ASCII data


def lua_table(data: dict) -> str:
    """Lua table literal for the mix: strings and lists of strings."""
    items = []
    for key, value in data.items():
        if isinstance(value, list):
            items.append(f"{key} = {{{', '.join(lua_string(item) for item in value)}}}")
        else:
            items.append(f"{key} = {lua_string(value)}")
    return "{" + ", ".join(items) + "}"


def workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def rss(pid: int) -> int:
    """Resident memory of a process in bytes."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) * 1024


def megabytes(value: int) -> str:
    return f"{value / 1024 / 1024:.1f} MiB"


def wrk(base: str, script: Path, seconds: int, connections: int) -> tuple[dict, str]:
    command = [
        "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
        "-s", str(script), base,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    statuses = json.loads(re.search(r"STATUSES (\{.*\})", output).group(1) or "{}")
    return {int(status): count for status, count in statuses.items()}, output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the measured run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make soak installs it)")

    tmp = Path(tempfile.mkdtemp(prefix="backendpath-soak-"))
    database_url = throwaway_database_url(tmp, "soak")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = process_env(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="soak-secret-key-" + "x" * 60,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
    )
    server_env = {
        **env,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(options.workers),
        "GUNICORN_MAX_REQUESTS": "0",  # no recycling: a leak must show, not be hidden
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "PYTHON": PYTHON,
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
    }
    log = tmp / "server.log"
    server = subprocess.Popen(
        [str(ROOT / "bin" / "serve")],
        cwd=ROOT,
        env=server_env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    failures: list[str] = []
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise SystemExit("the server exited:\n" + log.read_text())
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start:\n" + log.read_text()) from None
                time.sleep(0.3)
        setup = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
        page = urllib.request.urlopen(
            urllib.request.Request(
                f"{base}/paths/{setup['token']}/",
                headers={"Cookie": f"sessionid={setup['session']}"},
            ),
            timeout=10,
        )
        csrf_cookie = re.search(r"csrftoken=([^;]+)", page.headers["Set-Cookie"]).group(1)
        csrf_token = re.search(r'"X-CSRFToken": "([^"]+)"', page.read().decode()).group(1)
        data = {
            "token": setup["token"],
            "session": setup["session"],
            "csrf_cookie": csrf_cookie,
            "csrf_token": csrf_token,
            "steps": setup["steps"],
            "categories": setup["categories"],
            "technologies": setup["technologies"],
            "words": setup["words"],
            "plan": json.dumps({"answers": setup["answers"], "known": [], "hours_per_week": 5}),
        }
        script = tmp / "mix.lua"
        script.write_text(LUA.replace("__DATA__", lua_table(data)))

        wrk(base, script, 10, options.connections)  # warm-up: imports, caches, connections
        pids = workers(server.pid)
        start = {pid: rss(pid) for pid in pids}
        samples: list[tuple[float, int]] = []
        stop = threading.Event()

        def sample() -> None:
            began = time.monotonic()
            while not stop.wait(5):
                samples.append((time.monotonic() - began, sum(rss(pid) for pid in pids)))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        statuses, output = wrk(base, script, options.seconds, options.connections)
        stop.set()
        sampler.join()
        end_pids = workers(server.pid)
        end = {pid: rss(pid) for pid in end_pids if pid in start}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = sum(statuses.values())
    errors = {status: count for status, count in statuses.items() if status >= 400}
    socket_errors = re.search(r"Socket errors: (.*)", output)
    latency = dict(re.findall(r"^\s*(50|99)%\s+(\S+)\s*$", output, re.M))
    server_log = log.read_text()

    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(
        f"\nBackend Path soak — {engine}, gunicorn {options.workers} sync workers (no recycling),"
    )
    print(f"wrk -t2 -c{options.connections} -d{options.seconds}s on 127.0.0.1, mixed requests\n")
    print(f"requests: {total:,} in {options.seconds} s = {rate:,.0f} req/s")
    print(f"latency: p50 {latency.get('50', '?')}, p99 {latency.get('99', '?')}")
    print("statuses: " + ", ".join(f"{s}: {c:,}" for s, c in sorted(statuses.items())))
    print(f"errors (4xx/5xx): {sum(errors.values())}; socket errors: "
          f"{socket_errors.group(1) if socket_errors else 'none'}")  # fmt: skip
    print("\n| worker | RSS start | RSS end | growth |")
    print("| --- | ---: | ---: | ---: |")
    for pid in pids:
        if pid not in end:
            print(f"| {pid} | {megabytes(start[pid])} | restarted | — |")
            continue
        growth = end[pid] - start[pid]
        print(
            f"| {pid} | {megabytes(start[pid])} | {megabytes(end[pid])} "
            f"| {growth / 1024 / 1024:+.1f} MiB ({growth / start[pid]:+.1%}) |"
        )
        if growth > max(GROWTH_LIMIT_BYTES, GROWTH_LIMIT_RATIO * start[pid]):
            failures.append(f"worker {pid} grew by {megabytes(growth)}")
    print(
        "\ntotal RSS every 5 s: "
        + ", ".join(f"{seconds:.0f}s {megabytes(value)}" for seconds, value in samples)
    )

    if errors:
        failures.append(f"error responses: {errors}")
    if socket_errors:
        failures.append(f"socket errors: {socket_errors.group(1)}")
    if total == 0 or set(end_pids) != set(pids):
        failures.append("a worker was restarted or no request was answered")
    if re.search(r"Traceback|\[CRITICAL\]|WORKER TIMEOUT", server_log):
        failures.append("the server log has an error:\n" + server_log[-3000:])
    if failures:
        print("\nSOAK FAILED: " + "; ".join(failures))
        return 1
    print("\nSoak passed: no errors, no restarts, worker memory flat.")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
