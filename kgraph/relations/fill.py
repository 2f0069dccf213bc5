"""Filling a pattern at a trigger: its source roles, then its target roles, into relation candidates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kgraph.relations.found import ACTOR_TYPES, AGENT_ONLY, Found, actors
from kgraph.relations.nounphrase import np_clusters
from kgraph.relations.participles import participle_subject
from kgraph.relations.qualifiers import place_for
from kgraph.relations.roles import fill_role
from kgraph.relations.rules.titles import represented_states
from kgraph.relations.triggers import light_verb

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.patterns import RelationPattern
    from kgraph.relations.context import Sentence

# relations whose target stays the place or city named, not the state it stands for
_PLACE_TARGETS = frozenset({"visit", "deployment", "capture", "located_in"})
# the morphology of "je", "tu", "nous", "vous": the speaker and the one spoken to
_SPEECH_PERSONS = frozenset({"Person=1", "Person=2"})
_FIRST_SINGULAR = frozenset({"Person=1", "Number=Sing"})


def _typed(clusters: list[Cluster], types: frozenset[str] | None) -> list[Cluster]:
    return [c for c in clusters if types is None or c.type in types or (c.capital_of and "GPE" in types)]


def _clause_agent(sentence: Sentence, token: Token) -> tuple[list[Cluster], float]:
    # "X est arrivé à Shanghai, première étape d'une visite en Chine": the traveller of the clause
    head = token.head
    for _ in range(3):
        if head.pos_ in ("VERB", "AUX"):
            subjects = sentence.deps.subjects
            subj = [
                c for child in sentence.children(head) if child.dep_ in subjects for c in np_clusters(sentence, child)
            ]
            return [c for c in subj if c.type in ACTOR_TYPES], 0.65
        if head.head.i == head.i:
            break
        head = head.head
    return [], 0.0


def _speaker_subject(sentence: Sentence, token: Token) -> bool:
    """ "«Je te remercie», a-t-il dit": the verb's subject is the speaker or the one spoken to, never an
    entity named to the left of it."""
    subjects = sentence.deps.subjects
    return any(
        c.dep_ in subjects and c.pos_ == "PRON" and _SPEECH_PERSONS & sentence.features(c)
        for c in sentence.children(token)
    )


def _quoted_speaker(sentence: Sentence, token: Token) -> list[Cluster]:
    """The speaker a first-person singular subject stands for: the subject after the reporting verb that
    closes the quote ("», a déclaré X", "», a-t-il dit")."""
    if not any(
        c.dep_ in sentence.deps.subjects and sentence.features(c) >= _FIRST_SINGULAR for c in sentence.children(token)
    ):
        return []
    reporting = sentence.patterns.reporting_verbs
    doc = sentence.doc_tokens
    verb = next(
        (t for t in doc[token.i + 1 : sentence.end] if t.pos_ == "VERB" and sentence.lemma(t) in reporting), None
    )
    return [] if verb is None else _speaker(sentence, verb, token)


def _speaker(sentence: Sentence, verb: Token, quoted: Token) -> list[Cluster]:
    """The subject of a reporting verb after the quote: "-il" in "a-t-il dit", or the person named; the
    parse may take an inverted subject for an object."""
    objects = sentence.deps.object
    for child in sentence.children(verb):
        if child.i <= quoted.i:
            continue
        word = sentence.word(child).lstrip("-")
        if child.pos_ == "PRON" and word in sentence.grammar.subject_pronouns:
            return sentence.memory.pronoun(word, child.i)
        named = [c for c in np_clusters(sentence, child) if c.type == "PERSON"]
        if named and (sentence.deps.is_subject(child.dep_) or (child.dep_ in objects and child.i > verb.i)):
            return named
    return []


def _troop_states(sentence: Sentence, verb: Token) -> list[Cluster]:
    """ "Les rebelles et 3 000 soldats rwandais ont pénétré dans X": the states whose troops the verb's subject
    names with a demonym, wherever the parse hangs them in the subject's phrase."""
    troop_nouns = sentence.grammar.troop_nouns
    states: list[Cluster] = []
    for child in sentence.children(verb):
        if not sentence.deps.is_subject(child.dep_):
            continue
        for token in sentence.table.subtree(child):
            if sentence.lemma(token) in troop_nouns or sentence.word(token) in troop_nouns:
                state = sentence.demonym_cluster(token)
                if state is not None and state not in states:
                    states.append(state)
    return states


def _traveller_on_name(sentence: Sentence, token: Token, pattern: RelationPattern) -> Cluster | None:
    """ "un sommet avec X arrivé la veille": the person a travel participle right after his name describes."""
    if pattern.relation != "visit" or pattern.pos != "verb" or token.i <= sentence.start:
        return None
    if any(sentence.deps.is_subject(c.dep_) for c in sentence.children(token)):
        return None
    named = sentence.cluster_at(sentence.doc_tokens[token.i - 1])
    return named if named is not None and named.type == "PERSON" else None


def _sentence_place(sentence: Sentence, travellers: list[Cluster]) -> list[Cluster]:
    # "X est attendu à Sotchi pour un sommet avec Y arrivé la veille": Y arrived where the sentence happens
    place = place_for(sentence, sentence.sent.root, {c.key for c in travellers})
    return [place] if place is not None and place.type in ("LOC", "GPE") else []


def _sources(sentence: Sentence, token: Token, pattern: RelationPattern) -> tuple[list[Cluster], float]:
    sources: list[Cluster] = []
    confidence = 0.0
    if pattern.pos == "verb" and _speaker_subject(sentence, token):
        # "«Je te remercie», a-t-il dit": "je" is the one the sentence quotes
        return [sentence.ents.actor(c) for c in _quoted_speaker(sentence, token)], 0.7
    traveller = _traveller_on_name(sentence, token, pattern)
    if traveller is not None:
        return [traveller], 0.7
    if pattern.pos == "verb":
        # "…, avertissant la Colombie": a present participle's doer is its clause's
        sources = participle_subject(sentence, token)
        if sources:
            return [sentence.ents.actor(c) for c in sources], 0.7
    for role in pattern.source:
        sources, confidence = fill_role(sentence, token, role, pattern)
        sources = actors(sources)
        if sources:
            break
    if not sources and pattern.relation == "deployment" and pattern.pos == "verb":
        sources, confidence = _troop_states(sentence, token), 0.7
    light = light_verb(sentence, token) if not sources and pattern.pos == "noun" else None
    if light is not None:
        # "X a finalisé le rachat de Y", "X a adopté un train de sanctions contre Y": the light verb's subject
        sources, confidence = fill_role(sentence, light, "agent", AGENT_ONLY)
        sources = actors(sources)
    if not sources and pattern.agent_from_clause and token.dep_ not in sentence.deps.object:
        found, clause_confidence = _clause_agent(sentence, token)
        if clause_confidence:
            sources, confidence = found, clause_confidence
    return [sentence.ents.actor(c) for c in sources], confidence


def _between(sentence: Sentence, token: Token, pattern: RelationPattern, found: list[Cluster]) -> list[Cluster]:
    """ "entre X et Y": a symmetric pair, whatever the source role found."""
    return [
        sentence.ents.actor(c)
        if (c.capital_of and c.type != "LOC") or (pattern.relation != "visit" and c.capital_of)
        else c
        for c in found
    ]


def fill(sentence: Sentence, token: Token, pattern: RelationPattern) -> list[Found]:
    """The relation candidates a pattern yields at a trigger."""
    sources, confidence = _sources(sentence, token, pattern)
    if not sources:
        return []
    targets: list[Cluster] = []
    t_conf = 0.0
    for role in pattern.target:
        found, t_conf = fill_role(sentence, token, role, pattern)
        found = [c for c in _typed(found, pattern.target_types) if c not in sources or role == "between"]
        if role == "between":
            pair = _between(sentence, token, pattern, found)
            if len(pair) >= 2:
                return [Found(pair[0], pair[1], pattern, token, t_conf)]
            continue
        if found:
            targets = found
            break
    if not targets and _traveller_on_name(sentence, token, pattern) is not None:
        targets, t_conf = _sentence_place(sentence, sources), 0.6
    if not targets and pattern.relation == "visit" and pattern.pos == "noun" and sentence.memory.visits:
        # "Son voyage intervient…": the destination of the visit just reported
        targets = [sentence.memory.visits[-1][1]]
        t_conf = 0.6
    if pattern.relation == "support":
        targets = targets + [s for s in represented_states(sentence, targets) if s not in targets]
    if pattern.relation not in _PLACE_TARGETS:
        targets = [sentence.ents.actor(t) for t in targets]
    if not targets and pattern.pair_subjects and len(sources) >= 2:
        return [
            Found(a, b, pattern, token, confidence)
            for i, a in enumerate(sources)
            for b in sources[i + 1 :]
            if a is not b
        ]
    conf = min(confidence, t_conf) if t_conf else confidence
    return [Found(s, t, pattern, token, conf) for s in sources for t in targets if s is not t]
