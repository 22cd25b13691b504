"""The questionnaire: its flow rules, every screen (full page and htmx fragment), the whole
flow through the test client, and tampered or stale input, which never gives a 500."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict

from catalog.generator import generate_document
from paths import questionnaire
from paths.api_json import plan_to_api
from paths.catalog_cache import get_planner_catalog
from paths.models import LearningPath, Progress
from paths.planner import build_plan, catalog_from_document
from paths.questionnaire import RESTARTED
from paths.services import learner_create, progress_set
from tests.factories import act_as, first_choice_answers, make_document

HTMX = {"HTTP_HX_REQUEST": "true"}


def body(response) -> str:
    return response.content.decode()


def legend(html: str) -> str:
    return re.search(r"<legend[^>]*>(.*?)</legend>", html, re.S).group(1).strip()


def button_names(html: str) -> list[str]:
    return [name.strip() for name in re.findall(r"<button[^>]*>(.*?)</button>", html, re.S)]


def checked_values(html: str) -> list[str]:
    return re.findall(r'<input type="(?:checkbox|radio)" name="\w+" value="([^"]+)" checked', html)


def assert_fragment(response) -> str:
    """An htmx response: the swapped element only, varying on HX-Request."""
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    html = body(response)
    assert "<html" not in html and "<header" not in html
    assert 'id="question-form"' in html
    return html


def assert_full_page(response) -> str:
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert "no-store" in response["Cache-Control"]
    html = body(response)
    assert html.lstrip().startswith("<!doctype html>")
    assert 'id="question-form"' in html
    return html


def session_answers(client) -> dict:
    return client.session.get(questionnaire.STATE_KEY, {}).get("answers", {})


# The flow as pure functions -----------------------------------------------------------------


@pytest.fixture
def catalog():
    return catalog_from_document(make_document())


def test_screens_follow_show_if(catalog):
    keys = [screen.key for screen in questionnaire.screens(catalog, {})]
    assert keys == ["q:goal", "known", "hours"]
    keys = [screen.key for screen in questionnaire.screens(catalog, {"goal": ["site"]})]
    assert keys == ["q:goal", "q:size", "known", "hours"]


def test_a_screen_can_be_shown_once_every_question_before_it_is_answered(catalog):
    flow = questionnaire.screens(catalog, {"goal": ["site"]})
    assert questionnaire.first_open_index(flow, {"goal": ["site"]}) == 1
    assert [questionnaire.can_show(flow, {"goal": ["site"]}, i) for i in range(4)] == [
        True,
        True,
        False,
        False,
    ]
    answers = {"goal": ["site"], "size": ["large"]}
    assert all(questionnaire.can_show(flow, answers, i) for i in range(4))
    assert questionnaire.is_complete(flow, answers)


@pytest.mark.parametrize(
    "raw",
    [
        {"answers": {"gone": ["x"]}},
        {"answers": {"goal": ["site", "nope"]}},
        {"answers": {"size": ["small", "large"]}},
        {"answers": {"goal": "site"}},
        {"answers": {"goal": []}},
        {"answers": ["goal"]},
    ],
)
def test_stored_answers_the_catalog_no_longer_accepts_are_dropped(catalog, raw):
    state, dropped = questionnaire.state_from_data(raw, catalog)
    assert dropped
    for slug, chosen in state.answers.items():
        assert set(chosen) <= set(catalog.question_by_slug[slug].choice_slugs)


def test_stored_known_and_hours_are_checked(catalog):
    state, dropped = questionnaire.state_from_data(
        {"answers": {}, "known": ["basics", "gone", 3], "hours_per_week": 500}, catalog
    )
    assert not dropped and state.known == ["basics"] and state.hours_per_week is None
    assert questionnaire.hours_for_plan(state) == 5


def test_a_changed_answer_resets_the_known_screen(catalog):
    state = questionnaire.AdvisorState(answers={"goal": ["site"]}, known=["web"])
    question = catalog.question_by_slug["goal"]
    questionnaire.set_answer(state, question, ["site"])
    assert state.known == ["web"]
    questionnaire.set_answer(state, question, ["tools"])
    assert state.known is None


def test_known_defaults_are_implied_and_done_technologies_on_the_list(catalog):
    state = questionnaire.AdvisorState(answers={"goal": ["site", "tools"], "size": ["large"]})
    candidates, known = questionnaire.known_for_plan(catalog, state, {"scripting", "microfw"})
    # The first goal webfw (3) with what it needs, then scripting (2); `knows` left aside.
    assert candidates == ["basics", "web", "webfw", "scripting"]
    assert known == ["basics", "scripting"]  # basics from `knows`; microfw is not on the list


def never_asked() -> set[str]:
    raise AssertionError("only the known screen asks what the learner marked Done")


def posted(**fields: list[str]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, values)
    return data


def test_advance_sends_a_hidden_question_to_the_first_open_screen_saying_why(catalog):
    session = {}
    questionnaire.save_state(session, questionnaire.AdvisorState(answers={"goal": ["tools"]}))
    step = questionnaire.advance(
        session, catalog, question="size", screen=None, data=None, swap=False, done=never_asked
    )
    assert isinstance(step, questionnaire.GoTo) and step.url == "/advisor/known/"
    assert [notice.text for notice in step.notices] == [questionnaire.NOT_APPLICABLE]


def test_advance_moves_on_in_place_or_by_redirect_and_keeps_the_answer(catalog):
    session = {}
    answer = posted(answer=["site"])
    step = questionnaire.advance(
        session, catalog, question=None, screen=None, data=answer, swap=True, done=never_asked
    )
    assert isinstance(step, questionnaire.Show) and step.push_url == "/advisor/q/size/"
    assert step.context["prompt"] == catalog.question_by_slug["size"].prompt
    assert session[questionnaire.STATE_KEY]["answers"] == {"goal": ["site"]}
    step = questionnaire.advance(
        session, catalog, question=None, screen=None, data=answer, swap=False, done=never_asked
    )
    assert isinstance(step, questionnaire.GoTo) and step.url == "/advisor/q/size/"


def test_advance_reshows_an_invalid_answer_and_finishes_on_the_last_screen(catalog):
    session = {}
    questionnaire.save_state(session, questionnaire.AdvisorState(answers={"goal": ["tools"]}))
    step = questionnaire.advance(
        session,
        catalog,
        question=None,
        screen="hours",
        data=posted(hours_per_week=["0"]),
        swap=False,
        done=never_asked,
    )
    assert isinstance(step, questionnaire.Show) and step.context["form"].errors
    step = questionnaire.advance(
        session,
        catalog,
        question=None,
        screen="hours",
        data=posted(hours_per_week=["7"]),
        swap=False,
        done=never_asked,
    )
    assert isinstance(step, questionnaire.Finish) and step.state.hours_per_week == 7


# Every screen, full page and fragment -------------------------------------------------------


def test_first_screen_full_page(client, small_catalog):
    html = assert_full_page(client.get("/advisor/"))
    assert "<fieldset" in html and legend(html) == "What do you want to make?"
    assert "Question 1 of 3" in html
    assert "Pick all that apply." in html
    assert '<input type="checkbox" name="answer" value="site">' in html
    assert "<span>A website</span>" in html
    assert button_names(html) == ["Next"]  # no Back on the first screen


def test_first_screen_fragment(client, small_catalog):
    html = assert_fragment(client.get("/advisor/", **HTMX))
    assert html.lstrip().startswith("<title>What do you want to make? · Backend Path</title>")
    assert "data-focus-after-swap>What do you want to make?</legend>" in html


def test_history_restore_gets_the_full_page(client, small_catalog):
    response = client.get(
        "/advisor/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert_full_page(response)


def test_single_question_screen(client, small_catalog):
    client.post("/advisor/", {"answer": ["site"]})
    for response in (client.get("/advisor/q/size/"), client.get("/advisor/q/size/", **HTMX)):
        html = body(response)
        assert "HX-Request" in response["Vary"]
        assert legend(html) == "How big is the site?"
        assert "Question 2 of 4" in html
        assert '<input type="radio" name="answer" value="small">' in html
        assert button_names(html)[:2] == ["Back", "Next"]
        assert 'action="/advisor/"' in html  # Back goes to the first screen
    assert_full_page(client.get("/advisor/q/size/"))
    assert_fragment(client.get("/advisor/q/size/", **HTMX))


def test_known_screen_lists_the_path_and_pre_ticks_implied_and_done(client, small_catalog):
    client.post("/advisor/", {"answer": ["site", "tools"]})
    client.post("/advisor/q/size/", {"answer": ["large"]})
    learner = learner_create()
    act_as(client, learner)
    progress_set(learner_id=learner.pk, technology_slug="scripting", status="done")
    html = assert_full_page(client.get("/advisor/known/"))
    assert legend(html) == "What do you already know?"
    assert "Question 3 of 4" in html
    assert re.findall(r'name="known" value="([^"]+)"', html) == [
        "basics",
        "web",
        "webfw",
        "scripting",
    ]
    assert checked_values(html) == ["basics", "scripting"]
    assert "Ticked because your answers say you know this" in html
    assert "Ticked because you marked it Done" in html
    assert_fragment(client.get("/advisor/known/", **HTMX))


def test_hours_screen(client, small_catalog):
    client.post("/advisor/", {"answer": ["tools"]})
    html = assert_full_page(client.get("/advisor/hours/"))
    assert legend(html) == "How many hours a week can you study?"
    assert '<label for="hours-per-week">Hours per week</label>' in html
    assert re.search(r'type="number" id="hours-per-week" name="hours_per_week"', html)
    assert 'min="1" max="80"' in html and 'value="5"' in html
    assert button_names(html)[:2] == ["Back", "Show my path"]
    assert "Next" not in button_names(html)
    assert "Question 3 of 3" in html
    assert_fragment(client.get("/advisor/hours/", **HTMX))


# Moving through the flow --------------------------------------------------------------------


def test_a_valid_post_redirects_to_the_next_screen(client, small_catalog):
    response = client.post("/advisor/", {"answer": ["site"]})
    assert response.status_code == 302 and response["Location"] == "/advisor/q/size/"
    assert session_answers(client) == {"goal": ["site"]}


def test_a_valid_htmx_post_answers_with_the_next_screen_and_pushes_its_url(client, small_catalog):
    response = client.post("/advisor/", {"answer": ["tools"]}, **HTMX)
    html = assert_fragment(response)
    assert response["HX-Push-Url"] == "/advisor/known/"
    assert legend(html) == "What do you already know?"


def test_whole_flow_saves_the_path_the_api_gives(client, small_catalog):
    assert client.post("/advisor/", {"answer": ["site", "tools"]})["Location"] == (
        "/advisor/q/size/"
    )
    assert client.post("/advisor/q/size/", {"answer": "large"})["Location"] == "/advisor/known/"
    assert client.post("/advisor/known/", {"known": ["basics"]})["Location"] == "/advisor/hours/"
    response = client.post("/advisor/hours/", {"hours_per_week": "6"})
    path = LearningPath.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/paths/{path.token}/"
    assert len(path.token) >= 22  # at least 128 bits of secrets.token_urlsafe
    assert path.answers == {"goal": ["site", "tools"], "size": ["large"]}
    assert path.known == ["basics"] and path.hours_per_week == 6
    assert str(path.learner_id) == client.session["learner_id"]

    api = client.post(
        "/api/plan",
        {"answers": path.answers, "known": path.known, "hours_per_week": 6},
        content_type="application/json",
    ).json()
    snapshot = path.snapshot
    assert [step["technology"] for step in snapshot["steps"]] == [
        step["technology"] for step in api["steps"]
    ]
    assert [step["reasons"] for step in snapshot["steps"]] == [
        step["reasons"] for step in api["steps"]
    ]
    assert (snapshot["total_hours"], snapshot["weeks"]) == (api["total_hours"], api["weeks"])
    assert [(p["project"], p["after"]) for p in snapshot["projects"]] == [
        (p["project"], p["after"]) for p in api["projects"]
    ]


def test_a_goal_in_the_address_is_carried_into_the_saved_path(client, small_catalog):
    response = client.get("/advisor/?goal=microfw")
    assert response.status_code == 302 and response["Location"] == "/advisor/"
    html = assert_full_page(client.get("/advisor/"))
    assert "Your path will lead to Micro Framework first" in html
    assert "Planning a path with <strong>Micro Framework</strong>." in html
    client.post("/advisor/", {"answer": ["tools"]})
    # The known screen offers what the goal brings: microfw needs web, which needs basics.
    html = assert_full_page(client.get("/advisor/known/"))
    assert re.findall(r'name="known" value="([^"]+)"', html) == [
        "basics",
        "web",
        "microfw",
        "scripting",
    ]
    assert "Planning a path with <strong>Micro Framework</strong>." in html
    client.post("/advisor/known/", {"known": ["basics"]})
    client.post("/advisor/hours/", {"hours_per_week": "5"})
    path = LearningPath.objects.get()
    assert path.goals == ["microfw"]
    steps = path.snapshot["steps"]
    assert [step["technology"] for step in steps] == ["web", "microfw", "scripting"]
    assert steps[1]["reasons"][0] == "You asked for Micro Framework."
    assert path.snapshot["goals"] == [{"technology": "microfw", "name": "Micro Framework"}]


def test_a_goal_with_htmx_and_a_fragment_keeps_it(client, small_catalog):
    client.get("/advisor/?goal=webfw")
    html = assert_fragment(client.get("/advisor/", **HTMX))
    assert "Planning a path with <strong>Web Framework</strong>." in html


def test_an_unknown_goal_starts_without_one_and_says_so(client, small_catalog):
    client.get("/advisor/?goal=webfw")
    response = client.get("/advisor/?goal=<cobol>")
    assert response["Location"] == "/advisor/"
    html = assert_full_page(client.get("/advisor/"))
    assert "There is no technology “&lt;cobol&gt;” in the catalog" in html
    assert "Planning a path with" not in html
    client.post("/advisor/", {"answer": ["tools"]})
    client.post("/advisor/hours/", {"hours_per_week": "5"})
    assert LearningPath.objects.get().goals == []


def test_show_my_path_with_htmx_redirects_the_whole_page(client, small_catalog):
    client.post("/advisor/", {"answer": ["tools"]})
    response = client.post("/advisor/hours/", {"hours_per_week": "5"}, **HTMX)
    path = LearningPath.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/paths/{path.token}/"


def test_default_known_is_used_when_the_known_screen_was_skipped(client, small_catalog):
    client.post("/advisor/", {"answer": ["site"]})
    client.post("/advisor/q/size/", {"answer": "large"})
    client.post("/advisor/hours/", {"hours_per_week": "5"})
    assert LearningPath.objects.get().known == ["basics"]  # implied by "large"


def test_back_and_a_changed_answer_change_the_path(client, small_catalog):
    client.post("/advisor/", {"answer": ["site"]})
    client.post("/advisor/q/size/", {"answer": "small"})
    client.post("/advisor/known/", {"known": ["web"]})
    html = body(client.get("/advisor/"))  # Back to the first screen: the answer is kept
    assert checked_values(html) == ["site"]
    assert client.post("/advisor/", {"answer": ["tools"]})["Location"] == "/advisor/known/"
    assert questionnaire.STATE_KEY in client.session
    assert client.session[questionnaire.STATE_KEY]["known"] is None  # the list changed
    client.post("/advisor/hours/", {"hours_per_week": "5"})
    path = LearningPath.objects.get()
    assert path.answers == {"goal": ["tools"]}  # the hidden question's answer is not kept
    assert [step["technology"] for step in path.snapshot["steps"]] == ["basics", "scripting"]


def test_the_first_question_has_one_url(client, small_catalog):
    response = client.get("/advisor/q/goal/")
    assert response.status_code == 302 and response["Location"] == "/advisor/"


def test_start_over_clears_the_answers(client, small_catalog):
    client.post("/advisor/", {"answer": ["site"]})
    assert "Start over" in body(client.get("/advisor/q/size/"))
    response = client.post("/advisor/restart/", follow=True)
    assert response.redirect_chain == [("/advisor/", 302)]
    assert questionnaire.STATE_KEY not in client.session
    assert "Your answers were cleared." in body(response)


# Bad, tampered and stale input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("/advisor/", {}, "Choose at least one answer."),
        ("/advisor/", {"answer": ["nope"]}, "That is not one of the answers"),
        ("/advisor/", {"answer": ["site", "x" * 5000]}, "That is not one of the answers"),
        ("/advisor/q/size/", {}, "Choose one answer."),
        ("/advisor/q/size/", {"answer": ["small", "large"]}, "Choose only one answer."),
        ("/advisor/q/size/", {"answer": ["huge"]}, "That is not one of the answers"),
        ("/advisor/known/", {"known": ["microfw"]}, "Tick only technologies from the list."),
        ("/advisor/known/", {"known": ["<script>"]}, "Tick only technologies from the list."),
        ("/advisor/hours/", {"hours_per_week": "0"}, "from 1 to 80"),
        ("/advisor/hours/", {"hours_per_week": "81"}, "from 1 to 80"),
        ("/advisor/hours/", {"hours_per_week": "4.5"}, "from 1 to 80"),
        ("/advisor/hours/", {"hours_per_week": "lots"}, "from 1 to 80"),
        ("/advisor/hours/", {"hours_per_week": "9" * 5000}, "from 1 to 80"),
        ("/advisor/hours/", {}, "from 1 to 80"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_invalid_input_re_shows_the_screen_with_the_error(
    client, small_catalog, url, data, message, htmx
):
    client.post("/advisor/", {"answer": ["site"]})
    client.post("/advisor/q/size/", {"answer": "large"})
    before = dict(client.session[questionnaire.STATE_KEY])
    response = client.post(url, data, **(HTMX if htmx else {}))
    assert response.status_code == 200
    html = assert_fragment(response) if htmx else assert_full_page(response)
    assert "HX-Push-Url" not in response
    assert message in html
    assert 'id="question-error"' in html and 'aria-describedby="question-error' in html
    assert client.session[questionnaire.STATE_KEY] == before
    assert not LearningPath.objects.exists()


def test_invalid_input_keeps_what_was_ticked(client, small_catalog):
    client.post("/advisor/", {"answer": ["site"]})
    html = body(client.post("/advisor/q/size/", {"answer": ["small", "large"]}))
    assert checked_values(html) == ["small", "large"]


@pytest.mark.parametrize("url", ["/advisor/q/size/", "/advisor/known/", "/advisor/hours/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_new_or_expired_session_starts_over_with_a_note(client, small_catalog, url, method):
    response = getattr(client, method)(url, {"hours_per_week": "5"} if method == "post" else {})
    assert response.status_code == 302 and response["Location"] == "/advisor/"
    assert RESTARTED in body(client.get("/advisor/"))
    assert not LearningPath.objects.exists()


def test_a_skipped_screen_sends_back_to_the_open_question(client, small_catalog):
    client.post("/advisor/", {"answer": ["site"]})
    response = client.post("/advisor/hours/", {"hours_per_week": "5"}, follow=True)
    assert response.redirect_chain == [("/advisor/q/size/", 302)]
    assert "Please answer this question first." in body(response)
    assert not LearningPath.objects.exists()


def test_a_skipped_screen_with_htmx_redirects_the_whole_page(client, small_catalog):
    client.post("/advisor/", {"answer": ["site"]})
    response = client.get("/advisor/known/", **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"] == "/advisor/q/size/"


def test_a_hidden_question_redirects_with_a_note(client, small_catalog):
    client.post("/advisor/", {"answer": ["tools"]})
    response = client.get("/advisor/q/size/", follow=True)
    assert response.redirect_chain == [("/advisor/known/", 302)]
    assert "That question does not apply to your answers." in body(response)


def test_an_unknown_question_redirects_with_a_note(client, small_catalog):
    client.post("/advisor/", {"answer": ["site"]})
    response = client.post("/advisor/q/no-such-question/", {"answer": "x"}, follow=True)
    assert response.redirect_chain == [("/advisor/q/size/", 302)]
    assert "That question is no longer part of the questionnaire." in body(response)


def test_a_catalog_edit_clears_answers_that_no_longer_fit(client, small_catalog, load_document):
    client.post("/advisor/", {"answer": ["site"]})
    client.post("/advisor/q/size/", {"answer": "small"})
    document = make_document()
    size = document["questions"][1]
    size["choices"] = [choice for choice in size["choices"] if choice["slug"] != "small"]
    load_document(document)
    response = client.get("/advisor/known/", follow=True)
    assert response.redirect_chain == [("/advisor/q/size/", 302)]
    html = body(response)
    assert "The questionnaire has changed since you began" in html
    assert session_answers(client) == {"goal": ["site"]}


def test_a_swapped_screen_shows_its_messages(client, small_catalog, load_document):
    """A fragment has no base.html around it, so it carries the pending messages itself."""
    client.post("/advisor/", {"answer": ["site", "tools"]})
    client.post("/advisor/q/size/", {"answer": "small"})
    document = make_document()
    goal = document["questions"][0]
    goal["choices"] = [choice for choice in goal["choices"] if choice["slug"] != "tools"]
    load_document(document)
    html = assert_fragment(client.get("/advisor/known/", **HTMX))
    assert '<div class="messages" role="status"><ul>' in html
    assert "The questionnaire has changed since you began" in html
    # Shown once: the next full page has nothing left to show.
    assert "The questionnaire has changed" not in body(client.get("/advisor/known/"))


def test_a_full_page_shows_messages_once_through_the_layout(client, small_catalog):
    client.post("/advisor/", {"answer": ["site"]})
    html = body(client.get("/advisor/hours/", follow=True))
    assert html.count("Please answer this question first.") == 1
    assert html.index('<div class="messages" role="status">') < html.index('id="question-form"')


def test_a_question_removed_by_a_catalog_edit(client, small_catalog, load_document):
    client.post("/advisor/", {"answer": ["site"]})
    document = make_document()
    document["questions"] = document["questions"][:1]
    load_document(document, prune=True)
    response = client.get("/advisor/q/size/", follow=True)
    assert response.redirect_chain == [("/advisor/known/", 302)]
    assert "That question is no longer part of the questionnaire." in body(response)


def test_a_tampered_session_never_reaches_the_planner(client, small_catalog):
    session = client.session
    session[questionnaire.STATE_KEY] = {
        "answers": {"goal": "site", "size": [1, 2], "x": None},
        "known": "all",
        "hours_per_week": True,
    }
    session.save()
    response = client.get("/advisor/hours/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/advisor/", 302)]


def test_question_slugs_cannot_clash_with_built_in_screens(client, load_document):
    document = make_document()
    document["questions"][0]["slug"] = "known"
    document["questions"][1]["show_if"]["question"] = "known"
    load_document(document)
    assert client.post("/advisor/", {"answer": ["site"]})["Location"] == "/advisor/q/size/"
    assert legend(body(client.get("/advisor/known/", follow=True))) == "How big is the site?"


def test_a_catalog_without_questions_goes_straight_to_the_built_in_screens(client, load_document):
    load_document(make_document(questions=[]))
    html = body(client.get("/advisor/"))
    assert legend(html) == "What do you already know?"
    assert "nothing to tick" in html
    response = client.post("/advisor/hours/", {"hours_per_week": "5"}, follow=True)
    assert response.status_code == 200
    assert "Your learning path" in body(response)


def test_an_empty_database_still_answers(client, db):
    assert legend(body(client.get("/advisor/"))) == "What do you already know?"
    assert client.head("/advisor/").status_code == 200
    response = client.post("/advisor/hours/", {"hours_per_week": "5"}, follow=True)
    assert response.status_code == 200 and "nothing new to learn" in body(response)


def test_the_default_catalog_is_not_needed(client, load_document):
    """Any catalog works: a generated one with other slugs, labels and sizes."""
    document = generate_document(30, seed=4)
    load_document(document)
    answers = first_choice_answers(document)
    for slug, chosen in answers.items():
        url = "/advisor/" if slug == document["questions"][0]["slug"] else f"/advisor/q/{slug}/"
        assert client.post(url, {"answer": chosen}).status_code == 302
    client.post("/advisor/hours/", {"hours_per_week": "10"})
    path = LearningPath.objects.get()
    _, catalog = get_planner_catalog()
    expected = plan_to_api(build_plan(catalog, answers, path.known, 10))
    assert [step["technology"] for step in path.snapshot["steps"]] == [
        step["technology"] for step in expected["steps"]
    ]


# Query budgets: a fixed number whatever the catalog's size ----------------------------------


def _screens_for(client, document) -> list[str]:
    """Answer every question and return the URL of every screen."""
    answers = first_choice_answers(document)
    urls = []
    first = document["questions"][0]["slug"]
    for slug, chosen in answers.items():
        url = "/advisor/" if slug == first else f"/advisor/q/{slug}/"
        urls.append(url)
        client.post(url, {"answer": chosen})
    return [*urls, "/advisor/known/", "/advisor/hours/"]


@pytest.mark.parametrize("size", ["small", 1000])
def test_query_budget_of_every_screen(client, load_document, django_assert_max_num_queries, size):
    document = make_document() if size == "small" else generate_document(size)
    load_document(document)
    urls = _screens_for(client, document)
    for url in urls:
        for headers in ({}, HTMX):
            with django_assert_max_num_queries(4):
                assert client.get(url, **headers).status_code == 200
    with django_assert_max_num_queries(6):
        client.post("/advisor/known/", {"known": []})
    with django_assert_max_num_queries(6):
        client.post(
            urls[0], {"answer": first_choice_answers(document)[document["questions"][0]["slug"]]}
        )


@pytest.mark.parametrize("size", ["small", 1000])
def test_query_budget_of_show_my_path(client, load_document, django_assert_max_num_queries, size):
    document = make_document() if size == "small" else generate_document(size)
    load_document(document)
    _screens_for(client, document)
    client.get("/advisor/hours/")  # warm the process's planner catalog
    with django_assert_max_num_queries(12):  # 2 are the savepoint of the one atomic save
        response = client.post("/advisor/hours/", {"hours_per_week": "5"})
    assert response.status_code == 302
    assert Progress.objects.count() == 0
