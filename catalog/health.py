"""Catalog health for curators: what no learner can reach, what is missing, what is redundant,
and (from saved paths, counts only) what learners pick and skip.

`lint()` reads a normalized document only (no Django), so `check_catalog --lint` runs on a file
and the admin's health page on the database's catalog with the same words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from catalog import graph
from catalog.document import CatalogDocument, as_document


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS' keys
    text: str


KINDS = {
    "unreachable": "No answer can put these on a path",
    "no-resources": "Technologies without resources",
    "no-checkpoints": "Technologies without checkpoints",
    "recommends-nothing": "Questions whose choices recommend nothing",
    "redundant": "Choices that recommend only what another choice already does",
}


def lint(document: CatalogDocument | dict) -> list[Finding]:
    """What a curator should look at, in their words (a plain mapping is read as the document)."""
    document = as_document(document)
    technologies = document.technologies
    name = {technology.slug: technology.name for technology in technologies}
    requires = {t.slug: [p.technology for p in t.prerequisites] for t in technologies}
    recommended = {
        recommendation.technology
        for question in document.questions
        for choice in question.choices
        for recommendation in choice.recommends
        if recommendation.weight > 0 and recommendation.technology in requires
    }
    reachable = set(recommended)
    for slug in recommended:
        reachable.update(graph.ancestors(requires, slug))
    findings = [
        Finding(
            "unreachable",
            f"{t.name} ({t.slug}): no choice recommends it, and it is no prerequisite of "
            "anything a choice recommends",
        )
        for t in technologies
        if t.slug not in reachable
    ]
    findings += [
        Finding("no-resources", f"{t.name} ({t.slug}) has no resources")
        for t in technologies
        if not t.resources
    ]
    findings += [
        Finding("no-checkpoints", f"{t.name} ({t.slug}) has no checkpoints")
        for t in technologies
        if not t.checkpoints
    ]
    for question in document.questions:
        if not any(choice.recommends for choice in question.choices):
            findings.append(
                Finding(
                    "recommends-nothing",
                    f'"{question.prompt}" ({question.slug}): none of its choices '
                    "recommends anything",
                )
            )
        sets = {
            choice.slug: {(r.technology, r.weight > 0) for r in choice.recommends}
            for choice in question.choices
        }
        labels = {choice.slug: choice.label for choice in question.choices}
        for slug, mine in sets.items():
            if not mine:
                continue
            other = next(
                (o for o, theirs in sets.items() if o != slug and mine <= theirs and (
                    mine != theirs or o < slug)),
                None,
            )  # fmt: skip
            if other is not None:
                what = ", ".join(sorted(name.get(t, t) for t, _ in mine))
                findings.append(
                    Finding(
                        "redundant",
                        f'"{labels[slug]}" ({question.slug}/{slug}) recommends only what '
                        f'"{labels[other]}" ({other}) already does: {what}',
                    )
                )
    return findings


def usage(document: CatalogDocument, *, top: int = 10) -> dict:
    """From saved paths, counts only: how often each choice is picked, most-skipped steps."""
    from django.db.models import Count

    from paths.models import LearningPath, Progress, ProgressStatus

    picks: Counter = Counter()
    paths = 0
    for answers in LearningPath.objects.values_list("answers", flat=True).iterator(chunk_size=2000):
        paths += 1
        if isinstance(answers, dict):
            for question, chosen in answers.items():
                if isinstance(chosen, list):
                    picks.update((question, choice) for choice in chosen if isinstance(choice, str))
    choices = [
        (question.prompt, choice.label, picks[(question.slug, choice.slug)])
        for question in document.questions
        for choice in question.choices
    ]
    names = {technology.slug: technology.name for technology in document.technologies}
    skipped = [
        (names.get(slug, slug), count)
        for slug, count in Progress.objects.filter(status=ProgressStatus.SKIPPED)
        .values_list("technology_slug")
        .annotate(count=Count("id"))
        .order_by("-count", "technology_slug")[:top]
    ]
    return {"paths": paths, "choices": choices, "skipped": skipped}
