"""Condemnation stated by an evaluative adjective: "La décision de X est inacceptable, a déclaré Y",
"Pour Y, la politique de X est illégale": Y opposes X."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kgraph.relations.found import ACTOR_TYPES, Found, builtin
from kgraph.relations.nounphrase import np_clusters

_OWNER_REACH = 6  # words from a noun to the owner named after it ("des combattants du groupe armé X")

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.relations.context import Sentence


def iter_condemnations(sentence: Sentence) -> Iterator[Found]:
    grammar = sentence.grammar
    judged = builtin(grammar.language, "opposition.evaluation", "opposition", grammar.label("opposition.evaluation"))
    for token in sentence.tokens_with_lemma(grammar.condemning_adjectives):
        if token.pos_ != "ADJ" or _negated(sentence, token):
            continue
        targets = _judged(sentence, token)
        if not targets:
            continue
        for source in _judges(sentence, token):
            for target in targets:
                if source is not target:
                    yield Found(source, target, judged, token, 0.65)


def _negated(sentence: Sentence, adjective: Token) -> bool:
    return any(sentence.word(c) in sentence.grammar.negation_particles for c in sentence.children(adjective))


def _judged(sentence: Sentence, adjective: Token) -> list[Cluster]:
    """Whose act is judged: the owner of the subject noun ("la décision de X"), or its demonym."""
    deps = sentence.deps
    subjects = (c for c in sentence.children(adjective) if deps.is_subject(c.dep_) and c.pos_ == "NOUN")
    return [owner for subject in subjects for owner in _owners(sentence, subject)]


def act_owners(sentence: Sentence, noun: Token, *, members: bool = True) -> list[Cluster]:
    """Whose act or stance a noun of `owned_nouns` names ("la position de X", "la politique russe"), and
    with `members`, whose people a `member_nouns` noun names ("des dirigeants de X")."""
    grammar = sentence.grammar
    words = {sentence.lemma(noun), sentence.word(noun)}
    owned = words & grammar.owned_nouns or (members and words & grammar.member_nouns)
    return _owners(sentence, noun) if owned else []


def _owners(sentence: Sentence, noun: Token) -> list[Cluster]:
    """The actors of a noun's "de X" complement, or the state its demonym names."""
    deps = sentence.deps
    of = sentence.ents.lexicon.of_prepositions
    out: list[Cluster] = []
    for child in sentence.children(noun):
        cases = [sentence.word(g) for g in sentence.children(child) if g.dep_ in deps.case_markers]
        if child.dep_ in deps.nominal_modifier and any(c in of for c in cases):
            out.extend(np_clusters(sentence, child))
    state = sentence.demonym_cluster(noun) if not out else None
    if state is not None:
        out.append(state)
    return [sentence.ents.actor(c) for c in out or _owner_read(sentence, noun) if c.type in ACTOR_TYPES or c.capital_of]


def _owner_read(sentence: Sentence, noun: Token) -> list[Cluster]:
    """The "de X" read after the noun where the parse hangs it elsewhere: across a closing quote ("le
    protectionnisme» de X") or the words describing X ("des combattants du groupe armé X")."""
    doc = sentence.doc_tokens
    of = sentence.ents.lexicon.of_prepositions
    after_of = False
    for tok in doc[noun.i + 1 : min(noun.i + 1 + _OWNER_REACH, sentence.end)]:
        cluster = sentence.cluster_at(tok)
        if cluster is not None:
            return [cluster] if after_of else []
        if sentence.word(tok) in of:
            after_of = True
        elif not (tok.is_quote or tok.pos_ in ("DET", "ADJ") or (after_of and _describing(sentence, tok))):
            return []
    return []


def _describing(sentence: Sentence, token: Token) -> bool:
    """A noun or participle inside the description of the owner ("groupe armé")."""
    return token.pos_ == "NOUN" or (token.pos_ == "VERB" and "VerbForm=Part" in sentence.features(token))


def _judging(sentence: Sentence, verb: Token) -> bool:
    """A verb that reports a statement or a judgement ("a déclaré", "a martelé", "juge")."""
    lemma = sentence.lemma(verb)
    return lemma in sentence.patterns.reporting_verbs or lemma in sentence.grammar.judging_verbs


def _judges(sentence: Sentence, adjective: Token) -> list[Cluster]:
    """Who judges: "pour Y," before the clause, or the subject of the reporting verb hung on it."""
    deps = sentence.deps
    grammar = sentence.grammar
    out: list[Cluster] = []
    for child in sentence.children(adjective):
        cases = [sentence.word(g) for g in sentence.children(child) if g.dep_ in deps.case_markers]
        if (
            child.dep_ in deps.complements
            and child.i < adjective.i
            and any(c in grammar.purpose_markers for c in cases)
        ):
            out.extend(np_clusters(sentence, child))
        elif child.pos_ == "VERB" and _judging(sentence, child):
            for g in (g for g in sentence.children(child) if deps.is_subject(g.dep_)):
                # "a déclaré le porte-parole du gouvernement allemand": the state its spokesman speaks for
                speaker = np_clusters(sentence, g) or [s for s in [sentence.demonym_cluster(g)] if s is not None]
                out.extend(speaker)
    return [sentence.ents.actor(c) for c in out if c.type in ACTOR_TYPES or c.capital_of]
