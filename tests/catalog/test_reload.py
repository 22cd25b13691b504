"""Loading a file that matches the database changes nothing: no row, no version, no cache.

The lists the database keeps as sets (a show_if's `any_of`, a choice's `knows`) come back in
the database's order, which need not be the file's; that alone is no change.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from catalog.generator import generate_document
from catalog.selectors import build_document
from catalog.validation import parse_catalog
from catalog.versioning import current_version
from catalog.yaml_writer import dump_catalog
from tests.factories import make_document, make_technology

pytestmark = pytest.mark.django_db

DEFAULT_CATALOG = Path(settings.BASE_DIR) / "fixtures" / "catalog.yaml"


def write(tmp_path: Path, document: dict, name: str = "catalog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dump_catalog(document), encoding="utf-8")
    return path


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_catalog", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def unordered_sets_document() -> dict:
    """A catalog whose any_of and knows lists run against the order the database keeps."""
    document = make_document()
    document["technologies"].append(make_technology("extra", name="Extra Kit"))
    goal = document["questions"][0]
    goal["choices"].append(
        {
            "slug": "data",
            "label": "Data crunching",
            "recommends": [],
            "knows": ["scripting", "extra", "basics"],  # the database keeps basics first
        }
    )
    document["questions"][1]["show_if"] = {"question": "goal", "any_of": ["data", "site"]}
    document["questions"].append(
        {
            "slug": "tools-kind",
            "prompt": "Which tools?",
            "help": "",
            "kind": "single",
            "show_if": {"question": "goal", "any_of": ["tools", "data", "site"]},
            "choices": [
                {"slug": "cli", "label": "Command line", "recommends": [], "knows": ["web"]},
                {
                    "slug": "gui",
                    "label": "Windows",
                    "recommends": [],
                    "knows": ["microfw", "basics", "web"],
                },
            ],
        }
    )
    return document


def shuffled_sets(document: dict, *, seed: int) -> dict:
    """The same catalog with every any_of and knows list in a shuffled order."""
    rng = random.Random(seed)
    for question in document["questions"]:
        if question["show_if"]:
            rng.shuffle(question["show_if"]["any_of"])
        for choice in question["choices"]:
            rng.shuffle(choice["knows"])
    return document


def assert_reload_changes_nothing(path: Path) -> None:
    load(str(path))
    version, document = current_version(), build_document()
    assert load(str(path)) == "No changes.\n"
    assert current_version() == version
    assert build_document() == document


def test_the_catalog_with_unordered_sets_is_valid(tmp_path):
    document = unordered_sets_document()
    assert parse_catalog(write(tmp_path, document).read_bytes()).model_dump(mode="json") == document


def test_reloading_a_file_whose_sets_run_against_the_database_order_changes_nothing(tmp_path):
    assert_reload_changes_nothing(write(tmp_path, unordered_sets_document()))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reloading_a_generated_catalog_with_shuffled_sets_changes_nothing(tmp_path, seed):
    document = shuffled_sets(generate_document(40, seed=seed), seed=seed)
    assert any(q["show_if"] and len(q["show_if"]["any_of"]) > 1 for q in document["questions"])
    assert_reload_changes_nothing(write(tmp_path, document))


def test_reloading_the_default_catalog_changes_nothing():
    assert_reload_changes_nothing(DEFAULT_CATALOG)


def test_a_dry_run_of_a_matching_file_says_no_changes(tmp_path):
    path = write(tmp_path, unordered_sets_document())
    load(str(path))
    assert load(str(path), "--dry-run") == "No changes.\n"


def test_the_same_sets_in_another_order_after_an_export_change_nothing(tmp_path):
    """Load a file, export it, reload the export: nothing moves either way."""
    path = write(tmp_path, unordered_sets_document())
    load(str(path))
    version = current_version()
    exported = tmp_path / "exported.yaml"
    call_command("export_catalog", "-o", str(exported), stderr=io.StringIO())
    assert load(str(exported)) == "No changes.\n"
    assert load(str(path)) == "No changes.\n"
    assert current_version() == version


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["questions"][1]["show_if"]["any_of"].remove("data"),
        lambda d: d["questions"][2]["show_if"]["any_of"].remove("tools"),
        lambda d: d["questions"][0]["choices"][2]["knows"].remove("extra"),
        lambda d: d["questions"][2]["choices"][0]["knows"].append("basics"),
    ],
    ids=["any-of-shrinks", "another-any-of-shrinks", "knows-shrinks", "knows-grows"],
)
def test_a_changed_set_is_still_a_change(tmp_path, edit):
    load(str(write(tmp_path, unordered_sets_document())))
    version = current_version()
    changed = unordered_sets_document()
    edit(changed)
    out = load(str(write(tmp_path, changed, "changed.yaml")))
    assert "questions: 0 created, 1 updated" in out
    assert current_version() != version
    read_back = build_document().model_dump(mode="json")
    for mine, theirs in zip(read_back["questions"], changed["questions"], strict=True):
        if theirs["show_if"]:
            assert set(mine["show_if"]["any_of"]) == set(theirs["show_if"]["any_of"])
        for my_choice, their_choice in zip(mine["choices"], theirs["choices"], strict=True):
            assert set(my_choice["knows"]) == set(their_choice["knows"])
