"""A saved path as an iCalendar file (RFC 5545): one all-day event per step still to learn.

The steps are placed by `paths.schedule`: from today, one after another, each taking
ceil(effort × 7 / hours per week) days; steps marked "Done" or "Skipped" need no time and have
no event. The text rules of the RFC are kept: CRLF line endings, lines folded at 75 octets
(never inside a UTF-8 character), and "\\", ";", "," and newlines escaped in TEXT values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime

from paths.schedule import schedule
from paths.snapshots import SavedStep, Snapshot, read_snapshot

PRODUCT_ID = "-//Backend Path//Learning path//EN"
MAX_LINE_OCTETS = 75
CRLF = "\r\n"


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded into lines of at most 75 octets (RFC 5545 §3.1).

    A continuation line starts with a space, which counts towards its 75 octets; a line is
    never cut inside a multi-octet UTF-8 character.
    """
    data = line.encode()
    parts = []
    limit = MAX_LINE_OCTETS
    while len(data) > limit:
        cut = limit
        while data[cut] & 0b1100_0000 == 0b1000_0000:  # a UTF-8 continuation octet
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
        limit = MAX_LINE_OCTETS - 1
    parts.append(data)
    return (CRLF + " ").join(part.decode() for part in parts)


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _event_uid(seed: str, slug: str) -> str:
    """Stable across downloads (so a re-import updates the events) without showing the token."""
    digest = hashlib.sha256(f"{seed}:{slug}".encode()).hexdigest()[:32]
    return f"{digest}@backend-path"


def _description(step: SavedStep, days: int, hours_per_week: int, url: str) -> str:
    lines = [f"Why: {reason}" for reason in step.reasons]
    hours = step.effort_hours
    lines.append(
        f"Effort: {hours} hour{'s' if hours != 1 else ''}, about {days} day"
        f"{'s' if days != 1 else ''} at {hours_per_week} hour"
        f"{'s' if hours_per_week != 1 else ''} a week."
    )
    if step.checkpoints:
        lines.append("Ready to move on when you can:")
        lines += [f"- {checkpoint}" for checkpoint in step.checkpoints]
    if step.resources:
        lines.append("Learn from:")
        lines += [f"- {item.title} ({item.kind}): {item.url}" for item in step.resources]
    lines.append(f"Your path: {url}")
    return "\n".join(lines)


def path_calendar(
    *,
    snapshot: Snapshot | Mapping,
    statuses: Mapping[str, str],
    name: str,
    url: str,
    uid_seed: str,
    today: date,
    stamp: datetime,
) -> str:
    """The calendar text. `stamp` (UTC) is the DTSTAMP; `uid_seed` makes the events' UIDs."""
    snapshot = read_snapshot(snapshot)
    hours_per_week = snapshot.hours_per_week
    title = f"Learning path: {name}" if name else "Learning path"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(title)}",
    ]
    total = len(snapshot.steps)
    for item in schedule(snapshot, statuses, today=today):
        step = item.step
        days = item.days
        summary = f"Step {item.number} of {total}: {step.name}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_event_uid(uid_seed, step.technology)}",
            f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}",
            f"DTSTART;VALUE=DATE:{_date(item.start)}",
            f"DTEND;VALUE=DATE:{_date(item.end)}",
            f"SUMMARY:{escape_text(summary)}",
            f"DESCRIPTION:{escape_text(_description(step, days, hours_per_week, url))}",
            f"URL:{url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
