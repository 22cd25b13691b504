"""The admin's upload: a YAML file shown as the same plan as the command, then applied or
cancelled; the history of catalog versions; query budgets at two catalog sizes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.generator import generate_document
from catalog.models import CatalogChange, Recommendation
from catalog.selectors import build_document
from catalog.versioning import current_version
from catalog.yaml_writer import dump_catalog
from tests.factories import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client, django_user_model):
    user = django_user_model.objects.create_superuser("curator", "c@example.org", "pw-curator-1")
    client.force_login(user)
    return client


def upload(client, document: dict | str, *, prune: bool = False, name: str = "mine.yaml"):
    text = document if isinstance(document, str) else dump_catalog(document)
    data = {"file": SimpleUploadedFile(name, text.encode(), content_type="application/yaml")}
    if prune:
        data["prune"] = "on"
    return client.post(reverse("admin-catalog-upload"), data)


def snapshot() -> tuple:
    return current_version(), build_document()


def edited() -> dict:
    document = make_document()
    document["technologies"][1]["name"] = "Web Protocol (HTTP)"
    document["categories"].append({"slug": "gamma", "name": "Gamma", "summary": "Third."})
    return document


def test_the_upload_page_opens_for_staff_only(curator, client, small_catalog):
    page = curator.get(reverse("admin-catalog-upload"))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    assert "Load a catalog file" in curator.get(reverse("admin:index")).content.decode()
    client.logout()
    assert client.get(reverse("admin-catalog-upload")).status_code == 302


def test_an_upload_shows_the_plan_then_applies_it(curator, small_catalog):
    before = snapshot()
    shown = upload(curator, edited())
    html = shown.content.decode()
    assert shown.status_code == 200
    assert "create category gamma" in html
    assert (
        "update technology web: name &quot;Web Protocol&quot; -&gt; &quot;Web Protocol (HTTP)"
        in html
    )
    assert snapshot() == before  # shown, not written
    applied = curator.post(reverse("admin-catalog-upload-apply"), {"apply": "1"})
    assert applied.status_code == 302
    assert build_document().model_dump(mode="json") == edited()
    record = CatalogChange.objects.get(source="admin upload mine.yaml")
    assert record.user.username == "curator"
    assert record.source == "admin upload mine.yaml"
    assert "create category gamma" in record.lines
    history = curator.get(reverse("admin:catalog_catalogchange_changelist")).content.decode()
    assert "admin upload mine.yaml" in history
    detail = curator.get(reverse("admin:catalog_catalogchange_change", args=[record.pk]))
    assert "<code>create category gamma</code>" in detail.content.decode()


def test_cancel_changes_nothing(curator, small_catalog):
    before = snapshot()
    upload(curator, edited())
    response = curator.post(reverse("admin-catalog-upload-apply"), {"cancel": "1"}, follow=True)
    assert "Nothing was changed." in response.content.decode()
    assert snapshot() == before
    # The plan is gone: applying now does nothing either.
    curator.post(reverse("admin-catalog-upload-apply"), {"apply": "1"})
    assert snapshot() == before


def test_a_bad_file_shows_the_located_errors_and_changes_nothing(curator, small_catalog):
    before = snapshot()
    text = dump_catalog(make_document()).replace("kind: framework", "kind: frame-work", 1)
    text = text.replace("effort_hours: 30", "effort_hours: zero")
    response = upload(curator, text, name="broken.yaml")
    html = response.content.decode()
    assert response.status_code == 400
    assert "The file has 2 errors; nothing was changed." in html
    assert "broken.yaml:" in html and "technologies[2].kind" in html
    assert "technologies[2].effort_hours" in html
    assert "Apply these changes" not in html
    assert snapshot() == before


def test_a_matching_file_says_no_changes(curator, small_catalog):
    html = upload(curator, make_document()).content.decode()
    assert "No changes." in html and "Apply these changes" not in html


def test_an_upload_that_would_overwrite_admin_edits_asks_first(curator, small_catalog):
    recommendation = Recommendation.objects.get(choice__slug="site")
    recommendation.because = "Edited in the admin."
    recommendation.save()
    html = upload(curator, edited()).content.decode()
    assert "Edited since the last load or export" in html and "question goal" in html
    before = snapshot()
    refused = curator.post(reverse("admin-catalog-upload-apply"), {"apply": "1"})
    assert refused.status_code == 409
    assert "Nothing was changed" in refused.content.decode()
    assert snapshot() == before
    applied = curator.post(
        reverse("admin-catalog-upload-apply"), {"apply": "1", "overwrite": "yes"}
    )
    assert applied.status_code == 302
    assert build_document().model_dump(mode="json") == edited()


def test_a_plan_gone_stale_is_shown_again_not_applied(curator, small_catalog):
    upload(curator, edited())
    recommendation = Recommendation.objects.get(choice__slug="site")
    recommendation.because = "Edited meanwhile."
    recommendation.save()
    before = snapshot()
    response = curator.post(reverse("admin-catalog-upload-apply"), {"apply": "1"})
    assert response.status_code == 409
    assert "The catalog changed since this plan was made" in response.content.decode()
    assert snapshot() == before


def queries(client, method: str, url: str, **data: object) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code in (200, 302)
    return len(captured.captured_queries)


def test_the_new_pages_run_the_same_queries_at_two_catalog_sizes(curator, load_document):
    counts = []
    for size in (15, 150):
        document = generate_document(size, seed=size)
        load_document(document)
        changed = generate_document(size, seed=size)
        changed["technologies"][3]["summary"] = "Changed."
        text = dump_catalog(changed)
        file = SimpleUploadedFile("c.yaml", text.encode(), content_type="application/yaml")
        counts.append(
            (
                queries(curator, "get", reverse("admin-catalog-upload")),
                queries(curator, "post", reverse("admin-catalog-upload"), file=file),
                queries(curator, "post", reverse("admin-catalog-upload-apply"), apply="1"),
                queries(curator, "get", reverse("admin:catalog_catalogchange_changelist")),
            )
        )
        change = CatalogChange.objects.first()
        detail = reverse("admin:catalog_catalogchange_change", args=[change.pk])
        curator.get(detail)  # warm Django's content-type cache, which only the first fills
        counts[-1] += (queries(curator, "get", detail),)
    assert counts[0] == counts[1], counts


def test_try_the_questionnaire_shows_the_path_and_its_reasons(curator, small_catalog):
    page = curator.get(reverse("admin-catalog-preview"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'type="checkbox" name="goal" value="site"' in html
    assert 'type="radio" name="size" value="small"' in html
    assert "The path with the catalog as it is" not in html  # nothing asked yet
    html = curator.get(reverse("admin-catalog-preview"), {"goal": "site"}).content.decode()
    assert "<strong>Web Framework</strong>" in html
    assert "Sites need it." in html
    assert "<strong>Micro Framework</strong>" not in html
    html = curator.get(
        reverse("admin-catalog-preview"), {"goal": "tools", "size": "small"}
    ).content.decode()
    assert "<strong>Scripting Kit</strong>" in html
    assert "How big is the site? (asked only after goal) — not asked with these answers" in html
    assert "<strong>Micro Framework</strong>" not in html  # size is hidden: its answer ignored


def test_the_preview_shows_the_path_before_and_after_a_pending_upload(curator, small_catalog):
    changed = make_document()
    changed["questions"][0]["choices"][0]["recommends"][0]["because"] = "A new reason."
    upload(curator, changed, name="next.yaml")
    html = curator.get(reverse("admin-catalog-preview"), {"goal": "site"}).content.decode()
    assert "The path once next.yaml is applied" in html
    before, after = html.split("<h2>The path once next.yaml is applied</h2>")
    assert "Sites need it." in before and "A new reason." not in before
    assert "A new reason." in after


def test_the_preview_runs_the_same_queries_at_two_catalog_sizes(curator, load_document):
    counts = []
    for size in (15, 150):
        load_document(generate_document(size, seed=size))
        url = reverse("admin-catalog-preview")
        curator.get(url, {"goal": "goal-1"})  # the planner's catalog, once per version
        page = curator.get(url, {"goal": "goal-1", "build": "build-2"}).content.decode()
        assert "steps, about" in page  # these answers give a path
        counts.append(queries(curator, "get", url, goal="goal-1", build="build-2"))
    assert counts[0] == counts[1], counts
