"""The Markdown export of a saved path (paths/markdown.py): totals, progress, a checkbox per
step with reasons, effort and resource links, and everything escaped."""

from __future__ import annotations

from datetime import date

from paths.markdown import escape, link_target, path_markdown
from tests.factories import CHAIN_ANSWERS, make_chain_document, make_path

SITE_LARGE = {"goal": ["site", "tools"], "size": ["large"]}


def render(path, statuses=None, name="") -> str:
    return path_markdown(
        snapshot=path.snapshot,
        statuses=statuses or {},
        url="https://example.org/paths/abc/",
        today=date(2025, 1, 6),
        name=name,
    )


def test_title_totals_and_stages(small_catalog):
    text = render(make_path(answers=SITE_LARGE, hours_per_week=4))
    assert text.startswith("# Your learning path\n\n")
    assert "- Total effort: 45 hours\n" in text
    assert "- Weeks: 12 at 4 hours a week\n" in text
    assert "- Progress: 0 of 3 steps done, 45 hours left\n" in text
    # Web Protocol and Web Framework (the first goal, 3), then Scripting Kit (2): 10, 30 and 5
    # hours at 4 a week, 18 + 53 + 9 days from 6 January, the last on 26 March.
    assert "- Estimated finish: 26 March 2025 (at this pace from 6 January 2025)\n" in text
    assert "- Online: <https://example.org/paths/abc/>\n" in text
    assert text.index("## Milestone 1: Web Framework") < text.index("**1. Web Protocol**")
    assert text.index("**2. Web Framework**") < text.index("## Milestone 2: Scripting Kit")
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_each_step_has_a_checkbox_done_ones_ticked(small_catalog):
    text = render(make_path(answers=SITE_LARGE), {"web": "done", "scripting": "doing"})
    assert "- [x] **1. Web Protocol** — 10 hours (Done)\n" in text
    assert "- [ ] **2. Web Framework** — 30 hours (To do)\n" in text
    assert "- [ ] **3. Scripting Kit** — 5 hours (Doing)\n" in text


def test_reasons_checkpoints_alternatives_and_resources(small_catalog):
    text = render(make_path(answers=SITE_LARGE))
    webfw = text[text.index("**2. Web Framework**") : text.index("**3. Scripting Kit**")]
    assert "  - Why: Sites need it.\n" in webfw
    assert "  - Or instead: Micro Framework\n" in webfw
    assert "  - Ready to move on when you can:\n    - Use webfw in a small program.\n" in webfw
    assert "  - Resources:\n    - [Official tutorial](https://example.org/t) (tutorial)\n" in webfw
    assert "  - Why: This is needed before Web Framework.\n" in text


def test_projects_stand_after_their_step(small_catalog):
    text = render(make_path(answers=SITE_LARGE))
    project = text.index("> **Project: A tiny site** — Build a page with the framework.")
    assert text.index("**2. Web Framework**") < project < text.index("**3. Scripting Kit**")
    assert "(uses Web Framework)" in text


def test_a_project_stands_right_after_its_last_technology_not_at_the_end(load_document):
    load_document(make_chain_document())
    text = render(make_path(answers=CHAIN_ANSWERS))
    early = text.index("> **Project: Early project** — Use the first two. (uses ")
    assert text.index("**2. Step Two**") < early < text.index("**3. Step Three**")
    assert text.index("**4. Step Four**") < text.index("> **Project: Late project**")


def test_considered_and_known(small_catalog):
    text = render(make_path(answers={"goal": ["site"], "size": ["small"]}, known=["basics"]))
    assert "## Considered, not recommended\n\n- Web Framework: Too heavy.\n" in text
    assert "## Already known\n\nLeft out because you know them: Basics.\n" in text


def test_an_empty_path(small_catalog):
    text = render(make_path(answers={"goal": ["tools"]}, known=["basics", "scripting"]))
    assert "nothing new to learn" in text and "- [" not in text


def test_curator_text_cannot_inject_markdown():
    assert escape("*bold* [link](x) <b>\n  next_line") == r"\*bold\* \[link\](x) \<b\> next\_line"
    assert link_target("https://example.org/a b(c)") == "https://example.org/a%20b%28c%29"


def test_progress_moves_the_totals_and_the_finish(small_catalog):
    path = make_path(answers=SITE_LARGE, hours_per_week=4)
    text = render(path, {"web": "done", "webfw": "skipped", "scripting": "doing"})
    assert "- Progress: 1 of 2 steps done, 1 skipped, 5 hours left\n" in text
    # Only scripting is left: 9 days from 6 January.
    assert "- Estimated finish: 14 January 2025 (at this pace from 6 January 2025)\n" in text
    assert "- [ ] **2. Web Framework** — 30 hours (Skipped)\n" in text
    text = render(path, {"web": "done", "webfw": "done", "scripting": "done"})
    assert "- Progress: 3 of 3 steps done, 0 hours left\n" in text
    assert "- Estimated finish: every step is done\n" in text


def test_the_path_name_is_escaped(small_catalog):
    text = render(make_path(answers=SITE_LARGE), name="<script>*Mine*</script> [x](javascript:y)")
    assert "For: \\<script\\>\\*Mine\\*\\</script\\> \\[x\\](javascript:y)\n" in text
    assert "<script>" not in text
