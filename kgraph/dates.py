"""Date qualifiers: absolute and relative French date expressions resolved against the document date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kgraph.text import fold

MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
_MONTH = "|".join(MONTHS)
_YEAR = r"(?:19|20)\d{2}"
_PATTERNS = [
    ("dmy", re.compile(rf"\b(\d{{1,2}})(?:er)?\s+({_MONTH})\s+({_YEAR})\b")),
    ("dm", re.compile(rf"\b(\d{{1,2}})(?:er)?\s+({_MONTH})\b")),
    ("my", re.compile(rf"\b({_MONTH})\s+({_YEAR})\b")),
    ("season", re.compile(rf"\b(?:printemps|ete|automne|hiver)\s+({_YEAR})\b")),
    ("y", re.compile(rf"\b(?:en|depuis|fin|debut|mi|annee|l'annee)\s+({_YEAR})\b|\b({_YEAR})\b")),
    ("m", re.compile(rf"\b(?:en|mi-|fin|debut|au mois de|courant)\s*({_MONTH})\b")),
    ("last_year", re.compile(r"\bl'(?:an|annee) (?:dernier|derniere|passe|passee)\b")),
    ("this_year", re.compile(r"\bcette annee\b")),
    ("next_year", re.compile(r"\bl'(?:an|annee) (?:prochain|prochaine)\b")),
    ("last_month", re.compile(r"\ble mois (?:dernier|passe)\b")),
    ("weekday", re.compile(rf"\b({'|'.join(WEEKDAYS)})\b(?! \d)")),
    ("yesterday", re.compile(r"\bhier\b")),
    ("today", re.compile(r"\baujourd'hui\b")),
]
# "d'ici 2035", "à l'horizon 2030", "d'ici à la fin de l'année": a deadline, not when the event happened
_DEADLINE = re.compile(
    r"\b(?:d'ici|a l'horizon)(?:\s+(?:a|au|a la|le|la|de))?(?:\s+(?:la\s+)?fin(?:\s+(?:de|d'))?)?\s*$"
)


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # character offsets in the folded sentence (same length as the original for French text)
    end: int
    value: str


def _anchor(doc_date: str | None) -> tuple[int | None, int | None, int | None]:
    if not doc_date:
        return None, None, None
    parts = [int(p) for p in doc_date.split("-")]
    return tuple([*parts, None, None][:3])  # type: ignore[return-value]


def find_dates(sentence: str, doc_date: str | None) -> list[DateMention]:
    """Date expressions of a sentence with their ISO values (as precise as the text allows)."""
    text = fold(sentence) if len(fold(sentence)) == len(sentence) else sentence.lower()
    year, month, day = _anchor(doc_date)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value = _value(kind, m, year, month, day)
            if value and _DEADLINE.search(text, 0, m.start()):
                taken.append((m.start(), m.end()))  # nor may a shorter pattern take part of it
            elif value:
                found.append(DateMention(m.start(), m.end(), value))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _value(kind: str, m: re.Match[str], year: int | None, month: int | None, day: int | None) -> str | None:
    if kind == "dmy":
        return _iso(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
    if kind == "dm":
        return _iso(year, MONTHS[m.group(2)], int(m.group(1))) if year else None
    if kind == "my":
        return f"{int(m.group(2)):04d}-{MONTHS[m.group(1)]:02d}"
    if kind in ("season",):
        return m.group(1)
    if kind == "y":
        return m.group(1) or m.group(2)
    if kind == "m":
        return f"{year:04d}-{MONTHS[m.group(1)]:02d}" if year else None
    if year is None:
        return None
    if kind == "last_year":
        return str(year - 1)
    if kind == "this_year":
        return str(year)
    if kind == "next_year":
        return str(year + 1)
    if kind == "last_month" and month:
        return f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}"
    if kind in ("weekday", "yesterday", "today"):
        if day is None:
            return f"{year:04d}-{month:02d}" if month else None
        anchor = date(year, month or 1, day)
        if kind == "today":
            return anchor.isoformat()
        if kind == "yesterday":
            return (anchor - timedelta(days=1)).isoformat()
        # the most recent such weekday up to the document date (news reports past days)
        delta = (anchor.weekday() - WEEKDAYS[m.group(1)]) % 7
        return (anchor - timedelta(days=delta)).isoformat()
    return None


def _iso(year: int | None, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat() if year else None
    except ValueError:
        return None
