"""Role resolvers: how each argument role a pattern names ("agent", "patient", "with", "possessive", …)
is filled for a trigger. A registry keyed by role name, filled by the `resolver` decorator: the roles a
pattern file may name are exactly the keys of `ROLE_RESOLVERS` (kgraph.patterns checks them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kgraph.relations.clauses import (
    beside,
    clause_place,
    compound,
    linear_left,
    linear_right,
    passive,
    prepositional,
    with_left_coordination,
)
from kgraph.relations.found import ACTOR_TYPES
from kgraph.relations.nounphrase import np_cluster, np_clusters
from kgraph.relations.rules.demonstratives import told_event_actors
from kgraph.relations.rules.evaluations import act_owners

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.patterns import RelationPattern
    from kgraph.relations.context import Sentence

Filled = tuple["list[Cluster]", float]  # the clusters found and the confidence of the way they were found
Resolver = Callable[["Sentence", "Token", "RelationPattern"], Filled]

ROLE_RESOLVERS: dict[str, Resolver] = {}
# roles filled by a complement with one of the prepositions the patterns file lists under the role's name
PREPOSITIONAL_ROLES = ("with", "recipient", "destination", "against", "by", "of", "between")
_OBJECT_REACH = 5  # words from a verb to the noun it governs ("condamnant fermement cette offensive")


def resolver(*names: str) -> Callable[[Resolver], Resolver]:
    """Register a function as the resolver of the given role names."""

    def register(function: Resolver) -> Resolver:
        for name in names:
            if name in ROLE_RESOLVERS:
                raise ValueError(f"role {name!r} has two resolvers")
            ROLE_RESOLVERS[name] = function
        return function

    return register


def fill_role(sentence: Sentence, trigger: Token, role: str, pattern: RelationPattern) -> Filled:
    """Clusters filling `role` of a trigger, with the confidence of the way they were found."""
    function = ROLE_RESOLVERS.get(role)
    return function(sentence, trigger, pattern) if function is not None else ([], 0.0)


def _participle(sentence: Sentence, token: Token) -> bool:
    return "VerbForm=Part" in sentence.features(token)


def _infinitive(sentence: Sentence, token: Token) -> bool:
    return "VerbForm=Inf" in sentence.features(token)


@resolver("agent")
def _agent(sentence: Sentence, trigger: Token, pattern: RelationPattern) -> Filled:
    """The doer: the subject, "par X" in the passive, a controller, the subject read leftwards."""
    if pattern.pos != "verb":
        return [], 0.0
    deps = sentence.deps
    if passive(sentence, trigger) or (trigger.dep_ in deps.clausal_modifier and _participle(sentence, trigger)):
        return _passive_agent(sentence, trigger, pattern)
    found = [
        c for child in sentence.children(trigger) if child.dep_ in deps.subjects for c in np_clusters(sentence, child)
    ]
    if found:
        return with_left_coordination(sentence, found), 0.9
    if _infinitive(sentence, trigger):
        return _infinitive_agent(sentence, trigger)
    found = linear_left(sentence, trigger)
    if found:
        return found, 0.75
    if _participle(sentence, trigger) and trigger.i == sentence.start:
        # "Arrivé à Kiev, il a été accueilli…": the participle's subject is the main clause's
        root = sentence.sent.root
        subject = [c for ch in sentence.children(root) if deps.is_subject(ch.dep_) for c in np_clusters(sentence, ch)]
        if subject:
            return subject, 0.7
    return (sentence.memory.agent_of(trigger.head.i) if trigger.dep_ in deps.chained_verbs else []), 0.65


def _passive_agent(sentence: Sentence, trigger: Token, pattern: RelationPattern) -> Filled:
    by = prepositional(sentence, trigger, sentence.preps.get("by", sentence.grammar.agent_prepositions))
    if by or pattern.relation != "deployment":
        return by, 0.85
    # "des Nord-Coréens déployés…", "les troupes russes déployées…": the troops' own state
    if trigger.head.i == trigger.i:
        return [], 0.7
    return [c for c in np_cluster(sentence, trigger.head) if c.type == "GPE"], 0.7


def _infinitive_agent(sentence: Sentence, trigger: Token) -> Filled:
    head = trigger.head
    owners = act_owners(sentence, head) if head.pos_ == "NOUN" else []
    if owners:
        return owners, 0.7  # "la décision de X de reconnaître Y": X recognises Y
    if sentence.lemma(head) in sentence.patterns.object_control:
        # "aider les forces russes à reprendre X": the object of "aider" retakes X
        objects = sentence.deps.object
        controller = [
            c for child in sentence.children(head) if child.dep_ in objects for c in np_clusters(sentence, child)
        ]
        if controller:
            return controller, 0.7
    return sentence.memory.agent_of(trigger.head.i), 0.75


@resolver("patient")
def _patient(sentence: Sentence, trigger: Token, pattern: RelationPattern) -> Filled:
    """What undergoes: the object, the passive subject, the author of an event object, a relative antecedent."""
    if pattern.pos != "verb":
        return [], 0.0
    if passive(sentence, trigger):
        return _passive_patient(sentence, trigger)
    deps = sentence.deps
    found = [
        c for child in sentence.children(trigger) if child.dep_ in deps.objects for c in np_clusters(sentence, child)
    ]
    if found:
        return found, 0.9
    if pattern.relation in ("opposition", "support"):
        authors = _event_authors(sentence, trigger)
        if authors:
            return authors, 0.7
    object_relatives = sentence.grammar.object_relatives
    if trigger.dep_ in deps.relative_clause or any(
        sentence.word(c) in object_relatives for c in sentence.children(trigger)
    ):
        ante = [
            c
            for child in sentence.children(trigger)
            if sentence.word(child) in object_relatives
            for c in sentence.antecedent(child)
        ]
        if ante:
            return ante, 0.75
    return linear_right(sentence, trigger, None), 0.7


def _passive_patient(sentence: Sentence, trigger: Token) -> Filled:
    deps = sentence.deps
    found = [
        c
        for child in sentence.children(trigger)
        if child.dep_ in deps.passive_subject
        for c in np_clusters(sentence, child)
    ]
    if found:
        return found, 0.85
    if trigger.dep_ in deps.clausal_modifier and trigger.head.i < trigger.i:
        # "le groupe dirigé par X": the noun the participle describes
        described = np_clusters(sentence, trigger.head)
        if described:
            return described, 0.75
    if any(_infinitive(sentence, c) for c in sentence.children(trigger) if c.dep_ in deps.passive_auxiliary):
        # "avant d'être reçu par X": the subject of the main clause is received
        return sentence.memory.agent_of(trigger.head.i) or sentence.memory.current[:1], 0.7
    return linear_left(sentence, trigger), 0.7


def _event_authors(sentence: Sentence, trigger: Token) -> list[Cluster]:
    """ "a condamné les frappes menées par la Russie", "l'invasion russe": the author of the event object."""
    objects = [c for c in sentence.children(trigger) if c.dep_ in sentence.deps.object] or _noun_after(
        sentence, trigger
    )
    for child in objects:
        for event in sentence.patterns.nouns.get(sentence.lemma(child), ()):
            for src in event.source:
                authors, _ = fill_role(sentence, child, src, event)
                authors = [sentence.ents.actor(a) for a in authors if a.type in ACTOR_TYPES or a.capital_of]
                if authors:
                    return authors
            told = told_event_actors(sentence, child)  # "condamne cette offensive": the one just told
            if told:
                return told
    return []


@resolver("owner")
def _owner(sentence: Sentence, trigger: Token, pattern: RelationPattern) -> Filled:
    """ "condamne la position de X", "critique la politique russe": whose act or stance the object names."""
    objects = sentence.deps.object
    return [
        o for child in sentence.children(trigger) if child.dep_ in objects for o in act_owners(sentence, child)
    ], 0.7


def _noun_after(sentence: Sentence, trigger: Token) -> list[Token]:
    """The noun right after a verb the parse gave no object ("en condamnant fermement cette offensive")."""
    for tok in sentence.sent.doc[trigger.i + 1 : min(trigger.i + _OBJECT_REACH, sentence.end)]:
        if tok.pos_ == "NOUN":
            return [tok]
        if tok.pos_ not in ("ADV", "DET", "ADJ"):
            break
    return []


@resolver("beside")
def _beside(sentence: Sentence, trigger: Token, pattern: RelationPattern) -> Filled:
    ally = beside(sentence, trigger)
    return (ally, 0.75) if ally else ([], 0.0)


def _prepositional_role(role: str) -> Resolver:
    def resolve(sentence: Sentence, trigger: Token, pattern: RelationPattern) -> Filled:
        preps = sentence.preps.get(role)
        if preps is None:
            return [], 0.0
        verb = pattern.pos == "verb"
        found = prepositional(sentence, trigger, preps, nominal=not verb)
        if not found and verb and role == "of":
            found = _genitive_relative(sentence, trigger)
        if role == "between" and len(found) < 2:
            return [], 0.0
        return found, 0.8

    resolve.__doc__ = f'The "{role}" complement: an entity after one of its prepositions.'
    return resolve


for _role in PREPOSITIONAL_ROLES:
    resolver(_role)(_prepositional_role(_role))


def _genitive_relative(sentence: Sentence, trigger: Token) -> list[Cluster]:
    # "la région dont l'armée s'était emparée": "dont" is the de-complement
    doc = sentence.doc_tokens
    window = doc[max(sentence.start, trigger.i - 8) : trigger.i]
    dont = [t for t in window if sentence.word(t) in sentence.grammar.genitive_relatives]
    return sentence.antecedent(dont[-1]) if dont else []


@resolver("compound")
def _compound(sentence: Sentence, trigger: Token, pattern: RelationPattern) -> Filled:
    return compound(sentence, trigger), 0.8


@resolver("possessive")
def _possessive(sentence: Sentence, trigger: Token, pattern: RelationPattern) -> Filled:
    """ "sa visite", "leur rencontre": the possessor, the subject up the verb chain."""
    grammar = sentence.grammar
    words = [sentence.word(c) for c in sentence.children(trigger)]
    if pattern.pair_subjects and any(w in grammar.plural_possessive_determiners for w in words):
        # "lors de leur rencontre": the two people of the sentence
        return sentence.memory.last_pair(persons=True, before=trigger.i), 0.65
    if not any(w in grammar.possessive_determiners for w in words):
        return [], 0.0
    head = trigger.head
    for _ in range(3):  # "M. Lavrov doit achever sa visite": the subject up the verb chain
        subj = [
            c
            for child in sentence.children(head)
            if child.dep_ in sentence.deps.subject and child.i != trigger.i
            for c in np_clusters(sentence, child)
        ]
        if subj:
            return subj, 0.7
        if head.head.i == head.i:
            break
        head = head.head
    if sentence.memory.current:
        return sentence.memory.current[:1], 0.65
    return sentence.memory.last_subject(), 0.6


@resolver("of_actor")
def _of_actor(sentence: Sentence, trigger: Token, pattern: RelationPattern) -> Filled:
    found = prepositional(sentence, trigger, sentence.preps.get("of", ()), nominal=True)
    return [c for c in found if c.type in ACTOR_TYPES], 0.75


@resolver("antecedent")
def _antecedent(sentence: Sentence, trigger: Token, pattern: RelationPattern) -> Filled:
    # "la région de Koursk, prise par l'armée ukrainienne": the place the participle describes
    doc = sentence.doc_tokens
    if trigger.i - 1 >= sentence.start and doc[trigger.i - 1].text == ",":
        return sentence.antecedent(trigger), 0.7
    return [], 0.0


@resolver("clause_subject")
def _clause_subject(sentence: Sentence, trigger: Token, pattern: RelationPattern) -> Filled:
    # "a exigé que la Russie retire ses troupes": the subject of the demanded clause
    deps = sentence.deps
    return [
        c
        for child in sentence.children(trigger)
        if child.dep_ in deps.clausal_complements
        for g in sentence.children(child)
        if deps.is_subject(g.dep_)
        for c in np_clusters(sentence, g)
    ], 0.7


@resolver("in_country")
def _in_country(sentence: Sentence, trigger: Token, pattern: RelationPattern) -> Filled:
    # "des frappes contre neuf sites au Pakistan": the country where the attack landed
    found = linear_right(sentence, trigger, sentence.grammar.country_prepositions, nominal=True)
    return [c for c in found if c.type == "GPE"], 0.65


@resolver("relative_subject")
def _relative_subject(sentence: Sentence, trigger: Token, pattern: RelationPattern) -> Filled:
    """ "la guerre qu'elle mène": the subject of a light verb in a relative clause on the trigger."""
    deps = sentence.deps
    light_verbs = sentence.patterns.light_verbs
    for child in sentence.children(trigger):
        if child.dep_ in deps.relative_clause and sentence.lemma(child) in light_verbs:
            return [
                c for g in sentence.children(child) if g.dep_ in deps.subject for c in np_clusters(sentence, g)
            ], 0.7
    doc = sentence.doc_tokens
    if trigger.i + 3 < sentence.end and sentence.word(doc[trigger.i + 1]) in sentence.grammar.object_relatives:
        relative_subject, relative_verb = doc[trigger.i + 2], doc[trigger.i + 3]
        if sentence.lemma(relative_verb) in light_verbs:
            return np_clusters(sentence, relative_subject), 0.65
    return [], 0.0


@resolver("demonym")
def _demonym(sentence: Sentence, trigger: Token, pattern: RelationPattern) -> Filled:
    # "l'invasion russe", "les frappes israéliennes": the state named by an adjective
    cluster = sentence.demonym_cluster(trigger)
    return ([cluster], 0.75) if cluster is not None else ([], 0.0)


@resolver("clause_place")
def _clause_place(sentence: Sentence, trigger: Token, pattern: RelationPattern) -> Filled:
    return clause_place(sentence, trigger), 0.65
