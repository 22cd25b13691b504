"""The roadmap picture of a path: a layout computed here, drawn as inline SVG by a template.

The path goes goal by goal (planner rule 5), so the picture does too: one band per milestone,
top to bottom in path order, its steps left to right in the order they are learned and ending
with its goal (drawn as a goal). A long milestone wraps onto further lines inside its band.
Arrows join a step to a later one on the same line that needs it. Each step shows whether it
is done or in progress in words ("✓", "…"), not by colour alone. Everything is coordinates
and CSS classes: no style attributes, so the page keeps its strict Content-Security-Policy
and the colours follow the light or dark theme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from paths.models import ProgressStatus
from paths.snapshots import SavedStep, Snapshot, read_snapshot

NODE_WIDTH = 184
NODE_HEIGHT = 46
COLUMN_GAP = 40
ROW_GAP = 14
PADDING = 12
BAND_HEADER = 30  # room for the milestone's name above its steps
BAND_GAP = 12
COLUMNS = 4  # steps per line in a band
LABEL_CHARS = 22
MAX_NODES = 60  # beyond this a picture stops helping; the list below has every step
STATUS_MARKS = {"done": "✓ ", "doing": "… "}
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
    goal: bool
    status: str

    @property
    def text_x(self) -> int:
        return self.x + 10

    @property
    def text_y(self) -> int:
        return self.y + 28

    @property
    def status_label(self) -> str:
        """The status in words, as the step's buttons name it."""
        return STATUS_LABELS.get(self.status, STATUS_LABELS["todo"])

    @property
    def classes(self) -> str:
        return " ".join(["node", f"node-{self.status}", *(["node-goal"] if self.goal else [])])


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    d: str  # the SVG path


@dataclass(frozen=True, slots=True)
class Band:
    name: str
    y: int
    height: int
    label_y: int


@dataclass(frozen=True, slots=True)
class Roadmap:
    width: int
    height: int
    band_x: int
    band_width: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    bands: tuple[Band, ...]
    description: str
    shown: int
    total: int

    @property
    def truncated(self) -> bool:
        return self.shown < self.total


def _label(number: int, name: str, status: str) -> str:
    text = f"{STATUS_MARKS.get(status, '')}{number}. {name}"
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _column_x(column: int) -> int:
    return PADDING + column * (NODE_WIDTH + COLUMN_GAP)


def _milestones(steps: Sequence[SavedStep]) -> list[tuple[str, list[SavedStep]]]:
    """Runs of steps by milestone; a snapshot saved before milestones runs by its stages."""
    runs: list[tuple[str, list[SavedStep]]] = []
    for step in steps:
        key = step.milestone or step.stage
        if not runs or runs[-1][0] != key:
            runs.append((key, []))
        runs[-1][1].append(step)
    return runs


def roadmap(snapshot: Snapshot | Mapping, statuses: Mapping[str, str] | None = None) -> Roadmap:
    """Lay out the first MAX_NODES steps of a snapshot, milestone by milestone."""
    statuses = statuses or {}
    snapshot = read_snapshot(snapshot)
    steps = snapshot.steps[:MAX_NODES]
    nodes: list[Node] = []
    bands: list[Band] = []
    by_slug: dict[str, Node] = {}
    line_of: dict[str, tuple[int, int]] = {}  # slug → (band, line)
    y = PADDING
    number = 0
    for band_index, (_, members) in enumerate(_milestones(steps)):
        lines = -(-len(members) // COLUMNS)
        height = BAND_HEADER + lines * (NODE_HEIGHT + ROW_GAP) - ROW_GAP + PADDING
        name = f"Milestone {band_index + 1}: {members[0].stage}"
        bands.append(Band(name, y, height, y + BAND_HEADER - 10))
        for index, step in enumerate(members):
            number += 1
            line, column = divmod(index, COLUMNS)
            status = statuses.get(step.technology, "todo")
            node = Node(
                slug=step.technology,
                number=number,
                name=step.name,
                label=_label(number, step.name, status),
                effort_hours=step.effort_hours,
                x=_column_x(column),
                y=y + BAND_HEADER + line * (NODE_HEIGHT + ROW_GAP),
                goal=step.goal,
                status=status,
            )
            nodes.append(node)
            by_slug[node.slug] = node
            line_of[node.slug] = (band_index, line)
        y += height + BAND_GAP

    edges = []
    for step in steps:
        target = by_slug[step.technology]
        for slug in step.prerequisites:
            source = by_slug.get(slug)
            if source is None or line_of[slug] != line_of[target.slug]:
                continue
            x1, y1 = source.x + NODE_WIDTH, source.y + NODE_HEIGHT // 2
            x2, y2 = target.x - 3, target.y + NODE_HEIGHT // 2
            # Arrows between neighbours run straight; longer ones arc above the steps between.
            lift = 0 if target.x - source.x <= NODE_WIDTH + COLUMN_GAP else NODE_HEIGHT // 2 + 4
            edges.append(
                Edge(
                    slug,
                    target.slug,
                    f"M{x1} {y1} C{x1 + COLUMN_GAP} {y1 - lift} {x2 - COLUMN_GAP} {y2 - lift}"
                    f" {x2} {y2}",
                )
            )

    columns = min(len(steps), COLUMNS) if steps else 0
    width = _column_x(columns) - COLUMN_GAP + PADDING if columns else 2 * PADDING
    height = y - BAND_GAP + PADDING if bands else BAND_HEADER
    return Roadmap(
        width=width,
        height=height,
        band_x=PADDING // 2,
        band_width=width - PADDING,
        nodes=tuple(nodes),
        edges=tuple(edges),
        bands=tuple(bands),
        description=_describe(steps, len(snapshot.steps), statuses),
        shown=len(steps),
        total=len(snapshot.steps),
    )


def _describe(steps: Sequence[SavedStep], total: int, statuses: Mapping[str, str]) -> str:
    """The picture in words, for the SVG's <desc>: each milestone's steps and what they need."""
    name_of = {step.technology: step.name for step in steps}
    parts = []
    for index, (_, members) in enumerate(_milestones(steps), start=1):
        items = []
        for step in members:
            needs = [name_of[slug] for slug in step.prerequisites if slug in name_of]
            text = f"{step.name} (after {', '.join(needs)})" if needs else step.name
            status = statuses.get(step.technology)
            if status in ("done", "doing"):
                text += " — done" if status == "done" else " — in progress"
            items.append(text)
        parts.append(f"Milestone {index}, {members[0].stage}: {'; '.join(items)}.")
    if total > len(steps):
        parts.append(f"The picture shows the first {len(steps)} of {total} steps.")
    return " ".join(parts) or "The path has no steps."
