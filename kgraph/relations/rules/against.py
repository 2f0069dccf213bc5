"""Against an actor's act or stance: "X a signé un accord qui se veut un message contre le protectionnisme de
Y", "X lutte contre l'influence de Y": X opposes Y."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kgraph.relations.clauses import with_left_coordination
from kgraph.relations.found import Found, actors, builtin
from kgraph.relations.nounphrase import np_clusters
from kgraph.relations.rules.evaluations import act_owners

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.relations.context import Sentence

_NOUN_REACH = 3  # words from "contre" to the noun it governs ("contre le seul protectionnisme")
_CLAUSE_STEPS = 6  # heads climbed from "contre" to the verb whose subject opposes


def iter_against_acts(sentence: Sentence) -> Iterator[Found]:
    grammar = sentence.grammar
    against = builtin(grammar.language, "opposition.against", "opposition", grammar.label("opposition.against"))
    for token in sentence.tokens_with_word(grammar.against_prepositions):
        owners = _owners_against(sentence, token)
        opponents = _opponents(sentence, token) if owners else []
        yield from (Found(s, o, against, token, 0.65) for s in opponents for o in owners if s is not o)


def _owners_against(sentence: Sentence, token: Token) -> list[Cluster]:
    """Whose act or stance a "contre" at `token` is aimed at (none for another word)."""
    if sentence.word(token) not in sentence.grammar.against_prepositions:
        return []
    noun = _governed_noun(sentence, token)
    return [] if noun is None else act_owners(sentence, noun, members=False)


def _governed_noun(sentence: Sentence, preposition: Token) -> Token | None:
    """The noun "contre" governs, when it names an act or stance (`owned_nouns`)."""
    doc = sentence.doc_tokens
    owned = sentence.grammar.owned_nouns
    for tok in doc[preposition.i + 1 : min(preposition.i + 1 + _NOUN_REACH, sentence.end)]:
        if tok.pos_ == "NOUN" and (sentence.lemma(tok) in owned or sentence.word(tok) in owned):
            return tok
        if tok.pos_ not in ("DET", "ADJ"):
            return None
    return None


def _opponents(sentence: Sentence, preposition: Token) -> list[Cluster]:
    """The doer of the nearest verb above "contre" that names one: a relative pronoun ("un accord qui se
    veut…") passes to the verb of the clause above."""
    deps = sentence.deps
    head = preposition
    for _ in range(_CLAUSE_STEPS):
        if head.head.i == head.i:
            break
        head = head.head
        if head.pos_ not in ("VERB", "AUX"):
            continue
        subjects = [c for c in sentence.children(head) if deps.is_subject(c.dep_) and not sentence.is_relative(c)]
        named = [cl for c in subjects for cl in np_clusters(sentence, c)]
        agents = actors(with_left_coordination(sentence, named) if named else sentence.memory.agent_of(head.i))
        if agents:
            return [sentence.ents.actor(a) for a in agents]
    return []
