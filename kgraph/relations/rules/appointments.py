"""Appointments: "Pékin a nommé Wang Yi ministre des Affaires étrangères", "X a pris ses fonctions de
secrétaire général de l'OTAN": a title given to a person by an appointment or a new post, not in apposition
to the name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kgraph.relations.clauses import passive, prepositional
from kgraph.relations.found import AGENT_ONLY, Found, builtin
from kgraph.relations.nounphrase import np_cluster, np_clusters
from kgraph.relations.roles import fill_role
from kgraph.relations.rules.titles import title_before

_LED_REACH = 24  # words from a participle back to the organisation it describes
_BRACKETS = {")": "("}

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.relations.context import Sentence


def _head_of(sentence: Sentence, i: int) -> bool:
    """ "à la tête de", "à la présidence de": a post named by its place, not by a title."""
    post = sentence.grammar.head_of_post
    words = sentence.table.words
    return words[i] in post.nouns and i >= 2 and words[i - 1] == post.article and words[i - 2] in post.prepositions


def _role_at(sentence: Sentence, token: Token) -> int | None:
    """The title: a role noun (or "à la tête de") a few words after the trigger. A title in the agent
    phrase ("les décisions prises par les dirigeants russes") names who acts, not a post."""
    doc = sentence.doc_tokens
    for i in range(token.i + 1, min(token.i + 8, sentence.end)):
        if sentence.is_role(doc[i]) or _head_of(sentence, i):
            return None if sentence.preposition_before(i) in sentence.grammar.agent_prepositions else i
    return None


def _title_end(sentence: Sentence, role_at: int) -> int:
    doc = sentence.doc_tokens
    end = role_at + 1
    while end < min(role_at + 10, sentence.end):
        tok = doc[end]
        if tok.is_punct or tok.pos_ in ("VERB", "AUX", "SCONJ", "CCONJ", "PRON"):
            break
        if (cluster := sentence.cluster_at(tok)) is not None and cluster.type == "PERSON":
            break
        end += 1
    return end


def _post(sentence: Sentence, role_at: int, end: int) -> tuple[list[Cluster], str | None, str | None] | None:
    """The organisations, state and role key of the post."""
    doc = sentence.doc_tokens
    if _head_of(sentence, role_at):
        # "nommé à la tête du gouvernement portugais": leader of what the complement names
        demonyms = sentence.ents.lexicon.demonyms
        span = doc[role_at + 1 : end]
        orgs = list({id(c): c for t in span if (c := sentence.cluster_at(t)) is not None}.values())
        state = next((demonyms[sentence.word(t)] for t in span if sentence.word(t) in demonyms), None)
        return orgs, state, "leader"
    title = title_before(sentence, end)
    return (title.orgs, title.state, title.role) if title is not None else None


def _appointed_object(sentence: Sentence, token: Token, role_at: int) -> Cluster | None:
    """ "a nommé X ministre", "X a été nommé ministre": the person the appointment names."""
    doc = sentence.doc_tokens
    between = [sentence.cluster_at(doc[i]) for i in range(token.i + 1, role_at)]
    person = next((c for c in between if c is not None and c.type == "PERSON"), None)
    if person is None and passive(sentence, token):
        passive_subject = sentence.deps.passive_subject
        person = next(
            (
                c
                for child in sentence.children(token)
                if child.dep_ in passive_subject
                for c in np_clusters(sentence, child)
                if c.type == "PERSON"
            ),
            None,
        )
    return person


def _appointed_subject(sentence: Sentence, token: Token) -> Cluster | None:
    """ "X a pris ses fonctions de…", "X devient…": the subject takes the post; "l'élection de X à…",
    "son élection à…": the person the noun names."""
    if token.pos_ == "NOUN" and (named := _elected(sentence, token)) is not None:
        return named
    head = token if token.pos_ in ("VERB", "AUX") else token.head
    person = next(
        (
            c
            for child in sentence.children(head)
            if sentence.deps.is_subject(child.dep_)
            for c in np_clusters(sentence, child)
            if c.type == "PERSON"
        ),
        None,
    )
    if person is None:
        current = [c for c in sentence.memory.current if c.type == "PERSON"]
        person = current[0] if current else None
    return person


def _elected(sentence: Sentence, noun: Token) -> Cluster | None:
    """ "l'élection de X à la présidence", "peu après sa récente élection à la présidence": who the noun
    names in its complement, else its possessor."""
    named = [
        c
        for child in sentence.children(noun)
        if child.dep_ in sentence.deps.nominal_modifier
        for c in np_clusters(sentence, child)
        if c.type == "PERSON"
    ]
    if not named:
        named = [c for c in fill_role(sentence, noun, "possessive", AGENT_ONLY)[0] if c.type == "PERSON"]
    return named[0] if named else None


def iter_appointments(sentence: Sentence) -> Iterator[Found]:
    patterns = sentence.patterns
    for token, lemma in zip(sentence.tokens, sentence.lemmas, strict=True):
        by_object = lemma in patterns.appoint_object
        if not by_object and lemma not in patterns.appoint_subject:
            continue
        role_at = _role_at(sentence, token)
        if role_at is None:
            continue
        end = _title_end(sentence, role_at)
        post = _post(sentence, role_at, end)
        if post is None:
            continue
        orgs, state, role = post
        person = _appointed_object(sentence, token, role_at) if by_object else _appointed_subject(sentence, token)
        if person is None:
            continue
        targets = [o for o in orgs if o.type in ("ORG", "GPE")]
        if state is not None:
            targets.append(sentence.ents.by_canonical(state))
        if not targets and by_object:
            # "Pékin a nommé Wang Yi ministre des Affaires étrangères": the appointing state or organisation
            targets = [c for c in fill_role(sentence, token, "agent", AGENT_ONLY)[0] if c.type in ("GPE", "ORG")]
        person.roles.append((role or "member", state))
        label = sentence.span_text(role_at, end)
        for target in targets:
            yield Found(person, target, builtin(patterns.language, "role.appointment", "role", label), token, 0.75)


def _described_organisation(sentence: Sentence, participle: Token) -> Cluster | None:
    """ "Le groupe Dantel, fondé en 1959 à Lyon par X et dirigé par Y": the organisation the participle phrase
    describes, read leftwards over dates, places, people, other participles and brackets; None at a finite
    verb or at a noun that names no organisation ("une délégation dirigée par X")."""
    doc = sentence.doc_tokens
    i = participle.i - 1
    while i >= max(sentence.start, participle.i - _LED_REACH):
        tok = doc[i]
        if tok.text in _BRACKETS:
            while i > sentence.start and doc[i].text != _BRACKETS[tok.text]:
                i -= 1
        elif (cluster := sentence.cluster_at(tok)) is not None:
            if cluster.type == "ORG":
                return cluster
            i = sentence.mention_start(tok)
        elif tok.pos_ in ("VERB", "AUX") and "VerbForm=Fin" in sentence.features(tok):
            return None
        elif tok.pos_ in ("NOUN", "PROPN"):
            found = np_cluster(sentence, tok) if sentence.lemma(tok) in sentence.patterns.company_nouns else []
            return found[0] if found and found[0].type == "ORG" else None
        i -= 1
    return None


def iter_heads(sentence: Sentence) -> Iterator[Found]:
    """ "Dantel, dirigé par X", "la société fondée par Y": the person of the "par" phrase of a participle of
    `head_participles` heads (or founded) the organisation the participle describes."""
    grammar = sentence.grammar
    for token in sentence.tokens_with_lemma(grammar.head_participles):
        if "VerbForm=Part" not in sentence.features(token):
            continue
        people = [c for c in prepositional(sentence, token, grammar.agent_prepositions) if c.type == "PERSON"]
        organisation = _described_organisation(sentence, token) if people else None
        if organisation is None:
            continue
        for person in people:
            yield Found(
                person,
                organisation,
                builtin(sentence.patterns.language, "role.participle", "role", token.text),
                token,
                0.7,
            )
