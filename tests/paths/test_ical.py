"""The calendar export (paths/ical.py, paths/schedule.py): RFC 5545 text rules, one all-day
event per step still to learn, spaced at the learner's pace from today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from paths.ical import escape_text, fold, path_calendar
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
    assert [(item.step["technology"], item.start, item.days) for item in plan] == [
        ("web", TODAY, 18),
        ("webfw", TODAY + timedelta(days=18), 53),
        ("scripting", TODAY + timedelta(days=71), 9),
    ]
    assert finish_date(path.snapshot, {}, today=TODAY) == TODAY + timedelta(days=79)
    statuses = {"web": "done", "scripting": "skipped", "webfw": "doing"}
    [only] = schedule(path.snapshot, statuses, today=TODAY)
    assert (only.step["technology"], only.start, only.number) == ("webfw", TODAY, 2)
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
    assert [(e["DTSTART;VALUE=DATE"], e["DTEND;VALUE=DATE"]) for e in found] == [
        ("20250106", "20250124"),
        ("20250124", "20250318"),
        ("20250318", "20250327"),
    ]
    assert {event["DTSTAMP"] for event in found} == {"20250106T093000Z"}
    uids = [event["UID"] for event in found]
    assert len(set(uids)) == 3 and all(uid.endswith("@backend-path") for uid in uids)
    assert all(path.token not in uid for uid in uids)  # the link's secret stays out
    assert uids == [event["UID"] for event in events(calendar(path, today=date(2026, 5, 1)))]
    assert all(event["URL"] == "https://example.org/paths/abc/" for event in found)


def test_each_event_describes_its_step(small_catalog):
    path = make_path(answers=SITE_LARGE, hours_per_week=4)
    webfw = events(calendar(path))[1]["DESCRIPTION"]
    assert webfw.startswith("Why: Sites need it.\\nEffort: 30 hours\\, about 53 days at 4 hours")
    assert "\\nReady to move on when you can:\\n- Use webfw in a small program." in webfw
    assert "\\nLearn from:\\n- Official tutorial (tutorial): https://example.org/t" in webfw
    assert webfw.endswith("\\nYour path: https://example.org/paths/abc/")


def test_progress_moves_the_events(small_catalog):
    path = make_path(answers=SITE_LARGE, hours_per_week=4)
    found = events(calendar(path, {"web": "done", "scripting": "doing"}))
    assert [(e["SUMMARY"], e["DTSTART;VALUE=DATE"]) for e in found] == [
        ("Step 2 of 3: Web Framework", "20250106"),
        ("Step 3 of 3: Scripting Kit", "20250228"),
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
    assert found[0]["DTSTART;VALUE=DATE"] in {day.strftime("%Y%m%d") for day in (before, after)}
    assert found[0]["URL"] == f"http://testserver/paths/{path.token}/"
    assert Client().get("/paths/" + "x" * 32 + ".ics").status_code == 404
