"""Full-text search of lessons, in Dutch.

On PostgreSQL: the built-in text search with the "dutch" configuration (Snowball stemming and
stop words), over the title (weight A) and the three texts (weight B), ranked. "ontruimingen"
finds "ontruiming". The vector is built at query time; for a large number of lessons, an
expression GIN index on the same vector makes it fast (see docs/learning.md).

Elsewhere (SQLite in development and tests): every word must occur in the title or one of the
texts, compared without case and accents ("financiële" finds "financiele"), with a light Dutch
plural stripping ("ontruimingen" → "ontruiming"); ranked by hits, the title counting double.
"""

import re
import unicodedata

from django.db import connection
from django.db.models import Case, IntegerField, QuerySet, Value, When

FIELDS = ("title", "what_happened", "what_worked", "next_time")
CONFIG = "dutch"
MAX_WORDS = 12


def fold(text: str) -> str:
    """Lower case without accents: "Financiële" → "financiele"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(query: str) -> list[str]:
    return [w for w in re.findall(r"\w+", fold(query)) if len(w) > 1][:MAX_WORDS]


def stem(word: str) -> str:
    """A light Dutch plural stripping for the fallback: ontruimingen → ontruiming, schulden → schuld,
    regelingen → regeling, partners → partner. Enough to find by substring; PostgreSQL stems properly."""
    if len(word) > 6 and word.endswith("en"):
        return word[:-2]
    if len(word) > 5 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def search(qs: QuerySet, query: str) -> QuerySet:
    """The lessons of `qs` that match `query`, best first. An empty query changes nothing."""
    if not words(query):
        return qs
    if is_postgres():
        return _search_postgres(qs, query)
    return _search_fallback(qs, query)


def _vector():
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("what_happened", weight="B", config=CONFIG)
        + SearchVector("what_worked", weight="B", config=CONFIG)
        + SearchVector("next_time", weight="B", config=CONFIG)
    )


def _search_postgres(qs: QuerySet, query: str) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    # "websearch": words are ANDed, "quoted phrases" and -excluded words work as people expect.
    sq = SearchQuery(query, config=CONFIG, search_type="websearch")
    vector = _vector()
    return (
        qs.annotate(search=vector, rank=SearchRank(vector, sq))
        .filter(search=sq)
        .order_by("-rank", "-created_at", "-pk")
    )


def _search_fallback(qs: QuerySet, query: str) -> QuerySet:
    terms = [stem(w) for w in words(query)]
    scores: dict[int, int] = {}
    for pk, *texts in qs.values_list("pk", *FIELDS):
        folded = [fold(t) for t in texts]
        score = 0
        for term in terms:
            hits = 2 * folded[0].count(term) + sum(t.count(term) for t in folded[1:])
            if not hits:
                break
            score += hits
        else:
            scores[pk] = score
    if not scores:
        return qs.none()
    ranked = sorted(scores, key=lambda pk: -scores[pk])
    order = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked)], output_field=IntegerField())
    return qs.filter(pk__in=ranked).annotate(rank=order).order_by("rank", "-created_at", "-pk")
