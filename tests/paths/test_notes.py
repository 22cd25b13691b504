"""A private note per step: saved with htmx and without, escaped, length-limited, shown only to
the path's owner, on every path with that step, and never lost between two tabs."""

from __future__ import annotations

import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from catalog.generator import generate_document
from paths.models import Note
from paths.services import NoteConflict, learner_create, note_set
from tests.factories import act_as, first_choice_answers, make_document, make_path

HTMX = {"HTTP_HX_REQUEST": "true"}
SITE_LARGE = {"goal": ["site", "tools"], "size": ["large"]}
HOSTILE = "<script>alert('x')</script> & \"quotes\"\nsecond line"
HOSTILE_ESCAPED = (
    "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quotes&quot;\nsecond line"
)


def body(response) -> str:
    return response.content.decode()


def note_url(path, slug: str) -> str:
    return f"/paths/{path.token}/notes/{slug}/"


@pytest.fixture
def owner(client, small_catalog):
    learner = learner_create()
    act_as(client, learner)
    return make_path(learner=learner, answers=SITE_LARGE, hours_per_week=4)


def notes(path) -> dict:
    return Note.objects.texts(path.learner_id)


# note_set ---------------------------------------------------------------------------------------


def test_note_set_counts_versions_and_refuses_a_stale_one(db):
    learner = learner_create()
    first = note_set(learner_id=learner.pk, technology_slug="web", text="a", expected_version=0)
    assert first.version == 1
    second = note_set(learner_id=learner.pk, technology_slug="web", text="b", expected_version=1)
    assert second.pk == first.pk and second.version == 2
    with pytest.raises(NoteConflict) as conflict:
        note_set(learner_id=learner.pk, technology_slug="web", text="c", expected_version=1)
    assert (conflict.value.text, conflict.value.version) == ("b", 2)
    with pytest.raises(NoteConflict):  # a "new" note where one exists
        note_set(learner_id=learner.pk, technology_slug="web", text="d", expected_version=0)
    assert Note.objects.texts(learner.pk) == {"web": ("b", 2)}


def test_note_set_refuses_a_long_text(db):
    learner = learner_create()
    note_set(learner_id=learner.pk, technology_slug="web", text="x" * 2000, expected_version=0)
    with pytest.raises(ValidationError):
        note_set(learner_id=learner.pk, technology_slug="web", text="x" * 2001, expected_version=1)
    assert Note.objects.get().text == "x" * 2000


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_one_note_at_the_same_moment():
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need PostgreSQL (or a file database)")
    learner = learner_create()
    texts = [f"tab {n}" for n in range(6)]
    barrier = threading.Barrier(len(texts))
    saved, conflicts, errors = [], [], []

    def save(text: str) -> None:
        try:
            barrier.wait()
            note_set(learner_id=learner.pk, technology_slug="web", text=text, expected_version=0)
            saved.append(text)
        except NoteConflict as conflict:
            conflicts.append(conflict.text)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One tab wins; every other tab is told, with the winner's text, and writes nothing.
    assert errors == [] and len(saved) == 1
    assert conflicts == saved * (len(texts) - 1)
    assert Note.objects.texts(learner.pk) == {"web": (saved[0], 1)}


def test_an_emptied_note_is_deleted(db):
    learner = learner_create()
    note_set(learner_id=learner.pk, technology_slug="web", text="a", expected_version=0)
    assert (
        note_set(learner_id=learner.pk, technology_slug="web", text="", expected_version=1) is None
    )
    assert Note.objects.texts(learner.pk) == {} and not Note.objects.exists()
    assert Note.objects.texts(None) == {}
    with pytest.raises(NoteConflict):  # a tab that still had version 1 open
        note_set(learner_id=learner.pk, technology_slug="web", text="b", expected_version=1)
    note_set(learner_id=learner.pk, technology_slug="web", text="c", expected_version=0)
    assert Note.objects.texts(learner.pk) == {"web": ("c", 1)}


# The views ------------------------------------------------------------------------------------


def test_the_owner_has_a_note_form_per_step(client, owner):
    html = body(client.get(owner.get_absolute_url()))
    for slug in ("web", "scripting", "webfw"):
        assert f'action="{note_url(owner, slug)}"' in html
        assert f'hx-target="#step-{slug}-note"' in html
    assert html.count("Add a private note") == 3
    assert 'maxlength="2000"' in html


def test_saving_without_javascript(client, owner):
    response = client.post(note_url(owner, "web"), {"text": "  Read chapter 2.  ", "version": 0})
    assert response.status_code == 302
    assert response["Location"] == f"{owner.get_absolute_url()}#step-web"
    assert notes(owner) == {"web": ("Read chapter 2.", 1)}
    html = body(client.get(owner.get_absolute_url()))
    assert "Your note is saved." in html
    assert '<p class="note-text">Read chapter 2.</p>' in html
    assert "Edit your note" in html and html.count("Add a private note") == 2
    assert 'name="version" value="1"' in html


def test_clearing_a_note(client, owner):
    client.post(note_url(owner, "web"), {"text": "Soon gone", "version": 0})
    response = client.post(note_url(owner, "web"), {"text": "  ", "version": 1}, **HTMX)
    html = body(response)
    assert "Soon gone" not in html and "Add a private note" in html
    assert 'name="version" value="0"' in html
    assert not Note.objects.exists()


def test_the_note_page_works_without_javascript(client, owner):
    response = client.get(note_url(owner, "webfw"))
    assert response.status_code == 200
    html = body(response)
    assert "<h1>Your note on Web Framework</h1>" in html
    assert '<details class="note-editor" open>' in html
    assert f'action="{note_url(owner, "webfw")}"' in html


def test_saving_with_htmx_swaps_the_note_block(client, owner):
    response = client.post(
        note_url(owner, "web"), {"text": "Line one\r\nLine two", "version": 0}, **HTMX
    )
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    html = body(response)
    assert html.lstrip().startswith('<div id="step-web-note" class="step-note">')
    assert "<html" not in html
    assert '<p class="note-text">Line one\nLine two</p>' in html
    assert "<summary data-focus-after-swap>Edit your note</summary>" in html
    assert '<p class="note-status" role="status">Note saved.</p>' in html
    assert 'name="version" value="1"' in html
    assert notes(owner) == {"web": ("Line one\nLine two", 1)}


@pytest.mark.parametrize("htmx", [False, True])
def test_notes_are_escaped_everywhere(client, owner, htmx):
    response = client.post(
        note_url(owner, "web"), {"text": HOSTILE, "version": 0}, **(HTMX if htmx else {})
    )
    pages = [body(client.get(owner.get_absolute_url())), body(client.get(note_url(owner, "web")))]
    if htmx:
        pages.append(body(response))
    for html in pages:
        assert "<script>alert" not in html
        assert f'<p class="note-text">{HOSTILE_ESCAPED}</p>' in html
        assert f">{HOSTILE_ESCAPED}</textarea>" in html


@pytest.mark.parametrize("htmx", [False, True])
def test_a_long_note_is_refused_and_kept_in_the_box(client, owner, htmx):
    text = "y" * 2001
    response = client.post(
        note_url(owner, "web"), {"text": text, "version": 0}, **(HTMX if htmx else {})
    )
    assert response.status_code == 200
    html = body(response)
    assert "Keep the note to 2,000 characters; it has 2,001." in html
    assert f">{text}</textarea>" in html
    assert 'aria-describedby="step-web-note-help step-web-note-error"' in html
    assert '<details class="note-editor" open>' in html
    assert not Note.objects.exists()


def test_line_breaks_count_as_one_character(client, owner):
    text = "ab\r\n" * 666 + "ab"  # 2,000 characters once CRLF is LF, 2,666 before
    assert client.post(note_url(owner, "web"), {"text": text, "version": 0}).status_code == 302
    assert len(Note.objects.get().text) == 2000


@pytest.mark.parametrize("htmx", [False, True])
def test_two_tabs_editing_one_note_lose_nothing(client, owner, htmx):
    second_tab = Client()
    act_as(second_tab, owner.learner)
    headers = HTMX if htmx else {}
    # Both tabs opened the page before either saved: both send version 0.
    client.post(note_url(owner, "web"), {"text": "From the first tab", "version": 0}, **headers)
    response = second_tab.post(
        note_url(owner, "web"), {"text": "From the second tab", "version": 0}, **headers
    )
    assert response.status_code == 200
    html = body(response)
    assert "This note was changed in another tab or on another device" in html
    assert '<p class="note-text">From the first tab</p>' in html  # what is saved
    assert ">From the second tab</textarea>" in html  # what they typed, still there
    assert 'name="version" value="1"' in html
    assert notes(owner) == {"web": ("From the first tab", 1)}
    # Saving again replaces it knowingly.
    second_tab.post(note_url(owner, "web"), {"text": "From the second tab", "version": 1})
    assert notes(owner) == {"web": ("From the second tab", 2)}


def test_a_note_shows_on_every_path_with_the_step(client, owner):
    other = make_path(learner=owner.learner, answers={"goal": ["site"], "size": ["small"]})
    client.post(note_url(owner, "web"), {"text": "Shared note", "version": 0})
    html = body(client.get(other.get_absolute_url()))
    web = html[html.index('id="step-web"') :]
    assert "Shared note" in web[: web.index("</article>")]


@pytest.mark.parametrize(
    ("slug", "data", "status"),
    [
        ("microfw", {"text": "x", "version": 0}, 404),  # not on this path
        ("nope", {"text": "x", "version": 0}, 404),
    ],
)
def test_bad_note_posts(client, owner, slug, data, status):
    assert client.post(note_url(owner, slug), data).status_code == status
    assert not Note.objects.exists()


def test_a_note_without_a_version_is_refused(client, owner):
    response = client.post(note_url(owner, "web"), {"text": "x"})
    assert response.status_code == 200 and "Reload the page." in body(response)
    assert not Note.objects.exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_others_can_neither_read_nor_write_notes(client, owner, htmx):
    note_set(learner_id=owner.learner_id, technology_slug="web", text="Mine", expected_version=0)
    stranger = Client()
    act_as(stranger, learner_create())
    for other in (stranger, Client()):
        assert other.get(note_url(owner, "web")).status_code == 403
        response = other.post(
            note_url(owner, "web"), {"text": "Theirs", "version": 1}, **(HTMX if htmx else {})
        )
        assert response.status_code == 403
    assert notes(owner) == {"web": ("Mine", 1)}


def test_notes_need_a_csrf_token(owner):
    strict = Client(enforce_csrf_checks=True)
    act_as(strict, owner.learner)
    assert strict.post(note_url(owner, "web"), {"text": "x", "version": 0}).status_code == 403
    assert not Note.objects.exists()


@pytest.mark.parametrize("size", ["small", 1000])
def test_query_budget(client, load_document, django_assert_max_num_queries, size):
    document = make_document() if size == "small" else generate_document(size)
    load_document(document)
    learner = learner_create()
    act_as(client, learner)
    path = make_path(learner=learner, answers=first_choice_answers(document))
    slug = path.snapshot["steps"][-1]["technology"]
    with django_assert_max_num_queries(3):
        assert client.get(note_url(path, slug)).status_code == 200
    # Session, path, the note before, a locked select, the write (and savepoints), the note after.
    with django_assert_max_num_queries(10):
        response = client.post(note_url(path, slug), {"text": "x", "version": 0}, **HTMX)
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        response = client.post(note_url(path, slug), {"text": "y", "version": 1})
    assert response.status_code == 302
    assert re.search(r"#step-", response["Location"])
