"""Date qualifiers: absolute and relative date expressions resolved against the document date (the words
are the language pack's dates.json)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from kgraph.lang import DEFAULT_LANGUAGE, DateWords, load_language
from kgraph.text import fold

_YEAR = r"(?:19|20)\d{2}"
_Anchor = tuple[int | None, int | None, int | None]  # the document's year, month, day, as far as known


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # character offsets in the folded sentence (same length as the original for French text)
    end: int
    value: str


def _any(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in words)


def _expressions(words: DateWords) -> dict[str, re.Pattern[str]]:
    """The pattern of each kind of expression, most precise first: a later pattern never takes text an
    earlier one took."""
    month, nth = _any(words.months), _any(words.ordinal_suffixes)

    def phrases(kind: str) -> str:
        return rf"\b(?:{_any(words.relative[kind])})\b"

    kinds = {
        "dmy": rf"\b(\d{{1,2}})(?:{nth})?\s+({month})\s+({_YEAR})\b",
        "dm": rf"\b(\d{{1,2}})(?:{nth})?\s+({month})\b",
        "my": rf"\b({month})\s+({_YEAR})\b",
        "season": rf"\b(?:{_any(words.seasons)})\s+({_YEAR})\b",
        "y": rf"\b(?:{_any(words.year_cues)})\s+({_YEAR})\b|\b({_YEAR})\b",
        "m": rf"\b(?:{_any(words.month_cues)})\s*({month})\b",
        "last_year": phrases("last_year"),
        "this_year": phrases("this_year"),
        "next_year": phrases("next_year"),
        "last_month": phrases("last_month"),
        "weekday": rf"\b({_any(words.weekdays)})\b(?! \d)",
        "yesterday": phrases("yesterday"),
        "today": phrases("today"),
    }
    return {kind: re.compile(pattern) for kind, pattern in kinds.items()}


@cache
def _patterns(language: str) -> dict[str, re.Pattern[str]]:
    return _expressions(load_language(language).dates)


@cache
def _any_date(language: str) -> re.Pattern[str]:
    """Every expression as one pattern: one scan tells that a sentence (most of them) holds no date at all."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for pattern in _patterns(language).values()))


@cache
def _deadline(language: str) -> re.Pattern[str]:
    """What ends right before a deadline's date ("d'ici", "à l'horizon"): that date is not when the event was."""
    return re.compile(rf"\b(?:{_any(load_language(language).dates.deadline_cues)})\s*$")


def _anchor(doc_date: str | None) -> _Anchor:
    if not doc_date:
        return None, None, None
    parts = [int(p) for p in doc_date.split("-")]
    return tuple([*parts, None, None][:3])  # type: ignore[return-value]


def find_dates(sentence: str, doc_date: str | None, *, language: str = DEFAULT_LANGUAGE) -> list[DateMention]:
    """Date expressions of a sentence with their ISO values (as precise as the text allows)."""
    folded = fold(sentence)
    text = folded if len(folded) == len(sentence) else sentence.lower()
    first = _any_date(language).search(text)
    if first is None:
        return []
    # no expression starts before the first place where one of them matches: each scan starts there
    begin = first.start()
    anchor = _anchor(doc_date)
    words = load_language(language).dates
    deadline = _deadline(language)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _patterns(language).items():
        for m in pattern.finditer(text, begin):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value = _VALUES[kind](m, anchor, words)
            if value and deadline.search(text, 0, m.start()):
                taken.append((m.start(), m.end()))  # nor may a shorter pattern take part of it
            elif value:
                found.append(DateMention(m.start(), m.end(), value))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _day_month_year(m: re.Match[str], anchor: _Anchor, words: DateWords) -> str | None:
    return _iso(int(m.group(3)), words.months[m.group(2)], int(m.group(1)))


def _day_month(m: re.Match[str], anchor: _Anchor, words: DateWords) -> str | None:
    year = anchor[0]
    return _iso(year, words.months[m.group(2)], int(m.group(1))) if year else None


def _month_year(m: re.Match[str], anchor: _Anchor, words: DateWords) -> str | None:
    return f"{int(m.group(2)):04d}-{words.months[m.group(1)]:02d}"


def _first_group(m: re.Match[str], anchor: _Anchor, words: DateWords) -> str | None:
    return m.group(1)


def _year(m: re.Match[str], anchor: _Anchor, words: DateWords) -> str | None:
    return m.group(1) or m.group(2)


def _month(m: re.Match[str], anchor: _Anchor, words: DateWords) -> str | None:
    year = anchor[0]
    return f"{year:04d}-{words.months[m.group(1)]:02d}" if year else None


def _year_offset(offset: int) -> Callable[[re.Match[str], _Anchor, DateWords], str | None]:
    def value(m: re.Match[str], anchor: _Anchor, words: DateWords) -> str | None:
        return str(anchor[0] + offset) if anchor[0] is not None else None

    return value


def _last_month(m: re.Match[str], anchor: _Anchor, words: DateWords) -> str | None:
    year, month, _day = anchor
    if year is None or not month:
        return None
    return f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}"


def _day_before(days: Callable[[re.Match[str], int, DateWords], int]) -> Callable[..., str | None]:
    """A day some days before the document date (the month alone when the document date has no day)."""

    def value(m: re.Match[str], anchor: _Anchor, words: DateWords) -> str | None:
        year, month, day = anchor
        if year is None:
            return None
        if day is None:
            return f"{year:04d}-{month:02d}" if month else None
        today = date(year, month or 1, day)
        return (today - timedelta(days=days(m, today.weekday(), words))).isoformat()

    return value


_VALUES: dict[str, Callable[[re.Match[str], _Anchor, DateWords], str | None]] = {
    "dmy": _day_month_year,
    "dm": _day_month,
    "my": _month_year,
    "season": _first_group,
    "y": _year,
    "m": _month,
    "last_year": _year_offset(-1),
    "this_year": _year_offset(0),
    "next_year": _year_offset(1),
    "last_month": _last_month,
    # the most recent such weekday up to the document date (news reports past days)
    "weekday": _day_before(lambda m, weekday, words: (weekday - words.weekdays[m.group(1)]) % 7),
    "yesterday": _day_before(lambda m, weekday, words: 1),
    "today": _day_before(lambda m, weekday, words: 0),
}


def _iso(year: int | None, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat() if year else None
    except ValueError:
        return None
