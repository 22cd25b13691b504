"""A saved path as Markdown: title, totals and progress, a checkbox per step with its reasons,
effort, checkpoints and resource links, and projects where they stand.

Anyone with the link gets the path and the owner's progress. Only the owner's own export
(the view passes `notes` only when the request is the owner's) holds their private notes, and
which checkpoints they ticked (`ticked`: technology slug -> the texts of its ticked
checkpoints); anyone else's export shows every checkpoint as `- [ ]`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date

from django.utils.dateformat import format as format_date

from catalog.selectors import web_address
from paths.models import ProgressStatus
from paths.schedule import finish_date
from paths.snapshots import Snapshot, path_outline, progress_summary, read_snapshot

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def escape(text: str) -> str:
    """Curator text as literal Markdown: one line, special characters escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def link_target(url: str) -> str:
    """A URL that cannot end the link early or break the line."""
    return "".join(
        f"%{ord(char):02X}" if char in " ()<>[]\\" or ord(char) < 0x20 else char for char in url
    )


def _hours(hours: int) -> str:
    return f"{hours} hour{'s' if hours != 1 else ''}"


def path_markdown(
    *,
    snapshot: Snapshot | Mapping,
    statuses: Mapping[str, str],
    url: str,
    today: date,
    name: str = "",
    notes: Mapping[str, str] | None = None,
    ticked: Mapping[str, Collection[str]] | None = None,
) -> str:
    """The path with the learner's progress: `- [x]` marks a step they marked "Done", and the
    finish date is reckoned from `today` for the steps still to learn (paths.schedule).
    `notes` (technology slug -> text) and `ticked` are the owner's alone: never pass them for
    anyone else."""
    notes = notes or {}
    ticked = ticked or {}
    snapshot = read_snapshot(snapshot)
    weeks = snapshot.weeks
    lines = ["# Your learning path", ""]
    if name:
        lines += [f"For: {escape(name)}", ""]
    if snapshot.steps:
        summary = progress_summary(snapshot, statuses)
        finish = finish_date(snapshot, statuses, today=today)
        skipped = f", {summary.skipped} skipped" if summary.skipped else ""
        lines += [
            f"- Total effort: {_hours(snapshot.total_hours)}",
            f"- Weeks: {weeks} at {_hours(snapshot.hours_per_week)} a week",
            f"- Progress: {summary.done} of {summary.counted} steps done{skipped}, "
            f"{_hours(summary.hours_left)} left",
            f"- Estimated finish: {format_date(finish, 'j F Y')} "
            f"(at this pace from {format_date(today, 'j F Y')})"
            if finish is not None
            else "- Estimated finish: every step is done",
        ]
    else:
        lines.append("Your answers lead to nothing new to learn: every step is already known.")
    lines += [f"- Online: <{link_target(url)}>", ""]

    for stage in path_outline(snapshot, statuses):
        lines += [f"## {escape(stage.title)}", ""]
        for view in stage.steps:
            step = view.step
            mark = "x" if view.status == ProgressStatus.DONE else " "
            lines.append(
                f"- [{mark}] **{view.number}. {escape(step.name)}** — "
                f"{_hours(step.effort_hours)} ({view.status_label})"
            )
            lines += [f"  - Why: {escape(reason)}" for reason in step.reasons]
            if step.alternatives:
                names = ", ".join(escape(item.name) for item in step.alternatives)
                lines.append(f"  - Or instead: {names}")
            if step.checkpoints:
                done = ticked.get(step.technology, ())
                lines.append("  - Ready to move on when you can:")
                lines += [
                    f"    - [{'x' if item in done else ' '}] {escape(item)}"
                    for item in step.checkpoints
                ]
            note = notes.get(step.technology, "").strip()
            if note:
                lines.append("  - Your note (private):")
                lines += [
                    f"    > {escape(line)}" if line.strip() else "    >"
                    for line in note.splitlines()
                ]
            if step.resources:
                lines.append("  - Resources:")
                for item in step.resources:
                    # Only web addresses become links; anything else is shown as plain text.
                    url = web_address(item.url)
                    title = escape(item.title)
                    link = f"[{title}]({link_target(url)})" if url else title
                    lines.append(f"    - {link} ({item.kind})")
            for project in view.projects:
                uses = ", ".join(escape(item.name) for item in project.uses)
                lines += [
                    "",
                    f"> **Project: {escape(project.title)}** — {escape(project.brief)}"
                    f" (uses {uses})",
                    "",
                ]
        lines.append("")

    if snapshot.considered:
        lines += ["## Considered, not recommended", ""]
        for item in snapshot.considered:
            reasons = " ".join(escape(reason) for reason in item.reasons)
            lines.append(f"- {escape(item.name)}" + (f": {reasons}" if reasons else ""))
        lines.append("")
    if snapshot.known:
        names = ", ".join(escape(item.name) for item in snapshot.known)
        lines += ["## Already known", "", f"Left out because you know them: {names}.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
