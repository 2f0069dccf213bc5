"""Descriptions that stand for a person named elsewhere in the document ("le chef de l'État français",
"son homologue brésilien", "leur hôte russe"): which person each one is, worked out once per document, and
the role in the state of its demonym that it gives that person."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kgraph.relations.found import Found, builtin
from kgraph.relations.rules.titles import person_title, role_key, title_state
from kgraph.text import fold

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.relations.context import Sentence


@dataclass(frozen=True, slots=True)
class Description:
    """A title or counterpart noun with a state's demonym and no name: its word, its sentence, the state, the
    role key, whether it names a counterpart or a host (someone of the same rank as another person), and
    whether a name after it may be his (not for a speaker described after his verb: "a déclaré le
    porte-parole du gouvernement allemand" is named by his function, a later name is someone else's)."""

    token: Token
    sentence: int
    state: str
    role: str | None
    counterpart: bool
    ahead: bool


@dataclass(frozen=True, slots=True)
class _Document:
    """What the resolution reads: each sentence's people in order, and the states their own titles name."""

    people: list[list[Cluster]]
    states: dict[int, set[str]]  # person key -> states of his titles
    stateless: set[int]  # people whose government title names no state ("le président Lula")


def described(sentence: Sentence) -> dict[int, Cluster]:
    """The person each description of the document stands for (by the index of its word)."""
    memory = sentence.memory
    if memory.described is None:
        sentences = sentence.document
        document = _read_document(sentences)
        memory.descriptions = [_descriptions(s, n) for n, s in enumerate(sentences)]
        memory.described = _resolve([d for found in memory.descriptions for d in found], document)
    return memory.described


def _read_document(sentences: list[Sentence]) -> _Document:
    people: list[list[Cluster]] = []
    states: dict[int, set[str]] = {}
    stateless: set[int] = set()
    for sentence in sentences:
        here: list[Cluster] = []
        for start, end, key in sentence.spans:
            cluster = sentence.ents.clusters[key]
            if cluster.type != "PERSON":
                continue
            if cluster not in here:
                here.append(cluster)
            title = person_title(sentence, start, end)
            state = title_state(title) if title is not None else None
            if state is not None:
                states.setdefault(cluster.key, set()).add(state)
            elif title is not None and title.role in sentence.grammar.government_roles:
                stateless.add(cluster.key)
        people.append(here)
    return _Document(people, states, stateless)


def _descriptions(sentence: Sentence, number: int) -> list[Description]:
    grammar = sentence.grammar
    out: list[Description] = []
    for token, lemma in zip(sentence.tokens, sentence.lemmas, strict=True):
        counterpart = lemma in grammar.counterpart_nouns or lemma in grammar.host_nouns
        if not (counterpart or sentence.is_role(token)) or "Number=Plur" in sentence.features(token):
            continue
        if sentence.cluster_at(token) is not None or not _definite(sentence, token) or _named(sentence, token):
            continue
        adjective = sentence.demonym_adjective(token)
        if adjective is None or sentence.cluster_at(adjective) is not None:
            continue  # "le président du Conseil européen": the adjective belongs to the organisation's name
        state = sentence.ents.lexicon.demonyms[sentence.word(adjective)]
        role = None if counterpart else role_key(sentence, token)
        inverted = token.head.i < token.i and fold(token.head.lemma_) in sentence.patterns.reporting_verbs
        out.append(Description(token, number, state, role, counterpart, ahead=not inverted))
    return out


def _definite(sentence: Sentence, token: Token) -> bool:
    """ "le président russe", "son homologue", "du chancelier": one known person, not "un président russe"."""
    grammar = sentence.grammar
    words = grammar.definite_determiners | grammar.possessive_determiners | grammar.contracted_articles
    doc = sentence.doc_tokens
    i = token.i - 1
    while i > sentence.start and doc[i].pos_ == "ADJ":
        i -= 1  # "le Premier ministre", "le nouveau président"
    return i >= sentence.start and sentence.word(doc[i]) in words


def _named(sentence: Sentence, token: Token) -> bool:
    """The title introduces a name ("le président américain Joe Biden") or follows one in apposition
    ("Hugo Chavez, président vénézuélien")."""
    if sentence.name_after(token) is not None:
        return True
    doc = sentence.doc_tokens
    i = token.i - 1
    while i > sentence.start and (doc[i].pos_ == "DET" or sentence.word(doc[i]) in sentence.grammar.title_modifiers):
        i -= 1
    if i <= sentence.start or doc[i].text != ",":
        return False
    before = sentence.cluster_at(doc[i - 1])
    return before is not None and before.type == "PERSON"


def _resolve(descriptions: list[Description], document: _Document) -> dict[int, Cluster]:
    out: dict[int, Cluster] = {}
    states = {key: set(found) for key, found in document.states.items()}
    grouped: set[int] = set()
    for group in _groups(descriptions):
        grouped.update(d.token.i for d in group)
        pairs = _paired(group, document, states)
        for member, holder in pairs:
            out[member.token.i] = holder
            states.setdefault(holder.key, set()).add(member.state)
    for description in descriptions:
        if description.token.i in out:
            continue
        # several descriptions in one sentence that no list of names matches: only a title tells who is who
        person = _single(description, document, states, near=description.token.i not in grouped)
        if person is not None:
            out[description.token.i] = person
            states.setdefault(person.key, set()).add(description.state)
    return out


def _groups(descriptions: list[Description]) -> list[list[Description]]:
    """The descriptions of each sentence that names two or more states by them."""
    by_sentence: dict[int, list[Description]] = {}
    for description in descriptions:
        by_sentence.setdefault(description.sentence, []).append(description)
    return [group for group in by_sentence.values() if len({d.state for d in group}) == len(group) > 1]


def _paired(
    group: list[Description], document: _Document, states: dict[int, set[str]]
) -> list[tuple[Description, Cluster]]:
    """ "Le président kényan et le Premier ministre indien… X et Y ont abordé": as many descriptions as the
    sentence before (else after) names people, in the same order, when no title of theirs names another state."""
    number = group[0].sentence
    for other in (number - 1, number + 1):
        if not 0 <= other < len(document.people):
            continue
        people = [p for p in document.people[other] if p not in document.people[number]]
        if len(people) != len(group):
            continue
        if all(states.get(p.key, set()) <= {d.state} for d, p in zip(group, people, strict=True)):
            return list(zip(group, people, strict=True))
    return []


def _single(
    description: Description, document: _Document, states: dict[int, set[str]], *, near: bool
) -> Cluster | None:
    """The one person the description fits: the one whose titles name its state; for a counterpart, the one
    official whose title names no state, named outside the sentence; else the one person without a state named
    in the nearest earlier sentence that names any (else in the next one)."""
    of_state = [key for key, found in states.items() if description.state in found]
    number = description.sentence
    if of_state:
        return _person(document, of_state[0]) if len(of_state) == 1 else None
    here = document.people[number]
    if description.counterpart:
        officials = {
            p.key: p
            for people in document.people
            for p in people
            if p.key in document.stateless and not states.get(p.key) and p not in here
        }
        return next(iter(officials.values())) if len(officials) == 1 else None
    if not near:
        return None
    for other in [*range(number - 1, -1, -1), *([number + 1] if description.ahead else [])]:
        if other >= len(document.people):
            continue
        free = [p for p in document.people[other] if not states.get(p.key) and p not in here]
        if free:
            return free[0] if len(free) == 1 else None
    return None


def _person(document: _Document, key: int) -> Cluster | None:
    return next((p for people in document.people for p in people if p.key == key), None)


def iter_described_roles(sentence: Sentence) -> Iterator[Found]:
    """The role a description gives the person it stands for, in the state of its demonym."""
    people = described(sentence)
    language = sentence.patterns.language
    for description in sentence.memory.descriptions[sentence.number]:
        person = people.get(description.token.i)
        if person is None:
            continue
        person.roles.append((description.role or "member", description.state))
        label = _label(sentence, description.token)
        yield Found(
            person,
            sentence.ents.by_canonical(description.state),
            builtin(language, "role.descriptor", "role", label),
            description.token,
            0.6,
        )


def _label(sentence: Sentence, token: Token) -> str:
    doc = sentence.doc_tokens
    start = token.i
    while start - 1 > sentence.start and doc[start - 1].pos_ == "ADJ":
        start -= 1  # "Premier ministre japonais"
    adjective = sentence.demonym_adjective(token)
    end = adjective.i + 1 if adjective is not None and adjective.i > token.i else token.i + 1
    return sentence.span_text(start, end)
