"""`make bench`: throughput and latency of every page, planner and loader timings, page weight.

From the project root: `.venv/bin/python bench/run.py [--seconds N]`. It builds a throwaway
database (SQLite in a temporary folder, or `<name>_bench` beside DATABASE_URL's PostgreSQL
database), loads the default catalog, starts `bin/serve` (gunicorn, DJANGO_DEBUG=0, 2 sync
workers) on a free loopback port, drives it with wrk from a second process, prints the pages'
table, and exits non-zero when a target is missed. With REDIS_URL set, or BENCH_REDIS=1
(Redis database 11 on 127.0.0.1), the pages run twice: without Redis, then with the shared
Redis cache under a key prefix of the run's own, whose keys are deleted afterwards; both tables
are printed. Each page's throughput is compared with a /healthz run made just before it.
Every request goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

from tests.process import free_port, throwaway_database_url  # noqa: E402
from tests.process import manage as run_manage  # noqa: E402


def manage(env: dict[str, str], *args: str) -> str:
    return run_manage(env, *args, timeout=None, failure=SystemExit)


SECRET = "bench-secret-key-" + "x" * 60


def base_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": SECRET,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
        }
    )
    return env


SETUP_SCRIPT = """
import json
from django.contrib.sessions.backends.db import SessionStore
from catalog.selectors import catalog_document
from paths.services import learner_create, path_create
from tests.factories import first_choice_answers

document = catalog_document()[1].model_dump(mode="json")
learner = learner_create()
path = path_create(learner=learner, answers=first_choice_answers(document), known=[],
                   hours_per_week=5)
session = SessionStore()
session["learner_id"] = str(learner.pk)
session.create()
word = document["technologies"][-1]["name"].split()[0]
print(json.dumps({
    "category": document["categories"][0]["slug"],
    "technology": document["technologies"][len(document["technologies"]) // 2]["slug"],
    "search": word,
    "token": path.token,
    "session": session.session_key,
    "answers": first_choice_answers(document),
}))
"""


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    server_env = {
        **env,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "PYTHON": PYTHON,
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }
    process = subprocess.Popen(
        [str(ROOT / "bin" / "serve")],
        cwd=ROOT,
        env=server_env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server exited:\n" + log.read_text())
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start:\n" + log.read_text())


LATENCY_RE = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(
    url: str, seconds: int, *, connections: int = 16, headers=(), script: str | None = None
) -> dict:
    threads = min(2, connections)  # wrk needs a connection per thread
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "5s",
    ]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 30
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    latency = {p: float(v) * UNIT[u] for p, v, u in LATENCY_RE.findall(output)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(rate.group(1)) if rate else 0.0,
        "p50": latency.get("50", float("nan")),
        "p99": latency.get("99", float("nan")),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "raw": output,
    }


def page_weight(base: str) -> int:
    """Bytes on the wire (gzip) for `/` and the CSS and JS it links."""

    def get(url: str) -> int:
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return len(response.read())

    request = urllib.request.Request(base + "/", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
        html = (
            gzip.decompress(body) if response.headers.get("Content-Encoding") == "gzip" else body
        ).decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js|svg))"', html)
    return len(body) + sum(get(base + asset) for asset in dict.fromkeys(assets))


def planner_times() -> dict[int, float]:
    from catalog.generator import generate_document
    from paths.planner import build_plan, catalog_from_document
    from tests.factories import first_choice_answers

    times = {}
    for size in (100, 1_000, 10_000):
        document = generate_document(size)
        catalog = catalog_from_document(document)
        answers = first_choice_answers(document)
        build_plan(catalog, answers, [], 5)
        samples = []
        for _ in range(15):
            start = time.perf_counter()
            build_plan(catalog, answers, [], 5)
            samples.append((time.perf_counter() - start) * 1000)
        times[size] = statistics.median(samples)
    return times


def load_times(tmp: Path) -> tuple[dict[int, float], dict[str, str]]:
    """Seconds to load generated catalogs, and the environment of the largest one's database."""
    times = {}
    for size in (1_000, 10_000):
        catalog = tmp / f"generated-{size}.yaml"
        generate = [
            PYTHON, "manage.py", "generate_catalog", "--technologies", str(size),
            "--compact", "-o", str(catalog),
        ]  # fmt: skip
        subprocess.run(
            generate, cwd=ROOT, check=True, capture_output=True,
            env=base_env(f"sqlite:///{tmp / 'generate.sqlite3'}"),
        )  # fmt: skip
        env = base_env(throwaway_database_url(tmp, f"bench_load_{size}"))
        manage(env, "migrate", "--noinput")
        start = time.perf_counter()
        manage(env, "load_catalog", str(catalog))
        times[size] = time.perf_counter() - start
    return times, env


ANSWERS_SCRIPT = """
import json
from catalog.selectors import catalog_document
from tests.factories import first_choice_answers

document = catalog_document()[1].model_dump(mode="json")
print(json.dumps(first_choice_answers(document)))
"""


def plan_script(tmp: Path, answers: dict, name: str, *, new_each_time: bool = False) -> Path:
    """A wrk script posting a plan request: the same body each time (which the process keeps
    the answer to, as for any repeated request), or `new_each_time` a body never sent before,
    so that every request runs the planner."""
    script = tmp / name
    body = json.dumps({"answers": answers, "known": [], "hours_per_week": 5})
    lines = ['wrk.method = "POST"', 'wrk.headers["Content-Type"] = "application/json"']
    if new_each_time:
        # The same request in meaning, with whitespace of a length no request had before
        # (each wrk thread counts on its own, from its own offset).
        lines += [
            f"body = {json.dumps(body[:-1])}",
            "threads = 0",
            'setup = function(thread) thread:set("offset", threads); threads = threads + 1 end',
            "counter = 0",
            "request = function()",
            "  counter = counter + 1",
            '  local spaces = string.rep(" ", counter * 2 + offset)',
            '  return wrk.format(nil, nil, nil, body .. spaces .. "}")',
            "end",
        ]
    else:
        lines.append(f"wrk.body = {json.dumps(body)}")
    script.write_text("\n".join(lines) + "\n")
    return script


def large_plan_latency(tmp: Path, env: dict[str, str], seconds: int) -> dict:
    """`POST /api/plan` end to end on the largest generated catalog: one client at a time,
    so the median is what a visitor waits, not time spent queueing."""
    answers = json.loads(manage(env, "shell", "-c", ANSWERS_SCRIPT).strip().splitlines()[-1])
    script = plan_script(tmp, answers, "plan-large.lua", new_each_time=True)
    port = free_port()
    server = start_server(env, port, tmp / "server-large.log")
    url = f"http://127.0.0.1:{port}/api/plan"
    try:
        # Each worker builds the planner's catalog once per catalog version: warm both.
        wrk(url, 3, connections=4, script=str(script))
        return wrk(url, seconds, connections=1, script=str(script))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def schema_times() -> list[tuple[str, float, float]]:
    """(what, seconds, limit) for the YAML reader's refusals of hostile input and for
    validating a large document: with libyaml's events and with the pure-Python parser's."""
    from catalog import yaml_reader
    from catalog.schema_errors import CatalogInvalid
    from catalog.validation import parse_catalog, validate_document
    from tests.factories import chain_document

    nested = [
        "highlights: " + "[" * 100_000,
        "highlights: " + "{a: " * 100_000,
        "highlights:\n" + "- " * 100_000,
    ]
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 30)]
    alias_bomb = "\n".join(lines) + "\n"

    def refusal(source: str) -> float:
        start = time.perf_counter()
        try:
            parse_catalog(source)
        except CatalogInvalid:
            return time.perf_counter() - start
        raise SystemExit("the YAML reader accepted hostile input")

    rows = []
    libyaml = yaml_reader._CParser
    for parser, events in (("libyaml", libyaml), ("Python parser", None)):
        if parser == "libyaml" and libyaml is None:
            continue
        yaml_reader._CParser = events
        try:
            deepest = max(refusal(source) for source in nested)
            rows.append((f"YAML 100,000 levels deep refused ({parser}, slowest)", deepest, 5))
            rows.append((f"YAML alias bomb refused ({parser})", refusal(alias_bomb), 1))
        finally:
            yaml_reader._CParser = libyaml
    document = chain_document(5000)
    start = time.perf_counter()
    _, errors = validate_document(document)
    rows.append(("validate a document of 5,000 technologies", time.perf_counter() - start, 3))
    if errors:
        raise SystemExit(f"the 5,000-technology document is invalid: {errors[:3]}")
    return rows


def outage_seconds(tmp: Path) -> float | None:
    """The slowest 503 while PostgreSQL is cut off (through a TCP proxy) from a server that
    had open connections; None on SQLite, which cannot go away."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return None
    from tests.hardening.servers import request, serve_behind_database_proxy

    with serve_behind_database_proxy(tmp, "bench_outage") as (proxy, _, base):
        for _ in range(4):  # open persistent connections in both workers
            request(base, "GET", "/")
        proxy.stop()
        slowest = 0.0
        for url in ("/", "/catalog/", "/advisor/", "/readyz"):
            for _ in range(2):  # both workers, whose connections just broke
                response = request(base, "GET", url, timeout=60)
                if response.status != 503:
                    raise SystemExit(f"{url} answered {response.status} during the outage")
                slowest = max(slowest, response.seconds)
        return slowest


BENCH_REDIS_URL = "redis://127.0.0.1:6379/11"


def configurations() -> list[tuple[str, dict[str, str]]]:
    """The cache configurations the pages are measured in: the process's own cache, and with
    REDIS_URL set (or BENCH_REDIS=1, which uses BENCH_REDIS_URL) the shared Redis cache under
    a key prefix of this run's own, removed afterwards."""
    found = [("no Redis", {"REDIS_URL": ""})]
    url = os.environ.get("REDIS_URL") or (
        BENCH_REDIS_URL if os.environ.get("BENCH_REDIS") == "1" else ""
    )
    if url:
        prefix = f"backendpath-bench-{os.getpid()}-{int(time.time())}"
        found.append(("Redis", {"REDIS_URL": url, "REDIS_KEY_PREFIX": prefix}))
    return found


def clean_redis(extra_env: dict[str, str]) -> None:
    """Delete the keys this run wrote to Redis (only those under its own prefix)."""
    if not extra_env.get("REDIS_URL"):
        return
    import redis

    client = redis.Redis.from_url(extra_env["REDIS_URL"])
    keys = list(client.scan_iter(match=f"{extra_env['REDIS_KEY_PREFIX']}:*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start : start + 500])


def owner_csrf_cookie(base: str, setup: dict) -> str:
    """The CSRF cookie the owner's browser holds after its first visit: the owner's cached page
    carries their token, so a visitor without the cookie would get a fresh render each time."""
    import urllib.request

    request = urllib.request.Request(
        f"{base}/paths/{setup['token']}/", headers={"Cookie": f"sessionid={setup['session']}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        for line in response.headers.get_all("Set-Cookie") or []:
            if line.startswith("csrftoken="):
                return line.split(";", 1)[0].split("=", 1)[1]
    raise SystemExit("the owner's page set no CSRF cookie")


def page_rows(env: dict[str, str], tmp: Path, setup: dict, seconds: int) -> tuple[list, int]:
    """Every page's row (label, wrk result, ratio to /healthz, target, ok) and the first
    visit's weight, from a server started with env."""
    port = free_port()
    server = start_server(env, port, tmp / "server.log")
    base = f"http://127.0.0.1:{port}"
    default_plan = plan_script(tmp, setup["answers"], "plan.lua")
    new_plan = plan_script(tmp, setup["answers"], "plan-new.lua", new_each_time=True)
    owner = [f"Cookie: sessionid={setup['session']}; csrftoken={owner_csrf_cookie(base, setup)}"]
    pages = [
        ("/healthz", "/healthz", {}, None),
        ("/", "/", {}, 0.6),
        ("/catalog/", "/catalog/", {}, 0.6),
        ("/catalog/<category>/", f"/catalog/{setup['category']}/", {}, 0.6),
        ("/technologies/<slug>/", f"/technologies/{setup['technology']}/", {}, 0.6),
        ("/search/?q=…", f"/search/?q={quote(setup['search'])}", {}, 0.4),
        ("POST /api/plan", "/api/plan", {"script": str(default_plan)}, 0.4),
        ("POST /api/plan, a new body each time", "/api/plan", {"script": str(new_plan)}, None),
        ("/paths/<token>/ (reader)", f"/paths/{setup['token']}/", {}, 0.35),
        ("/paths/<token>/ (owner)", f"/paths/{setup['token']}/", {"headers": owner}, 0.35),
    ]
    rows = []
    try:
        for _label, url, extra, _ in pages:  # warm every worker's caches first
            wrk(base + url, 1, connections=4, **extra)
        # Each page runs right after its own /healthz run and its ratio is to that one, so a
        # machine that speeds up or slows down during the bench does not tilt the ratios.
        healthz_runs = []
        for label, url, extra, target in pages[1:]:
            healthz = wrk(base + "/healthz", seconds)
            healthz_runs.append(healthz)
            result = wrk(base + url, seconds, **extra)
            ratio = result["rps"] / healthz["rps"] if healthz["rps"] else 0.0
            # A row without a target is there to be read (what a cache miss costs).
            ok = target is None or (ratio >= target and result["p99"] < 50)
            ok = ok and result["errors"] == 0 and not result["socket_errors"]
            rows.append((label, result, ratio, target, ok))
        # The reference row: medians over its runs. It has no target of its own.
        healthz = {
            key: statistics.median(run[key] for run in healthz_runs)
            for key in ("rps", "p50", "p99")
        }
        ok = not any(run["errors"] or run["socket_errors"] for run in healthz_runs)
        rows.insert(0, ("/healthz (medians of its runs)", healthz, 1.0, None, ok))
        weight = page_weight(base)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return rows, weight


def print_pages(rows: list) -> None:
    print("| what | req/s | p50 ms | p99 ms | vs /healthz | target | ok |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for label, result, ratio, target, ok in rows:
        goal = "—" if target is None else f"≥ {target:.0%}, p99 < 50 ms"
        print(
            f"| {label} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} "
            f"| {ratio:.0%} | {goal} | {'yes' if ok else 'NO'} |"
        )
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per page")
    parser.add_argument(
        "--pages-only", action="store_true", help="only the pages' tables (quicker, for tuning)"
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench installs it)")
    tmp = Path(tempfile.mkdtemp(prefix="backendpath-bench-"))
    database_url = throwaway_database_url(tmp, "bench")
    env = base_env(database_url)
    manage(env, "migrate", "--noinput")
    manage(env, "load_catalog")
    setup = json.loads(manage(env, "shell", "-c", SETUP_SCRIPT).strip().splitlines()[-1])
    failures: list[str] = []
    tables = []
    for name, extra_env in configurations():
        try:
            rows, weight = page_rows({**env, **extra_env}, tmp, setup, options.seconds)
        finally:
            clean_redis(extra_env)
        failures += [f"{row[0]} ({name})" for row in rows if not row[-1]]
        tables.append((name, rows))
    if options.pages_only:
        for name, rows in tables:
            print(f"\nPages, {name}:\n")
            print_pages(rows)
        return 1 if failures else 0
    planner = planner_times()
    loads, large_env = load_times(tmp)
    large_plan = large_plan_latency(tmp, large_env, options.seconds)
    schema = schema_times()
    outage = outage_seconds(tmp)
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(f"\nBackend Path bench — {engine}, Python {platform.python_version()} ({PYTHON}),")
    print(f"gunicorn 2 sync workers, wrk -t2 -c16 -d{options.seconds}s on 127.0.0.1\n")
    for name, rows in tables:
        print(f"Pages, {engine}, {name}:\n")
        print_pages(rows)
    print("| what | req/s | p50 ms | p99 ms | vs /healthz | target | ok |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for size, ms in planner.items():
        ok = size < 10_000 or ms < 50
        failures += [] if ok else [f"planner {size}"]
        verdict = "yes" if ok else "NO"
        print(f"| planner, {size:,} technologies | | {ms:.2f} | | | < 50 ms | {verdict} |")
    ok = large_plan["p50"] < 100 and large_plan["errors"] == 0 and not large_plan["socket_errors"]
    failures += [] if ok else ["/api/plan on 10,000 technologies"]
    print(
        f"| POST /api/plan, 10,000 technologies, one client | {large_plan['rps']:.0f} "
        f"| {large_plan['p50']:.1f} | {large_plan['p99']:.1f} | | median < 100 ms "
        f"| {'yes' if ok else 'NO'} |"
    )
    for size, seconds in loads.items():
        ok = seconds < 15
        failures += [] if ok else [f"load {size}"]
        verdict = "yes" if ok else "NO"
        print(
            f"| load_catalog, {size:,} technologies | | {seconds * 1000:.0f} ms | | "
            f"| < 15 s | {verdict} |"
        )
    for what, seconds, limit in schema:
        ok = seconds < limit
        failures += [] if ok else [what]
        verdict = "yes" if ok else "NO"
        print(f"| {what} | | {seconds * 1000:.0f} ms | | | < {limit} s | {verdict} |")
    if outage is not None:
        ok = outage < 10
        failures += [] if ok else ["503 during an outage"]
        verdict = "yes" if ok else "NO"
        print(
            f"| 503 while PostgreSQL is down (slowest) | | {outage * 1000:.0f} ms | | "
            f"| < 10 s | {verdict} |"
        )
    ok = weight <= 60 * 1024
    failures += [] if ok else ["page weight"]
    verdict = "yes" if ok else "NO"
    print(
        f"| first visit to / (gzip, CSS, JS) | | {weight / 1024:.1f} KB | | | ≤ 60 KB | {verdict} |"
    )
    if failures:
        print("\nMissed targets: " + ", ".join(failures))
        return 1
    print("\nEvery target met.")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
