"""Demonstratives: "son voyage intervient après celui du secrétaire X": the noun's relation holds for X too;
"Des soldats russes ont franchi la frontière. Paris condamne cette offensive": the offensive is Russia's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kgraph.relations.found import ACTOR_TYPES, Found
from kgraph.relations.rules.evaluations import act_owners

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.relations.context import Sentence


def iter_demonstratives(sentence: Sentence, found: list[Found]) -> Iterator[Found]:
    doc = sentence.doc_tokens
    grammar = sentence.grammar
    nominal = [f for f in found if f.pattern.pos == "noun" and f.pattern.lemmas]
    for token in sentence.tokens_with_word(grammar.demonstrative_pronouns):
        before = [f for f in nominal if f.trigger.i < token.i]
        if (
            not before
            or token.i + 1 >= sentence.end
            or sentence.word(doc[token.i + 1]) not in sentence.ents.lexicon.of_prepositions
        ):
            continue
        other = sentence.name_after(token)
        if other is None or other.type not in ACTOR_TYPES:
            continue
        model = before[-1]
        types = model.pattern.target_types or frozenset()
        if other.type in ("LOC", "GPE") and "LOC" in types and other is not model.target:
            # "la plus importante prise russe depuis celle de Bakhmout": same agent, another place
            yield Found(model.source, other, model.pattern, token, model.confidence * 0.8)
        elif other is not model.target:
            yield Found(other, model.target, model.pattern, token, model.confidence * 0.8)


def told_event_actors(sentence: Sentence, noun: Token) -> list[Cluster]:
    """The actors of the event a demonstrative noun ("cette offensive") takes up from the sentence before:
    the owners of the `member_nouns` it names ("des combattants du groupe X et des soldats rwandais")."""
    grammar = sentence.grammar
    if sentence.start == 0 or not any(
        c.dep_ in sentence.deps.determiner and sentence.word(c) in grammar.demonstrative_determiners
        for c in sentence.children(noun)
    ):
        return []
    before = sentence.sibling(sentence.doc_tokens[sentence.start - 1].sent)
    out: list[Cluster] = []
    for token in before.tokens:
        if token.pos_ == "NOUN" and sentence.word(token) in grammar.member_nouns:
            out.extend(a for a in act_owners(before, token) if a not in out)
    return out
