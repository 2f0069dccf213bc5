"""What a light coreference resolver remembers across the sentences of one document."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from kgraph.entities import Cluster, DocEntities
    from kgraph.lang.grammar import Grammar
    from kgraph.relations.rules.descriptions import Description
    from kgraph.relations.rules.titles import Title


class Memory:
    """Subjects, people, visits and hosts met so far in a document, for pronouns and descriptors."""

    def __init__(self, ents: DocEntities, grammar: Grammar) -> None:
        self.ents = ents
        self.grammar = grammar
        self.subjects: list[tuple[int, list[Cluster]]] = []  # (sentence start token, agents)
        self.agents_by_token: dict[int, list[Cluster]] = {}
        self.persons: list[tuple[int, Cluster]] = []  # (token, person) in text order
        self.current: list[Cluster] = []  # agents found so far in the sentence being read
        self.main_subject: list[tuple[int, Cluster]] = []  # (token, entity) subject of the sentence's main verb
        self.visits: list[tuple[int, Cluster]] = []  # (sentence start, destination) of recent visits
        self.hosts: list[Cluster] = []  # who received someone, latest last
        self.new_roles: list[tuple[Cluster, str, Token]] = []  # roles learned from descriptors (person, state, token)
        self.government_states: frozenset[str] | None = None  # states the document's government titles name
        self.described: dict[int, Cluster] | None = None  # the person each description stands for, by its word
        self.descriptions: list[list[Description]] = []  # each sentence's descriptions, by sentence number
        self.titles: dict[tuple[int, int], Title | None] = {}  # the title of each person mention, by its bounds

    def note_mentions(self, sent: Span) -> None:
        for start, _end, key in self.ents.spans_between(sent.start, sent.end):
            cluster = self.ents.clusters[key]
            if cluster.type == "PERSON":
                self.persons.append((start, cluster))

    def pronoun(self, word: str, before: int) -> list[Cluster]:
        """A subject pronoun: the subject of the sentence so far, else of the previous ones. "il" prefers a
        person; "elle" may be a person, a state or an organisation ("la Corée du Nord… Elle fournit")."""
        kind = self.grammar.subject_pronouns[word]
        if kind == "plural":
            return self.last_pair(persons=False, before=before)
        wanted = ("PERSON",) if kind == "person" else ("PERSON", "GPE", "ORG")
        current = [a for a in self.current if a.type in wanted]
        if not current:  # "X a annoncé qu'elle avait…": the subject of the main verb
            current = [a for t, a in self.main_subject if t < before and a.type in wanted]
        if len(current) == 1:  # "X a rencontré Y, qu'il a remercié": the subject of the sentence
            return current
        for _start, agents in reversed(self.subjects[-3:]):
            first = [a for a in agents[:1] if a.type in wanted]
            if first:
                return first
        recent = [c for t, c in self.persons if t < before]
        return recent[-1:] if recent else []

    def object_pronoun(self, before: int, subject: list[Cluster]) -> list[Cluster]:
        excluded = set(map(id, subject or self.current[:1]))
        for t, cluster in reversed(self.persons):
            if t < before and id(cluster) not in excluded:
                return [cluster]
        return []

    def last_subject(self) -> list[Cluster]:
        return self.subjects[-1][1][:1] if self.subjects else []

    def last_pair(self, *, persons: bool, before: int, titled: bool = False) -> list[Cluster]:
        """The last two people (or subjects) named before token `before`; `titled`: the last two who hold a
        title when two do ("les deux chefs d'État" after two heads of state and their wives)."""
        pool = (
            [c for t, c in reversed(self.persons) if t < before]
            if persons
            else [a for _s, agents in reversed(self.subjects) for a in agents]
        )
        return (_first_two([c for c in pool if c.roles]) if titled else []) or _first_two(pool)

    def person_with_role(self, role: str | None, state: str | None) -> Cluster | None:
        candidates = [
            c
            for _t, c in reversed(self.persons)
            if any((role is None or r == role) and (state is None or s == state) for r, s in c.roles)
        ]
        if not candidates and state is not None:
            candidates = [c for _t, c in reversed(self.persons) if any(s == state for _r, s in c.roles)]
        return candidates[0] if candidates else None

    def only_untitled(self, sentence_start: list[int], before: int, ahead: int) -> Cluster | None:
        """The person named without a title in the nearest earlier sentence that names any (a name earlier
        in the same sentence is most often someone else), else (when none does) up to token `ahead` ("le
        chancelier allemand a été reçu… La venue d'Olaf Scholz"); None when that sentence names several,
        for a description then fits more than one of them. `sentence_start`: the start of each token's sentence."""
        by_sentence: dict[int, dict[int, Cluster]] = {}
        this_sentence = sentence_start[before]
        for t, c in self.persons:
            if t < this_sentence and not c.roles:
                by_sentence.setdefault(sentence_start[t], {})[id(c)] = c
        nearest = by_sentence[max(by_sentence)] if by_sentence else {}
        if not nearest:
            spans = self.ents.spans_between(before, ahead)
            later = (self.ents.clusters[k] for _s, _e, k in spans)
            nearest = {id(c): c for c in later if c.type == "PERSON" and not c.roles}
        return next(iter(nearest.values())) if len(nearest) == 1 else None

    def last_of_type(self, kind: str, before: int) -> Cluster | None:
        for _start, _end, key in reversed(self.ents.spans_between(0, before)):
            cluster = self.ents.clusters[key]
            if cluster.type == kind:
                return cluster
        return None

    def agent_of(self, token_index: int) -> list[Cluster]:
        return self.agents_by_token.get(token_index, [])


def _first_two(pool: list[Cluster]) -> list[Cluster]:
    seen: list[Cluster] = []
    for cluster in pool:
        if cluster not in seen:
            seen.append(cluster)
        if len(seen) == 2:
            return seen
    return []
