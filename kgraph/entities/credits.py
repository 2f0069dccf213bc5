"""Bylines, credits, datelines and share tickers: the parts of a news text that name its authors, its
agencies and its listings rather than the story. A name there is not an entity of the story."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kgraph.text import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

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


def find_credits(doc: Doc, lexicon: Lexicon) -> Credits:
    """The credits of a parsed document: verbless lines or brackets opened by a credit word ("par X et Y",
    "Avec notre correspondante à X, Y", "(Reportage X, rédigé par Y)"), the "(Agency) -" of a dateline,
    a "(EXCHANGE:TICKER)" listing, and the lines of names alone above or below the text."""
    lines = _lines(doc)
    anything = {i for line in lines for i in _opened_credit(line, lexicon)}
    for bracket in _brackets(doc):
        if _opens_credit(bracket, lexicon) or _is_ticker(bracket) or _dateline_agency(doc, bracket, lines):
            anything.update(t.i for t in bracket)
    names = {t.i for line in _name_lines(lines, lexicon) for t in line}
    return Credits(frozenset(anything), frozenset(names))


def _lines(doc: Doc) -> list[list[Token]]:
    lines: list[list[Token]] = [[]]
    for token in doc:
        if token.is_space:
            if "\n" in token.text and lines[-1]:
                lines.append([])
        else:
            lines[-1].append(token)
    return [line for line in lines if line]


def is_finite_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and "Fin" in token.morph.get("VerbForm", [])


def _has_finite_verb(tokens: list[Token]) -> bool:
    return any(is_finite_verb(t) for t in tokens)


def _opens_credit(tokens: list[Token], lexicon: Lexicon) -> bool:
    words = [fold(t.text) for t in tokens[:2] if not t.is_punct]
    return bool(words) and (words[0] in lexicon.credit_openers or " ".join(words) in lexicon.credit_openers)


def _opened_credit(line: list[Token], lexicon: Lexicon) -> list[int]:
    """A line opened by a credit word, up to the dash of a dateline ("par X et Y 17 mai (Agence) - Le…")."""
    if not _opens_credit(line, lexicon):
        return []
    dash = next((n for n, t in enumerate(line) if t.text in _DASHES and n > 0), len(line))
    region = line[:dash]
    return [] if _has_finite_verb(region) else [t.i for t in region]


def _brackets(doc: Doc) -> list[list[Token]]:
    """The tokens inside each "( … )" of one line, brackets included."""
    found = []
    for token in doc:
        if token.text != "(":
            continue
        for j in range(token.i + 1, min(len(doc), token.i + _BRACKET_REACH)):
            if doc[j].text == ")":
                found.append(list(doc[token.i : j + 1]))
                break
            if doc[j].text == "(" or "\n" in doc[j].text:
                break
    return found


def _is_ticker(bracket: list[Token]) -> bool:
    inside = [t.text for t in bracket[1:-1]]
    return ":" in inside and all(w == ":" or _CODE.match(w) for w in inside)


def _dateline_agency(doc: Doc, bracket: list[Token], lines: list[list[Token]]) -> bool:
    """ "Tokyo, 17 mai (Reuters) - …": the agency in brackets before the dash that opens the text."""
    after = bracket[-1].i + 1
    if after >= len(doc) or doc[after].text not in _DASHES:
        return False
    line = next(line for line in lines if line[0].i <= bracket[0].i <= line[-1].i)
    return bracket[0].i - line[0].i <= _DATELINE_REACH and not _has_finite_verb(line[: bracket[0].i - line[0].i])


def _is_name_line(line: list[Token], lexicon: Lexicon) -> bool:
    return len(line) <= _NAME_LINE_LENGTH and all(
        t.is_punct or t.text[:1].isupper() or fold(t.text) in lexicon.credit_joiners | lexicon.determiners for t in line
    )


def _name_lines(lines: list[list[Token]], lexicon: Lexicon) -> list[list[Token]]:
    """Lines made only of names ("Julien Arsenault", "La Presse Canadienne") between the title and the
    first line of text, or after the last one; and one-word lines anywhere (a heading "Appui.")."""
    body = [n for n, line in enumerate(lines) if n > 0 and _has_finite_verb(line)]
    if not body:
        return []
    return [
        line
        for n, line in enumerate(lines)
        if n > 0
        and _is_name_line(line, lexicon)
        and (n < body[0] or n > body[-1] or len([t for t in line if not t.is_punct]) == 1)
        and not _has_finite_verb(line)
    ]
