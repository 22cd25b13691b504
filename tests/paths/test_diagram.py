"""The roadmap picture's layout (paths/diagram.py) and the page outline (paths/snapshots.py)."""

from __future__ import annotations

from catalog.generator import generate_document
from paths.diagram import MAX_NODES, NODE_HEIGHT, NODE_WIDTH, roadmap
from paths.snapshots import path_outline, progress_summary
from tests.factories import first_choice_answers, make_path


def test_arrows_run_from_prerequisites_to_what_needs_them(small_catalog):
    snapshot = make_path(answers={"goal": ["site", "tools"], "size": ["large"]}).snapshot
    picture = roadmap(snapshot)
    by_slug = {node.slug: node for node in picture.nodes}
    assert [node.slug for node in picture.nodes] == ["web", "scripting", "webfw"]
    assert [(edge.source, edge.target) for edge in picture.edges] == [("web", "webfw")]
    assert by_slug["web"].x + NODE_WIDTH < by_slug["webfw"].x
    assert [band.name for band in picture.bands] == ["Foundations", "Core skills"]
    assert picture.description == (
        "Foundations: Web Protocol; Scripting Kit. Core skills: Web Framework (after Web Protocol)."
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
    assert [(stage.name, stage.start) for stage in outline] == [
        ("Foundations", 1),
        ("Core skills", 3),
    ]
    views = [view for stage in outline for view in stage.steps]
    assert [view.number for view in views] == [1, 2, 3]
    assert [view.status for view in views] == ["todo", "todo", "done"]
    assert [p.project for p in views[2].projects] == ["site"]
    summary = progress_summary(snapshot, {"webfw": "done"})
    assert (summary.done, summary.total, summary.percent_done) == (1, 3, 33)
