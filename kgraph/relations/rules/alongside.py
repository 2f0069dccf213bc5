"""Alongside/against: "aux côtés des forces russes contre l'Ukraine": the ally is at war with the adversary."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kgraph.relations.clauses import beside
from kgraph.relations.found import ACTOR_TYPES, Found, builtin
from kgraph.relations.nounphrase import np_cluster

if TYPE_CHECKING:
    from kgraph.entities import Cluster
    from kgraph.relations.context import Sentence


def iter_alongside_against(sentence: Sentence) -> Iterator[Found]:
    doc = sentence.doc_tokens
    grammar = sentence.grammar
    pattern = builtin(grammar.language, "conflict.alongside", "conflict", grammar.label("conflict.alongside"))
    start, end = sentence.start, sentence.end
    for token in sentence.tokens_with_word(grammar.against_prepositions):
        if token.i + 1 >= end:
            continue
        window = [sentence.word(t) for t in doc[max(start, token.i - 6) : token.i]]
        if grammar.beside_locution[1] not in window:
            continue
        ally = beside(sentence, doc[max(start, token.i - 7)])
        adversary: list[Cluster] = []
        j = token.i + 1
        while j < end and doc[j].pos_ == "DET":
            j += 1
        if j < end:
            adversary = np_cluster(sentence, doc[j])
        for a in ally:
            for b in adversary:
                b = sentence.ents.actor(b)
                if a is not b and b.type in ACTOR_TYPES:
                    yield Found(a, b, pattern, token, 0.7)
