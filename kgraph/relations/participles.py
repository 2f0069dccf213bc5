"""The doer of a present participle or gerund adjunct, which has no subject of its own: "X a rappelé son
ambassadeur, avertissant la Colombie", "a déclaré X, louant Y", "les frappes israéliennes visant Y"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kgraph.relations.found import ACTOR_TYPES, actors
from kgraph.relations.nounphrase import np_clusters
from kgraph.relations.roles import fill_role

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.relations.context import Sentence

_REACH = 4  # steps up the parse from the participle to the noun or verb it depends on
_PRESENT_PARTICIPLE = frozenset({"VerbForm=Part", "Tense=Pres"})


def present_participle(sentence: Sentence, token: Token) -> bool:
    return sentence.features(token) >= _PRESENT_PARTICIPLE


def participle_subject(sentence: Sentence, trigger: Token) -> list[Cluster]:
    """The subject a subjectless present participle shares with the noun or the verb it hangs on."""
    deps = sentence.deps
    if not present_participle(sentence, trigger) or any(deps.is_subject(c.dep_) for c in sentence.children(trigger)):
        return []
    # after a comma the participle goes with the clause's subject, whatever noun the parse hangs it on
    after_comma = trigger.i > sentence.start and sentence.doc_tokens[trigger.i - 1].text == ","
    head = trigger.head
    for _ in range(_REACH):
        if head.i == trigger.i:
            return []
        if head.pos_ in ("VERB", "AUX"):
            return _verb_subject(sentence, head)
        found = [] if after_comma else _noun_actor(sentence, head)
        if found:
            return found
        if not after_comma and sentence.cluster_at(head) is None:
            return []  # "une action accordant un droit de veto": the noun itself, which is no actor
        head = head.head
    return []


def _verb_subject(sentence: Sentence, verb: Token) -> list[Cluster]:
    deps = sentence.deps
    found = [
        c for child in sentence.children(verb) if deps.is_subject(child.dep_) for c in np_clusters(sentence, child)
    ]
    if not found and sentence.lemma(verb) in sentence.patterns.reporting_verbs:
        # "…, a déclaré X, louant Y": the small parse takes the inverted subject for an object
        found = [
            c
            for child in sentence.children(verb)
            if child.dep_ in deps.object and child.i > verb.i
            for c in np_clusters(sentence, child)
        ]
    return actors(found)


def _noun_actor(sentence: Sentence, noun: Token) -> list[Cluster]:
    """The actor a noun stands for, or the author of the event it names ("les frappes israéliennes")."""
    named = [c for c in np_clusters(sentence, noun) if c.type in ACTOR_TYPES]
    if named:
        return named
    for event in sentence.patterns.nouns.get(sentence.lemma(noun), ()):
        for role in event.source:
            authors, _ = fill_role(sentence, noun, role, event)
            if actors(authors):
                return [sentence.ents.actor(a) for a in actors(authors)]
    return []
