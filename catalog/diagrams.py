"""A technology's prerequisite chain drawn as an inline SVG, on the server.

Pure functions over plain data: no request, no ORM. Every piece of catalog text is escaped,
colours come from CSS classes (`.diagram …` in static/css/site.css) so dark mode works, and
the picture is an accessible image (role="img" named by its <title> and <desc>), or, when its
boxes link to the technologies' pages, a named group of links.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from catalog.graph import ancestors as ancestors_of
from catalog.graph import dependents, depth, transitive_reduction

NODE_WIDTH = 156
NODE_HEIGHT = 40
GAP_X = 36
GAP_Y = 12
PADDING = 12
LABEL_HEIGHT = 26
MAX_LABEL_CHARS = 20
MAX_NODES = 16


@dataclass(frozen=True)
class Diagram:
    """The SVG markup (already escaped) and how many earlier prerequisites it leaves out."""

    svg: str
    drawn: int
    omitted: int


def _order_columns(columns: list[list[str]], edges: Mapping[str, list[str]]) -> list[list[str]]:
    """Order each column by the average row of its neighbours, to untangle the edges."""
    unlocks = dependents(edges)

    def reorder(column: list[str], neighbours: Mapping[str, list[str]], rows: dict) -> list[str]:
        def key(item: tuple[int, str]) -> tuple[float, int]:
            index, node = item
            placed = [rows[n] for n in neighbours[node] if n in rows]
            return (sum(placed) / len(placed) if placed else index, index)

        return [node for _, node in sorted(enumerate(column), key=key)]

    for _ in range(2):
        for number in range(len(columns) - 2, -1, -1):  # right to left, towards the target
            rows = {node: row for row, node in enumerate(columns[number + 1])}
            columns[number] = reorder(columns[number], unlocks, rows)
        for number in range(1, len(columns)):
            rows = {node: row for row, node in enumerate(columns[number - 1])}
            columns[number] = reorder(columns[number], edges, rows)
    return columns


def _short(name: str) -> str:
    return name if len(name) <= MAX_LABEL_CHARS else name[: MAX_LABEL_CHARS - 1].rstrip() + "…"


def _sentence(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def prerequisite_diagram(
    target: str,
    *,
    prerequisites: Mapping[str, Sequence[str]],
    names: Mapping[str, str],
    id_prefix: str = "prerequisite-diagram",
    max_nodes: int = MAX_NODES,
    urls: Mapping[str, str] | None = None,
) -> Diagram:
    """Draw `target` and what it needs first, left to right, one column per stage.

    `prerequisites` maps every technology slug to its direct prerequisites; `names` maps
    slugs to display names; with `urls` (slug → page), every box but the target's is a link to
    its technology's page. At most `max_nodes` boxes are drawn, the nearest prerequisites
    first; the rest are counted in `omitted` and mentioned in the description.
    """
    ancestors = ancestors_of(prerequisites, target, nearest_first=True)
    drawn = ancestors[: max(0, max_nodes - 1)]
    nodes = [*drawn, target]
    included = set(nodes)
    edges = {node: [p for p in prerequisites.get(node, ()) if p in included] for node in nodes}
    stage = depth(edges)
    edges = transitive_reduction(edges)
    # The target stands alone in the last column, after everything it needs.
    stage[target] = 1 + max((stage[node] for node in drawn), default=-1)
    # Only a cycle can leave a stage empty; numbering the stages in use closes the gap.
    number_of = {value: index for index, value in enumerate(sorted(set(stage.values())))}
    columns: list[list[str]] = [[] for _ in number_of]
    for node in nodes:
        columns[number_of[stage[node]]].append(node)
    columns = _order_columns(columns, edges)

    tallest = max(len(column) for column in columns)
    width = 2 * PADDING + len(columns) * NODE_WIDTH + (len(columns) - 1) * GAP_X
    body_height = tallest * NODE_HEIGHT + (tallest - 1) * GAP_Y
    height = 2 * PADDING + LABEL_HEIGHT + body_height
    box: dict[str, tuple[int, int]] = {}
    for number, column in enumerate(columns):
        x = PADDING + number * (NODE_WIDTH + GAP_X)
        column_height = len(column) * NODE_HEIGHT + (len(column) - 1) * GAP_Y
        top = PADDING + LABEL_HEIGHT + (body_height - column_height) // 2
        for row, node in enumerate(column):
            box[node] = (x, top + row * (NODE_HEIGHT + GAP_Y))

    target_name = names.get(target, target)
    omitted = len(ancestors) - len(drawn)
    if drawn:
        steps = [_sentence([names.get(n, n) for n in column]) for column in columns[:-1]]
        description = "Learn " + ", then ".join(steps) + f", then {target_name}."
    else:
        description = f"{target_name} needs nothing else first."
    if omitted:
        description += f" {omitted} earlier prerequisite{'s' if omitted != 1 else ''} not drawn."
    title = f"Prerequisite chain of {target_name}"

    arrow = f"{id_prefix}-arrow"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="{"group" if urls else "img"}" '
        f'class="prerequisite-diagram columns-{len(columns)}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
        f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse">'
        '<path class="arrowhead" d="M0 0L10 5L0 10z"/></marker></defs>',
    ]
    for number in range(len(columns)):
        x = PADDING + number * (NODE_WIDTH + GAP_X) + NODE_WIDTH // 2
        label = "Goal" if number == len(columns) - 1 else f"Stage {number + 1}"
        parts.append(
            f'<text class="stage-label" x="{x}" y="{PADDING + 14}" '
            f'text-anchor="middle">{label}</text>'
        )
    for node in nodes:
        x2, y2 = box[node]
        y2 += NODE_HEIGHT // 2
        for prerequisite in edges[node]:
            x1, y1 = box[prerequisite]
            x1 += NODE_WIDTH
            y1 += NODE_HEIGHT // 2
            middle = (x1 + x2) // 2
            parts.append(
                f'<path class="edge" d="M{x1} {y1}C{middle} {y1} {middle} {y2} {x2 - 2} {y2}" '
                f'marker-end="url(#{arrow})"/>'
            )
    for node in nodes:
        x, y = box[node]
        name = names.get(node, node)
        css_class = "node current" if node == target else "node"
        url = (urls or {}).get(node) if node != target else None
        box_markup = (
            f"<title>{escape(name)}</title>"
            f'<rect x="{x}" y="{y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6"/>'
            f'<text x="{x + NODE_WIDTH // 2}" y="{y + NODE_HEIGHT // 2}" text-anchor="middle" '
            f'dominant-baseline="central">{escape(_short(name))}</text>'
        )
        if url:
            parts.append(
                f'<a class="{css_class} node-link" href="{escape(url)}" '
                f'aria-label="{escape(name)}">{box_markup}</a>'
            )
        else:
            parts.append(f'<g class="{css_class}">{box_markup}</g>')
    parts.append("</svg>")
    return Diagram(svg="".join(parts), drawn=len(drawn), omitted=omitted)
