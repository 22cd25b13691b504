"""What a load would change: one plan, computed from a document and the database, then applied.

`make_plan()` compares a validated document with the catalog the database holds, section by
section and slug by slug, and names every change field by field
(`update technology flask: name "Flask" -> "Flask (micro)"`). The same plan is what
`load_catalog --dry-run` prints, what a load prints and records in the history, and what the
admin's upload page shows before a curator applies it.

It also says which of those changes would overwrite edits made since the last load or export:
each load and export records a digest of every entry as it then was (the *baseline*, on the
catalog version row); an entry whose digest no longer matches was edited since (admin, shell).
No Django models are written here.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field

from catalog.document import SLUG_RE

SECTIONS = ("categories", "technologies", "projects", "questions")
SINGULAR = {
    "categories": "category",
    "technologies": "technology",
    "projects": "project",
    "questions": "question",
}
# Lists of mappings compared entry by entry, by the key that names an entry.
_ENTRY_KEYS = {
    "prerequisites": "technology",
    "resources": "url",
    "choices": "slug",
    "recommends": "technology",
}
_TEXT_CONTEXT = 30  # characters kept either side of a change in a long text


@dataclass
class SectionReport:
    """What a load did (or would do) to one section of the catalog, by slug."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    action: str  # create | update | delete
    section: str
    slug: str
    details: tuple[str, ...] = ()  # for an update: one per field, `name "A" -> "B"`

    @property
    def subject(self) -> str:
        return f"{SINGULAR[self.section]} {self.slug}"

    def lines(self) -> list[str]:
        if self.action != "update":
            return [f"{self.action} {self.subject}"]
        return [f"update {self.subject}: {detail}" for detail in self.details]


@dataclass
class CatalogPlan:
    """Every change a document makes to the catalog, and what the apply step needs."""

    document: dict
    prune: bool
    sections: dict[str, SectionReport]
    changes: list[Change]
    # Entries edited since the last load or export that this plan would change (subjects).
    conflicts: list[str]
    # slug sets per section the writer rewrites (changed, created, or only renumbered)
    dirty: dict[str, set[str]]
    baseline: dict | None
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def lines(self) -> list[str]:
        return [line for change in self.changes for line in change.lines()]

    def counts(self) -> str:
        return ", ".join(
            f"{section}: {len(part.created)} created, {len(part.updated)} updated, "
            f"{len(part.deleted)} deleted, {len(part.unchanged)} unchanged"
            for section, part in self.sections.items()
        )

    def conflict_message(self) -> str:
        names = "\n".join(f"  {subject}" for subject in self.conflicts)
        return (
            "These were edited (in the admin or a shell) since the last load or export, and "
            f"this load would change them:\n{names}\n"
            "To keep those edits, export first (manage.py export_catalog -o FILE), bring them "
            "into your file and load that; to overwrite them, load again with --force."
        )

    def new_baseline(self) -> dict:
        """The baseline once this plan is applied: the file's entries as loaded, and the old
        record of the entries the file does not have (they were not loaded now)."""
        old = self.baseline or {}
        baseline = {}
        for section in SECTIONS:
            entries = dict(old.get(section, {}))
            for slug in self.sections[section].deleted:
                entries.pop(slug, None)
            entries.update((item["slug"], digest(section, item)) for item in self.document[section])
            baseline[section] = entries
        return baseline


def as_dict(document: object) -> dict:
    """A normalized document as plain data, whether a dict or a `CatalogDocument`."""
    if hasattr(document, "model_dump"):
        return document.model_dump(mode="json")
    return document


def as_stored(section: str, item: dict) -> dict:
    """`item` as the database can keep it, to compare with what it holds.

    A show_if's `any_of` and a choice's `knows` are sets in the database (the admin edits them
    as such) and come back in its order, not the file's: listed in another order they are
    the same, so they are compared sorted.
    """
    if section != "questions":
        return item
    show_if = item["show_if"]
    return {
        **item,
        "show_if": show_if and {**show_if, "any_of": sorted(show_if["any_of"])},
        "choices": [{**choice, "knows": sorted(choice["knows"])} for choice in item["choices"]],
    }


def digest(section: str, item: dict) -> str:
    """A short fingerprint of an entry's content (not its position)."""
    text = json.dumps(as_stored(section, item), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def baseline_of(document: dict) -> dict:
    """The record of a document as it is now: slug → digest per section."""
    document = as_dict(document)
    return {
        section: {item["slug"]: digest(section, item) for item in document[section]}
        for section in SECTIONS
    }


def make_plan(
    document: object, current: object, *, baseline: dict | None, prune: bool = False
) -> CatalogPlan:
    """The plan that turns the catalog `current` (the database's document) into `document`."""
    document, current = as_dict(document), as_dict(current)
    sections: dict[str, SectionReport] = {}
    changes: list[Change] = []
    dirty: dict[str, set[str]] = {}
    conflicts: list[str] = []
    for section in SECTIONS:
        report, section_changes, dirty[section] = _plan_section(
            section, current[section], document[section], prune=prune
        )
        sections[section] = report
        changes += section_changes
        if baseline is None or not any(current[name] for name in SECTIONS):
            continue  # no record, or an empty catalog: no edit to lose
        recorded = baseline.get(section, {})
        now = {item["slug"]: item for item in current[section]}
        for change in section_changes:
            if change.action == "create":
                # Deleted since: the load would bring it back.
                edited = change.slug in recorded
                subject = f"{change.subject} (deleted since)"
            else:
                edited = recorded.get(change.slug) != digest(section, now[change.slug])
                subject = change.subject
                if change.slug not in recorded:
                    subject += " (created since)"
            if edited and subject not in conflicts:
                conflicts.append(subject)
    return CatalogPlan(
        document=document,
        prune=prune,
        sections=sections,
        changes=changes,
        conflicts=conflicts,
        dirty=dirty,
        baseline=baseline,
    )


def _plan_section(
    section: str, old_items: list[dict], new_items: list[dict], *, prune: bool
) -> tuple[SectionReport, list[Change], set[str]]:
    old = {item["slug"]: (index, as_stored(section, item)) for index, item in enumerate(old_items)}
    new_slugs = {item["slug"] for item in new_items}
    moved = _moved(
        [item["slug"] for item in old_items if item["slug"] in new_slugs],
        [item["slug"] for item in new_items if item["slug"] in old],
    )
    report = SectionReport()
    changes: list[Change] = []
    dirty: set[str] = set()
    for index, item in enumerate(new_items):
        slug = item["slug"]
        previous = old.get(slug)
        if previous is None:
            report.created.append(slug)
            changes.append(Change("create", section, slug))
            dirty.add(slug)
            continue
        old_index, old_item = previous
        details = _differences(old_item, as_stored(section, item))
        if slug in moved:
            details.insert(0, f"position {old_index + 1} -> {index + 1}")
        if details:
            report.updated.append(slug)
            changes.append(Change("update", section, slug, tuple(details)))
            dirty.add(slug)
        else:
            report.unchanged.append(slug)
            if old_index != index:
                dirty.add(slug)  # renumbered only: written when anything else is
    if prune:
        for slug in old:
            if slug not in new_slugs:
                report.deleted.append(slug)
                changes.append(Change("delete", section, slug))
    return report, changes, dirty


def _moved(old_order: list[str], new_order: list[str]) -> set[str]:
    """Entries (in both) whose order against the others changed: those outside the longest
    runs the two orders share."""
    if old_order == new_order:
        return set()
    matcher = difflib.SequenceMatcher(a=old_order, b=new_order, autojunk=False)
    kept = {
        slug
        for block in matcher.get_matching_blocks()
        for slug in new_order[block.b : block.b + block.size]
    }
    return set(new_order) - kept


# --- field by field ------------------------------------------------------------------------


def _differences(old: dict, new: dict, prefix: str = "") -> list[str]:
    details = []
    for key in new:
        if key == "slug" or old.get(key) == new[key]:
            continue
        details += _field_difference(f"{prefix}{key}", key, old.get(key), new[key])
    return details


def _field_difference(place: str, key: str, old: object, new: object) -> list[str]:
    entry_key = _ENTRY_KEYS.get(key)
    if entry_key and isinstance(old, list) and isinstance(new, list):
        entries = _entry_differences(place, entry_key, old, new)
        if entries is not None:
            return entries
    if isinstance(old, dict) and isinstance(new, dict):
        return _differences(old, new, f"{place}.")
    if isinstance(old, str) and isinstance(new, str):
        old_text, new_text = _shortened(old, new)
        return [f"{place} {old_text} -> {new_text}"]
    return [f"{place} {show(old)} -> {show(new)}"]


def _entry_differences(place: str, key: str, old: list, new: list) -> list[str] | None:
    """Lists of mappings entry by entry; None when the key does not name entries uniquely."""
    old_keys = [entry.get(key) for entry in old]
    new_keys = [entry.get(key) for entry in new]
    if len(set(old_keys)) != len(old_keys) or len(set(new_keys)) != len(new_keys):
        return None
    before = dict(zip(old_keys, old, strict=True))
    after = dict(zip(new_keys, new, strict=True))
    details = []
    for entry_key, entry in after.items():
        name = f"{place}[{entry_key}]"
        if entry_key not in before:
            rest = {k: v for k, v in entry.items() if k != key}
            details.append(f"{name} added {show(rest)}")
        else:
            details += _differences(before[entry_key], entry, f"{name}.")
    details += [f"{place}[{entry_key}] removed" for entry_key in before if entry_key not in after]
    kept_before = [k for k in old_keys if k in after]
    kept_after = [k for k in new_keys if k in before]
    if kept_before != kept_after:
        details.append(f"{place} order {show(kept_before)} -> {show(kept_after)}")
    return details


def show(value: object, *, nested: bool = False) -> str:
    """A value as a plan line writes it: text quoted, slugs inside lists and mappings bare,
    mappings in braces."""
    if value is None:
        return "none"
    if isinstance(value, str):
        if nested and SLUG_RE.match(value):
            return value
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return f"[{', '.join(show(item, nested=True) for item in value)}]"
    if isinstance(value, dict):
        shown = ", ".join(f"{key}: {show(item, nested=True)}" for key, item in value.items())
        return "{" + shown + "}"
    return str(value)


def _shortened(old: str, new: str) -> tuple[str, str]:
    """Two long texts cut to the part that changed, with some context either side."""
    limit = 2 * _TEXT_CONTEXT + 40
    if len(old) <= limit and len(new) <= limit:
        return show(old), show(new)
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while (
        end < min(len(old), len(new)) - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]
    ):
        end += 1
    head = max(0, start - _TEXT_CONTEXT)

    def cut(text: str) -> str:
        tail = min(len(text), len(text) - end + _TEXT_CONTEXT)
        middle = json.dumps(text[head:tail], ensure_ascii=False)[1:-1]
        return f'"{"…" if head else ""}{middle}{"…" if tail < len(text) else ""}"'

    return cut(old), cut(new)
