"""A curator's journey in Chromium, with JavaScript and without: upload a file, read its plan,
apply it, find it in the history; try the questionnaire; read the catalog's health. No CSP
violation, no console error, zero axe violations."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.browser.conftest import axe_violations
from tests.factories import make_document

pytestmark = pytest.mark.django_db(transaction=True)

ADMIN = "/" + settings.ADMIN_URL
PASSWORD = "correct-horse-battery-42"


def log_in(page, live_server) -> None:
    page.goto(live_server.url + ADMIN + "login/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("scheme", ["js", "nojs"])
def test_upload_plan_apply_history_preview_and_health(
    scheme, live_server, page, nojs_page, page_problems, small_catalog, django_user_model, tmp_path
):
    from catalog.yaml_writer import dump_catalog

    django_user_model.objects.create_superuser("curator", "c@example.org", PASSWORD)
    browser_page = page if scheme == "js" else nojs_page
    log_in(browser_page, live_server)
    changed = make_document()
    changed["technologies"][1]["name"] = "Web Protocol (HTTP)"
    path = tmp_path / "next.yaml"
    path.write_text(dump_catalog(changed), encoding="utf-8")

    browser_page.goto(live_server.url + ADMIN + "catalog/upload/")
    if scheme == "js":
        assert axe_violations(browser_page) == []
    browser_page.get_by_label("Catalog file (YAML)").set_input_files(str(path))
    browser_page.get_by_role("button", name="Show what it would change").click()
    browser_page.wait_for_load_state()
    plan = browser_page.get_by_role("region", name="What loading next.yaml would change")
    assert 'update technology web: name "Web Protocol" -> "Web Protocol (HTTP)"' in (
        plan.inner_text()
    )
    if scheme == "js":
        assert axe_violations(browser_page) == []
    browser_page.get_by_role("button", name="Apply these changes").click()
    browser_page.wait_for_load_state()
    assert "admin upload next.yaml" in browser_page.content()

    browser_page.goto(live_server.url + ADMIN + "catalog/preview/")
    browser_page.get_by_label("A website").check()
    browser_page.get_by_role("button", name="Show the path").click()
    browser_page.wait_for_load_state()
    shown = browser_page.get_by_role("region", name="The path with the catalog as it is")
    assert "Web Framework" in shown.inner_text() and "Sites need it." in shown.inner_text()
    if scheme == "js":
        assert axe_violations(browser_page) == []

    browser_page.goto(live_server.url + ADMIN + "catalog/health/")
    assert "How often each choice is picked" in browser_page.content()
    if scheme == "js":
        assert axe_violations(browser_page) == []
        assert page_problems() == []
