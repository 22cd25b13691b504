"""Two `load_catalog` runs at once on PostgreSQL: one waits for the other (the loader takes
pg_advisory_xact_lock), both finish cleanly, and the catalog is at every moment exactly one
of the files or what was there before, never a mix.

Two real processes against a throwaway database; a third connection reads the catalog all the
while, as the site would.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from catalog.generator import generate_document
from catalog.services import LOAD_LOCK_KEY
from catalog.yaml_writer import dump_catalog
from tests.process import manage, process_env, throwaway_database_url

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL: run with DATABASE_URL=postgres://... (CI runs the suite on both)",
)

TECHNOLOGIES = 400


def variant(document: dict, mark: str) -> dict:
    """The same catalog (same slugs, same graph) with every name and summary marked."""
    document = copy.deepcopy(document)
    for section in ("categories", "technologies"):
        for item in document[section]:
            item["name"] = f"{item['name']} [{mark}]"
            item["summary"] = f"{item['summary']} [{mark}]"
    for project in document["projects"]:
        project["title"] = f"{project['title']} [{mark}]"
    for question in document["questions"]:
        question["prompt"] = f"{question['prompt']} [{mark}]"
    return document


def marks(database_url: str) -> set[str]:
    """The marks on the names the catalog holds right now, as one reader sees it (one
    statement, so one snapshot: separate SELECTs may each see a different commit)."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        names = connection.execute(
            "SELECT name FROM catalog_category UNION ALL SELECT name FROM catalog_technology "
            "UNION ALL SELECT prompt FROM catalog_question"
        ).fetchall()
    return {name.rsplit("[", 1)[-1].rstrip("]") for (name,) in names}


def version(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute("SELECT number FROM catalog_catalogversion").fetchone()[0]


def waiting_for_the_lock(connection, database: str) -> int:
    return connection.execute(
        "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
        "WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = %s AND l.objid = %s",
        [database, LOAD_LOCK_KEY],
    ).fetchone()[0]


def load(env: dict[str, str], path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "load_catalog", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def catalogs(tmp_path):
    """A database holding catalog "0", and the files of catalogs "A" and "B"."""
    database_url = throwaway_database_url(tmp_path, "loads")
    env = process_env(DATABASE_URL=database_url)
    manage(env, "migrate", "--noinput")
    base = generate_document(TECHNOLOGIES, seed=3)
    files = {}
    for mark in ("0", "A", "B"):
        files[mark] = tmp_path / f"catalog-{mark}.yaml"
        files[mark].write_text(dump_catalog(variant(base, mark)), encoding="utf-8")
    manage(env, "load_catalog", str(files["0"]))
    assert marks(database_url) == {"0"}
    return env, database_url, files


class Reader(threading.Thread):
    """Reads the catalog over and over until stopped, keeping every set of marks it saw."""

    def __init__(self, database_url: str) -> None:
        super().__init__(daemon=True)
        self.database_url = database_url
        self.seen: list[set[str]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.seen.append(marks(self.database_url))


def test_a_second_load_waits_and_the_catalog_is_never_a_mix(catalogs):
    import psycopg

    env, database_url, files = catalogs
    database = database_url.rsplit("/", 1)[-1]
    version_before = version(database_url)
    reader = Reader(database_url)
    reader.start()
    with psycopg.connect(database_url, autocommit=True) as holder:
        # Hold the loader's lock, so both runs are sure to be waiting at the same time.
        holder.execute("SELECT pg_advisory_lock(%s)", [LOAD_LOCK_KEY])
        first, second = load(env, files["A"]), load(env, files["B"])
        deadline = time.monotonic() + 60
        while waiting_for_the_lock(holder, database) < 2:
            assert first.poll() is None and second.poll() is None, "a load did not wait"
            assert time.monotonic() < deadline, "the loads never queued on the lock"
            time.sleep(0.1)
        assert marks(database_url) == {"0"}  # both are waiting; neither wrote anything
        holder.execute("SELECT pg_advisory_unlock(%s)", [LOAD_LOCK_KEY])
        outputs = [process.communicate(timeout=180) for process in (first, second)]
    reader.stop.set()
    reader.join(timeout=30)
    for process, (stdout, stderr) in zip((first, second), outputs, strict=True):
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr and "Loaded" in stdout
    final = marks(database_url)
    assert final in ({"A"}, {"B"})
    assert version(database_url) == version_before + 2  # two whole loads, one after the other
    assert reader.seen and all(len(seen) == 1 for seen in reader.seen), {
        frozenset(seen) for seen in reader.seen if len(seen) > 1
    }
    exported = manage(env, "export_catalog")
    expected = files[final.pop()].read_text(encoding="utf-8")
    assert exported == expected


def test_two_loads_started_together_leave_one_whole_catalog(catalogs):
    env, database_url, files = catalogs
    reader = Reader(database_url)
    reader.start()
    for _ in range(2):
        runs = [load(env, files["A"]), load(env, files["B"])]
        outputs = [process.communicate(timeout=180) for process in runs]
        for process, (_, stderr) in zip(runs, outputs, strict=True):
            assert process.returncode == 0, stderr
        assert marks(database_url) in ({"A"}, {"B"})
    reader.stop.set()
    reader.join(timeout=30)
    assert all(len(seen) == 1 for seen in reader.seen)
