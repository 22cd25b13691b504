"""load_catalog, export_catalog and check_catalog, as a curator runs them."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Category, Choice, Project, Question, Recommendation, Technology
from catalog.selectors import build_document
from catalog.versioning import current_version
from catalog.yaml_writer import dump_catalog
from tests.factories import make_document, make_technology
from tests.process import manage as manage_ok
from tests.process import process_env, throwaway_database_url

ROOT = Path(__file__).resolve().parents[2]
BAD_FILES = sorted((Path(__file__).parent / "bad").glob("*.yaml"))

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, document: dict, name: str = "catalog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dump_catalog(document), encoding="utf-8")
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def database_snapshot() -> tuple:
    return current_version(), build_document()


def test_load_creates_everything_and_reports_counts(tmp_path):
    document = make_document()
    out, _ = run("load_catalog", str(write(tmp_path, document)))
    assert "technologies: 5 created" in out
    assert build_document().model_dump(mode="json") == document


def test_reload_of_the_same_file_changes_nothing(tmp_path):
    path = write(tmp_path, make_document())
    run("load_catalog", str(path))
    version = current_version()
    out, _ = run("load_catalog", str(path))
    assert out == "No changes.\n"
    assert current_version() == version


def test_load_upserts_by_slug_and_keeps_what_the_file_lacks(tmp_path):
    run("load_catalog", str(write(tmp_path, make_document())))
    changed = make_document()
    changed["technologies"][0]["summary"] = "A new summary."
    changed["technologies"].append(make_technology("extra", prerequisites=["basics"]))
    changed["technologies"] = [t for t in changed["technologies"] if t["slug"] != "scripting"]
    changed["questions"][0]["choices"][1]["recommends"] = []
    basics_id = Technology.objects.get(slug="basics").pk
    out, _ = run("load_catalog", str(write(tmp_path, changed)))
    assert "1 created" in out
    assert Technology.objects.get(slug="basics").pk == basics_id  # updated in place
    assert Technology.objects.get(slug="basics").summary == "A new summary."
    assert Technology.objects.filter(slug="scripting").exists()  # no --prune: kept


def test_prune_deletes_what_the_file_no_longer_has(tmp_path):
    run("load_catalog", str(write(tmp_path, make_document())))
    smaller = make_document()
    smaller["technologies"] = [t for t in smaller["technologies"] if t["slug"] != "scripting"]
    smaller["questions"][0]["choices"][1]["recommends"] = []
    smaller["categories"] = smaller["categories"]
    out, _ = run("load_catalog", str(write(tmp_path, smaller)), "--prune")
    assert "1 deleted" in out
    assert not Technology.objects.filter(slug="scripting").exists()
    assert build_document().model_dump(mode="json") == smaller


def test_dry_run_names_each_change_and_writes_nothing(tmp_path):
    run("load_catalog", str(write(tmp_path, make_document())))
    before = database_snapshot()
    changed = make_document()
    changed["technologies"][1]["name"] = "Renamed"
    changed["technologies"].append(make_technology("newcomer"))
    changed["categories"] = changed["categories"][:1] + [
        {"slug": "gamma", "name": "Gamma", "summary": "Third."}
    ]
    for technology in changed["technologies"]:
        technology["categories"] = [c for c in technology["categories"] if c != "beta"] or ["alpha"]
    out, _ = run("load_catalog", str(write(tmp_path, changed)), "--dry-run", "--prune")
    assert "create technology newcomer" in out.splitlines()
    assert 'update technology web: name "Web Protocol" -> "Renamed"' in out.splitlines()
    assert "create category gamma" in out.splitlines()
    assert "delete category beta" in out.splitlines()
    assert "nothing written" in out.lower()
    assert database_snapshot() == before


def test_export_then_load_into_an_empty_database_gives_the_same_text(tmp_path):
    run("load_catalog", str(write(tmp_path, make_document())))
    first = tmp_path / "first.yaml"
    run("export_catalog", "-o", str(first))
    for question in Question.objects.order_by("-position"):
        question.delete()  # dependents first: show_if protects the question it names
    for model in (Recommendation, Choice, Technology, Category, Project):
        model.objects.all().delete()
    run("load_catalog", str(first))
    second = tmp_path / "second.yaml"
    run("export_catalog", "-o", str(second))
    assert first.read_text() == second.read_text()
    assert first.read_text().startswith("version: 1\n")


def test_export_to_standard_output(tmp_path, capsys):
    run("load_catalog", str(write(tmp_path, make_document())))
    call_command("export_catalog")
    assert "slug: webfw" in capsys.readouterr().out


def test_check_catalog_accepts_a_valid_file_and_writes_nothing(tmp_path):
    out, _ = run("check_catalog", str(write(tmp_path, make_document())))
    assert "is valid" in out
    assert not Technology.objects.exists()


def test_the_default_catalog_is_valid_and_loads():
    out, _ = run("check_catalog", str(ROOT / "fixtures" / "catalog.yaml"))
    assert "is valid" in out
    run("load_catalog")
    assert Technology.objects.count() >= 30
    assert Question.objects.count() >= 7


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="nothing was changed"):
        run("load_catalog", str(tmp_path / "nope.yaml"))


@pytest.mark.parametrize("bad_file", BAD_FILES, ids=[path.name for path in BAD_FILES])
def test_every_broken_file_changes_nothing_and_names_a_line(bad_file, tmp_path):
    run("load_catalog", str(write(tmp_path, make_document())))
    before = database_snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("load_catalog", str(bad_file), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().strip().splitlines()
    assert lines, "no error was printed"
    for line in lines:
        assert line.startswith(f"{bad_file}:"), line
        assert line.split(":")[1].isdigit(), f"no line number in {line!r}"
    assert database_snapshot() == before


def test_there_are_at_least_thirty_broken_files():
    assert len(BAD_FILES) >= 29  # plus the oversize file, generated in the schema tests


def test_an_oversize_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"version: 1\n" + b"#" * (2 * 1024 * 1024 + 10) + b"\n")
    with pytest.raises(CommandError):
        run("check_catalog", str(path))


def manage(*args: str, database: Path) -> subprocess.CompletedProcess:
    env = process_env()
    env["DATABASE_URL"] = f"sqlite:///{database}"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_real_process_exit_status_and_no_traceback(tmp_path):
    database = tmp_path / "db.sqlite3"
    assert manage("migrate", "--noinput", database=database).returncode == 0
    good = write(tmp_path, make_document())
    loaded = manage("load_catalog", str(good), database=database)
    assert loaded.returncode == 0, loaded.stderr
    for bad in BAD_FILES[:3]:
        result = manage("load_catalog", str(bad), database=database)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert str(bad) in result.stderr
        checked = manage("check_catalog", str(bad), database=database)
        assert checked.returncode == 1 and "Traceback" not in checked.stderr


def test_prune_removes_questions_that_depend_on_each_other(tmp_path):
    run("load_catalog", str(write(tmp_path, make_document())))
    out, _ = run("load_catalog", str(write(tmp_path, make_document(questions=[]))), "--prune")
    assert "questions: 0 created, 0 updated, 2 deleted" in out
    assert not Question.objects.exists()


BAD = Path(__file__).parent / "bad"
NULL_SECTIONS = {
    "categories-null.yaml": (2, "categories"),
    "technologies-null.yaml": (9, "technologies"),
    "questions-null.yaml": (75, "questions"),
}


@pytest.mark.parametrize("name", NULL_SECTIONS)
def test_prune_with_a_null_section_is_refused_and_deletes_nothing(name, tmp_path):
    """`categories: ~` is not "no categories": with --prune it would empty the catalog."""
    run("load_catalog", str(write(tmp_path, make_document())))
    before = database_snapshot()
    line, section = NULL_SECTIONS[name]
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("load_catalog", str(BAD / name), "--prune", stdout=io.StringIO(), stderr=err)
    assert err.getvalue().strip().splitlines() == [
        f"{BAD / name}:{line}: {section}: '{section}' must be a list, got nothing; "
        "leave the key out, or write a value"
    ]
    assert database_snapshot() == before
    assert Technology.objects.count() == len(make_document()["technologies"])


def test_prune_with_a_null_section_exits_1_in_a_real_process(tmp_path):
    env = process_env(DATABASE_URL=throwaway_database_url(tmp_path, "nullsection"))
    manage_ok(env, "migrate", "--noinput")
    manage_ok(env, "load_catalog", str(write(tmp_path, make_document())))
    before = manage_ok(env, "export_catalog")
    for name in NULL_SECTIONS:
        result = subprocess.run(
            [sys.executable, "manage.py", "load_catalog", str(BAD / name), "--prune"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert f"{BAD / name}:{NULL_SECTIONS[name][0]}:" in result.stderr
    assert manage_ok(env, "export_catalog") == before


def test_nul_in_text_is_a_located_error_and_loads_nothing(tmp_path):
    """PostgreSQL refuses NUL in text: the file is refused before the database sees it."""
    run("load_catalog", str(write(tmp_path, make_document())))
    before = database_snapshot()
    document = make_document()
    document["technologies"][1]["summary"] = "Half\x00way."
    path = write(tmp_path, document, "nul.yaml")
    assert '"Half\\0way."' in path.read_text(encoding="utf-8")  # an escape in the file
    for command in ("check_catalog", "load_catalog"):
        err = io.StringIO()
        with pytest.raises(CommandError):
            call_command(command, str(path), stdout=io.StringIO(), stderr=err)
        [message] = err.getvalue().strip().splitlines()
        assert message.startswith(f"{path}:")
        assert ": technologies[1].summary: 'summary' contains the character U+0000" in message
    assert database_snapshot() == before
