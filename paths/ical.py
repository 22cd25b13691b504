"""A saved path as an iCalendar file (RFC 5545): weekly study sessions, one series per step
still to learn.

The learner's hours per week are spread over evening sessions on default days (`study_week`):
as many sessions as it takes to keep each near two hours, on weekdays first (one a week on
Wednesday, two on Tuesday and Thursday, three on Monday, Wednesday and Friday, ... seven on
every day), from 19:00, or earlier when a long session would run past 22:00. The times are
floating (no time zone): 19:00 wherever the learner's calendar is.

From `today`, the steps not marked "Done" or "Skipped" take the sessions one after another, in
path order, each as many as its effort needs (a "Doing" step counts in full), so each step is
one weekly recurring event (RRULE FREQ=WEEKLY;BYDAY=...;COUNT=n) starting on its first
session. The text rules of the RFC are kept: CRLF line endings, lines folded at 75 octets
(never inside a UTF-8 character), and "\\", ";", "," and newlines escaped in TEXT values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from paths.snapshots import SavedStep, Snapshot, read_snapshot, status_of

PRODUCT_ID = "-//Backend Path//Learning path//EN"
MAX_LINE_OCTETS = 75
CRLF = "\r\n"

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Sessions a week -> their days (0 is Monday): weekdays first, spread out.
DEFAULT_DAYS: dict[int, tuple[int, ...]] = {
    1: (2,),
    2: (1, 3),
    3: (0, 2, 4),
    4: (0, 1, 3, 4),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}
SESSION_MINUTES_TARGET = 120
EVENING = 19 * 60  # minutes after midnight
LATEST_END = 22 * 60
EARLIEST_START = 8 * 60
FINISHED = frozenset({"done", "skipped"})


@dataclass(frozen=True, slots=True)
class StudyWeek:
    """When the learner studies in a week: on `days` (0 is Monday), `minutes` each from
    `start`."""

    days: tuple[int, ...]
    minutes: int
    start: time

    @property
    def byday(self) -> str:
        return ",".join(BYDAY[day] for day in self.days)

    def describe(self) -> str:
        names = [DAY_NAMES[day] for day in self.days]
        if len(names) == 7:
            listed = "every day"
        elif self.days == (0, 1, 2, 3, 4):
            listed = "Monday to Friday"
        elif len(names) == 1:
            listed = names[0]
        else:
            listed = ", ".join(names[:-1]) + " and " + names[-1]
        return f"{listed}, {_duration(self.minutes)} from {self.start.strftime('%H:%M')}"


def study_week(hours_per_week: int) -> StudyWeek:
    """The default week for this many hours (see the module's rule); sessions in whole
    5-minute steps, so a week may hold a few minutes more than `hours_per_week`."""
    minutes_per_week = hours_per_week * 60
    sessions = min(7, max(1, -(-minutes_per_week // SESSION_MINUTES_TARGET)))
    minutes = -(-minutes_per_week // sessions // 5) * 5  # ceil to whole 5-minute steps
    start = max(EARLIEST_START, min(EVENING, LATEST_END - minutes))
    return StudyWeek(DEFAULT_DAYS[sessions], minutes, time(start // 60, start % 60))


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} h"] if hours else []
    if rest:
        parts.append(f"{rest} min")
    return " ".join(parts)


def _session_days(week: StudyWeek, today: date) -> Iterator[date]:
    day = today
    while True:
        if day.weekday() in week.days:
            yield day
        day += timedelta(days=1)


@dataclass(frozen=True, slots=True)
class StudySeries:
    """A step's sessions: `count` of them, the first on `first`, the last on `last`."""

    step: SavedStep
    number: int
    first: date
    last: date
    count: int


def study_series(
    snapshot: Snapshot | Mapping, statuses: Mapping[str, str], week: StudyWeek, *, today: date
) -> list[StudySeries]:
    """The sessions of each step still to learn, one step after another from `today`."""
    days = _session_days(week, today)
    series = []
    for number, step in enumerate(read_snapshot(snapshot).steps, start=1):
        if status_of(statuses, step.technology) in FINISHED:
            continue
        count = max(1, -(-step.effort_hours * 60 // week.minutes))
        dates = [next(days) for _ in range(count)]
        series.append(StudySeries(step, number, dates[0], dates[-1], count))
    return series


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


def _description(step: SavedStep, series: StudySeries, week: StudyWeek, url: str) -> str:
    lines = [f"Why: {reason}" for reason in step.reasons]
    hours = step.effort_hours
    lines.append(
        f"Effort: {hours} hour{'s' if hours != 1 else ''}, in {series.count} session"
        f"{'s' if series.count != 1 else ''} ({week.describe()}), the last on "
        f"{series.last.strftime('%A')} {series.last.day} {series.last.strftime('%B %Y')}."
    )
    if step.checkpoints:
        lines.append("Ready to move on when you can:")
        lines += [f"- {checkpoint}" for checkpoint in step.checkpoints]
    if step.resources:
        lines.append("Learn from:")
        lines += [f"- {item.title} ({item.kind}): {item.url}" for item in step.resources]
    lines.append(f"Your path: {url}")
    return "\n".join(lines)


def _local(day: date, at: time) -> str:
    """A floating DATE-TIME (RFC 5545 §3.3.5, form #1): this wall-clock time in any zone."""
    return datetime.combine(day, at).strftime("%Y%m%dT%H%M%S")


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
    week = study_week(snapshot.hours_per_week)
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
    end = (datetime.combine(today, week.start) + timedelta(minutes=week.minutes)).time()
    for series in study_series(snapshot, statuses, week, today=today):
        step = series.step
        summary = f"Step {series.number} of {total}: {step.name}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_event_uid(uid_seed, step.technology)}",
            f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}",
            f"DTSTART:{_local(series.first, week.start)}",
            f"DTEND:{_local(series.first, end)}",
            f"RRULE:FREQ=WEEKLY;WKST=MO;BYDAY={week.byday};COUNT={series.count}",
            f"SUMMARY:{escape_text(summary)}",
            f"DESCRIPTION:{escape_text(_description(step, series, week, url))}",
            f"URL:{url}",
            "CATEGORIES:Study",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
