"""The canonical export reads like the hand-written file: long text folded and wrapped, keys in
the schema's order, so that an admin edit exports as a diff of just that edit."""

from __future__ import annotations

import difflib
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.generator import generate_document
from catalog.models import Technology
from catalog.validation import parse_catalog
from catalog.yaml_writer import WIDTH, dump_catalog
from tests.factories import make_document

LONG = (
    "A summary long enough to need several lines: it keeps going with ordinary words, "
    "commas, colons: and the odd 'quote', \"double\" quote or # hash, until it has "
    "passed the width of a line more than once, as catalog summaries do."
)


def export(tmp_path: Path) -> str:
    path = tmp_path / "exported.yaml"
    call_command("export_catalog", "-o", str(path), stderr=io.StringIO())
    return path.read_text(encoding="utf-8")


def test_long_text_is_folded_within_the_width_and_reads_back_the_same():
    document = make_document()
    document["technologies"][0]["summary"] = LONG
    document["questions"][0]["choices"][0]["recommends"][0]["because"] = LONG
    text = dump_catalog(document)
    assert "    summary: >-\n      A summary long enough" in text
    assert all(len(line) <= WIDTH for line in text.splitlines())
    assert parse_catalog(text).model_dump(mode="json") == document


def test_sections_are_set_off_and_keys_come_in_the_schemas_order():
    text = dump_catalog(make_document())
    assert text.startswith("version: 1\n\ncategories:\n  - slug: alpha\n    name: ")
    assert "\n\ntechnologies:\n" in text and "\n\nquestions:\n" in text
    webfw = text[text.index("  - slug: webfw") :].splitlines()[1:]
    webfw = webfw[: next(i for i, line in enumerate(webfw) if line.startswith("  - slug"))]
    keys = [line.split(":")[0].strip() for line in webfw if line[4] != " "]
    assert keys == [
        "name", "kind", "level", "categories", "summary", "highlights", "checkpoints",
        "effort_hours", "prerequisites", "alternatives", "homepage", "resources",
    ]  # fmt: skip


words = st.text(alphabet="abcxyz:#'\"-,.!?&*|>{}[]é", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(words, st.sampled_from([" ", " ", " ", "  ", "\t"])), max_size=40))
def test_any_text_reads_back_exactly(pieces):
    text = "".join(word + gap for word, gap in pieces).strip()
    if not text:
        return
    document = make_document()
    document["technologies"][1]["summary"] = text
    document["categories"][0]["name"] = text[:200].strip()
    assert parse_catalog(dump_catalog(document)).model_dump(mode="json") == document


@pytest.mark.django_db
def test_an_admin_edit_exports_as_a_diff_of_just_that_edit(load_document, tmp_path):
    document = generate_document(30, seed=4)
    for technology in document["technologies"]:
        technology["summary"] = LONG
    load_document(document)
    before = export(tmp_path)
    assert before == dump_catalog(document)
    technology = Technology.objects.order_by("position")[7]
    technology.summary = LONG.replace("ordinary words", "plain words")
    technology.save()
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), export(tmp_path).splitlines(), n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert len(diff) <= 6, diff
    assert any("plain words" in line for line in diff)


@pytest.mark.django_db
def test_exporting_the_freshly_loaded_default_catalog_gives_the_file_byte_for_byte(tmp_path):
    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "catalog.yaml"
    call_command("load_catalog", str(fixture), stdout=io.StringIO())
    assert export(tmp_path).encode("utf-8") == fixture.read_bytes()
