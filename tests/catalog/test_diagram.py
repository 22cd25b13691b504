"""The prerequisite diagram (catalog/diagrams.py): pure, escaped, accessible SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from catalog.diagrams import prerequisite_diagram

SVG = "{http://www.w3.org/2000/svg}"

# basics → web → webfw; basics → webfw directly too; basics → scripting
PREREQUISITES = {
    "basics": [],
    "web": ["basics"],
    "webfw": ["web", "basics"],
    "scripting": ["basics"],
}
NAMES = {"basics": "Basics", "web": "Web Protocol", "webfw": "Web Framework", "scripting": "Kit"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def nodes(root: ET.Element) -> dict[str, tuple[int, int]]:
    """Full node name (its <title>) → (x, y) of its box."""
    found = {}
    for group in root.iter(f"{SVG}g"):
        rect = group.find(f"{SVG}rect")
        found[group.find(f"{SVG}title").text] = (int(rect.get("x")), int(rect.get("y")))
    return found


def test_the_diagram_is_an_accessible_image():
    root = parse(prerequisite_diagram("webfw", prerequisites=PREREQUISITES, names=NAMES).svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}title").text == "Prerequisite chain of Web Framework"
    assert root.find(f"{SVG}desc").text == ("Learn Basics, then Web Protocol, then Web Framework.")


def test_prerequisites_stand_left_of_what_needs_them_and_the_target_is_marked():
    diagram = prerequisite_diagram("webfw", prerequisites=PREREQUISITES, names=NAMES)
    root = parse(diagram.svg)
    boxes = nodes(root)
    assert set(boxes) == {"Basics", "Web Protocol", "Web Framework"}  # not Kit: not needed
    assert boxes["Basics"][0] < boxes["Web Protocol"][0] < boxes["Web Framework"][0]
    current = [g for g in root.iter(f"{SVG}g") if "current" in g.get("class").split()]
    assert [g.find(f"{SVG}title").text for g in current] == ["Web Framework"]
    assert diagram.drawn == 2 and diagram.omitted == 0


def test_a_shortcut_edge_is_left_out_because_the_order_already_shows_it():
    root = parse(prerequisite_diagram("webfw", prerequisites=PREREQUISITES, names=NAMES).svg)
    edges = [path for path in root.iter(f"{SVG}path") if path.get("class") == "edge"]
    assert len(edges) == 2  # basics → web → webfw, not basics → webfw


def test_colours_come_from_css_classes_not_style_attributes():
    svg = prerequisite_diagram("webfw", prerequisites=PREREQUISITES, names=NAMES).svg
    assert "style=" not in svg and "fill=" not in svg and "stroke=" not in svg
    root = parse(svg)
    assert {g.get("class") for g in root.iter(f"{SVG}g")} == {"node", "node current"}


def test_every_text_is_escaped():
    hostile = '<script>alert("x")</script> & "quotes"'
    names = {**NAMES, "web": hostile, "webfw": f"Goal {hostile}"}
    svg = prerequisite_diagram("webfw", prerequisites=PREREQUISITES, names=names).svg
    assert "<script" not in svg
    root = parse(svg)  # still well-formed XML
    assert hostile in nodes(root)
    assert hostile in root.find(f"{SVG}desc").text
    assert root.find(f"{SVG}title").text == f"Prerequisite chain of Goal {hostile}"


def test_long_names_are_shortened_in_the_box_and_whole_in_the_tooltip():
    names = {**NAMES, "web": "A very long technology name that goes on and on"}
    root = parse(prerequisite_diagram("webfw", prerequisites=PREREQUISITES, names=names).svg)
    group = next(g for g in root.iter(f"{SVG}g") if "long" in g.find(f"{SVG}title").text)
    assert group.find(f"{SVG}text").text.endswith("…")
    assert len(group.find(f"{SVG}text").text) <= 20


def test_a_starting_point_is_drawn_alone():
    diagram = prerequisite_diagram("basics", prerequisites=PREREQUISITES, names=NAMES)
    root = parse(diagram.svg)
    assert list(nodes(root)) == ["Basics"]
    assert root.find(f"{SVG}desc").text == "Basics needs nothing else first."


def test_a_big_graph_draws_the_nearest_prerequisites_and_counts_the_rest():
    prerequisites = {f"t{n}": [f"t{n - 1}"] if n else [] for n in range(60)}
    names = {slug: slug.upper() for slug in prerequisites}
    diagram = prerequisite_diagram("t59", prerequisites=prerequisites, names=names, max_nodes=10)
    root = parse(diagram.svg)
    assert len(nodes(root)) == 10
    assert "T50" in nodes(root) and "T49" not in nodes(root)
    assert diagram.drawn == 9 and diagram.omitted == 50
    assert root.find(f"{SVG}desc").text.endswith("50 earlier prerequisites not drawn.")


def test_a_cycle_does_not_hang_or_break_the_drawing():
    cyclic = {"a": ["c"], "b": ["a"], "c": ["b"]}
    diagram = prerequisite_diagram("c", prerequisites=cyclic, names={"a": "A", "b": "B", "c": "C"})
    assert set(nodes(parse(diagram.svg))) == {"A", "B", "C"}


def test_the_drawing_is_deterministic():
    first = prerequisite_diagram("webfw", prerequisites=PREREQUISITES, names=NAMES).svg
    second = prerequisite_diagram("webfw", prerequisites=dict(PREREQUISITES), names=NAMES).svg
    assert first == second
