"""Browser tests: pytest-playwright driving Debian's Chromium against the live server."""

from __future__ import annotations

import os
import re
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Chromium as root in a closed network: no sandbox, no background connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Records CSP violations in the page, read back by `page_problems`.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def pytest_collection_modifyitems(config, items):
    """Mark every test here as a browser test; skip them loudly when Chromium is missing."""
    here = os.path.dirname(__file__)
    missing = not (os.path.exists(CHROMIUM) or shutil.which("chromium"))
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
            if missing:
                if os.environ.get("CI") == "true":
                    raise pytest.UsageError(f"CI=true and Chromium is missing at {CHROMIUM}")
                item.add_marker(pytest.mark.skip(reason=f"Chromium not installed at {CHROMIUM}"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def page_problems(page):
    """Console errors, page errors and CSP violations seen by `page` during the test."""
    problems: list[str] = []
    page.add_init_script(CSP_LISTENER)
    page.on(
        "console", lambda m: problems.append(f"console {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda error: problems.append(f"pageerror {error}"))

    def collect() -> list[str]:
        try:
            violations = page.evaluate("window.__cspViolations || []")
        except Exception:  # the page may be mid-navigation
            violations = []
        return problems + [f"csp {v}" for v in violations]

    return collect


@pytest.fixture
def nojs_page(browser):
    """A page in a context with JavaScript switched off."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[str]:
    """Run axe-core in the page and return one line per violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes: "
        f"{[node['target'] for node in violation['nodes']][:3]})"
        for violation in results.response["violations"]
    ]


def answer_small_questions(page) -> None:
    """From the first screen of the small catalog's questionnaire (tests/factories.py), answer
    "A website" and "Large", and land on "What do you already know?"."""
    page.get_by_label("A website").check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/advisor/q/size/")
    page.get_by_label("Large").check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/advisor/known/")


def answer_small_questionnaire(page, *, hours: str | None = None) -> None:
    """`answer_small_questions`, then keep what it offers as known and land on the saved
    path."""
    answer_small_questions(page)
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/advisor/hours/")
    if hours is not None:
        page.get_by_label("Hours per week").fill(hours)
    page.get_by_role("button", name="Show my path").click()
    page.wait_for_url(re.compile(r"/paths/[A-Za-z0-9_-]{32}/$"))
