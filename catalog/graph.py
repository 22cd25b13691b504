"""The prerequisite graph: the one place that walks it (validator, admin, pages, planner).

Pure functions over plain data: `edges` maps each technology's slug to the slugs it requires
directly, in the catalog's order. The keys are the graph: a prerequisite that is not a key is
outside it and ignored, so a caller can pass part of the catalog (the steps of one path, the
boxes of one diagram) and get answers about that part. No function recurses, so a chain of
thousands of technologies is walked like a short one; whether there is a cycle at all is
asked of `graphlib` first, and only a graph that has one pays for spelling it out.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Collection, Iterator, Mapping
from graphlib import CycleError, TopologicalSorter
from typing import Any

Edges = Mapping[str, Collection[str]]  # slug → the slugs it requires directly
Cycle = tuple[str, ...]  # slugs, each needing the next, the first repeated at the end

__all__ = [
    "CycleError",
    "Cycle",
    "Edges",
    "ancestors",
    "cycles",
    "dependents",
    "depth",
    "is_acyclic",
    "topological_order",
    "transitive_reduction",
    "would_close_cycle",
]


def is_acyclic(edges: Edges) -> bool:
    """Whether no technology needs itself, directly or not."""
    try:
        TopologicalSorter(edges).prepare()
    except CycleError:
        return False
    return True


def cycles(edges: Edges, *, limit: int | None = None) -> list[Cycle]:
    """The cycles to break, shortest first: each from its smallest slug, along its shortest way.

    Every cycle gets its own entry: after spelling one out (breadth first from the smallest
    slug of its strongly connected part, edges in their order), its closing edge is set aside
    and the rest of that part is searched again. With `limit`, the search stops there (so a
    caller can say "more than N"). An acyclic graph costs one graphlib pass.
    """
    if is_acyclic(edges):  # the common case: no copy, no component search
        return []
    graph = {slug: [required for required in edges[slug] if required in edges] for slug in edges}
    pending = _cyclic_parts(graph, graph)
    found: list[Cycle] = []
    while pending and (limit is None or len(found) < limit):
        members = pending.pop()
        start = min(members)
        cycle = _shortest_cycle(graph, start, members)
        found.append(cycle)
        closing = cycle[-2]
        graph[closing] = [required for required in graph[closing] if required != start]
        pending.extend(_cyclic_parts(graph, members))
    return sorted(found, key=lambda cycle: (len(cycle), cycle))


def would_close_cycle(edges: Edges, technology: str, requires: Collection[str]) -> Cycle | None:
    """The cycle that giving `technology` these prerequisites would close, or None.

    `edges` are the other prerequisites (without `technology`'s own); the answer is the
    shortest such cycle, from `technology` back to it, the smallest slug winning ties.
    """
    best: Cycle | None = None
    for required in sorted(set(requires)):
        if required == technology:
            return (technology, technology)
        back = _shortest_path(edges, required, technology)
        if back is not None and (best is None or len(back) + 1 < len(best)):
            best = (technology, *back)
    return best


def ancestors(edges: Edges, slug: str, *, nearest_first: bool = False) -> list[str]:
    """Everything `slug` needs, directly or not, without `slug` itself.

    In a learnable order by default: depth first through the prerequisites in their order,
    each technology after all it needs (the "Learn first" chain). With `nearest_first`, by
    distance instead (breadth first): direct prerequisites, then theirs, and so on. A cycle
    is not followed, so each slug comes once.
    """
    if slug not in edges:
        return []
    if nearest_first:
        seen = {slug}
        order: list[str] = []
        queue = deque([slug])
        while queue:
            for required in edges[queue.popleft()]:
                if required not in seen and required in edges:
                    seen.add(required)
                    order.append(required)
                    queue.append(required)
        return order
    return [node for node, _ in _postorder(edges, [slug]) if node != slug]


def dependents(edges: Edges) -> dict[str, list[str]]:
    """Slug → the technologies that require it directly, in key order (what it "Unlocks").

    One pass for every slug at once, as the pages want them all.
    """
    unlocks: dict[str, list[str]] = {slug: [] for slug in edges}
    for slug, requires in edges.items():
        for required in requires:
            if required in unlocks:
                unlocks[required].append(slug)
    return unlocks


def depth(edges: Edges) -> dict[str, int]:
    """Slug → the length of the longest prerequisite chain below it: 0 when it needs nothing.

    The house's one depth: the browse pages sort by it and the planner's stages are runs of
    it (given only the path's steps, it counts prerequisites on the path). An edge that would
    close a cycle is ignored (the first met, keys in order), so a bad edit cannot hang a page.
    Keys that come prerequisites first (as `topological_order` gives them) take one pass.
    """
    result: dict[str, int] = {}
    for slug, requires in edges.items():
        deepest = -1
        for required in requires:
            if required in result:
                if result[required] > deepest:
                    deepest = result[required]
            elif required in edges:  # not prerequisites first (or a cycle): walk instead
                return _depth_walk(edges)
        result[slug] = deepest + 1
    return result


def topological_order(edges: Edges, *, tie_break: Callable[[str], Any] | None = None) -> list[str]:
    """Every key, each after all it requires; among those ready, the smallest `tie_break`.

    `tie_break` defaults to the key's position in `edges` (the catalog's order), so the same
    graph always gives the same order. Raises graphlib.CycleError (a ValueError) on a cycle.
    """
    position = {slug: index for index, slug in enumerate(edges)}
    key = tie_break or position.__getitem__
    sorter = TopologicalSorter(
        {
            slug: [required for required in requires if required in position]
            for slug, requires in edges.items()
        }
    )
    sorter.prepare()
    ready: list[tuple[Any, int, str]] = []
    order: list[str] = []
    while sorter.is_active():
        for slug in sorter.get_ready():
            heapq.heappush(ready, (key(slug), position[slug], slug))
        slug = heapq.heappop(ready)[2]
        order.append(slug)
        sorter.done(slug)
    return order


def transitive_reduction(edges: Edges) -> dict[str, list[str]]:
    """`edges` without the shortcuts: A→C is dropped when A reaches C through another of its
    prerequisites, so a drawing shows the order and not every consequence of it."""
    reduced: dict[str, list[str]] = {}
    for node, direct in edges.items():
        keep = []
        for prerequisite in direct:
            stack = [other for other in direct if other != prerequisite]
            seen: set[str] = set()
            while stack:
                current = stack.pop()
                if current == prerequisite:
                    break
                if current in seen or current == node:
                    continue
                seen.add(current)
                stack.extend(edges.get(current, ()))
            else:
                keep.append(prerequisite)
        reduced[node] = keep
    return reduced


# The walks ------------------------------------------------------------------------------------


def _depth_walk(edges: Edges) -> dict[str, int]:
    """`depth` for keys in any order: depth first, each slug after its prerequisites."""
    result: dict[str, int] = {}
    for node, counted in _postorder(edges, edges):
        result[node] = 1 + max((result[required] for required in counted), default=-1)
    return result


def _postorder(edges: Edges, roots: Collection[str]) -> Iterator[tuple[str, list[str]]]:
    """Depth first from each root: (slug, its prerequisites already yielded), children first.

    Prerequisites are followed in their order; one that is being walked (a cycle, or the
    slug itself) or is not a key is skipped and left out of the list.
    """
    done: set[str] = set()
    for root in roots:
        if root in done or root not in edges:
            continue
        visiting = {root}
        stack = [(root, iter(edges[root]))]
        while stack:
            node, pending = stack[-1]
            for required in pending:
                if required in edges and required not in done and required not in visiting:
                    visiting.add(required)
                    stack.append((required, iter(edges[required])))
                    break
            else:
                stack.pop()
                visiting.discard(node)
                yield node, [required for required in edges[node] if required in done]
                done.add(node)


def _shortest_path(edges: Edges, start: str, goal: str) -> list[str] | None:
    """start → … → goal along the fewest edges (smallest slugs first), or None."""
    parents: dict[str, str] = {start: start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for required in sorted(edges.get(node, ())):
            if required == goal:
                path = [goal, node]
                while path[-1] != start:
                    path.append(parents[path[-1]])
                return path[::-1]
            if required not in parents:
                parents[required] = node
                queue.append(required)
    return None


def _cyclic_parts(graph: Mapping[str, list[str]], within: Collection[str]) -> list[set[str]]:
    """The strongly connected parts of graph (restricted to `within`) that hold a cycle.

    Tarjan's algorithm, iterative (chains can be thousands long).
    """
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    parts: list[set[str]] = []
    for root in within:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph[root]))]
        while work:
            node, pending = work[-1]
            for target in pending:
                if target not in within:
                    continue
                if target not in order:
                    order[target] = low[target] = len(order)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph[target])))
                    break
                if target in on_stack:
                    low[node] = min(low[node], order[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == order[node]:
                    part = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        part.add(member)
                        if member == node:
                            break
                    if len(part) > 1 or node in graph[node]:
                        parts.append(part)
    return parts


def _shortest_cycle(graph: Mapping[str, list[str]], start: str, members: set[str]) -> Cycle:
    """The shortest cycle through start inside members (breadth first, edges in order)."""
    parents: dict[str, str] = {start: start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in graph[node]:
            if target not in members:
                continue
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(parents[path[-1]])
                return (*reversed(path), start)
            if target not in parents:
                parents[target] = node
                queue.append(target)
    raise AssertionError(f"{start} is on no cycle")  # callers pass a strongly connected part
