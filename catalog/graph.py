"""Prerequisite-graph checks shared by the admin (the YAML schema has its own, on plain data)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def find_path(edges: Mapping[str, Iterable[str]], start: str, goal: str) -> list[str] | None:
    """A path start → … → goal following `edges` (technology → what it requires), or None."""
    stack = [(start, [start])]
    seen = {start}
    while stack:
        node, path = stack.pop()
        if node == goal:
            return path
        for nxt in sorted(edges.get(node, ()), reverse=True):
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def cycle_through(
    edges: Mapping[str, Iterable[str]], technology: str, requires: Iterable[str]
) -> list[str] | None:
    """The cycle that giving `technology` these prerequisites would close, if any.

    Returned as a list of slugs starting and ending with `technology`.
    """
    for required in sorted(set(requires)):
        if required == technology:
            return [technology, technology]
        back = find_path(edges, required, technology)
        if back is not None:
            return [technology, *back]
    return None
