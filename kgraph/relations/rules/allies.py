"""Alliances stated by a noun: "X et Y sont des alliés de longue date de Z", "X — pays allié de Z —": each
side is allied with Z (an agreement); "X, un fidèle de Z": X supports Z."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kgraph.relations.found import ACTOR_TYPES, Found, builtin
from kgraph.relations.nounphrase import np_clusters

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.patterns import RelationPattern
    from kgraph.relations.context import Sentence

_PARTNER_REACH = 6  # words from "allié" to the "de X" it is allied with ("allié de longue date des Etats-Unis")
_PEOPLE = frozenset({"PERSON"})  # "un fidèle de X", "un proche de X": X is a person
_DESCRIPTION_STEPS = 5  # heads climbed from a coordinated description to the name it describes
_APPOSED_REACH = 4  # words back from "allié" to the name it describes ("le Kenya — pays allié")


def iter_allies(sentence: Sentence) -> Iterator[Found]:
    grammar = sentence.grammar
    ally = builtin(grammar.language, "agreement.ally", "agreement", grammar.label("agreement.ally"))
    follower = builtin(grammar.language, "support.follower", "support", grammar.label("support.follower"))
    for token, word in zip(sentence.tokens, sentence.words, strict=True):
        if word in grammar.ally_nouns:
            yield from _bond(sentence, token, ally, ACTOR_TYPES)
        elif word in grammar.follower_nouns:
            yield from _bond(sentence, token, follower, _PEOPLE)


def _bond(sentence: Sentence, noun: Token, pattern: RelationPattern, partners: frozenset[str]) -> Iterator[Found]:
    """Each side the noun describes, bound to the "de X" after it (of one of the `partners` types)."""
    partner = _partner(sentence, noun)
    if partner is None or partner.type not in partners:
        return
    for side in _allied(sentence, noun):
        side = sentence.ents.actor(side)
        if side is not partner and side.type in ACTOR_TYPES:
            yield Found(side, partner, pattern, noun, 0.7)


def _partner(sentence: Sentence, noun: Token) -> Cluster | None:
    """The "de X" after the noun, across its adjectives and "de longue date"."""
    doc = sentence.doc_tokens
    for tok in doc[noun.i + 1 : min(noun.i + _PARTNER_REACH, sentence.end)]:
        cluster = sentence.cluster_at(tok)
        if cluster is not None:
            before = sentence.preposition_before(sentence.mention_start(tok))
            found = before in sentence.ents.lexicon.of_prepositions and cluster.type in ACTOR_TYPES
            return sentence.ents.actor(cluster) if found else None
        if tok.is_punct or tok.pos_ in ("VERB", "AUX"):
            return None
    return None


def _allied(sentence: Sentence, noun: Token) -> list[Cluster]:
    """The subject of "être un allié", or the name the noun phrase is apposed to."""
    deps = sentence.deps
    subjects = [c for ch in sentence.children(noun) if deps.is_subject(ch.dep_) for c in np_clusters(sentence, ch)]
    if subjects:
        return subjects
    doc = sentence.doc_tokens
    grammar = sentence.grammar
    i = noun.i - 1
    apposed = False
    while i > sentence.start and noun.i - i <= _APPOSED_REACH:
        tok = doc[i]
        if tok.is_punct:
            apposed = True
        elif not (tok.pos_ == "DET" or sentence.word(tok) in grammar.country_nouns):
            break
        i -= 1
    cluster = sentence.cluster_at(doc[i]) if apposed else _described_in_coordination(sentence, noun)
    return [cluster] if cluster is not None else []


def _described_in_coordination(sentence: Sentence, noun: Token) -> Cluster | None:
    """ "X, secrétaire d'Etat et proche de Y": the name the description the noun is coordinated with hangs
    on, up the parse and short of a verb."""
    if noun.dep_ not in sentence.deps.conjunct:
        return None
    token = noun
    for _ in range(_DESCRIPTION_STEPS):
        if token.head.i == token.i or token.head.pos_ in ("VERB", "AUX"):
            return None
        token = token.head
        cluster = sentence.cluster_at(token)
        if cluster is not None:
            return cluster if cluster.type == "PERSON" else None
    return None
