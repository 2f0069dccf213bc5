"""Deals stated from the receiving end: "le Mali a reçu des avions russes" is a supply of the demonym's state
to the receiver."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kgraph.relations.clauses import prepositional
from kgraph.relations.found import AGENT_ONLY, Found, actors, builtin
from kgraph.relations.nounphrase import np_clusters
from kgraph.relations.roles import fill_role
from kgraph.relations.rules.reports import noun_owner

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.relations.context import Sentence


def _received_goods(sentence: Sentence, verb: Token) -> list[Token]:
    """The objects of a receipt verb that are goods, with their conjuncts ("des chars et des drones")."""
    goods = sentence.grammar.supplied_goods
    objects = [c for c in sentence.children(verb) if c.dep_ in sentence.deps.objects]
    return [t for o in objects for t in [o, *o.conjuncts] if sentence.lemma(t) in goods]


def _suppliers(sentence: Sentence, goods: list[Token]) -> list[Cluster]:
    out: list[Cluster] = []
    for noun in goods:
        state = sentence.demonym_cluster(noun)
        if state is not None and state not in out:
            out.append(state)
    return out


def iter_received_supplies(sentence: Sentence) -> Iterator[Found]:
    """ "X a reçu des chars turcs": the state the goods' adjective names supplies X."""
    grammar = sentence.grammar
    pattern = builtin(grammar.language, "supply.received", "supply", grammar.label("supply.received"))
    for token in sentence.tokens_with_lemma(grammar.receipt_verbs):
        if token.pos_ != "VERB":
            continue
        goods = _received_goods(sentence, token)
        if not goods:
            continue
        receivers, confidence = fill_role(sentence, token, "agent", AGENT_ONLY)
        receivers = [sentence.ents.actor(c) for c in actors(receivers)]
        for supplier in _suppliers(sentence, goods):
            for receiver in receivers:
                if receiver is not supplier:
                    yield Found(supplier, receiver, pattern, token, min(confidence, 0.75))


def _supply_noun(sentence: Sentence, token: Token) -> bool:
    return any(p.relation == "supply" for p in sentence.patterns.nouns.get(sentence.lemma(token), ()))


def _purpose_supply(sentence: Sentence, verb: Token) -> Token | None:
    """ "a signé avec Y des accords pour la fourniture de Z", "un contrat pour la livraison de Z": a supply
    noun hanging on the signing verb, or on a noun the verb governs."""
    for child in sentence.children(verb):
        for tok in [child, *(g for g in sentence.children(child) if child.pos_ == "NOUN")]:
            if tok.pos_ == "NOUN" and _supply_noun(sentence, tok):
                return tok
    return None


def _supplier(sentence: Sentence, verb: Token, parties: tuple[Cluster, Cluster]) -> Cluster | None:
    """Of the two parties to a supply contract, the company when the other is a state; else the signing
    verb's subject."""
    companies = [p for p in parties if p.type == "ORG"]
    states = [p for p in parties if p.type == "GPE"]
    if len(companies) == 1 and len(states) == 1:
        return companies[0]
    subjects, _confidence = fill_role(sentence, verb, "agent", AGENT_ONLY)
    subject = [p for p in parties if p in actors(subjects)]
    return subject[0] if len(subject) == 1 else None


def iter_contract_supplies(sentence: Sentence, found: list[Found]) -> Iterator[Found]:
    """A signed agreement for a supply ("X a signé avec Y un contrat pour la fourniture de Z"): the
    supplier party supplies the other."""
    grammar = sentence.grammar
    pattern = builtin(grammar.language, "supply.contract", "supply", grammar.label("supply.contract"))
    for f in found:
        if f.pattern.relation != "agreement" or f.pattern.pos != "verb" or f.trigger.pos_ != "VERB":
            continue
        noun = _purpose_supply(sentence, f.trigger)
        supplier = _supplier(sentence, f.trigger, (f.source, f.target)) if noun is not None else None
        if noun is not None and supplier is not None:
            receiver = f.target if supplier is f.source else f.source
            yield Found(supplier, receiver, pattern, noun, f.confidence)


def _granting_verb(sentence: Sentence, noun: Token) -> Token | None:
    """The `granting_verbs` verb a supply noun is the object of, directly or through the noun it qualifies
    ("a accordé une enveloppe de prêts")."""
    deps = sentence.deps
    phrase = noun.head if noun.dep_ in deps.nominal_modifier and noun.head.pos_ == "NOUN" else noun
    verb = phrase.head
    if phrase.dep_ in deps.object and verb.pos_ == "VERB" and sentence.lemma(verb) in sentence.grammar.granting_verbs:
        return verb
    return None


def _grantors(sentence: Sentence, verb: Token) -> list[Cluster]:
    """The granting verb's subject, or the entity its subject noun belongs to ("le conseil d'administration
    du FMI")."""
    granted, _confidence = fill_role(sentence, verb, "agent", AGENT_ONLY)
    if granted:
        return actors(granted)
    subjects = [c for c in sentence.children(verb) if c.dep_ in sentence.deps.subjects]
    return actors([o for s in subjects if not np_clusters(sentence, s) for o in noun_owner(sentence, s)])


def iter_granted_supplies(sentence: Sentence, found: list[Found]) -> Iterator[Found]:
    """ "X a accordé une enveloppe de prêts pour Y": a supply noun granted by a verb's subject to the one it
    is for."""
    grammar = sentence.grammar
    pattern = builtin(grammar.language, "supply.granted", "supply", grammar.label("supply.granted"))
    done = {f.trigger.i for f in found if f.pattern.relation == "supply"}
    for noun in sentence.tokens_with_lemma(sentence.patterns.nouns.keys()):
        if noun.pos_ != "NOUN" or noun.i in done or not _supply_noun(sentence, noun):
            continue
        verb = _granting_verb(sentence, noun)
        if verb is None:
            continue
        phrase = noun.head if noun.head.i != verb.i else noun
        for_whom = prepositional(sentence, phrase, grammar.beneficiary_prepositions, nominal=True)
        beneficiaries = [sentence.ents.actor(c) for c in actors(for_whom)]
        for grantor in [sentence.ents.actor(c) for c in _grantors(sentence, verb)]:
            for beneficiary in beneficiaries:
                if grantor is not beneficiary:
                    yield Found(grantor, beneficiary, pattern, noun, 0.7)
