"""Bylines, credits, datelines and share tickers: the parts of a news text that name its authors, its
agencies and its listings rather than the story. A name there is not an entity of the story."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kgraph.text import fold

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kgraph.entities.words import Words
    from kgraph.lang import Lexicon

_PLACE_TYPES = ("LOC", "GPE")  # a dateline city under a byline is still a place of the story
_DASHES = ("-", "—", "–")
_BRACKET_REACH = 60  # tokens: a bracket left open longer than this is not a credit
_DATELINE_REACH = 15  # tokens from a line's start to the "(Agency) -" of a dateline
_NAME_LINE_LENGTH = 12  # tokens: a longer line is text, not a byline
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]*$")  # "TSX", "QBR.B"


@dataclass(frozen=True, slots=True)
class Credits:
    """Token indices of a document's credits: where no mention is an entity, and where only a place is."""

    anything: frozenset[int]
    names: frozenset[int]

    def drops(self, start: int, type_: str) -> bool:
        return start in self.anything or (start in self.names and type_ not in _PLACE_TYPES)


def find_credits(words: Words, lexicon: Lexicon) -> Credits:
    """The credits of a parsed document: verbless lines or brackets opened by a credit word ("par X et Y",
    "Avec notre correspondante à X, Y", "(Reportage X, rédigé par Y)"), the "(Agency) -" of a dateline,
    a "(EXCHANGE:TICKER)" listing, and the lines of names alone above or below the text."""
    lines = _lines(words)
    anything = {i for line in lines for i in _opened_credit(line, words, lexicon)}
    for bracket in _brackets(words):
        if (
            _opens_credit(bracket, words, lexicon)
            or _is_ticker(bracket, words)
            or _dateline_agency(bracket, words, lines)
        ):
            anything.update(bracket)
    names = {i for line in _name_lines(lines, words, lexicon) for i in line}
    return Credits(frozenset(anything), frozenset(names))


def _lines(words: Words) -> list[list[int]]:
    """The token indices of each line, whitespace tokens left out."""
    lines: list[list[int]] = []
    line: list[int] = []
    after = 0  # the first token after the last whitespace token
    for space in [*words.space_tokens, len(words)]:
        line.extend(range(after, space))
        if (space == len(words) or "\n" in words.text[space]) and line:
            lines.append(line)
            line = []
        after = space + 1
    return lines


def _has_finite_verb(tokens: Sequence[int], words: Words) -> bool:
    return any(words.finite[i] for i in tokens)


def _opens_credit(tokens: Sequence[int], words: Words, lexicon: Lexicon) -> bool:
    first = [fold(words.text[i]) for i in tokens[:2] if not words.punct[i]]
    return bool(first) and (first[0] in lexicon.credit_openers or " ".join(first) in lexicon.credit_openers)


def _opened_credit(line: list[int], words: Words, lexicon: Lexicon) -> list[int]:
    """A line opened by a credit word, up to the dash of a dateline ("par X et Y 17 mai (Agence) - Le…")."""
    if not _opens_credit(line, words, lexicon):
        return []
    dash = next((n for n, i in enumerate(line) if words.text[i] in _DASHES and n > 0), len(line))
    region = line[:dash]
    return [] if _has_finite_verb(region, words) else region


def _brackets(words: Words) -> list[range]:
    """The token indices of each "( … )" of one line, brackets included."""
    found = []
    for start in words.indices_of("("):
        for j in range(start + 1, min(len(words), start + _BRACKET_REACH)):
            if words.text[j] == ")":
                found.append(range(start, j + 1))
                break
            if words.text[j] == "(" or "\n" in words.text[j]:
                break
    return found


def _is_ticker(bracket: range, words: Words) -> bool:
    inside = [words.text[i] for i in bracket[1:-1]]
    return ":" in inside and all(w == ":" or _CODE.match(w) for w in inside)


def _dateline_agency(bracket: range, words: Words, lines: list[list[int]]) -> bool:
    """ "Tokyo, 17 mai (Reuters) - …": the agency in brackets before the dash that opens the text."""
    after = bracket[-1] + 1
    if after >= len(words) or words.text[after] not in _DASHES:
        return False
    line = next(line for line in lines if line[0] <= bracket[0] <= line[-1])
    return bracket[0] - line[0] <= _DATELINE_REACH and not _has_finite_verb(line[: bracket[0] - line[0]], words)


def _is_name_line(line: list[int], words: Words, lexicon: Lexicon) -> bool:
    return len(line) <= _NAME_LINE_LENGTH and all(
        words.punct[i]
        or words.text[i][:1].isupper()
        or fold(words.text[i]) in lexicon.credit_joiners | lexicon.determiners
        for i in line
    )


def _name_lines(lines: list[list[int]], words: Words, lexicon: Lexicon) -> list[list[int]]:
    """Lines made only of names ("Julien Arsenault", "La Presse Canadienne") between the title and the
    first line of text, or after the last one; and one-word lines anywhere (a heading "Appui.")."""
    body = [n for n, line in enumerate(lines) if n > 0 and _has_finite_verb(line, words)]
    if not body:
        return []
    return [
        line
        for n, line in enumerate(lines)
        if n > 0
        and _is_name_line(line, words, lexicon)
        and (n < body[0] or n > body[-1] or len([i for i in line if not words.punct[i]]) == 1)
        and not _has_finite_verb(line, words)
    ]
