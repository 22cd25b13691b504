"""The roadmap picture of a path: a layout computed here, drawn as inline SVG by a template.

Steps stand in columns by depth (how many prerequisites deep they are), so every arrow runs
from left to right, from a prerequisite to what needs it; the stages are bands behind their
columns. Everything is coordinates and CSS classes: no style attributes, so the page keeps its
strict Content-Security-Policy and the colours follow the light or dark theme.

Each node links to its step on the page and shows the learner's status three ways: the
colour of its box, a mark (○ to do, ◐ doing, ✓ done, – skipped) and the status in words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from paths.models import ProgressStatus

NODE_WIDTH = 184
NODE_HEIGHT = 56  # two lines: the name, then the status and effort
COLUMN_GAP = 56
ROW_GAP = 14
PADDING = 12
HEADER = 34  # room for the stage names above the columns
LABEL_CHARS = 22
MAX_NODES = 60  # beyond this a picture stops helping; the list below has every step
STATUS_MARKS = {
    ProgressStatus.TODO: "○",
    ProgressStatus.DOING: "◐",
    ProgressStatus.DONE: "✓",
    ProgressStatus.SKIPPED: "–",
}
STATUS_LABELS = dict(ProgressStatus.choices)


@dataclass(frozen=True, slots=True)
class Node:
    slug: str
    number: int
    name: str
    label: str
    effort_hours: int
    x: int
    y: int
    status: str = ProgressStatus.TODO

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def status_mark(self) -> str:
        return STATUS_MARKS[self.status]

    @property
    def text_x(self) -> int:
        return self.x + 10

    @property
    def text_y(self) -> int:
        return self.y + 23

    @property
    def status_y(self) -> int:
        return self.y + 44


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    d: str  # the SVG path


@dataclass(frozen=True, slots=True)
class Band:
    name: str
    x: int
    width: int
    label_x: int


@dataclass(frozen=True, slots=True)
class Roadmap:
    width: int
    height: int
    band_height: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    bands: tuple[Band, ...]
    description: str
    shown: int
    total: int

    @property
    def truncated(self) -> bool:
        return self.shown < self.total


def _label(number: int, name: str) -> str:
    text = f"{number}. {name}"
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _column_x(column: int) -> int:
    return PADDING + column * (NODE_WIDTH + COLUMN_GAP)


def roadmap(snapshot: dict, statuses: Mapping[str, str] | None = None) -> Roadmap:
    """Lay out the first MAX_NODES steps of a snapshot, with arrows for prerequisites and
    each step's status from `statuses` (technology slug → status; to do when absent)."""
    statuses = statuses or {}
    steps = snapshot["steps"][:MAX_NODES]
    columns: dict[int, int] = defaultdict(int)  # depth → steps placed so far
    nodes: list[Node] = []
    by_slug: dict[str, Node] = {}
    for number, step in enumerate(steps, start=1):
        depth = step["depth"]
        row = columns[depth]
        columns[depth] += 1
        node = Node(
            slug=step["technology"],
            number=number,
            name=step["name"],
            label=_label(number, step["name"]),
            effort_hours=step["effort_hours"],
            x=_column_x(depth),
            y=HEADER + row * (NODE_HEIGHT + ROW_GAP),
            status=_status(statuses, step["technology"]),
        )
        nodes.append(node)
        by_slug[node.slug] = node

    edges = []
    for step in steps:
        target = by_slug[step["technology"]]
        for slug in step["prerequisites"]:
            source = by_slug.get(slug)
            if source is None:
                continue
            x1, y1 = source.x + NODE_WIDTH, source.y + NODE_HEIGHT // 2
            x2, y2 = target.x - 3, target.y + NODE_HEIGHT // 2
            bend = COLUMN_GAP // 2
            edges.append(
                Edge(slug, target.slug, f"M{x1} {y1} C{x1 + bend} {y1} {x2 - bend} {y2} {x2} {y2}")
            )

    depth_count = max(columns, default=-1) + 1
    rows = max(columns.values(), default=0)
    width = _column_x(depth_count) - COLUMN_GAP + PADDING if depth_count else 2 * PADDING
    height = HEADER + rows * (NODE_HEIGHT + ROW_GAP) - ROW_GAP + PADDING if rows else HEADER

    # One band per stage, over the columns its steps occupy (stages are runs of depths).
    stage_depths: dict[str, list[int]] = defaultdict(list)
    for step in steps:
        stage_depths[step["stage"]].append(step["depth"])
    bands = []
    for name, depths in stage_depths.items():
        left = _column_x(min(depths)) - PADDING // 2
        right = _column_x(max(depths)) + NODE_WIDTH + PADDING // 2
        bands.append(Band(name, left, right - left, left + PADDING // 2))

    return Roadmap(
        width=width,
        height=height,
        band_height=height,
        nodes=tuple(nodes),
        edges=tuple(edges),
        bands=tuple(bands),
        description=_describe(steps, len(snapshot["steps"])),
        shown=len(steps),
        total=len(snapshot["steps"]),
    )


def _status(statuses: Mapping[str, str], slug: str) -> str:
    status = statuses.get(slug, ProgressStatus.TODO)
    return status if status in STATUS_MARKS else ProgressStatus.TODO


def _describe(steps: list[dict], total: int) -> str:
    """The picture in words, for the SVG's <desc>: each stage's steps and what they need."""
    name_of = {step["technology"]: step["name"] for step in steps}
    parts = []
    for stage in dict.fromkeys(step["stage"] for step in steps):
        items = []
        for step in steps:
            if step["stage"] != stage:
                continue
            needs = [name_of[slug] for slug in step["prerequisites"] if slug in name_of]
            items.append(f"{step['name']} (after {', '.join(needs)})" if needs else step["name"])
        parts.append(f"{stage}: {'; '.join(items)}.")
    if total > len(steps):
        parts.append(f"The picture shows the first {len(steps)} of {total} steps.")
    return " ".join(parts) or "The path has no steps."
