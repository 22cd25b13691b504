"""When each remaining step of a path would happen, at the learner's pace, from a given day.

One rule serves the path page's finish date, the Markdown export and the calendar:

- a step takes ceil(effort_hours × 7 / hours_per_week) whole days (so 10 hours at 5 hours a
  week is 14 days, and 1 hour at 80 hours a week is 1 day);
- the steps the learner has not marked "Done" or "Skipped" follow one another in path order,
  the first starting on `today`; a "Doing" step counts in full (we cannot know how far along
  it is);
- the estimated finish is the last day of the last of them.

Days are whole calendar days, so rounding each step up makes the schedule a little longer than
total hours / hours per week; in exchange every step starts on a day of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from paths.models import ProgressStatus
from paths.snapshots import SavedStep, Snapshot, read_snapshot, status_of

FINISHED = frozenset({ProgressStatus.DONE, ProgressStatus.SKIPPED})


def step_days(effort_hours: int, hours_per_week: int) -> int:
    """Whole days a step takes at this pace: ceil(effort × 7 / hours per week), at least 1."""
    return max(1, -(-effort_hours * 7 // hours_per_week))


@dataclass(frozen=True, slots=True)
class ScheduledStep:
    """A remaining step's place in time: from `start` to `end` (exclusive), like iCalendar."""

    step: SavedStep
    number: int
    status: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


def schedule(
    snapshot: Snapshot | Mapping, statuses: Mapping[str, str], *, today: date
) -> list[ScheduledStep]:
    """The steps still to learn, one after another from `today` (see the module's rule)."""
    snapshot = read_snapshot(snapshot)
    hours_per_week = snapshot.hours_per_week
    scheduled = []
    start = today
    for number, step in enumerate(snapshot.steps, start=1):
        status = status_of(statuses, step.technology)
        if status in FINISHED:
            continue
        end = start + timedelta(days=step_days(step.effort_hours, hours_per_week))
        scheduled.append(ScheduledStep(step, number, status, start, end))
        start = end
    return scheduled


def finish_date(
    snapshot: Snapshot | Mapping, statuses: Mapping[str, str], *, today: date
) -> date | None:
    """The last study day at this pace from `today`; None when nothing is left to learn."""
    remaining = schedule(snapshot, statuses, today=today)
    return remaining[-1].last_day if remaining else None
