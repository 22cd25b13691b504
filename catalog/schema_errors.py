"""Located errors in a catalog: what went wrong, in which file, on which line, at which place.

Places are tuples of keys and list indexes, e.g. ``("technologies", 3, "prerequisites", 0)``,
shown as ``technologies[3].prerequisites[0]``; marks map such a place to its 1-based line in
the file (for a mapping entry, the line of its key). The YAML reader, the document's shape
check and the reference checks all report through a ``Reporter``.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Path = tuple[str | int, ...]
Marks = Mapping[Path, int]

_SUGGESTION_BUDGET = 200  # did-you-mean look-ups per file; each scans every slug


@dataclass(frozen=True)
class SchemaError:
    """One problem in a catalog file, with where it is."""

    filename: str
    line: int | None  # 1-based; None only for data that never had lines (e.g. from the database)
    place: str  # e.g. "technologies[3].prerequisites[0]"; "" for the whole document
    message: str

    def __str__(self) -> str:
        where = self.filename if self.line is None else f"{self.filename}:{self.line}"
        return ": ".join(part for part in (where, self.place, self.message) if part)


class CatalogInvalid(Exception):
    """A catalog with at least one error; ``errors`` holds all of them, in file order."""

    def __init__(self, errors: Iterable[SchemaError]) -> None:
        self.errors: list[SchemaError] = sorted(errors, key=error_order)
        super().__init__("\n".join(str(error) for error in self.errors))


def error_order(error: SchemaError) -> tuple[int, str, str]:
    return (error.line or 0, error.place, error.message)


def place(path: Path) -> str:
    """``("technologies", 3, "kind")`` → ``technologies[3].kind``."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else str(part))
    return "".join(parts)


def describe(value: object) -> str:
    """Name a value's type the way a curator would."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes, no, on, off, true and false as true/false)"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, datetime.date):
        return f"a date ({value.isoformat()})"
    return type(value).__name__


def closest(word: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(candidates), n=1)
    return matches[0] if matches else None


class Reporter:
    """Collects the errors of one file, each with its line from the marks."""

    def __init__(self, filename: str, marks: Marks | None, *, quiet: Iterable[Path] = ()) -> None:
        self.filename = filename
        self.marks = marks
        self.quiet = frozenset(quiet)  # places whose errors are already reported
        self.errors: list[SchemaError] = []
        self._suggestions: dict[tuple[int, str], str | None] = {}

    def line(self, path: Path) -> int | None:
        """The line of path, else of the nearest place around it that has one."""
        if self.marks is None:
            return None
        for end in range(len(path), -1, -1):
            line = self.marks.get(path[:end])
            if line is not None:
                return line
        return 1

    def error(self, path: Path, message: str) -> None:
        if path not in self.quiet:
            self.errors.append(SchemaError(self.filename, self.line(path), place(path), message))

    def where(self, path: Path) -> str:
        """Name an earlier definition and its line, like: categories[0] on line 3."""
        line = self.line(path)
        return place(path) + ("" if line is None else f" on line {line}")

    def unknown(self, noun: str, word: str, candidates: Mapping[str, object]) -> str:
        """ "unknown technology 'x'; did you mean 'y'?" (look-ups memoized, and budgeted)."""
        key = (id(candidates), word)
        if key not in self._suggestions:
            if len(self._suggestions) >= _SUGGESTION_BUDGET:
                return f"unknown {noun} '{word}'"
            self._suggestions[key] = closest(word, candidates)
        match = self._suggestions[key]
        return f"unknown {noun} '{word}'" + (f"; did you mean '{match}'?" if match else "")
