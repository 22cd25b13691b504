"""Small catalogs built in code, so tests never depend on the default catalog's content."""

from __future__ import annotations

import copy


def make_technology(slug: str, **overrides: object) -> dict:
    """A normalized technology entry (docs/catalog-document.md) with sensible defaults."""
    technology = {
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "kind": "library",
        "level": "beginner",
        "categories": ["alpha"],
        "summary": f"Summary of {slug}.",
        "highlights": [],
        "aliases": [],
        "checkpoints": [f"Use {slug} in a small program."],
        "effort_hours": 10,
        "prerequisites": [],
        "alternatives": [],
        "homepage": "",
        "resources": [],
    }
    technology.update(overrides)
    technology["prerequisites"] = [
        p if isinstance(p, dict) else {"technology": p, "why": ""}
        for p in technology["prerequisites"]
    ]
    return technology


def make_document(**overrides: object) -> dict:
    """A small, valid normalized catalog: two categories, five technologies, two questions.

    Graph: basics → web → webfw; basics → scripting; webfw's alternative is microfw.
    """
    document = {
        "version": 1,
        "categories": [
            {"slug": "alpha", "name": "Alpha things", "summary": "The first category."},
            {"slug": "beta", "name": "Beta things", "summary": "The second category."},
        ],
        "technologies": [
            make_technology("basics", name="Basics", kind="language", effort_hours=40),
            make_technology(
                "web",
                name="Web Protocol",
                kind="practice",
                prerequisites=[{"technology": "basics", "why": "You write handlers in it."}],
            ),
            make_technology(
                "webfw",
                name="Web Framework",
                kind="framework",
                level="intermediate",
                categories=["alpha", "beta"],
                prerequisites=["web"],
                alternatives=["microfw"],
                highlights=["Admin pages", "An ORM"],
                homepage="https://example.org/webfw/",
                resources=[
                    {
                        "title": "Official tutorial",
                        "url": "https://example.org/t",
                        "kind": "tutorial",
                    }
                ],
                effort_hours=30,
            ),
            make_technology(
                "microfw",
                name="Micro Framework",
                kind="framework",
                categories=["beta"],
                prerequisites=["web"],
                alternatives=["webfw"],
            ),
            make_technology(
                "scripting",
                name="Scripting Kit",
                kind="stdlib",
                categories=["beta"],
                prerequisites=["basics"],
                effort_hours=5,
            ),
        ],
        "projects": [
            {
                "slug": "site",
                "title": "A tiny site",
                "brief": "Build a page with the framework.",
                "uses": ["webfw"],
            }
        ],
        "questions": [
            {
                "slug": "goal",
                "prompt": "What do you want to make?",
                "help": "Pick all that apply.",
                "kind": "multiple",
                "show_if": None,
                "choices": [
                    {
                        "slug": "site",
                        "label": "A website",
                        "recommends": [
                            {"technology": "webfw", "weight": 3, "because": "Sites need it."}
                        ],
                        "knows": [],
                    },
                    {
                        "slug": "tools",
                        "label": "Little tools",
                        "recommends": [
                            {"technology": "scripting", "weight": 2, "because": "Tools need it."}
                        ],
                        "knows": [],
                    },
                ],
            },
            {
                "slug": "size",
                "prompt": "How big is the site?",
                "help": "",
                "kind": "single",
                "show_if": {"question": "goal", "any_of": ["site"]},
                "choices": [
                    {
                        "slug": "small",
                        "label": "Small",
                        "recommends": [
                            {"technology": "microfw", "weight": 4, "because": "Small is light."},
                            {"technology": "webfw", "weight": -5, "because": "Too heavy."},
                        ],
                        "knows": [],
                    },
                    {
                        "slug": "large",
                        "label": "Large",
                        "recommends": [],
                        "knows": ["basics"],
                    },
                ],
            },
        ],
    }
    document.update(copy.deepcopy(overrides))
    return document


def first_choice_answers(document) -> dict[str, list[str]]:
    """Valid answers for any catalog (a document or its plain data): every choice of a multiple
    question, the first choice of a single one, for each question that is visible given the
    answers before it."""
    from catalog.document import as_document

    answers: dict[str, list[str]] = {}
    for question in as_document(document).questions:
        show_if = question.show_if
        if show_if and not set(show_if.any_of) & set(answers.get(show_if.question, ())):
            continue
        slugs = list(question.choice_slugs)
        answers[question.slug] = slugs[:1] if question.is_single else slugs
    return answers


def chain_document(size: int) -> dict:
    """A valid catalog of `size` technologies in one prerequisite chain, each the alternative
    of the next, one project and one question recommending the last: large input for the
    validator (tests/catalog/test_yaml_schema.py checks it, `make bench` times it)."""
    document = make_document()
    template = document["technologies"][1]
    document["technologies"] = [
        {
            **template,
            "slug": f"tech-{n}",
            "prerequisites": [{"technology": f"tech-{n - 1}", "why": ""}] if n else [],
            "alternatives": [f"tech-{n + 1}"] if n < size - 1 else [],
        }
        for n in range(size)
    ]
    last = f"tech-{size - 1}"
    document["projects"] = [{"slug": "p", "title": "P", "brief": "B.", "uses": [last]}]
    question = document["questions"][0]
    question["choices"] = question["choices"][:1]
    question["choices"][0]["recommends"] = [
        {"technology": last, "weight": 1, "because": "The end."}
    ]
    document["questions"] = [question]
    return document


# Answers to make_document()'s questions that open every question and choose two goals.
SMALL_ANSWERS = {"goal": ["site", "tools"], "size": ["large"]}


def make_path(*, learner=None, answers=None, known=(), hours_per_week: int = 5):
    """A saved path over the loaded catalog, made by the real service (database needed)."""
    from catalog.selectors import catalog_document
    from paths.services import learner_create, path_create

    if answers is None:
        answers = first_choice_answers(catalog_document()[1])
    return path_create(
        learner=learner or learner_create(),
        answers=answers,
        known=list(known),
        hours_per_week=hours_per_week,
    )


def act_as(client, learner) -> None:
    """Make the test client's session belong to `learner` (as the questionnaire would)."""
    session = client.session
    session["learner_id"] = str(learner.pk)
    session.save()


def shipped_catalog_size() -> int:
    """How many technologies the shipped catalog (fixtures/catalog.yaml) holds, whatever it
    holds: query budgets are pinned at a hundred times that size too."""
    from django.conf import settings

    from catalog.validation import parse_catalog

    shipped = parse_catalog((settings.BASE_DIR / "fixtures" / "catalog.yaml").read_bytes())
    return len(shipped.technologies)


def make_chain_document() -> dict:
    """A catalog whose path is one → two → three → four, with a project that uses only the
    first two: it belongs between the steps (after two, before three), not at the end."""
    return make_document(
        technologies=[
            make_technology("one", name="Step One", kind="language"),
            make_technology("two", name="Step Two", prerequisites=["one"]),
            make_technology("three", name="Step Three", prerequisites=["two"]),
            make_technology("four", name="Step Four", prerequisites=["three"]),
        ],
        projects=[
            {"slug": "late", "title": "Late project", "brief": "Use all four.", "uses": ["four"]},
            {
                "slug": "early",
                "title": "Early project",
                "brief": "Use the first two.",
                "uses": ["two", "one"],
            },
        ],
        questions=[
            {
                "slug": "goal",
                "prompt": "Go all the way?",
                "help": "",
                "kind": "single",
                "show_if": None,
                "choices": [
                    {
                        "slug": "yes",
                        "label": "Yes",
                        "recommends": [{"technology": "four", "weight": 1, "because": "The end."}],
                        "knows": [],
                    }
                ],
            }
        ],
    )


CHAIN_ANSWERS = {"goal": ["yes"]}
