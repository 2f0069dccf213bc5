"""Person-name matching: partial names and small spelling variants of the same name."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from kgraph.text import fold


def name_tokens(name: str) -> list[str]:
    """The folded words of a name ("Jean-Marie Le Pen" -> "jean-marie", "le", "pen")."""
    return list(_tokens(name))


@lru_cache(maxsize=1 << 14)  # the names of a document are matched against each other many times over
def _tokens(name: str) -> tuple[str, ...]:
    # hyphenated first names stay one token: "Jean-Marie" is not "Marie"
    return tuple(fold(t).replace(" ", "-") for t in name.replace("'", " ").replace("’", " ").split() if fold(t))


def _token_equal(a: str, b: str) -> bool:
    # "Zelensky"/"Zelenski", "Jon"/"Jong": one edit in a token that starts alike
    if a == b:
        return True
    return a[:1] == b[:1] and min(len(a), len(b)) >= 3 and Levenshtein.distance(a, b) <= 1


def is_spelling_variant(a: str, b: str) -> bool:
    """Same number of tokens, at most one token differing by one edit ("Kim Jon Un" ~ "Kim Jong Un")."""
    ta, tb = _tokens(a), _tokens(b)
    if len(ta) != len(tb) or ta == tb:
        return ta == tb
    differing = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
    return len(differing) == 1 and _token_equal(*differing[0])


def is_partial_name(short: str, full: str) -> bool:
    """`short` is the start or the end of `full` ("Kim Jong" or "Lavrov" of "Sergueï Lavrov")."""
    ts, tf = _tokens(short), _tokens(full)
    if not ts or len(ts) >= len(tf):
        return False
    # exact tokens only: "Marine Le Pen" is not the end of "Jean-Marie Le Pen"
    if ts == tf[: len(ts)] or ts == tf[-len(ts) :]:
        return True
    # one distinctive name inside a long one: "Lula" of "Luiz Inácio Lula da Silva"
    if len(ts) == 1 and len(tf) >= 4 and len(ts[0]) >= 4 and ts[0] in tf:
        return True
    # a surname spelt slightly differently: "Zelenski" of "Volodymyr Zelensky" (surnames only, not "Marie")
    return len(ts) == 1 and len(ts[0]) >= 5 and _token_equal(ts[0], tf[-1])


def same_person_name(a: str, b: str) -> bool:
    """True when `a` names the same person as the longer-or-equal name `b`."""
    return is_spelling_variant(a, b) or is_partial_name(a, b)
