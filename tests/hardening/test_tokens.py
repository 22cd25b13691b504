"""Share tokens: long enough, never compared by hand, and reading a link gives no power.

A path's link is its only key, so: at least 128 bits from `secrets`; a reader (anyone who is
not the maker: another learner, a visitor without a session, a signed-in account) can read the
path but never change its progress or anything else; and no page lets one learner find
another's paths (enumeration).
"""

from __future__ import annotations

import ast
import base64
import math
import re
from collections import Counter
from pathlib import Path

import pytest
from django.test import Client

from catalog.versioning import current_version
from paths.models import Learner, LearningPath, Note, Progress, ProgressStatus
from paths.services import TOKEN_BYTES, learner_create, note_set, progress_set
from tests.factories import SMALL_ANSWERS, act_as, make_path

ROOT = Path(__file__).resolve().parents[2]
CSRF_TOKEN = re.compile(r'"X-CSRFToken": "[^"]+"')
ANSWERED = SMALL_ANSWERS
HTMX = {"HTTP_HX_REQUEST": "true"}

pytestmark = pytest.mark.django_db


@pytest.fixture
def path(small_catalog):
    owner = learner_create()
    progress_set(learner_id=owner.pk, technology_slug="web", status=ProgressStatus.DOING)
    return make_path(learner=owner, answers=ANSWERED)


def token_bits(token: str) -> int:
    return len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8


# ---------------------------------------------------------------------------- the token


def test_tokens_carry_at_least_128_random_bits(small_catalog):
    assert TOKEN_BYTES * 8 >= 128
    learner = learner_create()
    tokens = [make_path(learner=learner, answers=ANSWERED).token for _ in range(200)]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        assert token_bits(token) >= 128
    # Every position varies across tokens: nothing is a counter, a time or a fixed prefix.
    for position in range(len(tokens[0])):
        assert len({token[position] for token in tokens}) > 20, position
    # The characters look uniform (64 symbols, ~6,400 samples): no bias toward a few.
    counts = Counter("".join(tokens))
    expected = sum(counts.values()) / 64
    assert len(counts) == 64
    assert all(abs(count - expected) < 6 * math.sqrt(expected) for count in counts.values())


def _hand_comparisons(source: str) -> list[str]:
    """`==`, `!=` or `in` with an operand whose name says token or secret."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        names = [ast.unparse(part) for part in (node.left, *node.comparators)]
        if any(re.search(r"token|secret", name, re.I) for name in names) and any(
            isinstance(op, ast.Eq | ast.NotEq | ast.In | ast.NotIn) for op in node.ops
        ):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_no_token_or_secret_is_compared_by_hand():
    """Tokens are looked up by the database (an index, not a byte-by-byte loop in Python);
    anything compared in Python must go through constant_time_compare / hmac.compare_digest.
    """
    offenders = {}
    for package in ("advisor", "catalog", "paths"):
        for module in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in module.parts:
                continue
            found = _hand_comparisons(module.read_text(encoding="utf-8"))
            if found:
                offenders[str(module.relative_to(ROOT))] = found
    assert offenders == {}


def test_the_hand_comparison_finder_finds_them():
    assert _hand_comparisons("ok = token == request.GET['t']")
    assert _hand_comparisons("if path.token != given: pass")
    assert not _hand_comparisons("ok = constant_time_compare(token, given)")


# -------------------------------------------------------------------- readers can only read

SECRET_NOTE = "my private note: call the bank"


@pytest.fixture
def noted_path(path):
    note_set(
        learner_id=path.learner_id, technology_slug="web", text=SECRET_NOTE, expected_version=0
    )
    return path


def readers(path: LearningPath, django_user_model) -> dict[str, Client]:
    another = Client()
    act_as(another, learner_create())
    account = Client()
    account.force_login(django_user_model.objects.create_user("reader", password="pw-x-1234567"))
    garbled = Client()
    session = garbled.session
    session["learner_id"] = {"id": str(path.learner_id)}
    session.save()
    return {
        "another learner": another,
        "a visitor without a session": Client(),
        "a signed-in account": account,
        "a session holding a garbled learner id": garbled,
    }


def path_state(path: LearningPath) -> tuple:
    """Everything a write through the path's link could change."""
    fresh = LearningPath.objects.filter(pk=path.pk).first()
    return (
        fresh and (fresh.name, fresh.answers, fresh.known, fresh.hours_per_week),
        fresh and (fresh.snapshot, fresh.catalog_version, fresh.updated),
        sorted(Progress.objects.values_list("learner_id", "technology_slug", "status")),
        sorted(Note.objects.values_list("learner_id", "technology_slug", "text", "version")),
        Learner.objects.filter(pk=path.learner_id).exists(),
    )


def owner_writes(path: LearningPath) -> list[tuple[str, str, dict]]:
    """Every request that changes a path or its owner's data, as the owner would send it."""
    version = str(current_version()[0])
    token = path.token
    return [
        ("progress", f"/paths/{token}/progress/web/", {"status": "done"}),
        ("note", f"/paths/{token}/notes/web/", {"text": "overwritten", "version": "1"}),
        ("new note", f"/paths/{token}/notes/webfw/", {"text": "added", "version": "0"}),
        ("rename", f"/paths/{token}/rename/", {"name": "Renamed by a reader"}),
        ("delete", f"/paths/{token}/delete/", {}),
        ("re-plan", f"/paths/{token}/replan/", {"catalog_version": version}),
    ]


def test_a_reader_sees_the_path_and_progress_but_no_buttons_or_notes(noted_path, django_user_model):
    for who, client in readers(noted_path, django_user_model).items():
        html = client.get(noted_path.get_absolute_url()).content.decode()
        assert "Your learning path" in html, who
        assert "Status: Doing" in html, who
        assert 'name="status"' not in html and "/progress/" not in html, who
        assert "/notes/" not in html and "/rename/" not in html and "/delete/" not in html, who
        assert SECRET_NOTE not in html, who


def test_exports_never_carry_the_owner_s_notes(noted_path):
    for suffix in (".md", ".ics"):
        response = Client().get(f"/paths/{noted_path.token}{suffix}")
        assert response.status_code == 200
        assert SECRET_NOTE.encode() not in response.content, suffix


def test_a_reader_can_never_change_progress_notes_names_or_delete(noted_path, django_user_model):
    before = path_state(noted_path)
    for who, client in readers(noted_path, django_user_model).items():
        for action, url, data in owner_writes(noted_path):
            for headers in ({}, HTMX):
                response = client.post(url, data, **headers)
                assert response.status_code == 403, (who, action, response.status_code)
            if action in {"note", "rename", "delete"}:  # their pages are the owner's too
                response = client.get(url)
                assert response.status_code == 403, (who, action)
                assert SECRET_NOTE.encode() not in response.content
    assert path_state(noted_path) == before


def test_a_reader_after_the_owner_gets_nothing_of_the_owner_s_page(noted_path, django_user_model):
    """Pages are rendered once and cached: what the owner was shown (buttons, notes, their
    CSRF token) must never be served to anyone else, nor the reader's page to the owner."""
    owner = Client()
    act_as(owner, noted_path.learner)
    url = noted_path.get_absolute_url()
    owner_page = owner.get(url).content.decode()
    assert SECRET_NOTE in owner_page and 'name="status"' in owner_page
    owner_token = CSRF_TOKEN.search(owner_page).group(0)
    for who, client in readers(noted_path, django_user_model).items():
        html = client.get(url).content.decode()
        assert SECRET_NOTE not in html and 'name="status"' not in html, who
        assert owner_token not in html, who
    again = owner.get(url).content.decode()
    assert SECRET_NOTE in again and 'name="status"' in again


def test_cached_pages_carry_no_visitor_s_token_or_name(small_catalog, django_user_model):
    """Pages stored for everyone hold nothing of one visitor; pages that post carry each
    visitor's own token, which works for them and only for them."""
    alice = Client(enforce_csrf_checks=True)
    alice.force_login(django_user_model.objects.create_user("alice-account", password="pw-1234567"))
    anonymous = Client(enforce_csrf_checks=True)
    for url in ("/", "/catalog/", "/technologies/web/", "/search/?q=web"):
        alice_page = alice.get(url).content.decode()
        page = anonymous.get(url).content.decode()
        assert "alice-account" not in alice_page + page, url
        assert CSRF_TOKEN.search(alice_page + page) is None, url
    alice_page = alice.get("/paths/").content.decode()
    page = anonymous.get("/paths/").content.decode()
    assert CSRF_TOKEN.search(alice_page).group(0) != CSRF_TOKEN.search(page).group(0)
    token = CSRF_TOKEN.search(page).group(0).split('"')[3]
    assert anonymous.post("/advisor/restart/", HTTP_X_CSRFTOKEN=token).status_code == 302
    assert alice.post("/advisor/restart/", HTTP_X_CSRFTOKEN=token).status_code == 403


def test_every_status_on_every_step_is_refused_to_a_reader(path, django_user_model):
    before = path_state(path)
    client = readers(path, django_user_model)["another learner"]
    for step in path.snapshot["steps"]:
        for status in ProgressStatus.values:
            url = f"/paths/{path.token}/progress/{step['technology']}/"
            assert client.post(url, {"status": status}).status_code == 403
    assert path_state(path) == before


def test_the_owner_can_do_all_of_it(noted_path):
    """The refusals above are about who asks: the same requests from the owner go through."""
    owner = Client()
    act_as(owner, noted_path.learner)
    for action, url, data in owner_writes(noted_path):
        if action == "re-plan":
            continue  # only offered when the catalog changed; its own tests cover it
        response = owner.post(url, data)
        assert response.status_code == 302, (action, response.status_code)
    assert not LearningPath.objects.filter(pk=noted_path.pk).exists()


SUFFIXES = ["/", ".md", ".ics", "/progress/web/", "/notes/web/", "/rename/", "/delete/"]


def test_no_other_method_changes_a_path(noted_path, django_user_model):
    before = path_state(noted_path)
    owner = Client()
    act_as(owner, noted_path.learner)
    clients = [owner, *readers(noted_path, django_user_model).values()]
    for suffix in [*SUFFIXES, "/replan/", "/start-from/"]:
        url = f"/paths/{noted_path.token}{suffix}"
        for method in ("put", "patch", "delete"):
            for client in clients:
                response = getattr(client, method)(url, "name=x&status=done&text=x&version=1")
                assert response.status_code == 405, (method, url, response.status_code)
    assert path_state(noted_path) == before


def test_a_reader_who_starts_from_a_path_gets_their_own_and_leaves_the_original(path):
    before = path_state(path)
    reader = Client()
    act_as(reader, learner_create())
    response = reader.post(f"/paths/{path.token}/start-from/")
    assert response.status_code == 302
    assert path_state(path) == before
    reader.post("/advisor/hours/", {"hours_per_week": "7"})
    new = LearningPath.objects.exclude(pk=path.pk).get()
    assert new.learner_id != path.learner_id and new.token != path.token
    assert path_state(path)[:2] == before[:2]


def test_a_reader_sees_nothing_of_the_owner_s_identity(path, django_user_model):
    user = django_user_model.objects.create_user("owner-name", "owner@example.org", "pw-12345678")
    Learner.objects.filter(pk=path.learner_id).update(user=user)
    for suffix in ("/", ".md", ".ics"):
        content = Client().get(f"/paths/{path.token}{suffix}").content.decode()
        assert "owner-name" not in content and "owner@example.org" not in content, suffix
        assert str(path.learner_id) not in content, suffix


# ------------------------------------------------------------------------------ enumeration


def test_unknown_tokens_answer_exactly_like_each_other(path):
    """Probing learns nothing: a token that never existed, a deleted one, a prefix or a
    case-changed copy of a real one, all give the same 404."""
    deleted = make_path(learner=learner_create(), answers=ANSWERED)
    deleted_token = deleted.token
    deleted.delete()
    swapped = path.token.swapcase() if path.token.swapcase() != path.token else path.token + "A"
    probes = [
        "A" * 32,
        deleted_token,
        path.token[:16],
        path.token + "x",
        swapped,
        path.token[::-1],
    ]
    bodies = set()
    client = Client()
    for token in probes:
        for suffix in (suffix for suffix in SUFFIXES if "/progress/" not in suffix):
            url = f"/paths/{token}{suffix}"
            response = client.get(url)
            assert response.status_code == 404, url
            # Each page masks its CSRF token afresh; everything else must be identical.
            bodies.add(CSRF_TOKEN.sub("", response.content.decode()))
        response = client.post(f"/paths/{token}/progress/web/", {"status": "done"})
        assert response.status_code == 404
    assert len(bodies) == 1


PUBLIC_PAGES = [
    "/",
    "/catalog/",
    "/search/?q=a",
    "/advisor/",
    "/api/catalog",
    "/paths/",
    "/accounts/login/",
    "/accounts/signup/",
]


def test_no_page_lists_another_learner_s_paths(path, django_user_model):
    """Enumeration: another learner, a visitor and a signed-in account see no token but
    their own anywhere (including the path listing /paths/, whatever it becomes)."""
    own = Client()
    mine = make_path(learner=learner_create(), answers=ANSWERED)
    act_as(own, mine.learner)
    account = Client()
    account.force_login(django_user_model.objects.create_user("someone", password="pw-x-123456"))
    for who, client in {"learner": own, "visitor": Client(), "account": account}.items():
        for url in PUBLIC_PAGES:
            response = client.get(url, follow=True)
            assert response.status_code < 500, url
            assert path.token.encode() not in response.content, (who, url)
            assert str(path.learner_id).encode() not in response.content, (who, url)


def test_the_admin_is_no_way_round_for_a_signed_in_learner(path, django_user_model):
    from django.conf import settings

    client = Client()
    client.force_login(django_user_model.objects.create_user("learner", password="pw-x-123456"))
    for url in (
        f"/{settings.ADMIN_URL}paths/learningpath/",
        f"/{settings.ADMIN_URL}paths/learningpath/?q={path.token[:4]}",
        f"/{settings.ADMIN_URL}paths/progress/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
        assert path.token.encode() not in response.content


def test_a_path_page_tells_no_one_else_where_it_lives(client, path):
    """The link is the key: the page is never cached by shared caches, never indexed and
    never sent on as a Referer to the resources it links to."""
    response = client.get(path.get_absolute_url())
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] in {"strict-origin-when-cross-origin", "no-referrer"}
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    markdown = client.get(f"/paths/{path.token}.md")
    assert path.token not in markdown["Content-Disposition"]
