"""Fuzzing with Hypothesis: whatever a client sends, no 5xx, no traceback, nothing half-written.

Targets: every questionnaire screen's POST (and a tampered session), POST /api/plan, the
progress, note and rename posts (owner, stranger, visitor), the account forms, the catalog's
search and filter query strings and htmx headers, and the YAML loader (any text, any YAML
data, mutated catalogs, and `load_catalog` on the database).

FUZZ_EXAMPLES sets the examples per target: a modest default keeps `make test` quick, and
`make fuzz` runs this file with 5000.
"""

from __future__ import annotations

import io
import json
import os
import string
from urllib.parse import quote

import pytest
import yaml
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.schema_errors import CatalogInvalid, SchemaError
from catalog.selectors import build_document
from catalog.validation import parse_catalog
from catalog.versioning import current_version
from catalog.yaml_writer import dump_catalog
from paths import questionnaire
from paths.models import Learner, LearningPath, Note, Progress, ProgressStatus
from paths.services import learner_create
from tests.factories import act_as, make_document, make_path

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
# Function-scoped fixtures (client, db) are shared by the examples of one test on purpose:
# each example starts the client afresh and compares the database before and after itself.
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
# Loads write the database, so they get a share of the examples rather than all of them.
FUZZ_WRITES = settings(FUZZ, max_examples=max(10, FUZZ_EXAMPLES // 3))

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
DOCUMENT = make_document()
QUESTION_SLUGS = [question["slug"] for question in DOCUMENT["questions"]]
CHOICE_SLUGS = [
    choice["slug"] for question in DOCUMENT["questions"] for choice in question["choices"]
]
TECHNOLOGY_SLUGS = [technology["slug"] for technology in DOCUMENT["technologies"]]

# ------------------------------------------------------------------------------ strategies

# Text with the characters that break naive code: NUL, controls, quotes, markup, RTL marks.
nasty_text = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from(["\x00", "\r", "\n", "<", ">", "&", "'", '"', "%", "\u202e", "\ufeff"]),
    max_size=40,
)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | nasty_text
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(nasty_text, children, max_size=4)
    ),
    max_leaves=12,
)
slug_like = st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
form_values = st.lists(
    st.sampled_from(CHOICE_SLUGS + TECHNOLOGY_SLUGS + ["", "0", "5", "80", "81", "-1", "1e3"])
    | nasty_text,
    max_size=5,
)
form_data = st.dictionaries(
    st.sampled_from(["answer", "known", "hours_per_week", "status", "csrfmiddlewaretoken"])
    | nasty_text.filter(bool),
    form_values,
    max_size=5,
)


def counts() -> tuple[int, int, int]:
    """Rows a learner's requests can write."""
    return Learner.objects.count(), LearningPath.objects.count(), Progress.objects.count()


def assert_clean(response) -> None:
    """No server error and nothing of our internals in the body."""
    assert response.status_code < 500, response.content[:500]
    assert b"Traceback" not in response.content
    assert b"Exception Value" not in response.content


def fresh(client: Client) -> Client:
    """The same client with no cookies: a new visitor.

    Examples reuse the test's client because building one loads the middleware again, and
    WhiteNoise's scan of the static files would cost more than the request.
    """
    client.cookies.clear()
    return client


def with_state(client: Client, state: object) -> Client:
    """The client as a new visitor whose session holds `state` as its questionnaire."""
    session = SessionStore()
    if state is not None:
        session[questionnaire.STATE_KEY] = state
    session.create()
    fresh(client).cookies["sessionid"] = session.session_key
    return client


ANSWERED = {"goal": ["site"], "size": ["large"]}
WELL_FORMED_STATES = [
    None,
    {"answers": {}, "known": None, "hours_per_week": None},
    {"answers": {"goal": ["site"]}, "known": None, "hours_per_week": None},
    {"answers": ANSWERED, "known": None, "hours_per_week": None},
    {"answers": ANSWERED, "known": ["basics"], "hours_per_week": 12},
]


STATES = st.sampled_from(WELL_FORMED_STATES) | st.dictionaries(
    st.sampled_from(["answers", "known", "hours_per_week"]) | nasty_text, json_values, max_size=3
)
SCREENS = [
    "/advisor/",
    "/advisor/q/goal/",
    "/advisor/q/size/",
    "/advisor/q/no-such-question/",
    "/advisor/known/",
    "/advisor/hours/",
    "/advisor/restart/",
]


# ------------------------------------------------------------------------- questionnaire


@FUZZ
@given(
    url=st.sampled_from(SCREENS),
    state=STATES,
    data=form_data,
    htmx=st.booleans(),
)
def test_questionnaire_posts(client, small_catalog, url, state, data, htmx):
    with_state(client, state)
    before_rows = counts()
    before_state = client.session.get(questionnaire.STATE_KEY)
    response = client.post(url, data, **(HTMX if htmx else {}))
    assert_clean(response)
    assert response.status_code in (200, 302), response.status_code
    learners, paths, progress = counts()
    if url == "/advisor/hours/" and (paths, progress) == (before_rows[1] + 1, before_rows[2]):
        # "Show my path": one new path, and a learner only when the session had none.
        assert response.status_code == 302 or "HX-Redirect" in response
        assert learners in (before_rows[0], before_rows[0] + 1)
    else:
        assert (learners, paths, progress) == before_rows
    moved_on = "HX-Push-Url" in response or "HX-Redirect" in response
    if response.status_code == 200 and not moved_on and state in WELL_FORMED_STATES:
        # The screen came back with an error: the stored answers are exactly as they were.
        assert client.session.get(questionnaire.STATE_KEY) == before_state


@FUZZ
@given(
    url=st.sampled_from(SCREENS),
    state=STATES,
    body=st.binary(max_size=300),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=BoUnDaRy",
            "multipart/form-data",
            "application/json",
            "text/plain; charset=utf-16",
            "application/x-www-form-urlencoded; charset=no-such-charset",
        ]
    ),
)
def test_questionnaire_raw_bodies(client, small_catalog, url, state, body, content_type):
    with_state(client, state)
    before = counts()
    # generic() sends the bytes as they are; post() would re-encode them for the charset.
    response = client.generic("POST", url, body, content_type=content_type)
    assert_clean(response)
    if url != "/advisor/hours/":
        assert counts() == before


@FUZZ
@given(url=st.sampled_from(SCREENS[:-1]), state=STATES, htmx=st.booleans())
def test_questionnaire_pages_survive_a_tampered_session(client, small_catalog, url, state, htmx):
    response = with_state(client, state).get(url, **(HTMX if htmx else {}))
    assert_clean(response)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("known", [[["basics"]], [{"slug": "basics"}]])
def test_a_session_whose_known_list_holds_unhashable_items_is_no_500(client, small_catalog, known):
    with_state(client, {"answers": ANSWERED, "known": known, "hours_per_week": 5})
    for url in ("/advisor/known/", "/advisor/hours/"):
        assert client.get(url).status_code == 200


# -------------------------------------------------------------------------------- the API

plan_bodies = st.fixed_dictionaries(
    {},
    optional={
        "answers": st.dictionaries(
            st.sampled_from(QUESTION_SLUGS) | nasty_text,
            st.lists(st.sampled_from(CHOICE_SLUGS) | nasty_text, max_size=4) | json_values,
            max_size=4,
        )
        | json_values,
        "known": st.lists(st.sampled_from(TECHNOLOGY_SLUGS) | nasty_text, max_size=5) | json_values,
        "hours_per_week": st.integers(min_value=-5, max_value=100) | json_values,
        "extra": json_values,
    },
)


def assert_plan_response(response) -> None:
    assert_clean(response)
    assert response.status_code in (200, 400), response.status_code
    assert response["Content-Type"] == "application/json"
    data = response.json()
    if response.status_code == 400:
        assert set(data) == {"errors"} and data["errors"]
        for field, messages in data["errors"].items():
            assert isinstance(field, str)
            assert messages and all(isinstance(message, str) for message in messages)
    else:
        assert set(data) == {"steps", "projects", "considered", "total_hours", "weeks"}
        assert all(isinstance(step["technology"], str) for step in data["steps"])
        assert data["weeks"] >= 0 and data["total_hours"] >= 0
    assert "sessionid" not in response.cookies  # stateless: no session is started


@FUZZ
@given(payload=plan_bodies | json_values)
def test_api_plan_json(client, small_catalog, payload):
    before = counts(), Session.objects.count()
    body = json.dumps(payload)  # NaN and Infinity become JSON's non-standard literals
    response = fresh(client).post("/api/plan", body, content_type="application/json")
    assert_plan_response(response)
    assert (counts(), Session.objects.count()) == before


@FUZZ
@given(
    body=st.binary(max_size=400)
    | st.text(max_size=200).map(str.encode)
    | st.integers(1, 3000).map(lambda depth: b"[" * depth + b"]" * depth)
    | st.integers(1, 3000).map(lambda depth: b'{"a":' * depth + b"1" + b"}" * depth),
    content_type=st.sampled_from(
        ["application/json", "text/plain", "application/x-www-form-urlencoded", ""]
    ),
)
def test_api_plan_raw_bodies(client, small_catalog, body, content_type):
    before = counts()
    response = fresh(client).generic("POST", "/api/plan", body, content_type=content_type)
    assert_plan_response(response)
    assert counts() == before


# ------------------------------------------------------------------------------- progress


@pytest.fixture
def saved_path(small_catalog):
    learner = learner_create()
    return make_path(learner=learner, answers={"goal": ["site", "tools"], "size": ["large"]})


@FUZZ
@given(
    technology=st.sampled_from(TECHNOLOGY_SLUGS) | slug_like | nasty_text.filter(bool),
    data=st.fixed_dictionaries(
        {}, optional={"status": st.sampled_from(ProgressStatus.values) | nasty_text}
    )
    | form_data,
    who=st.sampled_from(["owner", "stranger", "anonymous"]),
    htmx=st.booleans(),
)
def test_progress_posts(client, saved_path, technology, data, who, htmx):
    fresh(client)
    if who == "owner":
        act_as(client, saved_path.learner)
    elif who == "stranger":
        act_as(client, learner_create())
    before = set(Progress.objects.values_list("learner_id", "technology_slug", "status"))
    url = f"/paths/{saved_path.token}/progress/{quote(technology, safe='')}/"
    response = client.post(url, data, **(HTMX if htmx else {}))
    assert_clean(response)
    after = set(Progress.objects.values_list("learner_id", "technology_slug", "status"))
    on_path = technology in {step["technology"] for step in saved_path.snapshot["steps"]}
    status = data.get("status")
    status = status[-1] if isinstance(status, list) and status else status
    if who == "owner" and on_path and status in ProgressStatus.values:
        assert response.status_code in (200, 302)
        changed = after - before
        assert changed <= {(saved_path.learner_id, technology, status)}
        assert (saved_path.learner_id, technology, status) in after
    else:
        assert response.status_code in (400, 403, 404)
        if who != "owner":
            assert response.status_code in (403, 404)
        assert after == before


def as_who(client: Client, path: LearningPath, who: str) -> Client:
    fresh(client)
    if who == "owner":
        act_as(client, path.learner)
    elif who == "stranger":
        act_as(client, learner_create())
    return client


long_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=2100) | (
    st.tuples(nasty_text, st.integers(0, 120)).map(lambda pair: pair[0] * pair[1])
)


@FUZZ
@given(
    technology=st.sampled_from(TECHNOLOGY_SLUGS) | slug_like,
    data=st.fixed_dictionaries(
        {},
        optional={
            "text": long_text,
            "version": st.sampled_from(["0", "1", "2", "-1", "", "1.5", "9" * 30]) | nasty_text,
        },
    ),
    who=st.sampled_from(["owner", "stranger", "anonymous"]),
    htmx=st.booleans(),
)
def test_note_posts(client, saved_path, technology, data, who, htmx):
    as_who(client, saved_path, who)
    rows = Note.objects.values_list("learner_id", "technology_slug", "text", "version")
    before = set(rows)
    url = f"/paths/{saved_path.token}/notes/{technology}/"
    response = client.post(url, data, **(HTMX if htmx else {}))
    assert_clean(response)
    after = set(rows.all())
    if who != "owner":
        assert response.status_code in (403, 404)
        assert after == before
        return
    assert response.status_code in (200, 302, 404)
    written, removed = after - before, before - after
    assert len(written) <= 1 and len(removed) <= 1
    previous = {(learner_id, slug): version for learner_id, slug, _, version in before}
    for learner_id, slug, text, version in written:
        # Only a whole, valid save: the owner's note on this step, one version on.
        assert (learner_id, slug) == (saved_path.learner_id, technology)
        assert len(text) <= Note.MAX_LENGTH and "\r" not in text and "\x00" not in text
        assert version == previous.get((learner_id, slug), 0) + 1
    replaced = {row[:2] for row in written}  # by its next version, checked above
    for learner_id, slug, _, version in removed:
        if (learner_id, slug) in replaced:
            continue
        # Gone: only the owner's note on this step, cleared from the version they had open.
        assert (learner_id, slug) == (saved_path.learner_id, technology)
        assert not str(data.get("text", "")).strip() and data["version"].strip() == str(version)


@FUZZ
@given(
    name=long_text | nasty_text,
    who=st.sampled_from(["owner", "stranger", "anonymous"]),
    back=st.sampled_from(["", "list"]) | nasty_text,
)
def test_rename_posts(client, saved_path, name, who, back):
    as_who(client, saved_path, who)
    before = LearningPath.objects.values_list("name", flat=True).get(pk=saved_path.pk)
    response = client.post(f"/paths/{saved_path.token}/rename/", {"name": name, "from": back})
    assert_clean(response)
    after = LearningPath.objects.values_list("name", flat=True).get(pk=saved_path.pk)
    if who != "owner":
        assert response.status_code == 403 and after == before
    elif response.status_code == 302:
        assert after == " ".join(name.split()) and 1 <= len(after) <= 200
        assert response["Location"] in ("/paths/", saved_path.get_absolute_url())
    else:
        assert response.status_code == 200 and after == before


# ------------------------------------------------------------------------------- accounts


@FUZZ
@given(
    url=st.sampled_from(
        ["/accounts/login/", "/accounts/signup/", "/accounts/password_reset/", "/accounts/logout/"]
    ),
    data=st.dictionaries(
        st.sampled_from(["username", "password", "password1", "password2", "email"])
        | nasty_text.filter(bool),
        nasty_text,
        max_size=5,
    ),
)
def test_account_forms(client, db, url, data):
    response = fresh(client).post(url, data)
    assert_clean(response)
    if url == "/accounts/login/":
        assert "_auth_user_id" not in client.session  # no account exists to log in to


# ------------------------------------------------------------------- search and filters

CATALOG_PAGES = ["/catalog/", "/search/", "/catalog/alpha/", "/technologies/webfw/"]
query_dicts = st.dictionaries(
    st.sampled_from(["q", "kind", "level", "page"]) | nasty_text.filter(bool),
    st.lists(
        st.sampled_from(["framework", "library", "beginner", "advanced", "web", ""]) | nasty_text,
        min_size=1,
        max_size=3,
    ),
    max_size=4,
)
raw_queries = st.text(
    st.sampled_from(string.ascii_letters + string.digits + "%&=+;#?/[]\\ <>\"'")
    | st.characters(codec="utf-8", exclude_categories=["Cs"]),
    max_size=120,
)
htmx_headers = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_HX_REQUEST": st.sampled_from(["true", "false", ""]) | nasty_text,
        "HTTP_HX_TARGET": nasty_text,
        "HTTP_HX_HISTORY_RESTORE_REQUEST": st.sampled_from(["true", "false"]),
        "HTTP_HX_CURRENT_URL": nasty_text,
        "HTTP_IF_NONE_MATCH": nasty_text,
        "HTTP_IF_MODIFIED_SINCE": nasty_text,
    },
).map(
    lambda headers: {
        key: value.replace("\r", "").replace("\n", "") for key, value in headers.items()
    }
)


@FUZZ
@given(url=st.sampled_from(CATALOG_PAGES), query=query_dicts, headers=htmx_headers)
def test_search_and_filter_queries(client, small_catalog, url, query, headers):
    before = current_version(), Session.objects.count()
    response = fresh(client).get(url, query, **headers)
    assert_clean(response)
    assert response.status_code in (200, 304)
    assert (current_version(), Session.objects.count()) == before


@FUZZ
@given(url=st.sampled_from(CATALOG_PAGES), query=raw_queries)
def test_raw_query_strings(client, small_catalog, url, query):
    response = fresh(client).get(url + "?" + quote(query, safe="%&=+;[]\\"))
    assert_clean(response)
    assert response.status_code == 200


# ---------------------------------------------------------------------------- YAML loader


def assert_invalid_is_explained(invalid: CatalogInvalid, filename: str) -> None:
    assert invalid.errors
    for error in invalid.errors:
        assert isinstance(error, SchemaError)
        assert error.filename == filename and error.message
        assert str(error).startswith(filename)


@FUZZ
@given(source=st.text(max_size=400) | st.binary(max_size=400))
def test_yaml_loader_on_any_text(source):
    try:
        document = parse_catalog(source, filename="fuzz.yaml")
    except CatalogInvalid as invalid:
        assert_invalid_is_explained(invalid, "fuzz.yaml")
    else:
        assert document.version == 1


@FUZZ
@given(data=json_values)
def test_yaml_loader_on_any_yaml_data(data):
    source = yaml.safe_dump(data, allow_unicode=True)
    try:
        parse_catalog(source, filename="fuzz.yaml")
    except CatalogInvalid as invalid:
        assert_invalid_is_explained(invalid, "fuzz.yaml")


def _containers(node: object, path: tuple = ()) -> list[tuple]:
    """Every place in a document that holds a dict or list, as a key path."""
    places = [path]
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, child in items:
        if isinstance(child, dict | list):
            places += _containers(child, (*path, key))
    return places


def _at(node: object, path: tuple) -> object:
    for key in path:
        node = node[key]
    return node


@st.composite
def mutated_catalogs(draw) -> str:
    """The small catalog as plain YAML with a few random edits: a key removed, a value
    replaced by anything, an unknown key, an item duplicated or dropped."""
    document = json.loads(json.dumps(make_document()))
    for _ in range(draw(st.integers(1, 4))):
        places = _containers(document)
        target = _at(document, draw(st.sampled_from(places)))
        operation = draw(st.sampled_from(["drop", "replace", "add", "duplicate"]))
        if isinstance(target, dict):
            if not target and operation != "add":
                continue
            keys = sorted(target)
            if operation == "drop":
                del target[draw(st.sampled_from(keys))]
            elif operation == "replace":
                target[draw(st.sampled_from(keys))] = draw(json_values | slug_like)
            else:
                key = nasty_text | st.sampled_from(keys) if keys else nasty_text
                target[draw(key)] = draw(json_values | slug_like)
        elif target:
            index = draw(st.integers(0, len(target) - 1))
            if operation == "drop":
                del target[index]
            elif operation == "replace":
                target[index] = draw(json_values | slug_like)
            else:
                target.append(json.loads(json.dumps(target[index])))
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


@FUZZ
@given(source=mutated_catalogs())
def test_yaml_loader_on_mutated_catalogs(source):
    try:
        document = parse_catalog(source, filename="fuzz.yaml")
    except CatalogInvalid as invalid:
        assert_invalid_is_explained(invalid, "fuzz.yaml")
        assert all(error.line is not None for error in invalid.errors)
    else:
        # What it accepts it can write back and read again unchanged.
        assert parse_catalog(dump_catalog(document)) == document


NULL_REQUIRED_LISTS = {
    "technologies[0].categories": ("technologies", 0, "categories"),
    "projects[0].uses": ("projects", 0, "uses"),
    "questions[0].choices": ("questions", 0, "choices"),
    "questions[1].show_if.any_of": ("questions", 1, "show_if", "any_of"),
}


def with_null(place: tuple) -> str:
    document = json.loads(json.dumps(make_document()))
    node = document
    for key in place[:-1]:
        node = node[key]
    node[place[-1]] = None
    return yaml.safe_dump(document, sort_keys=False)


@pytest.mark.parametrize("place", NULL_REQUIRED_LISTS.values(), ids=NULL_REQUIRED_LISTS.keys())
def test_null_for_a_required_list_is_refused(place):
    with pytest.raises(CatalogInvalid):
        parse_catalog(with_null(place), filename="fuzz.yaml")


def test_load_catalog_with_null_choices_fails_cleanly(small_catalog, tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text(with_null(("questions", 0, "choices")), encoding="utf-8")
    before = current_version(), build_document()
    with pytest.raises(CommandError):
        call_command("load_catalog", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert (current_version(), build_document()) == before


@FUZZ_WRITES
@given(source=mutated_catalogs(), prune=st.booleans())
def test_load_catalog_is_all_or_nothing(small_catalog, tmp_path_factory, source, prune):
    path = tmp_path_factory.mktemp("fuzz") / "catalog.yaml"
    path.write_text(source, encoding="utf-8")
    before = current_version(), build_document()
    options = ["--prune"] if prune else []
    try:
        call_command(
            "load_catalog", str(path), *options, stdout=io.StringIO(), stderr=io.StringIO()
        )
    except CommandError as error:
        assert "nothing was changed" in str(error)
        assert (current_version(), build_document()) == before
    else:
        loaded = build_document().model_dump(mode="json")
        document = parse_catalog(source).model_dump(mode="json")
        for section in ("categories", "technologies", "projects", "questions"):
            by_slug = {item["slug"]: item for item in loaded[section]}
            for item in document[section]:
                assert by_slug[item["slug"]] == item
        if prune:
            assert loaded == document
