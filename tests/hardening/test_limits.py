"""Request and file size limits: refused early, with a page that says which limit, and nothing
written.

Limits elsewhere: the JSON API's 413 is in tests/paths/test_api.py
(test_a_body_over_one_megabyte_is_refused, test_garbage_answers_stay_cheap_and_short); the
YAML catalog's size, depth, alias and tag limits in tests/catalog/test_yaml_schema.py
(test_oversize_file_is_refused_before_parsing, test_very_deep_nesting_is_a_clean_error,
test_alias_bomb_is_refused_at_once, test_python_tags_never_run) and
tests/catalog/test_commands.py (test_an_oversize_file_is_refused_before_parsing).
"""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from catalog.selectors import build_document
from catalog.versioning import current_version
from catalog.yaml_reader import MAX_BYTES
from paths import questionnaire
from paths.models import LearningPath, Note
from paths.services import learner_create
from tests.factories import act_as, make_path

pytestmark = pytest.mark.django_db

TOKEN_IN_PAGE = re.compile(r'"X-CSRFToken": "([^"]+)"')
TOO_BIG = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024
TOO_MANY = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1


@pytest.fixture
def visitor(small_catalog):
    """A visitor half-way through the questionnaire, who has a CSRF cookie and token."""
    client = Client(enforce_csrf_checks=True)
    token = TOKEN_IN_PAGE.search(client.get("/advisor/").content.decode()).group(1)
    client.defaults["HTTP_X_CSRFTOKEN"] = token
    assert client.post("/advisor/", {"answer": ["site"]}).status_code == 302
    return client


def advisor_state(client: Client) -> object:
    return client.session.get(questionnaire.STATE_KEY)


def assert_refused(response, status: int, title: str) -> None:
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html and "Nothing was saved" in html
    assert "site.css" in html  # the styled page, not Django's bare "Bad Request (400)"
    assert "Traceback" not in html


@pytest.mark.parametrize("htmx", [False, True])
def test_a_form_over_the_size_limit_is_413_with_a_clear_page(visitor, htmx):
    before = advisor_state(visitor)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = visitor.post("/advisor/q/size/", {"answer": "x" * TOO_BIG}, **headers)
    assert_refused(response, 413, "Too much to send")
    assert "1,024 KB" in response.content.decode()
    assert advisor_state(visitor) == before


def test_a_urlencoded_body_over_the_size_limit_is_413(visitor):
    before = advisor_state(visitor)
    body = "answer=small&" + "padding=" + "x" * TOO_BIG
    response = visitor.post(
        "/advisor/q/size/", body, content_type="application/x-www-form-urlencoded"
    )
    assert_refused(response, 413, "Too much to send")
    assert advisor_state(visitor) == before


def test_too_many_fields_is_400_with_a_clear_page(visitor):
    before = advisor_state(visitor)
    data = {f"field{number}": "1" for number in range(TOO_MANY)} | {"answer": "small"}
    response = visitor.post("/advisor/q/size/", data)
    assert_refused(response, 400, "Too many fields")
    assert f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} fields" in response.content.decode()
    assert advisor_state(visitor) == before


def test_an_unreadable_multipart_body_is_400(visitor):
    before = advisor_state(visitor)
    response = visitor.generic(
        "POST", "/advisor/q/size/", b"--x\r\nnot a part", content_type="multipart/form-data"
    )
    assert_refused(response, 400, "Unreadable form")
    assert advisor_state(visitor) == before


def test_the_limits_come_before_the_csrf_check(small_catalog):
    """An oversize post is refused without being parsed by anything else, token or not."""
    response = Client(enforce_csrf_checks=True).post("/advisor/", {"answer": "x" * TOO_BIG})
    assert response.status_code == 413


def test_a_big_note_or_name_is_a_form_error_and_saves_nothing(small_catalog):
    owner = Client()
    path = make_path(learner=learner_create())
    act_as(owner, path.learner)
    response = owner.post(
        f"/paths/{path.token}/notes/web/", {"text": "x" * (Note.MAX_LENGTH + 1), "version": "0"}
    )
    assert response.status_code == 200 and "Keep the note to" in response.content.decode()
    assert not Note.objects.exists()
    response = owner.post(f"/paths/{path.token}/rename/", {"name": "n" * 201})
    assert response.status_code == 200 and "Keep the name to 200" in response.content.decode()
    assert LearningPath.objects.get(pk=path.pk).name == path.name


def test_a_huge_username_is_a_form_error(small_catalog, django_user_model):
    # A real account whose name is the huge one cut to the field's length: a login that cut
    # the name instead of refusing it would sign this visitor in.
    django_user_model.objects.create_user(username="u" * 150, password="right-password-1")
    visitor = Client()
    response = visitor.post(
        "/accounts/login/", {"username": "u" * 100_000, "password": "right-password-1"}
    )
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert "_auth_user_id" not in visitor.session


def test_the_json_api_keeps_its_own_json_413(small_catalog):
    response = Client().post("/api/plan", b" " * TOO_BIG, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["errors"]["__all__"][0].startswith("The request body is larger")


def test_a_catalog_file_over_the_limit_is_refused_with_the_limit_named(small_catalog, tmp_path):
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"version: 1\n" + b"#" * MAX_BYTES)
    before = current_version(), build_document()
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("load_catalog", str(huge), stderr=stderr)
    assert f"{MAX_BYTES:,} bytes" in stderr.getvalue() and "limit" in stderr.getvalue()
    assert (current_version(), build_document()) == before


def test_no_admin_form_of_the_default_catalog_comes_near_the_field_limit(client, django_user_model):
    """A curator saving the biggest question, choice or technology must stay well under the
    limit (the pages with inlines, and of each the object with the most inline rows)."""
    from django.db.models import Count

    from catalog.models import Choice, Question, Technology

    call_command("load_catalog", stdout=io.StringIO())
    client.force_login(django_user_model.objects.create_superuser("c", "c@example.org", "pw"))
    biggest = {
        "technology": Technology.objects.annotate(
            rows=Count("prerequisite_links", distinct=True)
            + Count("alternative_links", distinct=True)
            + Count("resources", distinct=True)
            + Count("categories", distinct=True)
        ),
        "question": Question.objects.annotate(rows=Count("choices")),
        "choice": Choice.objects.annotate(rows=Count("recommends")),
    }
    for model, rows in biggest.items():
        pk = rows.order_by("-rows").values_list("pk", flat=True).first()
        url = f"/{settings.ADMIN_URL}catalog/{model}/{pk}/change/"
        html = client.get(url).content.decode()
        fields = set(re.findall(r'<(?:input|select|textarea)[^>]* name="([^"]+)"', html))
        assert 10 < len(fields) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS / 2, (url, len(fields))


# --------------------------------------------------------------- the page cache stays small


def page_entries() -> int:
    """Whole pages held by this process's cache (LocMemCache; see advisor/page_cache.py)."""
    from django.core.cache import cache

    if not hasattr(cache, "_cache"):
        pytest.skip("counts entries of the local-memory cache; REDIS_URL is set")
    return sum(":page:" in key for key in cache._cache)


def test_made_up_query_parameters_do_not_each_store_a_page(client, small_catalog):
    client.get("/catalog/")
    before = page_entries()
    for number in range(30):
        assert client.get(f"/catalog/?utm_source={number}").status_code == 200
    assert page_entries() <= before + 1


def test_a_path_keeps_one_cached_page_per_variant_whatever_its_history(client, small_catalog):
    path = make_path(learner=learner_create())
    act_as(client, path.learner)
    step = path.snapshot["steps"][0]["technology"]
    client.get(path.get_absolute_url())
    Client().get(path.get_absolute_url())
    before = page_entries()
    for status in ["doing", "done", "skipped", "todo"] * 5:
        client.post(f"/paths/{path.token}/progress/{step}/", {"status": status})
        assert client.get(path.get_absolute_url()).status_code == 200
        assert Client().get(path.get_absolute_url()).status_code == 200
    assert page_entries() <= before
