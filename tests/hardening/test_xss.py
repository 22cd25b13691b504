"""Stored XSS: hostile text in every catalog field, path name and account name is inert
everywhere it is shown: pages and their HTMX fragments, the inline SVG diagrams, the Markdown
export, the JSON API and the admin.

"Inert" is checked on the parsed HTML rather than by searching for one string: no element or
attribute that the hostile text tried to create exists, no script runs inline, no link goes
to `javascript:`, and the hostile text does show, escaped (so the field really was rendered).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client

from paths.models import LearningPath
from paths.services import learner_create, note_set
from tests.factories import act_as, make_document, make_path

pytestmark = pytest.mark.django_db

PROBE = "xss-probe"
PAYLOAD = (
    f"<script>alert(1)</script><img src=x onerror=alert(2)><{PROBE}>\"'&"
    f'<svg onload=alert(3)><a href="javascript:alert(4)">x</a>'
)
ESCAPED_PROBE = f"&lt;{PROBE}&gt;"


def hostile(label: str) -> str:
    return f"{label} {PAYLOAD}"


def hostile_document() -> dict:
    """The small catalog with the payload in every free-text field the schema has."""
    document = make_document()
    for category in document["categories"]:
        category.update(name=hostile("Cat"), summary=hostile("Sum"))
        category["name"] = category["name"][:200]
    for technology in document["technologies"]:
        technology.update(
            name=hostile(technology["name"]),
            summary=hostile("Summary"),
            highlights=[hostile("Highlight")],
            checkpoints=[hostile("Checkpoint")],
            resources=[
                {"title": hostile("Resource"), "url": "https://example.org/r", "kind": "docs"}
            ],
        )
        for prerequisite in technology["prerequisites"]:
            prerequisite["why"] = hostile("Why")
    for project in document["projects"]:
        project.update(title=hostile("Project"), brief=hostile("Brief"))
    for question in document["questions"]:
        question.update(prompt=hostile("Prompt"), help=hostile("Help"))
        for choice in question["choices"]:
            choice["label"] = hostile("Label")
            for recommendation in choice["recommends"]:
                recommendation["because"] = hostile("Because")
    return document


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script: tuple[str, dict] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == PROBE:
            self.problems.append(f"<{PROBE}> became an element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler attribute")
            if name in {"href", "src", "action", "formaction", "xlink:href"} and (
                (value or "").strip().lower().startswith(("javascript:", "data:text"))
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._script = (tag, named)

    def handle_data(self, data: str) -> None:
        if self._script is not None and data.strip():
            _, attrs = self._script
            if attrs.get("type") != "application/json":
                self.problems.append(f"inline script: {data[:60]!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def assert_inert(html: str, where: str, *, shown: bool = True) -> None:
    """No element, attribute or script came from the payload; its text is there, escaped."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    assert parser.problems == [], f"{where}: {parser.problems}"
    if shown:
        assert ESCAPED_PROBE in html, f"{where}: the hostile text is not on the page"


def get_html(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.content.decode()


@pytest.fixture
def hostile_catalog(load_document):
    document = hostile_document()
    load_document(document)
    return document


LARGE = {"goal": ["site", "tools"], "size": ["large"]}  # steps, a project, a known technology
SMALL = {"goal": ["site"], "size": ["small"]}  # "considered, not recommended" with reasons


@pytest.fixture
def hostile_path(hostile_catalog):
    """A path over the hostile catalog: steps, reasons, a project and the path's name."""
    return make_path(learner=learner_create(), answers=LARGE)


CATALOG_PAGES = [
    "/",
    "/catalog/",
    "/catalog/alpha/",
    "/catalog/beta/",
    *(f"/technologies/{slug}/" for slug in ("basics", "web", "webfw", "microfw", "scripting")),
    "/search/?q=web",
    "/search/?q=summary",
    "/catalog/?q=highlight",
    "/catalog/?kind=framework",
]


@pytest.mark.parametrize("url", CATALOG_PAGES)
def test_catalog_pages_escape_every_catalog_field(client, hostile_catalog, url):
    assert_inert(get_html(client, url), url)


@pytest.mark.parametrize("url", ["/catalog/?q=web", "/search/?q=web", "/catalog/?kind=framework"])
def test_live_search_fragments_escape_too(client, hostile_catalog, url):
    assert_inert(get_html(client, url, HTTP_HX_REQUEST="true"), url + " (htmx)")


def test_the_technology_diagram_svg_escapes_names(client, hostile_catalog):
    html = get_html(client, "/technologies/webfw/")
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg, "no diagram on the technology page"
    assert_inert(svg.group(0), "technology diagram")


@pytest.mark.parametrize(
    "query",
    [PAYLOAD, "kind=" + PAYLOAD, "level=" + PAYLOAD],
    ids=["q", "kind", "level"],
)
def test_reflected_search_input_is_escaped(client, hostile_catalog, query):
    for url in ("/catalog/", "/search/"):
        params = dict([query.split("=", 1)]) if "=" in query[:6] else {"q": query}
        response = client.get(url, params)
        assert response.status_code == 200
        assert_inert(response.content.decode(), url, shown=False)
        assert f"<{PROBE}>" not in response.content.decode()


def test_questionnaire_screens_escape_prompts_help_and_labels(client, hostile_catalog):
    html = get_html(client, "/advisor/")
    assert_inert(html, "/advisor/")
    assert "Label" in html and "Prompt" in html and "Help" in html
    assert_inert(get_html(client, "/advisor/", HTTP_HX_REQUEST="true"), "/advisor/ (htmx)")
    client.post("/advisor/", {"answer": ["site", "tools"]})
    assert_inert(get_html(client, "/advisor/q/size/"), "/advisor/q/size/")
    client.post("/advisor/q/size/", {"answer": "small"})
    # The known screen lists technology names.
    assert_inert(get_html(client, "/advisor/known/"), "/advisor/known/")
    response = client.post("/advisor/hours/", {"hours_per_week": PAYLOAD})
    assert response.status_code == 200
    assert_inert(response.content.decode(), "/advisor/hours/ with hostile hours", shown=False)
    assert f"<{PROBE}>" not in response.content.decode()


@pytest.mark.parametrize("who", ["owner", "reader"])
def test_the_path_page_and_its_roadmap_svg_escape_everything(client, hostile_path, who):
    if who == "owner":
        act_as(client, hostile_path.learner)
    html = get_html(client, hostile_path.get_absolute_url())
    assert_inert(html, f"path page ({who})")
    for text in ("Because", "Checkpoint", "Project", "Brief", "Resource", "Label", "Why"):
        assert f"{text} &lt;script&gt;" in html, text
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert_inert(svg, "roadmap SVG")


def test_considered_not_recommended_is_escaped(client, hostile_catalog):
    path = make_path(learner=learner_create(), answers=SMALL)
    html = get_html(client, path.get_absolute_url())
    assert "Considered, not recommended" in html and "Because &lt;script&gt;" in html
    assert_inert(html, "path page, considered")


def test_the_progress_fragment_escapes_everything(client, hostile_path):
    act_as(client, hostile_path.learner)
    response = client.post(
        f"/paths/{hostile_path.token}/progress/webfw/", {"status": "doing"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert_inert(response.content.decode(), "progress fragment")


def test_a_hostile_path_name_is_escaped_on_the_page(client, hostile_path):
    LearningPath.objects.filter(pk=hostile_path.pk).update(name=hostile("Name"))
    assert_inert(get_html(client, hostile_path.get_absolute_url()), "path page with hostile name")


def test_the_markdown_export_carries_no_live_html(client, hostile_path):
    response = client.get(f"/paths/{hostile_path.token}.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    text = response.content.decode()
    for label in ("Because", "Checkpoint", "Project", "Brief", "Resource", "Why"):
        assert label in text, label
    # CommonMark passes raw HTML through, so no tag may survive unescaped.
    assert not re.search(r"(?<!\\)<(?!https?://)[a-zA-Z/!?]", text), re.findall(
        r".{20}<.{20}", text
    )
    for target in re.findall(r"\]\(([^)]*)\)", text):
        assert target.startswith(("https://", "http://")), target


def test_the_json_api_is_json_not_html(client, hostile_catalog):
    response = client.get("/api/catalog")
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    # Data, returned as it is, never as markup.
    assert response.json()["categories"][0]["name"] == hostile("Cat")


def test_only_web_addresses_become_links_on_the_path_page_and_in_markdown(client, load_document):
    document = make_document()
    document["technologies"][2]["resources"] = [
        {"title": "Sneaky", "url": "javascript:alert(document.cookie)", "kind": "docs"}
    ]
    load_document(document)
    path = make_path(learner=learner_create(), answers={"goal": ["site"], "size": ["large"]})
    html = get_html(client, path.get_absolute_url())
    assert "Sneaky" in html
    assert_inert(html, "path page", shown=False)
    markdown = client.get(f"/paths/{path.token}.md").content.decode()
    assert "javascript:" not in markdown


# ------------------------------------------------------------- path names and private notes


@pytest.fixture
def owned_path(client, hostile_path):
    """The hostile path with a hostile name and note, and the client as its owner."""
    LearningPath.objects.filter(pk=hostile_path.pk).update(name=hostile("Name"))
    note_set(
        learner_id=hostile_path.learner_id,
        technology_slug="web",
        text=hostile("Note") + "\nsecond line",
        expected_version=0,
    )
    act_as(client, hostile_path.learner)
    hostile_path.refresh_from_db()
    return hostile_path


@pytest.mark.parametrize(
    "suffix", ["", "{token}/", "{token}/rename/", "{token}/delete/", "{token}/notes/web/"]
)
def test_owner_pages_escape_the_path_name_and_notes(client, owned_path, suffix):
    url = "/paths/" + suffix.format(token=owned_path.token)
    html = get_html(client, url)
    assert_inert(html, url)
    assert "Name &lt;script&gt;" in html, url
    if "notes" in url or url == owned_path.get_absolute_url():
        assert "Note &lt;script&gt;" in html, url


def test_note_fragments_escape_saved_and_refused_text(client, owned_path):
    url = f"/paths/{owned_path.token}/notes/webfw/"
    saved = client.post(url, {"text": hostile("Fresh"), "version": "0"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert_inert(saved.content.decode(), "saved note fragment")
    too_long = hostile("Long") * 40
    refused = client.post(url, {"text": too_long, "version": "1"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200
    assert_inert(refused.content.decode(), "refused note fragment")
    conflict = client.post(url, {"text": hostile("Stale"), "version": "0"})
    assert_inert(conflict.content.decode(), "note conflict page")


def test_renaming_reflects_the_name_escaped(client, owned_path):
    url = f"/paths/{owned_path.token}/rename/"
    refused = client.post(url, {"name": hostile("Too long") * 10})
    assert refused.status_code == 200
    assert_inert(refused.content.decode(), "rename refused")
    renamed = client.post(url, {"name": hostile("Renamed")}, follow=True)
    assert renamed.status_code == 200
    assert_inert(renamed.content.decode(), "after rename (message)")


def test_the_path_name_in_markdown_carries_no_live_html(client, owned_path):
    text = client.get(f"/paths/{owned_path.token}.md").content.decode()
    assert "Name" in text
    assert not re.search(r"(?<!\\)<(?!https?://)[a-zA-Z/!?]", text)


def unfolded(calendar: str) -> list[str]:
    """The content lines of an iCalendar text (RFC 5545 §3.1: a leading space continues)."""
    assert "\n" not in calendar.replace("\r\n", "")
    lines: list[str] = []
    for line in calendar.split("\r\n"):
        if line.startswith(" ") and lines:
            lines[-1] += line[1:]
        elif line:
            lines.append(line)
    return lines


def test_the_calendar_cannot_be_injected_into(client, load_document):
    document = make_document()
    document["technologies"][1]["name"] = "Web\r\nBEGIN:VEVENT"
    document["technologies"][2]["checkpoints"] = ["Fine;\nSUMMARY:injected,\\ too"]
    load_document(document)
    path = make_path(learner=learner_create(), answers={"goal": ["site"], "size": ["large"]})
    LearningPath.objects.filter(pk=path.pk).update(
        name="Mine\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\nX-EVIL:1"
    )
    response = client.get(f"/paths/{path.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["X-Content-Type-Options"] == "nosniff"
    lines = unfolded(response.content.decode())
    for line in lines:
        assert re.match(r"[A-Z][A-Z0-9-]*[;:]", line), line
    names = [re.match(r"[A-Z][A-Z0-9-]*", line).group(0) for line in lines]
    assert names.count("BEGIN") == names.count("END") == 1 + len(path.snapshot["steps"])
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "X-EVIL" not in names
    assert not any(line.startswith("SUMMARY:injected") for line in lines)


# ----------------------------------------------------------------------- account names


@pytest.fixture
def hostile_member(django_user_model):
    # The sign-up form refuses such a name; one made in the shell or by SSO must still be inert.
    return django_user_model.objects.create_user(hostile("user")[:150], "h@example.org", "pw")


@pytest.mark.parametrize("url", ["/", "/catalog/", "/advisor/", "/accounts/password_change/"])
def test_a_hostile_account_name_is_escaped_in_the_layout(
    client, hostile_catalog, hostile_member, url
):
    client.force_login(hostile_member)
    assert_inert(get_html(client, url), f"{url} as a hostile user")


# ------------------------------------------------------------------------------- admin


@pytest.fixture
def curator(client, django_user_model, hostile_catalog, hostile_path, hostile_member):
    user = django_user_model.objects.create_superuser("curator", "c@example.org", "pw-curator-1")
    client.force_login(user)
    LearningPath.objects.filter(pk=hostile_path.pk).update(name=hostile("Name"))
    note_set(
        learner_id=hostile_path.learner_id,
        technology_slug="web",
        text=hostile("Note"),
        expected_version=0,
    )
    return client


def admin_pages() -> list[str]:
    """The index, and for every registered model its list, a search and its first object."""
    from django.contrib import admin

    root = "/" + settings.ADMIN_URL
    pages = [root]
    for model in admin.site._registry:
        base = f"{root}{model._meta.app_label}/{model._meta.model_name}/"
        pages += [base, f"{base}?q=%3Cxss-probe%3E"]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(f"{base}{first.pk}/change/")
    return pages


def test_the_admin_escapes_every_field(curator):
    pages = admin_pages()
    assert len(pages) > 30
    for page in pages:
        response = curator.get(page)
        assert response.status_code == 200, page
        assert_inert(response.content.decode(), page, shown=False)
    changelist = curator.get(f"/{settings.ADMIN_URL}catalog/technology/").content.decode()
    assert ESCAPED_PROBE in changelist
