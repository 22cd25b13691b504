"""The roadmap picture's layout (paths/diagram.py) and the page outline (paths/snapshots.py)."""

from __future__ import annotations

from catalog.generator import generate_document
from paths.diagram import MAX_NODES, NODE_HEIGHT, NODE_WIDTH, roadmap
from paths.snapshots import path_outline, progress_summary
from tests.factories import first_choice_answers, make_path


def test_one_band_per_milestone_each_ending_with_its_goal(small_catalog):
    snapshot = make_path(answers={"goal": ["site", "tools"], "size": ["large"]}).snapshot
    picture = roadmap(snapshot, {"web": "done", "webfw": "doing"})
    by_slug = {node.slug: node for node in picture.nodes}
    # Goals webfw (3), with web before it, then scripting (2); basics is known.
    assert [node.slug for node in picture.nodes] == ["web", "webfw", "scripting"]
    assert [(edge.source, edge.target) for edge in picture.edges] == [("web", "webfw")]
    assert by_slug["web"].x + NODE_WIDTH < by_slug["webfw"].x
    assert by_slug["web"].y == by_slug["webfw"].y < by_slug["scripting"].y
    assert [band.name for band in picture.bands] == [
        "Milestone 1: Web Framework",
        "Milestone 2: Scripting Kit",
    ]
    assert [node.goal for node in picture.nodes] == [False, True, True]
    # Where the learner is shows in words, not only in colour.
    assert [node.label for node in picture.nodes] == [
        "✓ 1. Web Protocol",
        "… 2. Web Framework",
        "3. Scripting Kit",
    ]
    assert picture.description == (
        "Milestone 1, Web Framework: Web Protocol — done; Web Framework (after Web Protocol)"
        " — in progress. Milestone 2, Scripting Kit: Scripting Kit."
    )


def test_a_long_path_is_drawn_without_overlaps_up_to_a_limit(load_document):
    document = generate_document(1000)
    load_document(document)
    snapshot = make_path(answers=first_choice_answers(document)).snapshot
    picture = roadmap(snapshot)
    assert picture.total == len(snapshot["steps"]) > MAX_NODES
    assert picture.shown == MAX_NODES and picture.truncated
    assert "The picture shows the first 60 of" in picture.description
    boxes = {(node.x, node.y) for node in picture.nodes}
    assert len(boxes) == MAX_NODES
    for band in picture.bands:
        assert band.y >= 0 and band.y + band.height <= picture.height
    for node in picture.nodes:
        assert node.x >= 0 and node.x + NODE_WIDTH <= picture.width
        assert node.y >= 0 and node.y + NODE_HEIGHT <= picture.height
        assert len(node.label) <= 22
    for edge in picture.edges:
        start, end = edge.d.split(" C")[0], edge.d.rsplit(" ", 2)[-2]
        assert float(start[1:].split()[0]) < float(end)  # left to right


def test_an_empty_path_has_an_empty_picture():
    snapshot = {"steps": [], "stages": [], "projects": []}
    picture = roadmap(snapshot)
    assert picture.nodes == () and picture.description == "The path has no steps."


def test_outline_numbers_steps_across_stages_and_attaches_projects(small_catalog):
    snapshot = make_path(answers={"goal": ["site", "tools"], "size": ["large"]}).snapshot
    outline = path_outline(snapshot, {"webfw": "done", "web": "bogus"})
    assert [(stage.title, stage.start, stage.goal) for stage in outline] == [
        ("Milestone 1: Web Framework", 1, "webfw"),
        ("Milestone 2: Scripting Kit", 3, "scripting"),
    ]
    views = [view for stage in outline for view in stage.steps]
    assert [view.number for view in views] == [1, 2, 3]
    assert [view.status for view in views] == ["todo", "done", "todo"]
    assert [p["project"] for p in views[1].projects] == ["site"]
    summary = progress_summary(snapshot, {"webfw": "done"})
    assert (summary.done, summary.total, summary.percent_done) == (1, 3, 33)
