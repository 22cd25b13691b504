"""load_catalog as a plan, then an apply: every change named field by field before it lands,
and no edit made in the admin or a shell since the last load or export overwritten silently."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.models import CatalogChange, Category, Choice, Recommendation, Technology
from catalog.selectors import build_document
from catalog.versioning import current_version
from catalog.yaml_writer import dump_catalog
from tests.factories import make_document, make_technology

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, document: dict, name: str = "catalog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dump_catalog(document), encoding="utf-8")
    return path


def load(path: Path, *options: str) -> list[str]:
    out = io.StringIO()
    call_command("load_catalog", str(path), *options, stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


def refused(path: Path, *options: str) -> tuple[list[str], str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("load_catalog", str(path), *options, stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines(), str(raised.value)


def snapshot() -> tuple:
    return current_version(), build_document()


@pytest.fixture
def loaded(tmp_path) -> dict:
    load(write(tmp_path, make_document(), "first.yaml"))
    return make_document()


def plan_lines(tmp_path: Path, document: dict, *options: str) -> list[str]:
    """The dry run's change lines (not the summary), checking it wrote nothing."""
    before = snapshot()
    lines = load(write(tmp_path, document), "--dry-run", *options)
    assert snapshot() == before
    assert lines[-1].startswith("Dry run, nothing written.")
    return lines[:-1]


def test_a_scalar_change_names_the_field_and_both_values(tmp_path, loaded):
    loaded["technologies"][1]["name"] = "Web Protocol (HTTP)"
    loaded["technologies"][1]["effort_hours"] = 12
    assert plan_lines(tmp_path, loaded) == [
        'update technology web: name "Web Protocol" -> "Web Protocol (HTTP)"',
        "update technology web: effort_hours 10 -> 12",
    ]


def test_creates_and_deletes_are_named_in_every_section(tmp_path, loaded):
    loaded["categories"].append({"slug": "gamma", "name": "Gamma", "summary": "Third."})
    loaded["technologies"].append(make_technology("extra"))
    loaded["projects"] = [
        {"slug": "tool", "title": "A tool", "brief": "Write one.", "uses": ["scripting"]}
    ]
    loaded["questions"] = loaded["questions"][:1]
    assert plan_lines(tmp_path, loaded, "--prune") == [
        "create category gamma",
        "create technology extra",
        "create project tool",
        "delete project site",
        "delete question size",
    ]


def test_list_and_entry_changes_are_named_entry_by_entry(tmp_path, loaded):
    webfw = loaded["technologies"][2]
    webfw["categories"] = ["beta", "alpha"]
    webfw["highlights"] = ["Admin pages"]
    webfw["prerequisites"] = [
        {"technology": "web", "why": "It answers requests."},
        {"technology": "basics", "why": ""},
    ]
    webfw["resources"][0]["title"] = "The tutorial"
    webfw["resources"].append({"title": "Book", "url": "https://example.org/b", "kind": "book"})
    site = loaded["questions"][0]["choices"][0]
    site["recommends"][0]["weight"] = 5
    site["knows"] = ["basics"]
    loaded["questions"][1]["choices"][0]["recommends"].pop()
    loaded["questions"][1]["choices"].append(
        {"slug": "medium", "label": "Medium", "recommends": [], "knows": []}
    )
    assert plan_lines(tmp_path, loaded) == [
        "update technology webfw: categories [alpha, beta] -> [beta, alpha]",
        'update technology webfw: highlights ["Admin pages", "An ORM"] -> ["Admin pages"]',
        'update technology webfw: prerequisites[web].why "" -> "It answers requests."',
        'update technology webfw: prerequisites[basics] added {why: ""}',
        'update technology webfw: resources[https://example.org/t].title "Official tutorial"'
        ' -> "The tutorial"',
        'update technology webfw: resources[https://example.org/b] added {title: "Book",'
        " kind: book}",
        "update question goal: choices[site].recommends[webfw].weight 3 -> 5",
        "update question goal: choices[site].knows [] -> [basics]",
        "update question size: choices[small].recommends[webfw] removed",
        'update question size: choices[medium] added {label: "Medium", recommends: [], knows: []}',
    ]


def test_orders_and_show_if_changes_are_named(tmp_path, loaded):
    loaded["questions"][0]["choices"].reverse()
    loaded["questions"][1]["show_if"] = None
    loaded["technologies"].append(loaded["technologies"].pop(0))  # basics moves to the end
    assert plan_lines(tmp_path, loaded) == [
        "update technology basics: position 1 -> 5",
        "update question goal: choices order [site, tools] -> [tools, site]",
        "update question size: show_if {question: goal, any_of: [site]} -> none",
    ]


def test_a_long_text_shows_the_part_that_changed(tmp_path, loaded):
    long = "Word " * 60
    loaded["categories"][0]["summary"] = long + "end."
    load(write(tmp_path, loaded, "long.yaml"))
    loaded["categories"][0]["summary"] = long + "finish."
    [line] = plan_lines(tmp_path, loaded)
    assert line.startswith('update category alpha: summary "…')
    assert line.endswith('Word end." -> "…Word Word Word Word Word Word finish."')
    assert len(line) < 200


def test_an_inserted_entry_does_not_list_the_ones_it_shifts(tmp_path, loaded):
    loaded["technologies"].insert(0, make_technology("first"))
    assert plan_lines(tmp_path, loaded) == ["create technology first"]
    load(write(tmp_path, loaded))
    assert list(Technology.objects.order_by("position", "slug").values_list("slug", flat=True)) == [
        t["slug"] for t in loaded["technologies"]
    ]


def test_an_unchanged_file_says_no_changes_and_writes_nothing(tmp_path, loaded):
    before = snapshot()
    changes = CatalogChange.objects.count()
    assert load(write(tmp_path, loaded)) == ["No changes."]
    assert load(write(tmp_path, loaded), "--dry-run") == ["No changes."]
    assert snapshot() == before
    assert CatalogChange.objects.count() == changes


def test_a_load_prints_its_plan_and_records_it_in_the_history(tmp_path, loaded):
    loaded["technologies"][0]["summary"] = "New words."
    path = write(tmp_path, loaded)
    lines = load(path)
    assert lines[0] == 'update technology basics: summary "Summary of basics." -> "New words."'
    assert lines[1].startswith(f"Loaded {path}.")
    record = CatalogChange.objects.first()
    assert record.lines == lines[:1]
    assert record.source == f"load_catalog {path}"
    assert record.version == current_version()[0]


def admin_edits() -> None:
    """What a curator does in the admin: a new "because" text and a new recommendation."""
    recommendation = Recommendation.objects.get(choice__slug="site", technology__slug="webfw")
    recommendation.because = "Sites need users and admin pages."
    recommendation.save()
    newcomer = Technology.objects.create(
        slug="newcomer", name="Newcomer", kind="tool", level="beginner", summary="New.",
        effort_hours=3,
    )  # fmt: skip
    newcomer.categories.add(Category.objects.get(slug="alpha"))
    Recommendation.objects.create(
        choice=Choice.objects.get(slug="tools"), technology=newcomer, weight=1, because="Handy."
    )


def test_a_load_that_would_overwrite_admin_edits_stops_and_names_them(tmp_path, loaded):
    admin_edits()
    before = snapshot()
    loaded["technologies"][0]["summary"] = "New words."
    lines, message = refused(write(tmp_path, loaded))
    assert "update question goal: choices[site].recommends[webfw].because" in "\n".join(lines)
    assert "Nothing was changed." in message
    assert "  question goal\n" in message
    assert "technology basics" not in message  # not edited since: no conflict
    assert "export first (manage.py export_catalog -o FILE)" in message
    assert "--force" in message
    assert snapshot() == before


def test_a_dry_run_shows_the_plan_and_warns_of_the_overwrite(tmp_path, loaded):
    admin_edits()
    before = snapshot()
    lines = load(write(tmp_path, loaded), "--dry-run")
    assert "A load would stop here." in lines[-3]
    assert "  question goal" in lines
    assert snapshot() == before


def test_pruning_what_was_created_in_the_admin_is_refused(tmp_path, loaded):
    admin_edits()
    loaded["questions"][0]["choices"][0]["recommends"][0]["because"] = (
        "Sites need users and admin pages."
    )
    lines, message = refused(write(tmp_path, loaded), "--prune")
    assert "delete technology newcomer" in lines
    assert "  technology newcomer (created since)\n" in message


def test_bringing_back_what_was_deleted_in_the_admin_is_refused(tmp_path, loaded):
    Technology.objects.get(slug="scripting").delete()
    _, message = refused(write(tmp_path, loaded))
    assert "  technology scripting (deleted since)\n" in message


def test_force_overwrites_the_edits(tmp_path, loaded):
    admin_edits()
    lines = load(write(tmp_path, loaded), "--force")
    assert lines[-1].startswith("Loaded")
    assert Recommendation.objects.get(choice__slug="site").because == "Sites need it."
    assert Technology.objects.filter(slug="newcomer").exists()  # no --prune: kept
    # Once loaded, the same file loads without a word: nothing is edited since any more.
    assert load(write(tmp_path, loaded)) == ["No changes."]


def test_edits_the_load_does_not_touch_do_not_stop_it(tmp_path, loaded):
    admin_edits()
    loaded["questions"][0]["choices"][0]["recommends"][0]["because"] = (
        "Sites need users and admin pages."
    )
    loaded["questions"][0]["choices"][1]["recommends"].append(
        {"technology": "basics", "weight": 1, "because": "Also."}
    )
    lines, message = refused(write(tmp_path, loaded))  # goal was edited: still refused
    assert "  question goal\n" in message
    untouched = build_document().model_dump(
        mode="json"
    )  # a file with the admin's edits in, and one of its own
    [basics] = [t for t in untouched["technologies"] if t["slug"] == "basics"]
    basics["summary"] = "New words."
    assert load(write(tmp_path, untouched, "merged.yaml"))[-1].startswith("Loaded")


def test_exporting_first_keeps_the_edits(tmp_path, loaded):
    """The round trip the refusal suggests: export, bring the edits into the file, load."""
    admin_edits()
    exported = tmp_path / "exported.yaml"
    call_command("export_catalog", "-o", str(exported), stderr=io.StringIO())
    assert load(exported) == ["No changes."]
    # The old file would now undo what the export recorded as the catalog: that is an edit of
    # the file, not of the catalog, so it is a plain load (no refusal) named line by line.
    lines = load(write(tmp_path, loaded))
    assert "update question goal: choices[tools].recommends[newcomer] removed" in lines
