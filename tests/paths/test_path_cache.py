"""The saved path page is rendered once per state: every change shows on the next request, and
a reader never gets the owner's copy."""

from __future__ import annotations

import pytest
from django.test import Client

from paths.services import learner_create, note_set, path_rename, progress_set
from tests.factories import act_as, make_path

SITE_LARGE = {"goal": ["site", "tools"], "size": ["large"]}


@pytest.fixture
def owner(client, small_catalog):
    learner = learner_create()
    act_as(client, learner)
    return make_path(learner=learner, answers=SITE_LARGE, hours_per_week=4)


def status_words(html: str, slug: str) -> str:
    start = html.index(f'id="step-{slug}"')
    return html[start : start + 4000]


def test_a_progress_change_shows_at_once_to_owner_and_reader(client, owner):
    reader = Client()
    url = owner.get_absolute_url()
    client.get(url), reader.get(url)  # both copies cached
    progress_set(learner_id=owner.learner_id, technology_slug="web", status="done")
    assert 'aria-pressed="true">Done' in status_words(client.get(url).content.decode(), "web")
    assert "Done" in status_words(reader.get(url).content.decode(), "web")


def test_a_reader_never_gets_the_owners_cached_page(client, owner):
    note_set(
        learner_id=owner.learner_id, technology_slug="web", text="private words", expected_version=0
    )
    url = owner.get_absolute_url()
    owner_html = client.get(url).content.decode()
    assert "private words" in owner_html and 'name="status"' in owner_html
    reader_html = Client().get(url).content.decode()
    assert "private words" not in reader_html
    assert 'name="status"' not in reader_html


def test_a_note_and_a_rename_show_on_the_next_request(client, owner):
    url = owner.get_absolute_url()
    client.get(url)
    note_set(
        learner_id=owner.learner_id, technology_slug="web", text="fresh note", expected_version=0
    )
    assert "fresh note" in client.get(url).content.decode()
    path_rename(path=owner, name="My renamed path")
    assert "My renamed path" in client.get(url).content.decode()


def test_two_owners_tabs_each_get_a_working_csrf_token(owner, client):
    other_tab = Client(enforce_csrf_checks=True)
    act_as(other_tab, owner.learner)
    url = owner.get_absolute_url()
    client.get(url)
    html = other_tab.get(url).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = other_tab.post(
        f"/paths/{owner.token}/progress/web/", {"status": "doing", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_a_cached_page_keeps_a_notes_line_breaks_indentation_and_brackets(client, owner):
    text = "First line\n    indented <b>not bold</b>\n\n  > quoted"
    note_set(learner_id=owner.learner_id, technology_slug="web", text=text, expected_version=0)
    url = owner.get_absolute_url()
    client.get(url)
    html = client.get(url).content.decode()  # served from the cache, indentation removed
    escaped = "First line\n    indented &lt;b&gt;not bold&lt;/b&gt;\n\n  &gt; quoted"
    assert f'<p class="note-text">{escaped}</p>' in html
    assert f">{escaped}</textarea>" in html
    # The templates' own indentation is gone.
    assert "\n        <li" not in html
