"""The calendar export (paths/ical.py): RFC 5545 text rules, weekly study sessions that cover
each step still to learn, read back with a parser library as a calendar application reads them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from paths.ical import escape_text, fold, path_calendar, study_week
from paths.schedule import finish_date, schedule, step_days
from paths.services import path_rename, progress_set
from tests.factories import make_document, make_path

SITE_LARGE = {"goal": ["site", "tools"], "size": ["large"]}
TODAY = date(2025, 1, 6)
STAMP = datetime(2025, 1, 6, 9, 30, tzinfo=UTC)


def unfold(text: str) -> list[str]:
    """The content lines of a calendar: CRLF-separated, continuation lines joined."""
    assert text.endswith("\r\n")
    lines: list[str] = []
    for line in text[:-2].split("\r\n"):
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def events(text: str) -> list[dict[str, str]]:
    """Each VEVENT as {property name with parameters: value}."""
    found, current = [], None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return found


def calendar(path, statuses=None, **overrides) -> str:
    options = {
        "snapshot": path.snapshot,
        "statuses": statuses or {},
        "name": path.name,
        "url": "https://example.org/paths/abc/",
        "uid_seed": path.token,
        "today": TODAY,
        "stamp": STAMP,
    }
    return path_calendar(**(options | overrides))


# Text rules -----------------------------------------------------------------------------------


def test_escape_text():
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


@pytest.mark.parametrize("char", ["x", "é", "€", "𝄞"])
def test_fold_never_exceeds_75_octets_nor_splits_a_character(char):
    line = "DESCRIPTION:" + char * 200
    folded = fold(line)
    for physical in folded.split("\r\n"):
        assert len(physical.encode()) <= 75
        physical.encode().decode()  # a whole number of characters
    assert folded.replace("\r\n ", "") == line
    assert fold("SHORT:line") == "SHORT:line"


@given(st.text(max_size=400))
def test_fold_and_escape_round_trip(text):
    folded = fold("SUMMARY:" + escape_text(text))
    assert all(len(line.encode()) <= 75 for line in folded.split("\r\n"))
    assert "\n" not in folded.replace("\r\n", "")


# The schedule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "per_week", "days"), [(10, 5, 14), (1, 80, 1), (30, 4, 53), (7, 7, 7), (40, 80, 4)]
)
def test_step_days(hours, per_week, days):
    assert step_days(hours, per_week) == days


def test_the_schedule_runs_from_today_and_leaves_out_finished_steps(small_catalog):
    # Goals webfw (3) then scripting (2); basics is known: web 10, webfw 30, scripting 5 hours.
    path = make_path(answers=SITE_LARGE, hours_per_week=4)
    plan = schedule(path.snapshot, {}, today=TODAY)
    assert [(item.step.technology, item.start, item.days) for item in plan] == [
        ("web", TODAY, 18),
        ("webfw", TODAY + timedelta(days=18), 53),
        ("scripting", TODAY + timedelta(days=71), 9),
    ]
    assert finish_date(path.snapshot, {}, today=TODAY) == TODAY + timedelta(days=79)
    statuses = {"web": "done", "scripting": "skipped", "webfw": "doing"}
    [only] = schedule(path.snapshot, statuses, today=TODAY)
    assert (only.step.technology, only.start, only.number) == ("webfw", TODAY, 2)
    everything = {"web": "done", "scripting": "done", "webfw": "skipped"}
    assert finish_date(path.snapshot, everything, today=TODAY) is None


# The calendar ---------------------------------------------------------------------------------


def test_the_calendar_follows_rfc_5545(small_catalog):
    path = make_path(answers=SITE_LARGE, hours_per_week=4)
    text = calendar(path)
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = unfold(text)
    assert lines[:5] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Backend Path//Learning path//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    assert lines[-1] == "END:VCALENDAR"
    found = events(text)
    assert [event["SUMMARY"] for event in found] == [
        "Step 1 of 3: Web Protocol",
        "Step 2 of 3: Web Framework",
        "Step 3 of 3: Scripting Kit",
    ]
    # 4 hours a week: two 2-hour evenings, Tuesday and Thursday, from Monday 6 January.
    # Web Protocol (10 hours) takes 5 of them, Web Framework (30) 15, Scripting Kit (5) 3.
    assert [(e["DTSTART"], e["DTEND"], e["RRULE"]) for e in found] == [
        ("20250107T190000", "20250107T210000", "FREQ=WEEKLY;WKST=MO;BYDAY=TU,TH;COUNT=5"),
        ("20250123T190000", "20250123T210000", "FREQ=WEEKLY;WKST=MO;BYDAY=TU,TH;COUNT=15"),
        ("20250318T190000", "20250318T210000", "FREQ=WEEKLY;WKST=MO;BYDAY=TU,TH;COUNT=3"),
    ]
    assert {event["DTSTAMP"] for event in found} == {"20250106T093000Z"}
    uids = [event["UID"] for event in found]
    assert len(set(uids)) == 3 and all(uid.endswith("@backend-path") for uid in uids)
    assert all(path.token not in uid for uid in uids)  # the link's secret stays out
    assert uids == [event["UID"] for event in events(calendar(path, today=date(2026, 5, 1)))]
    assert all(event["URL"] == "https://example.org/paths/abc/" for event in found)


@pytest.mark.parametrize(
    ("hours", "days", "minutes", "start"),
    [
        (1, "WE", 60, "19:00"),
        (4, "TU,TH", 120, "19:00"),
        (5, "MO,WE,FR", 100, "19:00"),
        (10, "MO,TU,WE,TH,FR", 120, "19:00"),
        (15, "MO,TU,WE,TH,FR,SA,SU", 130, "19:00"),
        (40, "MO,TU,WE,TH,FR,SA,SU", 345, "16:15"),  # ends at 22:00, not past it
        (80, "MO,TU,WE,TH,FR,SA,SU", 690, "10:30"),
    ],
)
def test_the_week_spreads_the_hours_over_evenings(hours, days, minutes, start):
    week = study_week(hours)
    assert (week.byday, week.minutes, week.start.strftime("%H:%M")) == (days, minutes, start)
    assert hours * 60 <= len(week.days) * week.minutes < hours * 60 + 5 * len(week.days)


def sessions(text: str) -> list[tuple[str, datetime, datetime]]:
    """Every study session in the file, as a calendar application reads it: parsed with the
    icalendar library, each RRULE expanded with dateutil."""
    parsed = Calendar.from_ical(text)
    found = []
    for event in parsed.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "RRULE", "SUMMARY"):
            assert required in event, required
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.tzinfo is None and end > start  # floating local times
        rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
        found += [(str(event["SUMMARY"]), day, day + (end - start)) for day in rule]
    return found


@pytest.mark.parametrize("hours", [1, 3, 5, 7, 12, 40, 80])
def test_a_calendar_application_sees_weekly_sessions_that_cover_each_step(small_catalog, hours):
    path = make_path(answers=SITE_LARGE, hours_per_week=hours)
    found = sessions(calendar(path))
    week = study_week(hours)
    assert found and found[0][1].date() >= TODAY
    assert all(start.weekday() in week.days for _, start, _ in found)
    assert all(end.date() == start.date() for _, start, end in found)  # none past midnight
    assert [start for _, start, _ in found] == sorted({start for _, start, _ in found})
    for step in path.snapshot["steps"]:
        mine = [(s, e) for name, s, e in found if name.endswith(": " + step["name"])]
        minutes = sum((e - s).total_seconds() / 60 for s, e in mine)
        assert step["effort_hours"] * 60 <= minutes < step["effort_hours"] * 60 + week.minutes
    # No calendar week holds more than the learner's hours (and a few minutes of rounding).
    per_week: dict = {}
    for _, start, end in found:
        key = start.isocalendar()[:2]
        per_week[key] = per_week.get(key, 0) + (end - start).total_seconds() / 60
    assert max(per_week.values()) < hours * 60 + 5 * 7


def test_each_event_describes_its_step(small_catalog):
    path = make_path(answers=SITE_LARGE, hours_per_week=4)
    webfw = events(calendar(path))[1]["DESCRIPTION"]
    assert webfw.startswith(
        "Why: Sites need it.\\nEffort: 30 hours\\, in 15 sessions (Tuesday and Thursday\\, "
        "2 h from 19:00)\\, the last on Thursday 13 March 2025."
    )
    assert "\\nReady to move on when you can:\\n- Use webfw in a small program." in webfw
    assert "\\nLearn from:\\n- Official tutorial (tutorial): https://example.org/t" in webfw
    assert webfw.endswith("\\nYour path: https://example.org/paths/abc/")


def test_progress_moves_the_events(small_catalog):
    path = make_path(answers=SITE_LARGE, hours_per_week=4)
    found = events(calendar(path, {"web": "done", "scripting": "doing"}))
    assert [(e["SUMMARY"], e["DTSTART"]) for e in found] == [
        ("Step 2 of 3: Web Framework", "20250107T190000"),
        ("Step 3 of 3: Scripting Kit", "20250227T190000"),
    ]


def test_text_from_the_catalog_and_the_learner_is_escaped(load_document):
    document = make_document()
    document["technologies"][1]["name"] = "Web, Protocol; \\ and\nmore"
    load_document(document)
    path = make_path(answers=SITE_LARGE)
    path_rename(path=path, name="Mine; yours, \\ theirs <b>")
    text = calendar(path)
    lines = unfold(text)
    assert "X-WR-CALNAME:Learning path: Mine\\; yours\\, \\\\ theirs <b>" in lines
    assert events(text)[0]["SUMMARY"] == "Step 1 of 3: Web\\, Protocol\\; \\\\ and\\nmore"


def test_an_empty_or_finished_path_has_no_events(small_catalog):
    path = make_path(answers={"goal": ["tools"]}, known=["basics", "scripting"])
    assert events(calendar(path)) == []
    assert unfold(calendar(path))[-1] == "END:VCALENDAR"


# The view -------------------------------------------------------------------------------------


def test_the_calendar_view(small_catalog):
    path = make_path(answers=SITE_LARGE, hours_per_week=4)
    progress_set(learner_id=path.learner_id, technology_slug="web", status="done")
    before = timezone.localdate()  # the server takes "today" during the request
    response = Client().get(f"/paths/{path.token}.ics")  # anyone with the link
    after = timezone.localdate()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="learning-path-{path.token[:8]}.ics"'
    )
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    found = events(text)
    assert [event["SUMMARY"] for event in found] == [
        "Step 2 of 3: Web Framework",
        "Step 3 of 3: Scripting Kit",
    ]
    first = {day + timedelta(days=n) for day in (before, after) for n in range(7)}
    assert found[0]["DTSTART"][:8] in {day.strftime("%Y%m%d") for day in first}
    assert found[0]["URL"] == f"http://testserver/paths/{path.token}/"
    assert Client().get("/paths/" + "x" * 32 + ".ics").status_code == 404


def test_the_path_page_says_when_the_sessions_are(client, small_catalog):
    path = make_path(answers=SITE_LARGE, hours_per_week=5)
    html = Client().get(path.get_absolute_url()).content.decode()
    assert "weekly study sessions" in html
    assert "5 hours a week: Monday, Wednesday and Friday, 1 h 40 min from 19:00." in html
