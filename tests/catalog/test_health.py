"""Catalog health: check_catalog --lint and the admin's health page, on catalogs made for it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.generator import generate_document
from catalog.health import lint
from catalog.yaml_writer import dump_catalog
from paths.models import Progress
from paths.services import learner_create
from tests.factories import make_document, make_path, make_technology


def unhealthy() -> dict:
    """make_document() with one of each thing a curator should hear about."""
    document = make_document()
    document["technologies"].append(
        make_technology("orphan", name="Orphan Kit", checkpoints=[], prerequisites=["basics"])
    )
    goal = document["questions"][0]
    goal["choices"].append(
        {
            "slug": "sites-too",
            "label": "Web pages",
            "recommends": [{"technology": "webfw", "weight": 1, "because": "Pages."}],
            "knows": [],
        }
    )
    document["questions"].append(
        {
            "slug": "mood",
            "prompt": "How do you feel?",
            "help": "",
            "kind": "single",
            "show_if": None,
            "choices": [{"slug": "fine", "label": "Fine", "recommends": [], "knows": []}],
        }
    )
    return document


def test_lint_names_each_kind_of_finding():
    texts = {(f.kind, f.text) for f in lint(unhealthy())}
    assert (
        "unreachable",
        "Orphan Kit (orphan): no choice recommends it, and it is no prerequisite of anything "
        "a choice recommends",
    ) in texts
    # webfw's prerequisites (web, basics) are reachable through it: not reported.
    assert not any(kind == "unreachable" and "(web)" in text for kind, text in texts)
    assert ("no-checkpoints", "Orphan Kit (orphan) has no checkpoints") in texts
    assert ("no-resources", "Basics (basics) has no resources") in texts
    assert ("no-resources", "Web Framework (webfw) has no resources") not in texts
    assert (
        "recommends-nothing",
        '"How do you feel?" (mood): none of its choices recommends anything',
    ) in texts
    assert (
        "redundant",
        '"Web pages" (goal/sites-too) recommends only what "A website" (site) already does: '
        "Web Framework",
    ) in texts
    assert not any(kind == "redundant" and "goal/site)" in text for kind, text in texts)


def test_a_healthy_catalog_has_no_unreachable_or_redundant_findings():
    kinds = {finding.kind for finding in lint(make_document())}
    assert not kinds & {"unreachable", "redundant", "recommends-nothing"}


def test_check_catalog_lint_prints_the_findings_in_words(tmp_path: Path):
    path = tmp_path / "catalog.yaml"
    path.write_text(dump_catalog(unhealthy()), encoding="utf-8")
    out = io.StringIO()
    call_command("check_catalog", str(path), "--lint", stdout=out)
    text = out.getvalue()
    assert "No answer can put these on a path (1):\n  Orphan Kit (orphan)" in text
    assert "Questions whose choices recommend nothing (1):" in text
    assert "Choices that recommend only what another choice already does (1):" in text
    plain = io.StringIO()
    call_command("check_catalog", str(path), stdout=plain)
    assert "Orphan" not in plain.getvalue()


@pytest.fixture
def curator(client, django_user_model):
    user = django_user_model.objects.create_superuser("curator", "c@example.org", "pw-curator-1")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_health_page_shows_findings_and_counts_from_saved_paths(curator, load_document):
    load_document(unhealthy())
    first = make_path(answers={"goal": ["site", "tools"], "size": ["large"], "mood": ["fine"]})
    make_path(answers={"goal": ["site"], "size": ["small"], "mood": ["fine"]})
    for slug in ("web", "web", "basics"):
        Progress.objects.create(learner=learner_create(), technology_slug=slug, status="skipped")
    html = curator.get(reverse("admin-catalog-health")).content.decode()
    assert "No answer can put these on a path: 1" in html
    assert "Orphan Kit (orphan)" in html
    assert "How often each choice is picked (2 saved paths)" in html
    assert "<td>What do you want to make?</td><td>A website</td><td>2</td>" in html
    assert "<td>How big is the site?</td><td>Small</td><td>1</td>" in html
    assert "<td>What do you want to make?</td><td>Web pages</td><td>0</td>" in html
    assert "<td>What do you want to make?</td><td>Little tools</td><td>1</td>" in html
    skipped = html[html.index("Skipped” most") :]
    assert skipped.index("<td>Web Protocol</td><td>2</td>") < skipped.index(
        "<td>Basics</td><td>1</td>"
    )
    assert str(first.learner_id) not in html and str(first.pk) not in html.split("<table>")[1]


@pytest.mark.django_db
def test_the_health_page_runs_the_same_queries_at_two_catalog_sizes(curator, load_document):
    counts = []
    for size in (15, 150):
        load_document(generate_document(size, seed=size))
        make_path()
        curator.get(reverse("admin-catalog-health"))  # the document, once per version
        with CaptureQueriesContext(connection) as captured:
            assert curator.get(reverse("admin-catalog-health")).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
