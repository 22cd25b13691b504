"""The planner's rules (DESIGN.md "The planner"), each shown on a small hand-built catalog."""

from __future__ import annotations

import json

import pytest

from paths.api_json import plan_to_api, validate_answers
from paths.planner import (
    PlacedProject,
    Plan,
    Step,
    build_plan,
    catalog_from_document,
    implied_known,
    path_candidates,
    visible_questions,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The planner is pure: these tests need neither Django's cache nor its settings."""
    yield


def technology(
    slug: str,
    *,
    name: str | None = None,
    level: str = "beginner",
    effort_hours: int = 10,
    prerequisites: tuple = (),
    alternatives: tuple = (),
    checkpoints: tuple = (),
) -> dict:
    """A technology entry; a prerequisite is a slug or a (slug, why) pair."""
    return {
        "slug": slug,
        "name": name or slug.replace("-", " ").title(),
        "kind": "tool",
        "level": level,
        "categories": ["web"],
        "summary": f"About {slug}.",
        "highlights": [],
        "checkpoints": list(checkpoints),
        "effort_hours": effort_hours,
        "prerequisites": [
            {"technology": item, "why": ""}
            if isinstance(item, str)
            else {"technology": item[0], "why": item[1]}
            for item in prerequisites
        ],
        "alternatives": list(alternatives),
        "homepage": "",
        "resources": [],
    }


def choice(slug: str, *recommends: tuple[str, int, str], knows: tuple = ()) -> dict:
    """A choice; each recommendation is a (technology, weight, because) triple."""
    return {
        "slug": slug,
        "label": slug.title(),
        "recommends": [
            {"technology": slug_, "weight": weight, "because": because}
            for slug_, weight, because in recommends
        ],
        "knows": list(knows),
    }


def question(
    slug: str, *choices: dict, kind: str = "multiple", show_if: tuple | None = None
) -> dict:
    """A question; show_if is a (question, [choices]) pair."""
    return {
        "slug": slug,
        "prompt": f"{slug.title()}?",
        "help": "",
        "kind": kind,
        "show_if": {"question": show_if[0], "any_of": list(show_if[1])} if show_if else None,
        "choices": list(choices),
    }


def project(slug: str, *uses: str) -> dict:
    return {"slug": slug, "title": slug.title(), "brief": f"Build {slug}.", "uses": list(uses)}


def make_document(technologies: list, questions: list, projects: tuple = ()) -> dict:
    """A normalized catalog document (docs/catalog-document.md) around these parts."""
    return {
        "version": 1,
        "categories": [{"slug": "web", "name": "Web", "summary": "Web things."}],
        "technologies": technologies,
        "projects": list(projects),
        "questions": questions,
    }


def plan_for(document: dict, answers: dict, known: tuple = (), hours_per_week: int = 10) -> Plan:
    catalog = catalog_from_document(document)
    assert validate_answers(catalog, answers, list(known), hours_per_week) == {}
    return build_plan(catalog, answers, list(known), hours_per_week)


def slugs(plan: Plan) -> list[str]:
    return [step.technology for step in plan.steps]


def step(plan: Plan, slug: str) -> Step:
    return next(item for item in plan.steps if item.technology == slug)


def web_document() -> dict:
    """python → http → django (and python → django); git stands alone.

    goal decides whether "framework" is asked; framework decides whether "database" is asked.
    """
    return make_document(
        [
            technology(
                "django",
                level="intermediate",
                effort_hours=40,
                prerequisites=[("http", "Django views answer HTTP requests."), "python"],
                alternatives=["flask"],
                checkpoints=["Build a model and edit it in the admin."],
            ),
            technology("flask", level="intermediate", effort_hours=20, prerequisites=["http"]),
            technology("git", level="intermediate", effort_hours=5),
            technology("http", effort_hours=5, prerequisites=[("python", "")]),
            technology("python", effort_hours=30),
            technology("postgres", level="intermediate", effort_hours=20),
            technology("sqlite", effort_hours=5),
            technology("argparse", effort_hours=3, prerequisites=["python"]),
        ],
        [
            question(
                "goal",
                choice("web", ("git", 1, "You will share code.")),
                choice("scripts", ("argparse", 2, "Scripts take arguments.")),
                kind="single",
            ),
            question(
                "framework",
                choice(
                    "django",
                    ("django", 3, "Django has admin views built in."),
                    ("flask", -2, "Flask leaves the admin to you."),
                ),
                choice("flask", ("flask", 3, "Flask is small.")),
                show_if=("goal", ["web"]),
            ),
            question(
                "database",
                choice("postgres", ("postgres", 2, "PostgreSQL runs in production.")),
                choice("sqlite", ("sqlite", 2, "SQLite needs no server.")),
                kind="single",
                show_if=("framework", ["django"]),
            ),
        ],
    )


# Rule 1: visibility --------------------------------------------------------------------------


def test_questions_appear_as_earlier_answers_reveal_them():
    catalog = catalog_from_document(web_document())

    def asked(answers):
        return [item.slug for item in visible_questions(catalog, answers)]

    assert asked({}) == ["goal"]
    assert asked({"goal": ["web"]}) == ["goal", "framework"]
    assert asked({"goal": ["web"], "framework": ["flask"]}) == ["goal", "framework"]
    assert asked({"goal": ["web"], "framework": ["django"]}) == ["goal", "framework", "database"]


def test_a_question_behind_a_hidden_question_stays_hidden_even_if_answered():
    catalog = catalog_from_document(web_document())

    answers = {"goal": ["scripts"], "framework": ["django"], "database": ["sqlite"]}

    assert [item.slug for item in visible_questions(catalog, answers)] == ["goal"]


def test_answers_to_hidden_questions_change_nothing():
    document = web_document()

    with_hidden = plan_for(
        document, {"goal": ["scripts"], "framework": ["django"], "database": ["postgres"]}
    )
    without = plan_for(document, {"goal": ["scripts"]})

    assert with_hidden == without
    assert slugs(with_hidden) == ["python", "argparse"]
    assert with_hidden.considered == ()


# Rules 2 and 3: scores, recommended, known ----------------------------------------------------


def test_weights_of_chosen_choices_add_up_and_negative_weights_argue_against():
    document = make_document(
        [technology("flask"), technology("django"), technology("fastapi")],
        [
            question(
                "style",
                choice("small", ("flask", 3, "Flask is small."), ("django", -2, "Django is big.")),
                choice("batteries", ("django", 3, "Django has batteries."), ("fastapi", -1, "No.")),
            ),
            question("api", choice("yes", ("flask", -2, "Flask is not API-first."))),
        ],
    )

    plan = plan_for(document, {"style": ["small", "batteries"], "api": ["yes"]})

    # flask 3 - 2 = 1, django -2 + 3 = 1, fastapi -1
    assert slugs(plan) == ["flask", "django"]
    assert [step(plan, slug).score for slug in ("flask", "django")] == [1, 1]
    assert all(item.recommended for item in plan.steps)
    assert [item.technology for item in plan.considered] == ["fastapi"]


def test_a_prerequisite_nobody_recommended_is_on_the_path_but_not_recommended():
    plan = plan_for(web_document(), {"goal": ["web"], "framework": ["flask"]})

    assert step(plan, "flask").recommended
    assert step(plan, "flask").score == 3
    assert not step(plan, "http").recommended
    assert step(plan, "http").score == 0


def test_ticked_known_technologies_leave_the_path_and_do_not_pull_in_their_prerequisites():
    document = make_document(
        [
            technology("computers"),
            technology("python", prerequisites=["computers"]),
            technology("requests", prerequisites=["python"]),
        ],
        [question("goal", choice("api", ("requests", 2, "Requests calls APIs.")))],
    )

    assert slugs(plan_for(document, {"goal": ["api"]})) == ["computers", "python", "requests"]
    plan = plan_for(document, {"goal": ["api"]}, known=["python"])

    assert slugs(plan) == ["requests"]
    assert step(plan, "requests").prerequisites == ()
    assert plan.known == ("python",)


def test_a_known_technology_is_not_on_the_path_even_when_recommended():
    document = make_document(
        [technology("python"), technology("git")],
        [question("goal", choice("code", ("python", 2, "Learn Python."), ("git", 1, "Use git.")))],
    )

    plan = plan_for(document, {"goal": ["code"]}, known=["python"])

    assert slugs(plan) == ["git"]


def test_knows_of_a_chosen_answer_count_as_known():
    document = make_document(
        [
            technology("computers"),
            technology("python", prerequisites=["computers"]),
            technology("django", prerequisites=["python"]),
        ],
        [
            question(
                "experience",
                choice("new", ("django", 2, "Django for websites.")),
                choice("pythonista", ("django", 2, "Django for websites."), knows=["python"]),
                kind="single",
            )
        ],
    )
    catalog = catalog_from_document(document)

    plan = plan_for(document, {"experience": ["pythonista"]})

    assert slugs(plan) == ["django"]
    assert plan.known == ("python",)
    assert implied_known(catalog, {"experience": ["pythonista"]}) == ["python"]
    assert implied_known(catalog, {"experience": ["new"]}) == []
    # The "What do you already know?" screen offers the whole path, knows ignored.
    assert path_candidates(catalog, {"experience": ["pythonista"]}) == [
        "computers",
        "python",
        "django",
    ]


def test_knows_of_an_answer_to_a_hidden_question_are_ignored():
    document = make_document(
        [technology("python"), technology("django", prerequisites=["python"])],
        [
            question("goal", choice("web", ("django", 2, "Websites.")), choice("other")),
            question("level", choice("pro", knows=["python"]), show_if=("goal", ["other"])),
        ],
    )
    catalog = catalog_from_document(document)
    answers = {"goal": ["web"], "level": ["pro"]}

    assert implied_known(catalog, answers) == []
    assert slugs(plan_for(document, answers)) == ["python", "django"]


# Rules 4 and 5: the path and its order -------------------------------------------------------


def test_goals_come_by_score_each_right_after_its_own_prerequisites():
    plan = plan_for(
        web_document(), {"goal": ["web"], "framework": ["django"], "database": ["sqlite"]}
    )

    # Scores: django 3, sqlite 2, git 1 (flask -2 stays off). Django first: its prerequisites
    # python and http (http needs python), then django; then sqlite; then git.
    assert slugs(plan) == ["python", "http", "django", "sqlite", "git"]
    assert [item.goal for item in plan.steps] == [False, False, True, True, True]
    assert step(plan, "django").prerequisites == ("python", "http")


def test_same_level_and_depth_follow_the_catalog_order():
    document = make_document(
        [technology("zeta"), technology("alpha"), technology("mid")],
        [question("all", choice("yes", ("alpha", 1, "A."), ("mid", 1, "M."), ("zeta", 1, "Z.")))],
    )

    assert slugs(plan_for(document, {"all": ["yes"]})) == ["zeta", "alpha", "mid"]


def test_a_prerequisite_listed_later_in_the_catalog_still_comes_first():
    document = make_document(
        [
            technology("advanced-topic", level="beginner", prerequisites=["base"]),
            technology("base", level="advanced"),
        ],
        [question("go", choice("yes", ("advanced-topic", 1, "Go.")))],
    )

    assert slugs(plan_for(document, {"go": ["yes"]})) == ["base", "advanced-topic"]


def test_stages_are_milestones_one_per_goal_ending_with_it():
    plan = plan_for(
        web_document(), {"goal": ["web"], "framework": ["django"], "database": ["sqlite"]}
    )

    assert [(stage.name, stage.goal, stage.steps, stage.hours) for stage in plan.stages] == [
        ("Django", "django", ("python", "http", "django"), 30 + 5 + 40),
        ("Sqlite", "sqlite", ("sqlite",), 5),
        ("Git", "git", ("git",), 5),
    ]
    assert [item.stage for item in plan.steps] == ["Django", "Django", "Django", "Sqlite", "Git"]
    assert [item.milestone for item in plan.steps] == [
        "django",
        "django",
        "django",
        "sqlite",
        "git",
    ]


def test_nothing_stands_before_the_first_goal_unless_it_serves_it():
    # Catalog order puts the unrelated tools first; by depth they would all come before flask.
    document = make_document(
        [
            technology("linux", name="Linux"),
            technology("git", name="Git", prerequisites=["linux"]),
            technology("sql", name="SQL"),
            technology("python", name="Python"),
            technology("http", name="HTTP", prerequisites=["python"]),
            technology("flask", name="Flask", prerequisites=["http", "python"]),
        ],
        [
            question(
                "goal",
                choice(
                    "site",
                    ("flask", 5, "Flask is small."),
                    ("git", 2, "Share your code."),
                    ("sql", 1, "Keep data."),
                ),
            )
        ],
    )

    plan = plan_for(document, {"goal": ["site"]})

    assert slugs(plan) == ["python", "http", "flask", "linux", "git", "sql"]
    assert [(stage.goal, stage.steps) for stage in plan.stages] == [
        ("flask", ("python", "http", "flask")),
        ("git", ("linux", "git")),
        ("sql", ("sql",)),
    ]


def test_prerequisites_of_one_goal_follow_the_catalog_order_as_soon_as_they_can():
    # goal needs b and c; b needs a. Catalog order: c, b, a, goal.
    document = make_document(
        [
            technology("c"),
            technology("b", prerequisites=["a"]),
            technology("a"),
            technology("goal", prerequisites=["b", "c"]),
        ],
        [question("q", choice("yes", ("goal", 1, "Go.")))],
    )

    # Ready at first: c and a (c first in the catalog); b once a is placed.
    assert slugs(plan_for(document, {"q": ["yes"]})) == ["c", "a", "b", "goal"]


def test_equal_scores_follow_the_catalog_order_and_a_placed_goal_adds_no_milestone():
    document = make_document(
        [technology("zed"), technology("base"), technology("top", prerequisites=["base"])],
        [question("q", choice("yes", ("top", 2, "Top."), ("base", 2, "Base."), ("zed", 2, "Z.")))],
    )

    plan = plan_for(document, {"q": ["yes"]})

    # All score 2: zed, base, top in catalog order; base is a goal of its own, placed before
    # top, so top's milestone holds top alone.
    assert slugs(plan) == ["zed", "base", "top"]
    assert [stage.goal for stage in plan.stages] == ["zed", "base", "top"]


def goals_document() -> dict:
    return make_document(
        [
            technology("python", name="Python"),
            technology("http", name="HTTP", prerequisites=[("python", "Handlers are Python.")]),
            technology("flask", name="Flask", prerequisites=["http"]),
            technology("tornado", name="Tornado", prerequisites=["http"]),
            technology("pandas", name="Pandas", prerequisites=["python"]),
        ],
        [
            question(
                "goal",
                choice("data", ("pandas", 4, "Pandas for data."), ("tornado", -2, "Too much.")),
                choice("nothing"),
                kind="single",
            )
        ],
    )


def plan_with_goals(answers: dict, goals: list, known: tuple = ()) -> Plan:
    catalog = catalog_from_document(goals_document())
    assert validate_answers(catalog, answers, list(known), 5, goals) == {}
    return build_plan(catalog, answers, list(known), 5, goals)


def test_goals_asked_for_come_first_in_the_order_asked():
    plan = plan_with_goals({"goal": ["data"]}, ["tornado", "flask"])

    # tornado (asked first, though scored -2), then flask, then pandas by score.
    assert slugs(plan) == ["python", "http", "tornado", "flask", "pandas"]
    assert [(stage.goal, stage.asked) for stage in plan.stages] == [
        ("tornado", True),
        ("flask", True),
        ("pandas", False),
    ]
    assert plan.goals == ("tornado", "flask")
    # An asked goal scored <= 0 is on the path, recommended, and not "considered".
    assert step(plan, "tornado").recommended and step(plan, "tornado").asked
    assert plan.considered == ()


def test_a_goal_asked_for_says_so_first_and_each_reason_once():
    plan = plan_with_goals({"goal": ["data"]}, ["pandas", "http"])

    assert step(plan, "pandas").reasons == ("You asked for Pandas.", "Pandas for data.")
    assert step(plan, "http").reasons == ("You asked for HTTP.",)
    assert step(plan, "python").reasons == (
        "This is needed before Pandas, HTTP.",
        "Handlers are Python.",
    )
    assert [item.technology for item in plan.considered] == ["tornado"]


def test_asking_twice_counts_once_and_a_known_goal_is_simply_known():
    twice = plan_with_goals({"goal": ["nothing"]}, ["flask", "flask"])
    assert slugs(twice) == ["python", "http", "flask"]
    assert twice.goals == ("flask",)
    assert step(twice, "flask").reasons == ("You asked for Flask.",)

    known = plan_with_goals({"goal": ["nothing"]}, ["flask", "http"], known=("flask",))
    assert slugs(known) == ["python", "http"]
    assert known.known == ("flask",)
    assert [stage.goal for stage in known.stages] == ["http"]


def test_unknown_goal_slugs_are_errors_with_a_suggestion_and_ignored_by_the_planner():
    catalog = catalog_from_document(goals_document())

    assert validate_answers(catalog, {"goal": ["nothing"]}, [], 5, ["flsk", "cobol"]) == {
        "goals": ["Unknown technology 'flsk'; did you mean 'flask'?", "Unknown technology 'cobol'."]
    }
    assert validate_answers(catalog, {"goal": ["nothing"]}, [], 5, "flask") == {
        "goals": ["Goals must be a list of technology slugs."]
    }
    assert build_plan(catalog, {"goal": ["nothing"]}, [], 5, ["cobol"]).steps == ()


def test_the_known_screen_offers_what_the_goals_bring():
    catalog = catalog_from_document(goals_document())

    assert path_candidates(catalog, {"goal": ["nothing"]}, ["flask"]) == [
        "python",
        "http",
        "flask",
    ]


def test_the_same_input_gives_the_same_plan():
    answers = {"goal": ["web"], "framework": ["flask", "django"], "database": ["postgres"]}
    first = plan_for(web_document(), answers, known=["git"])
    second = plan_for(web_document(), dict(reversed(answers.items())), known=["git", "git"])

    assert first == second
    assert json.dumps(plan_to_api(first)) == json.dumps(plan_to_api(second))


# Rule 6: reasons and considered -------------------------------------------------------------


def test_a_step_says_why_it_is_there():
    plan = plan_for(
        web_document(), {"goal": ["web"], "framework": ["django"], "database": ["sqlite"]}
    )

    assert step(plan, "django").reasons == ("Django has admin views built in.",)
    assert step(plan, "http").reasons == (
        "This is needed before Django.",
        "Django views answer HTTP requests.",
    )
    assert step(plan, "python").reasons == ("This is needed before Http, Django.",)


def test_reasons_list_what_raised_it_then_what_needs_it_and_each_why():
    document = make_document(
        [
            technology("python", name="Python"),
            technology(
                "requests", name="Requests", prerequisites=[("python", "It is a Python library.")]
            ),
            technology("django", name="Django", prerequisites=[("python", "Django is Python.")]),
            technology("flask", name="Flask", prerequisites=["python"]),
        ],
        [
            question(
                "goal",
                choice("api", ("requests", 2, "Call APIs."), ("python", 1, "Python first.")),
                choice("web", ("django", 2, "Websites."), ("flask", 1, "Or small ones.")),
                choice("fast", ("python", -1, "Python is slow-ish.")),
            )
        ],
    )

    plan = plan_for(document, {"goal": ["api", "web", "fast"]})

    assert slugs(plan) == ["python", "requests", "django", "flask"]
    # Goals: requests 2 and django 2 (catalog order), flask 1; python (1 - 1 = 0) comes first
    # as what requests needs. The text against python is for "considered", not the step.
    assert step(plan, "python").reasons == (
        "Python first.",
        "This is needed before Requests, Django, Flask.",
        "It is a Python library.",
        "Django is Python.",
    )
    assert step(plan, "flask").reasons == ("Or small ones.",)
    # python scores 1 - 1 = 0: on the path as a prerequisite, and also considered.
    assert not step(plan, "python").recommended
    assert [(item.technology, item.reasons) for item in plan.considered] == [
        ("python", ("Python is slow-ish.",))
    ]


def test_considered_lists_what_an_answer_argued_against_in_catalog_order():
    plan = plan_for(
        web_document(), {"goal": ["web"], "framework": ["django"], "database": ["sqlite"]}
    )

    assert [(item.technology, item.name, item.reasons) for item in plan.considered] == [
        ("flask", "Flask", ("Flask leaves the admin to you.",))
    ]
    assert "flask" not in slugs(plan)


def test_considered_keeps_only_the_reasons_against():
    document = make_document(
        [technology("b"), technology("a")],
        [
            question(
                "q",
                choice("one", ("a", 1, "For a."), ("b", -1, "Against b.")),
                choice("two", ("a", -3, "Against a.")),
            )
        ],
    )

    plan = plan_for(document, {"q": ["one", "two"]})

    assert slugs(plan) == []
    assert [(item.technology, item.reasons) for item in plan.considered] == [
        ("b", ("Against b.",)),
        ("a", ("Against a.",)),
    ]


def test_a_technology_argued_for_and_against_shows_what_raised_it():
    plan = plan_for(
        web_document(),
        {"goal": ["web"], "framework": ["django", "flask"], "database": ["postgres"]},
    )

    # flask: -2 + 3 = 1, recommended, needs http and python.
    assert "flask" in slugs(plan)
    assert step(plan, "flask").reasons == ("Flask is small.",)
    assert plan.considered == ()


# Rule 7: effort -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours_per_week", "weeks"),
    [(1, 60), (7, 9), (8, 8), (10, 6), (12, 5), (40, 2), (59, 2), (60, 1), (80, 1)],
)
def test_weeks_round_up(hours_per_week, weeks):
    plan = plan_for(
        web_document(), {"goal": ["web"], "framework": ["flask"]}, hours_per_week=hours_per_week
    )

    # flask (3) with python and http before it, then git (1).
    assert [(item.technology, item.effort_hours) for item in plan.steps] == [
        ("python", 30),
        ("http", 5),
        ("flask", 20),
        ("git", 5),
    ]
    assert plan.total_hours == 60
    assert plan.weeks == weeks


def test_an_empty_path_takes_no_weeks():
    document = make_document([technology("python")], [question("q", choice("none"))])

    plan = plan_for(document, {"q": ["none"]})

    assert plan.steps == ()
    assert plan.stages == ()
    assert (plan.total_hours, plan.weeks) == (0, 0)


# Rule 8: projects ---------------------------------------------------------------------------


def projects_document() -> dict:
    return make_document(
        [
            technology("python"),
            technology("argparse", prerequisites=["python"]),
            technology("requests", prerequisites=["python"]),
            technology("django", level="intermediate", prerequisites=["python"]),
        ],
        [question("goal", choice("scripts", ("argparse", 1, "A."), ("requests", 1, "R.")))],
        projects=[
            project("weather", "requests", "argparse"),
            project("hello", "python"),
            project("blog", "django", "python"),
            project("greeter", "argparse"),
            project("pure-knowledge", "python", "argparse"),
        ],
    )


def test_a_project_stands_right_after_the_last_technology_it_uses():
    plan = plan_for(projects_document(), {"goal": ["scripts"]})

    assert slugs(plan) == ["python", "argparse", "requests"]
    assert [(item.slug, item.after) for item in plan.projects] == [
        ("hello", "python"),
        ("greeter", "argparse"),
        ("pure-knowledge", "argparse"),
        ("weather", "requests"),
    ]
    assert [
        item.technology if isinstance(item, Step) else item.slug for item in plan.timeline()
    ] == [
        "python",
        "hello",
        "argparse",
        "greeter",
        "pure-knowledge",
        "requests",
        "weather",
    ]


def test_a_project_needs_everything_it_uses_on_the_path_or_known_and_one_on_the_path():
    plan = plan_for(projects_document(), {"goal": ["scripts"]}, known=["python", "argparse"])

    # blog needs django (neither on the path nor known); hello and pure-knowledge use only known
    # technologies; weather uses requests (path) and argparse (known).
    assert slugs(plan) == ["requests"]
    assert [(item.slug, item.after) for item in plan.projects] == [("weather", "requests")]


def test_timeline_by_stage_puts_projects_inside_their_stage():
    plan = plan_for(projects_document(), {"goal": ["scripts"]})

    grouped = [
        (stage.name, [getattr(item, "technology", None) or item.slug for item in items])
        for stage, items in plan.timeline_by_stage()
    ]

    # Goals argparse and requests (both 1, catalog order); python comes with argparse.
    assert grouped == [
        ("Argparse", ["python", "hello", "argparse", "greeter", "pure-knowledge"]),
        ("Requests", ["requests", "weather"]),
    ]
    assert [item.is_project for _, items in plan.timeline_by_stage() for item in items] == [
        False,
        True,
        False,
        True,
        True,
        False,
        True,
    ]
    assert isinstance(plan.projects[0], PlacedProject)


# validate_answers ---------------------------------------------------------------------------


def errors_for(answers: object, known: object = (), hours_per_week: object = 5) -> dict:
    catalog = catalog_from_document(web_document())
    return validate_answers(
        catalog, answers, list(known) if isinstance(known, tuple) else known, hours_per_week
    )


def test_valid_input_has_no_errors():
    assert errors_for({"goal": ["web"], "framework": ["django"], "database": ["sqlite"]}) == {}
    assert errors_for({"goal": ["scripts"]}, known=["python"], hours_per_week=80) == {}
    assert errors_for({"goal": ["scripts"]}, hours_per_week=1) == {}


def test_unknown_question_is_named_with_a_suggestion():
    assert errors_for({"goal": ["scripts"], "framwork": ["django"]}) == {
        "answers": ["Unknown question 'framwork'; did you mean 'framework'?"]
    }
    assert errors_for({"goal": ["scripts"], "zzz": ["django"]}) == {
        "answers": ["Unknown question 'zzz'."]
    }


def test_unknown_choice_is_named_with_a_suggestion_even_on_a_hidden_question():
    assert errors_for({"goal": ["webb"]}) == {
        "answers": ["Question 'goal' has no choice 'webb'; did you mean 'web'?"]
    }
    assert errors_for({"goal": ["scripts"], "framework": ["rails"]}) == {
        "answers": ["Question 'framework' has no choice 'rails'."]
    }


def test_a_single_question_takes_exactly_one_choice():
    assert errors_for({"goal": ["web", "scripts"], "framework": ["flask"]}) == {
        "answers": ["Question 'goal' takes exactly one choice."]
    }
    # Answers to a hidden question are ignored, however many.
    assert errors_for({"goal": ["scripts"], "database": ["postgres", "sqlite"]}) == {}


def test_a_choice_listed_twice_is_an_error():
    assert errors_for({"goal": ["web"], "framework": ["flask", "flask"]}) == {
        "answers": ["Question 'framework' lists choice 'flask' twice."]
    }


def test_every_visible_question_must_be_answered():
    assert errors_for({}) == {"answers": ["Question 'goal' must be answered."]}
    assert errors_for({"goal": ["web"], "framework": []}) == {
        "answers": ["Question 'framework' must be answered."]
    }
    assert errors_for({"goal": ["web"], "framework": ["django"]}) == {
        "answers": ["Question 'database' must be answered."]
    }


@pytest.mark.parametrize("hours_per_week", [0, 81, -5, 5.0, 5.5, "5", True, False, None, [5]])
def test_hours_per_week_must_be_a_whole_number_from_1_to_80(hours_per_week):
    assert errors_for({"goal": ["scripts"]}, hours_per_week=hours_per_week) == {
        "hours_per_week": ["Hours per week must be a whole number from 1 to 80."]
    }


def test_unknown_known_technology_is_named_with_a_suggestion():
    assert errors_for({"goal": ["scripts"]}, known=["pyhton", "python", "cobol"]) == {
        "known": [
            "Unknown technology 'pyhton'; did you mean 'python'?",
            "Unknown technology 'cobol'.",
        ]
    }


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (None, "Answers must be an object that maps question slugs to lists of choice slugs."),
        (["goal"], "Answers must be an object that maps question slugs to lists of choice slugs."),
        (
            "goal=web",
            "Answers must be an object that maps question slugs to lists of choice slugs.",
        ),
        ({"goal": "scripts"}, "Question 'goal' takes a list of choice slugs."),
        ({"goal": None}, "Question 'goal' takes a list of choice slugs."),
        ({"goal": [1]}, "Question 'goal' takes a list of choice slugs."),
        ({"goal": [["scripts"]]}, "Question 'goal' takes a list of choice slugs."),
        ({"goal": {"scripts": True}}, "Question 'goal' takes a list of choice slugs."),
    ],
)
def test_answers_of_the_wrong_type_are_errors(answers, message):
    assert errors_for(answers) == {"answers": [message]}


def test_a_question_slug_that_is_not_a_string_is_an_error():
    assert errors_for({"goal": ["scripts"], 3: ["x"]}) == {
        "answers": ["Question slugs must be strings."]
    }


@pytest.mark.parametrize("known", [None, "python", {"python": True}, [1], [None], [["python"]], 5])
def test_known_of_the_wrong_type_is_an_error(known):
    assert errors_for({"goal": ["scripts"]}, known=known) == {
        "known": ["Known technologies must be a list of technology slugs."]
    }


def test_every_field_reports_its_errors_together():
    errors = errors_for({"gaol": ["web"]}, known=["djanog"], hours_per_week=0)

    assert errors == {
        "answers": [
            "Unknown question 'gaol'; did you mean 'goal'?",
            "Question 'goal' must be answered.",
        ],
        "known": ["Unknown technology 'djanog'; did you mean 'django'?"],
        "hours_per_week": ["Hours per week must be a whole number from 1 to 80."],
    }


def test_floods_of_bad_input_give_a_short_answer():
    errors = errors_for({"goal": ["scripts"]}, known=[f"nope-{number}" for number in range(5000)])

    assert len(errors["known"]) == 21
    assert errors["known"][-1] == "And 4980 more problems."


def test_long_garbage_is_cut_short_in_messages():
    errors = errors_for({"x" * 10_000: ["web"], "goal": ["scripts"]})

    assert errors == {"answers": [f"Unknown question '{'x' * 63}…'."]}


@pytest.mark.parametrize(
    "garbage",
    [
        0,
        1.5,
        True,
        "",
        "[]",
        b"x",
        [],
        [[]],
        [{}],
        {},
        {"": []},
        {"goal": [None, 2, "web"]},
        {"goal": ["web"], "framework": {"a": 1}},
        float("nan"),
        object(),
    ],
)
def test_validation_never_raises(garbage):
    errors = errors_for(garbage, known=garbage, hours_per_week=garbage)

    assert "hours_per_week" in errors
    assert all(isinstance(message, str) for messages in errors.values() for message in messages)


# plan_to_api --------------------------------------------------------------------------------


def test_plan_to_api_has_exactly_the_documented_shape():
    answers = {"goal": ["web"], "framework": ["django"], "database": ["sqlite"]}
    document = web_document()
    document["projects"] = [project("blog", "django", "sqlite")]

    body = plan_to_api(plan_for(document, answers, known=["git"], hours_per_week=7))

    assert body == {
        "steps": [
            {
                "technology": "python",
                "name": "Python",
                "reasons": ["This is needed before Http, Django."],
                "effort_hours": 30,
                "prerequisites": [],
            },
            {
                "technology": "http",
                "name": "Http",
                "reasons": ["This is needed before Django.", "Django views answer HTTP requests."],
                "effort_hours": 5,
                "prerequisites": ["python"],
            },
            {
                "technology": "django",
                "name": "Django",
                "reasons": ["Django has admin views built in."],
                "effort_hours": 40,
                "prerequisites": ["python", "http"],
            },
            {
                "technology": "sqlite",
                "name": "Sqlite",
                "reasons": ["SQLite needs no server."],
                "effort_hours": 5,
                "prerequisites": [],
            },
        ],
        "projects": [{"project": "blog", "title": "Blog", "after": "sqlite"}],
        "considered": [{"technology": "flask", "reasons": ["Flask leaves the admin to you."]}],
        "total_hours": 80,
        "weeks": 12,
    }
    assert json.loads(json.dumps(body)) == body


def test_plan_to_api_of_an_empty_plan():
    document = make_document([technology("python")], [question("q", choice("none"))])

    assert plan_to_api(plan_for(document, {"q": ["none"]})) == {
        "steps": [],
        "projects": [],
        "considered": [],
        "total_hours": 0,
        "weeks": 0,
    }


# catalog_from_document ----------------------------------------------------------------------


def test_a_document_with_a_cycle_or_a_dangling_slug_is_refused():
    cyclic = make_document(
        [technology("a", prerequisites=["b"]), technology("b", prerequisites=["a"])], []
    )
    dangling = make_document([technology("a", prerequisites=["ghost"])], [])

    with pytest.raises(ValueError):
        catalog_from_document(cyclic)
    with pytest.raises(ValueError, match="ghost"):
        catalog_from_document(dangling)


def test_steps_carry_what_templates_show():
    plan = plan_for(
        web_document(), {"goal": ["web"], "framework": ["django"], "database": ["sqlite"]}
    )

    django = step(plan, "django")

    assert (django.name, django.kind, django.level, django.effort_hours) == (
        "Django",
        "tool",
        "intermediate",
        40,
    )
    assert django.alternatives == ("flask",)
    assert django.checkpoints == ("Build a model and edit it in the admin.",)
    assert plan.hours_per_week == 10


def test_a_choice_listed_twice_on_a_hidden_question_is_ignored():
    assert errors_for({"goal": ["scripts"], "framework": ["flask", "flask"]}) == {}
