"""Catalog search: ranked, case- and accent-insensitive, forgiving, over plain data.

The ranking runs in Python over the catalog document that is already cached per catalog
version, not in the database: results are identical on SQLite and PostgreSQL, a search costs
no query beyond the version check, and a catalog of a few thousand technologies is searched
in a few milliseconds.

It forgives in three ways: a term matches the start of a word ("sched" finds "scheduler"),
words that differ only by an ending match ("scheduled scripts" finds "scripts on a
schedule", via a small suffix-stripping stemmer), and when nothing matches at all, each
unknown term is corrected to the nearest word of the catalog's names, aliases, slugs and
categories (rapidfuzz's optimal-string-alignment distance, so "djagno" is one swap from
"django"), and the page says "Did you mean …?".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
_NOT_WORD = re.compile(r"[\W_]+")
# Endings the stemmer strips, longest first; a stem keeps at least _MIN_STEM characters.
_SUFFIXES = ("ing", "ies", "ed", "es", "er", "s", "e", "y")
_MIN_STEM = 4
# Shorter terms are never corrected; a correction is one edit away, two from five letters.
_MIN_CORRECTED_LENGTH = 3

# Tiers, best first: name (and alias) matches always rank above matches found only in other
# fields.
TIER_NAME_IS_QUERY = 0
TIER_NAME_STARTS_WITH_QUERY = 1
TIER_NAME_HAS_EVERY_TERM = 2
TIER_NAME_HAS_A_TERM = 3
TIER_TEXT_ONLY = 4


def fold(text: str) -> str:
    """Lowercase `text` and remove accents, so "Café" and "CAFE" both become "cafe"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words(text: str) -> str:
    """The folded words of `text`, joined by single spaces."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def terms(query: str) -> list[str]:
    """The distinct search terms of a query, in order, at most MAX_TERMS."""
    found: list[str] = []
    for term in words(query[:MAX_QUERY_LENGTH]).split():
        if term not in found:
            found.append(term)
    return found[:MAX_TERMS]


def stem(word: str) -> str:
    """`word` without one common English ending: "scheduled", "schedules" → "schedul"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def _spaced(text: str) -> str:
    return f" {text} " if text else " "


def _stems(text: str) -> str:
    return _spaced(" ".join(stem(word) for word in text.split()))


@dataclass(frozen=True)
class SearchEntry:
    """One technology's searchable text, folded once per catalog version.

    Word fields are stored as " word word " so that " term" in field tests a word prefix;
    `stems` holds the stems of the highlight, category and summary words.
    """

    slug: str
    position: int
    name: str
    name_words: str
    aliases: tuple[str, ...]
    alias_words: str
    slug_words: str
    highlights: str
    categories: str
    summary: str
    stems: str

    @classmethod
    def build(
        cls,
        *,
        slug: str,
        name: str,
        summary: str,
        highlights: Iterable[str],
        position: int,
        aliases: Iterable[str] = (),
        categories: Iterable[str] = (),
    ) -> SearchEntry:
        """Fold a technology's fields for searching (`categories`: the names of its own)."""
        folded_aliases = tuple(folded for alias in aliases if (folded := words(alias)))
        highlight_words = words(" ".join(highlights))
        category_words = words(" ".join(categories))
        summary_words = words(summary)
        return cls(
            slug=slug,
            position=position,
            name=words(name),
            name_words=_spaced(words(name)),
            aliases=folded_aliases,
            alias_words=_spaced(" ".join(folded_aliases)),
            slug_words=_spaced(words(slug)),
            highlights=_spaced(highlight_words),
            categories=_spaced(category_words),
            summary=_spaced(summary_words),
            stems=_stems(f"{highlight_words} {category_words} {summary_words}"),
        )

    def vocabulary(self) -> list[str]:
        """The words a misspelt term may be corrected to: those a learner would type."""
        return [
            *self.name_words.split(),
            *self.alias_words.split(),
            *self.slug_words.split(),
            *self.categories.split(),
        ]


def _term_score(entry: SearchEntry, term: str) -> tuple[int, bool] | None:
    """(score, whether it is a name or alias hit) of the best field `term` matches."""
    prefix = f" {term}"
    if f" {term} " in entry.name_words:
        return 10, True
    if f" {term} " in entry.alias_words:
        return 9, True
    if prefix in entry.name_words:
        return 8, True
    if prefix in entry.alias_words:
        return 7, True
    if term in entry.name:
        return 5, True
    if prefix in entry.slug_words or term in entry.slug_words:
        return 4, True
    # Beyond the names, every field that holds the term counts: a technology whose summary
    # and category both say "scripts" is more about scripts than one that mentions them once.
    score = (
        3 * (prefix in entry.highlights)
        + 2 * (prefix in entry.categories)
        + 2 * (prefix in entry.summary)
    )
    if not score and f" {stem(term)} " in entry.stems:
        score = 1
    return (score, False) if score else None


def _score(entry: SearchEntry, query_terms: Sequence[str]) -> tuple[int, int] | None:
    """(tier, score) when every term matches somewhere, else None."""
    score = 0
    name_hits = 0
    for term in query_terms:
        found = _term_score(entry, term)
        if found is None:
            return None
        score += found[0]
        name_hits += found[1]
    phrase = " ".join(query_terms)
    if entry.name == phrase or phrase in entry.aliases:
        tier = TIER_NAME_IS_QUERY
    elif entry.name.startswith(phrase) or any(a.startswith(phrase) for a in entry.aliases):
        tier = TIER_NAME_STARTS_WITH_QUERY
    elif name_hits == len(query_terms):
        tier = TIER_NAME_HAS_EVERY_TERM
    elif name_hits:
        tier = TIER_NAME_HAS_A_TERM
    else:
        tier = TIER_TEXT_ONLY
    return tier, score


def _ranked(entries: Iterable[SearchEntry], query_terms: Sequence[str]) -> list[str]:
    scored = []
    for entry in entries:
        result = _score(entry, query_terms)
        if result is not None:
            tier, score = result
            scored.append((tier, -score, entry.position, entry.slug))
    scored.sort()
    return [slug for *_, slug in scored]


def rank(entries: Iterable[SearchEntry], query: str) -> list[str]:
    """Slugs of the entries matching every term of `query`, best first.

    Name and alias matches come first (the whole name, then a name starting with the query,
    then names holding every term), then slug, highlights, categories and summary matches,
    then matches by stem; ties keep catalog order. A query without any letter or digit
    matches nothing.
    """
    query_terms = terms(query)
    return _ranked(entries, query_terms) if query_terms else []


@dataclass(frozen=True)
class SearchResult:
    """What a search found; `corrected` is the query it ran instead when the typed one found
    nothing ("" when it ran the query as typed), `named` the slug the correction names."""

    slugs: list[str]
    corrected: str = ""
    named: str = ""


@dataclass
class SearchIndex:
    """The search entries of one catalog version, with the vocabulary for corrections."""

    entries: tuple[SearchEntry, ...]
    _vocabulary: list[str] | None = field(default=None, repr=False)

    @property
    def vocabulary(self) -> list[str]:
        """Every distinct word a correction may use, in catalog order (ties go to the first)."""
        if self._vocabulary is None:
            self._vocabulary = list(
                dict.fromkeys(word for entry in self.entries for word in entry.vocabulary())
            )
        return self._vocabulary

    def _correct(self, term: str) -> str:
        if len(term) < _MIN_CORRECTED_LENGTH or term.isdigit():
            return term
        most = 1 if len(term) < 5 else 2
        best = process.extractOne(term, self.vocabulary, scorer=OSA.distance, score_cutoff=most)
        return best[0] if best is not None else term

    def search(self, query: str) -> SearchResult:
        """Rank `query`; when it finds nothing, rank its nearest spelling and say so."""
        query_terms = terms(query)
        if not query_terms:
            return SearchResult(slugs=[])
        found = _ranked(self.entries, query_terms)
        if found:
            return SearchResult(slugs=found)
        corrected = list(dict.fromkeys(self._correct(term) for term in query_terms))
        if corrected == query_terms:
            return SearchResult(slugs=[])
        found = _ranked(self.entries, corrected)
        if not found:
            return SearchResult(slugs=[])
        phrase = " ".join(corrected)
        named = next((e.slug for e in self.entries if e.name == phrase or phrase in e.aliases), "")
        return SearchResult(slugs=found, corrected=phrase, named=named)
