"""Triggers: the tokens of a sentence that fire a relation pattern (a verb's lemma, a participle the
tagger took for a noun, a noun), with each pattern's nearby-word requirements; and the light verb a noun
trigger is the object of."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kgraph.relations.clauses import in_compound
from kgraph.text import fold

_GLUED = re.compile("['’«\"]")

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.patterns import RelationPattern
    from kgraph.relations.context import Sentence


def iter_triggers(sentence: Sentence) -> Iterator[tuple[Token, RelationPattern]]:
    patterns = sentence.patterns
    determiners = sentence.deps.determiner
    for token, word, lemma in zip(sentence.tokens, sentence.words, sentence.lemmas, strict=True):
        named = lemma in patterns.verbs or lemma in patterns.nouns or word in patterns.nouns
        as_verb = patterns.verb_forms.get(token.text.lower())
        if not (named or as_verb) or in_compound(token):
            continue  # a word no pattern names
        if as_verb and any(c.dep_ in determiners for c in sentence.children(token)):
            as_verb = None  # "l'armée" is a noun, whatever "armer" makes of it
        if as_verb and lemma not in patterns.verbs and token.i in sentence.ents.by_token:
            as_verb = None
        if as_verb and lemma != as_verb and token.pos_ in ("NOUN", "ADJ", "PROPN", "X"):
            for pattern in patterns.verbs.get(as_verb, ()):
                if _requirements(sentence, token, pattern):
                    yield token, pattern
            continue
        if token.pos_ in ("VERB", "AUX", "ADJ", "ADV") or token.morph.get("VerbForm", []):
            for pattern in patterns.verbs.get(lemma, ()):
                if _requirements(sentence, token, pattern):
                    yield token, pattern
        if token.pos_ in ("NOUN", "PROPN", "VERB") and not _generic(sentence, token):
            for pattern in patterns.nouns.get(lemma, ()) or patterns.nouns.get(word, ()):
                yield token, pattern


def _generic(sentence: Sentence, noun: Token) -> bool:
    """ "toute agression contre l'un des deux pays": any such event, not one that took place."""
    generic = sentence.grammar.generic_determiners
    return any(c.dep_ in sentence.deps.determiner and sentence.word(c) in generic for c in sentence.children(noun))


def _elided(word: str) -> str:
    # "s'" and "se", "l'" and "le" are the same word
    return word[:-1] + "e" if word.endswith("'") else word


def _unglued(lemma: str) -> str:
    """A lemma without the elision or opening quote the tokenizer may leave glued to it ("d'«erreur")."""
    return fold(_GLUED.split(lemma)[-1])


def _requirements(sentence: Sentence, token: Token, pattern: RelationPattern) -> bool:
    for lemma, word in pattern.requires:
        nearby = [*sentence.children(token), *token.doc[max(0, token.i - 3) : token.i]]
        if sentence.lemma(token) == lemma and not any(_elided(sentence.word(t)) == _elided(word) for t in nearby):
            return False
    if pattern.requires_object:
        window = [_unglued(t.lemma_) for t in sentence.table.subtree(token)] + [
            _unglued(t.lemma_)
            for t in sentence.doc_tokens[token.i + 1 : min(token.i + 12, sentence.table.sentence_end[token.i])]
        ]
        if not any(w in pattern.requires_object for w in window):
            return False
    return True


def light_verb(sentence: Sentence, noun: Token) -> Token | None:
    """The light verb a noun trigger is the object of, directly or through a quantity noun ("un train de")."""
    light_verbs = sentence.patterns.light_verbs
    deps = sentence.deps
    token = noun
    for _ in range(2):
        if token.dep_ in deps.object and fold(token.head.lemma_) in light_verbs:
            return token.head
        if token.dep_ not in deps.nominal_modifier or token.head.pos_ != "NOUN":
            break
        token = token.head
    # the parse may hang the noun elsewhere: the nearest light verb before it in the clause
    doc = sentence.doc_tokens
    for i in range(noun.i - 1, max(sentence.start, noun.i - 7) - 1, -1):
        tok = doc[i]
        if tok.pos_ in ("VERB", "AUX") and sentence.lemma(tok) in light_verbs:
            return tok
        if (
            tok.text in (",", ";", ":")
            or tok.pos_ == "SCONJ"
            or (tok.pos_ == "VERB" and tok.i not in sentence.ents.by_token)
        ):
            return None
    return None
