"""Median planner time on generated catalogs of 100, 1,000 and 10,000 technologies.

Also times the default catalog (fixtures/catalog.yaml) once catalog.validation can parse it.
Run from the project root: `.venv/bin/python bench/planner_bench.py [--repeat N]`.
Building the planner's catalog (`catalog_from_document`) is timed apart: it is paid once per
catalog version, not per plan.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.document import CatalogDocument  # noqa: E402
from catalog.generator import generate_document  # noqa: E402
from paths.api_json import plan_to_api, validate_answers  # noqa: E402
from paths.planner import (  # noqa: E402
    PlannerCatalog,
    build_plan,
    catalog_from_document,
    visible_questions,
)

SIZES = (100, 1_000, 10_000)


def broad_answers(catalog: PlannerCatalog) -> dict[str, list[str]]:
    """Answers that reach far: the first choice of single questions, every choice otherwise."""
    answers: dict[str, list[str]] = {}
    for question in catalog.questions:
        if question.slug in {item.slug for item in visible_questions(catalog, answers)}:
            slugs = question.choice_slugs
            answers[question.slug] = list(slugs[:1] if question.is_single else slugs)
    return answers


def median_ms(function: Callable[[], object], repeat: int) -> float:
    function()  # warm-up
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def bench(label: str, document: CatalogDocument | dict, repeat: int) -> None:
    start = time.perf_counter()
    catalog = catalog_from_document(document)
    build_ms = (time.perf_counter() - start) * 1000
    answers = broad_answers(catalog)
    if errors := validate_answers(catalog, answers, [], 5):
        raise SystemExit(f"{label}: the benchmark's answers are invalid: {errors}")
    plan = build_plan(catalog, answers, [], 5)
    plan_ms = median_ms(lambda: build_plan(catalog, answers, [], 5), repeat)
    validate_ms = median_ms(lambda: validate_answers(catalog, answers, [], 5), repeat)
    api_ms = median_ms(lambda: plan_to_api(build_plan(catalog, answers, [], 5)), repeat)
    print(
        f"{label:<34} {len(catalog.technologies):>6} {len(plan.steps):>6} "
        f"{plan_ms:>10.3f} {validate_ms:>10.3f} {api_ms:>10.3f} {build_ms:>10.1f}"
    )


def default_document() -> CatalogDocument | None:
    path = ROOT / "fixtures" / "catalog.yaml"
    try:
        from catalog.validation import parse_catalog
    except ImportError:
        return None
    if not path.exists():
        return None
    return parse_catalog(path.read_bytes(), filename=str(path))


def everything_recommended(document: dict) -> dict:
    """The worst case: the first choice recommends every technology, so all are on the path."""
    first_choice = document["questions"][0]["choices"][0]
    first_choice["recommends"] = [
        {"technology": item["slug"], "weight": 1, "because": "Everything."}
        for item in document["technologies"]
    ]
    first_choice["knows"] = []
    return document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21, help="timed runs per measure")
    options = parser.parse_args()
    print(f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})")
    print(
        f"{'catalog':<34} {'techs':>6} {'steps':>6} {'plan ms':>10} {'valid. ms':>10} "
        f"{'+api ms':>10} {'index ms':>10}"
    )
    document = default_document()
    if document is None:
        print("default catalog: skipped (no fixtures/catalog.yaml or catalog.validation yet)")
    else:
        bench("fixtures/catalog.yaml", document, options.repeat)
    for size in SIZES:
        bench(f"generated, {size:,} technologies", generate_document(size), options.repeat)
    bench(
        "generated, 10,000, all on the path",
        everything_recommended(generate_document(10_000)),
        max(3, options.repeat // 4),
    )


if __name__ == "__main__":
    main()
