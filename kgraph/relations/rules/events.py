"""Event rules: who takes part in a meeting, who visits a place (a guest received there, a person acting there),
and the test that a person does not visit his own country."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kgraph.relations.clauses import is_boundary, passive
from kgraph.relations.found import ACTOR_TYPES, Found, actors, builtin
from kgraph.relations.nounphrase import np_clusters
from kgraph.relations.qualifiers import place_for
from kgraph.relations.roles import fill_role

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.patterns import RelationPattern
    from kgraph.relations.context import Sentence

_JOINT_MARKER_REACH = 4  # words from "conférence" to "commune" ("conférence de presse commune")
_WITH_REACH = 6  # words from the event noun to its "avec" ("une conférence de presse commune avec")
_LIST_REACH = 25  # words the "avec" list of participants may run over
_CLAUSE_REACH = 4  # steps up the parse from the event noun to the verb whose subject takes part


def place_states(place: Cluster, found: list[Found]) -> set[str]:
    """The states a place belongs to: itself for a state, its state for a capital, the state or capital it
    was just said to lie in ("Wonsan, ville portuaire de la Corée du Nord")."""
    states = {s for s in (place.canonical if place.type == "GPE" else None, place.capital_of) if s}
    for f in found:
        if f.pattern.relation == "located_in" and f.source is place:
            states |= {s for s in (f.target.canonical, f.target.capital_of) if s}
    return states


def at_home(person: Cluster, place: Cluster, found: list[Found]) -> bool:
    """A person whose title ties him to the place's state is at home there, not visiting it."""
    home = {state for _role, state in person.roles if state}
    return bool(home & place_states(place, found))


def without_home_visits(found: list[Found]) -> list[Found]:
    """ "X a reçu Y dans sa capitale", "la visite de Y chez X": the host is not a visitor of his own country."""
    return [f for f in found if not (f.pattern.relation == "visit" and at_home(f.source, f.target, found))]


def guest(expected: Cluster, other: Cluster, place: Cluster, found: list[Found]) -> Cluster:
    """Who of two people met at a place is the visitor: the one a pattern expects ("X a reçu Y à P": Y),
    unless he is at home there and the other is a person from elsewhere ("Y a rencontré X dans sa capitale"),
    or the other is the one the sentence already has travelling ("lors de la visite de X à R, où il a
    rencontré Y au palais P": X)."""
    if at_home(expected, place, found) and other.type == "PERSON" and other.roles and not at_home(other, place, found):
        return other
    if other.type == "PERSON" and _travels(other, found) and not _travels(expected, found):
        return other
    return expected


def _travels(person: Cluster, found: list[Found]) -> bool:
    return any(f.pattern.relation == "visit" and f.source is person for f in found)


def _meeting_pattern(sentence: Sentence, token: Token) -> RelationPattern | None:
    """The meeting pattern a noun fires ("sommet", "entretien"), also for a joint press conference."""
    lemma = sentence.lemma(token)
    meetings = [p for p in sentence.patterns.nouns.get(lemma, ()) if p.relation == "meeting"]
    if meetings:
        return meetings[0]
    grammar = sentence.grammar
    doc = sentence.doc_tokens
    after = doc[token.i + 1 : min(token.i + _JOINT_MARKER_REACH, sentence.end)]
    if lemma in grammar.joint_event_nouns and any(sentence.word(t) in grammar.joint_event_markers for t in after):
        every = (p for patterns in sentence.patterns.nouns.values() for p in patterns)
        return next((p for p in every if p.relation == "meeting"), None)
    return None


def _with_list(sentence: Sentence, noun: Token) -> list[Cluster]:
    """The people of "avec A, arrivé la veille, et B" after an event noun, read along the clause."""
    doc = sentence.doc_tokens
    end = sentence.end
    with_words = sentence.preps.get("with", ())
    start = next(
        (t.i for t in doc[noun.i + 1 : min(noun.i + _WITH_REACH, end)] if sentence.word(t) in with_words),
        None,
    )
    if start is None:
        return []
    people: list[Cluster] = []
    for token in doc[start + 1 : min(start + _LIST_REACH, end)]:
        if is_boundary(sentence, token, noun) and not _apposed_to_name(sentence, token):
            break
        cluster = sentence.cluster_at(token)
        if cluster is not None and cluster.type == "PERSON" and cluster not in people:
            people.append(cluster)
    return people


def _apposed_to_name(sentence: Sentence, token: Token) -> bool:
    # "avec A arrivé la veille et B": a participle on a name (the tagger may take it for a finite verb)
    return token.pos_ == "VERB" and token.head.i in sentence.ents.by_token


def _clause_subjects(sentence: Sentence, noun: Token) -> list[Cluster]:
    """The subject of the verb the event noun's phrase hangs on ("X est attendu … pour un sommet"), or of the
    verb an infinitive depends on ("X et Y ont promis de coopérer lors de leur entretien")."""
    deps = sentence.deps
    head = noun.head
    for _ in range(_CLAUSE_REACH):
        if head.pos_ in ("VERB", "AUX"):
            found = [
                c
                for child in sentence.children(head)
                if deps.is_subject(child.dep_)
                for c in np_clusters(sentence, child)
            ]
            infinitive = "VerbForm=Inf" in sentence.features(head) and head.dep_ in deps.clausal_complements
            if found or not infinitive:
                return [c for c in actors(found) if c.type in ACTOR_TYPES]
        if head.head.i == head.i:
            break
        head = head.head
    return []


def _adverbial(sentence: Sentence, noun: Token) -> bool:
    """The noun's phrase is a circumstance of its clause ("lors de la réunion", "au cours d'un entretien"), no
    subject or object of it nor of a noun that is ("ont évoqué le bilan du sommet")."""
    deps = sentence.deps
    token = noun
    for _ in range(_CLAUSE_REACH):
        if deps.is_subject(token.dep_) or token.dep_ in deps.objects:
            return False
        if token.head.pos_ in ("VERB", "AUX"):
            return True
        if token.head.i == token.i:
            break
        token = token.head
    return False


def _definite(sentence: Sentence, noun: Token) -> bool:
    # "Au terme de l'entretien": the meeting already told, whose people were found where it was
    definite = sentence.grammar.definite_determiners
    return any(c.dep_ in sentence.deps.determiner and sentence.word(c) in definite for c in sentence.children(noun))


def iter_event_meetings(sentence: Sentence, found: list[Found]) -> Iterator[Found]:
    """ "X … pour un sommet avec A et B": the clause's subject and everyone on the "avec" list meet, each
    pair of them; "Au cours d'un entretien, les deux hommes ont…": the people of a clause the meeting noun is a
    circumstance of meet (a pattern that already found the meeting at the same noun is left alone)."""
    fired = {f.trigger.i for f in found if f.pattern.relation == "meeting"}
    nouns, joint = sentence.patterns.nouns, sentence.grammar.joint_event_nouns
    for token, lemma in zip(sentence.tokens, sentence.lemmas, strict=True):
        if (lemma not in nouns and lemma not in joint) or token.i in fired or token.pos_ not in ("NOUN", "PROPN"):
            continue
        pattern = _meeting_pattern(sentence, token)
        if pattern is None:
            continue
        guests = _with_list(sentence, token)
        if guests:
            people = [c for c in _clause_subjects(sentence, token) if c not in guests] + guests
        elif _adverbial(sentence, token) and not _definite(sentence, token):
            # "Au cours d'un entretien, les deux hommes ont évoqué…": the people of the clause meet
            people = [c for c in _clause_subjects(sentence, token) if c.type == "PERSON"]
        else:
            continue
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                yield Found(a, b, pattern, token, 0.7)


# the events a person attends in person: where they happen, he is
_IN_PERSON = frozenset({"meeting", "agreement"})


def _speaking_or_meeting(sentence: Sentence, verb: Token, found: list[Found]) -> bool:
    if sentence.lemma(verb) in sentence.patterns.reporting_verbs:
        return True
    if any(f.trigger.i == verb.i and f.pattern.relation in _IN_PERSON for f in found):
        return True
    return sentence.lemma(verb) in sentence.patterns.light_verbs and any(
        _in_person_event(sentence, child) for child in sentence.children(verb)
    )


def _in_person_event(sentence: Sentence, noun: Token) -> bool:
    # "l'accord a été finalisé à Manille par X", "X a conclu un accord à Genève": a meeting or a deal
    deps = sentence.deps
    if noun.dep_ not in deps.object and noun.dep_ not in deps.passive_subject:
        return False
    return any(p.relation in _IN_PERSON for p in sentence.patterns.nouns.get(sentence.lemma(noun), ()))


def _persons_doing(sentence: Sentence, verb: Token) -> list[Cluster]:
    deps = sentence.deps
    doers: list[Cluster] = []
    for child in sentence.children(verb):
        if deps.is_subject(child.dep_):
            doers += np_clusters(sentence, child)
        elif child.dep_ in deps.passive_agent:
            doers += np_clusters(sentence, child) + _named_after(sentence, child)
    unique = [c for i, c in enumerate(doers) if c not in doers[:i]]
    return [c for c in unique if c.type == "PERSON" and any(state for _role, state in c.roles)]


def _named_after(sentence: Sentence, agent: Token) -> list[Cluster]:
    """The people named after a passive agent up to the end of its phrase ("par les ministres X de la Défense
    et Y des Affaires étrangères avec…"): the parse often hangs the second name elsewhere."""
    doc = sentence.doc_tokens
    with_words = sentence.preps.get("with", ())
    people: list[Cluster] = []
    for token in doc[agent.i + 1 : sentence.end]:
        if is_boundary(sentence, token, agent) or sentence.word(token) in with_words or token.text == ",":
            break
        cluster = sentence.cluster_at(token)
        if cluster is not None and cluster.type == "PERSON":
            people.append(cluster)
    return people


def _governed_by(sentence: Sentence, place: Cluster, verb: Token) -> bool:
    """The place is a complement of the verb itself ("a déclaré à Pékin", "Vendredi à Pékin, X a…"), not of
    a clause or an infinitive under it ("a accusé X d'avoir livré à Moscou")."""
    doc = sentence.doc_tokens
    for start, end, key in sentence.spans:
        if key != place.key:
            continue
        for token in doc[start:end]:
            head = token.head
            if head.i == verb.i or (head.head.i == verb.i and head.pos_ not in ("VERB", "AUX")):
                return True
    return False


def iter_presence_visits(sentence: Sentence, found: list[Found]) -> Iterator[Found]:
    """ "Le président français a déclaré vendredi à Pékin", "X a signé l'accord à Manille": a person who
    speaks, meets or signs at a place of another state than his own is visiting it."""
    language = sentence.patterns.language
    pattern = builtin(language, "visit.presence", "visit", sentence.grammar.label("visit.presence"))
    reporting, light = sentence.patterns.reporting_verbs, sentence.patterns.light_verbs
    in_person = {f.trigger.i for f in found if f.pattern.relation in _IN_PERSON}
    for verb, lemma in zip(sentence.tokens, sentence.lemmas, strict=True):
        if lemma not in reporting and lemma not in light and verb.i not in in_person:
            continue  # neither speaking nor meeting
        if verb.pos_ != "VERB" or verb.i in sentence.ents.by_token or not _speaking_or_meeting(sentence, verb, found):
            continue
        persons = _persons_doing(sentence, verb)
        if not persons:
            continue
        place = _presence_place(sentence, verb, {p.key for p in persons})
        if place is None or not place_states(place, found):
            continue
        for person in persons:
            if not at_home(person, place, found):
                yield Found(person, place, pattern, verb, 0.6)


def _presence_place(sentence: Sentence, verb: Token, persons: set[int]) -> Cluster | None:
    """Where the verb happens: the place a "où" of its clause stands for ("à Rome, où il a rencontré Y au
    palais P": Rome, not the palace within it), else a place complement of the verb itself."""
    place = relative_place(sentence, verb)
    if place is not None:
        return place
    place = place_for(sentence, verb, persons)
    return place if place is not None and _governed_by(sentence, place, verb) else None


def _reception(sentence: Sentence, verb: Token) -> RelationPattern | None:
    """The pattern of a verb whose guest visits the place of the meeting ("recevoir", "accueillir")."""
    for pattern in sentence.patterns.verbs.get(sentence.lemma(verb), ()):
        if any(source == "target" and to == "place" for _r, _l, source, to in pattern.implies):
            return pattern
    return None


def relative_place(sentence: Sentence, verb: Token) -> Cluster | None:
    """ "Brasilia, où X a été reçu": the place the relative pronoun of the verb's clause stands for (a place
    named inside the clause, "à Riyad, où il a rencontré Y au palais P", lies within it)."""
    doc = sentence.doc_tokens
    for child in sentence.children(verb):
        if child.pos_ == "PRON" and sentence.word(child) in sentence.grammar.place_relatives:
            # the place right before the pronoun ("Riyad, où"): a person further back is no antecedent of "où"
            before = next((t for t in reversed(doc[sentence.start : child.i]) if not t.is_punct), None)
            place = sentence.cluster_at(before) if before is not None else None
            return place if place is not None and place.type in ("LOC", "GPE") else None
    return None


def _companions(sentence: Sentence, verb: Token) -> list[Cluster]:
    """ "X, qui était accompagné de son épouse, Mme Y, a été reçu…": the people said to come with the guest,
    before the verb of his reception."""
    doc = sentence.doc_tokens
    start = next(
        (t.i for t in doc[sentence.start : verb.i] if sentence.lemma(t) in sentence.grammar.companion_verbs), None
    )
    if start is None:
        return []
    people: list[Cluster] = []
    for token in doc[start + 1 : verb.i]:
        if is_boundary(sentence, token, doc[start]):
            break
        cluster = sentence.cluster_at(token)
        if cluster is not None and cluster.type == "PERSON" and cluster not in people:
            people.append(cluster)
    return people


def iter_received_visits(sentence: Sentence, found: list[Found]) -> Iterator[Found]:
    """ "X a été reçu à Varsovie", "Brasilia, où X a été reçu par son homologue": a guest received at a
    place visits it, whoever received him (a meeting found at the verb already implied the visit)."""
    language = sentence.patterns.language
    met = {f.trigger.i for f in found if f.pattern.relation == "meeting"}
    for verb in sentence.tokens_with_lemma(sentence.patterns.verbs.keys()):
        pattern = _reception(sentence, verb) if verb.pos_ == "VERB" and verb.i not in met else None
        if pattern is None or not passive(sentence, verb):
            continue
        guests, _ = fill_role(sentence, verb, "patient", pattern)
        guests = [g for g in guests + _companions(sentence, verb) if g.type == "PERSON"]
        if not guests:
            continue
        place = relative_place(sentence, verb) or place_for(sentence, verb, {g.key for g in guests})
        if place is None or place.type not in ("LOC", "GPE"):
            continue
        received = builtin(language, "visit.received", "visit", sentence.grammar.label("visit.received"))
        for guest_ in guests:
            if not at_home(guest_, place, found):
                yield Found(guest_, place, received, verb, 0.7)


def iter_earlier_stops(sentence: Sentence, found: list[Found]) -> Iterator[Found]:
    """ "Après Paris et Bruxelles, X a été reçu à Varsovie": the places a visit verb is said to come after are
    the traveller's earlier stops."""
    deps = sentence.deps
    after = sentence.grammar.earlier_stop_prepositions
    for f in [f for f in found if f.pattern.relation == "visit" and f.trigger.pos_ == "VERB"]:
        for child in sentence.children(f.trigger):
            cases = [sentence.word(c) for c in sentence.children(child) if c.dep_ in deps.case_markers]
            if child.dep_ not in deps.complements or not any(c in after for c in cases):
                continue
            for place in np_clusters(sentence, child):
                if place.type in ("LOC", "GPE") and place is not f.target:
                    yield Found(f.source, place, f.pattern, f.trigger, f.confidence * 0.9)
