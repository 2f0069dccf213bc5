"""The extractor: reads each sentence with the rule families and the patterns, and turns what they find into
relation records (with their qualifiers and evidence)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kgraph.dates import DateMention, find_dates
from kgraph.lang.grammar import load_grammar
from kgraph.models import Evidence, Relation
from kgraph.patterns import PatternSet, RelationPattern
from kgraph.relations.context import Sentence, Tokens, document_sentences
from kgraph.relations.fill import fill
from kgraph.relations.found import Found, builtin
from kgraph.relations.memory import Memory
from kgraph.relations.nounphrase import np_cluster
from kgraph.relations.qualifiers import certainty, date_for, place_for, polarity
from kgraph.relations.rules.against import iter_against_acts
from kgraph.relations.rules.allies import iter_allies
from kgraph.relations.rules.alongside import iter_alongside_against
from kgraph.relations.rules.appointments import iter_appointments, iter_heads
from kgraph.relations.rules.cooccurrence import iter_cooccurrences
from kgraph.relations.rules.deals import iter_contract_supplies, iter_granted_supplies, iter_received_supplies
from kgraph.relations.rules.demonstratives import iter_demonstratives
from kgraph.relations.rules.descriptions import iter_described_roles
from kgraph.relations.rules.evaluations import iter_condemnations
from kgraph.relations.rules.events import (
    guest,
    iter_earlier_stops,
    iter_event_meetings,
    iter_presence_visits,
    iter_received_visits,
    relative_place,
    without_home_visits,
)
from kgraph.relations.rules.located_in import iter_located_in
from kgraph.relations.rules.reports import attributed, iter_reports
from kgraph.relations.rules.titles import iter_roles
from kgraph.relations.triggers import iter_triggers

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from kgraph.entities import Cluster, DocEntities

_UNDATED = frozenset({"role", "located_in"})  # relations that hold with no date of their own


def iter_relations(
    doc: Doc,
    *,
    ents: DocEntities,
    patterns: PatternSet,
    doc_id: str,
    doc_date: str | None,
    cooccurrence: bool = False,
) -> Iterator[Relation]:
    """Yield the typed relations of a parsed document (entities already clustered in `ents`)."""
    grammar = load_grammar(patterns.language)
    memory = Memory(ents, grammar)
    for sentence in document_sentences(Tokens(doc), ents, patterns, memory, grammar):
        memory.note_mentions(sentence.sent)
        found = _sentence_relations(sentence)
        if found:  # most sentences have none, and their dates and attribution are not read
            yield from _records(sentence, found, doc_id, doc_date)
        if cooccurrence:
            yield from iter_cooccurrences(sentence, doc_id)


def _records(sentence: Sentence, found: list[Found], doc_id: str, doc_date: str | None) -> Iterator[Relation]:
    """The records of a sentence's candidates, one for each source, target, relation and trigger."""
    is_attributed = attributed(sentence)
    dated = any(f.pattern.relation not in _UNDATED for f in found)
    dates = find_dates(sentence.text, doc_date, language=sentence.patterns.language) if dated else []
    emitted: set[tuple[int, int, str, int]] = set()
    for f in found:
        key = (f.source.key, f.target.key, f.pattern.relation, f.trigger.i)
        if key in emitted or f.source is f.target:
            continue
        emitted.add(key)
        yield _record(sentence, f, doc_id, dates, is_attributed and f.pattern.relation != "reports")


def _root_subject(sentence: Sentence) -> list[tuple[int, Cluster]]:
    """The subject of the sentence's main verb, each entity with the index of its token."""
    deps, labels, heads = sentence.deps, sentence.table.deps, sentence.table.heads
    return [
        (t.i, c)
        for t, dep in zip(sentence.tokens, labels[sentence.start : sentence.end], strict=True)
        if (dep in deps.subject or dep in deps.passive_subject) and labels[heads[t.i]] in deps.root
        for c in np_cluster(sentence, t)
    ]


def _sentence_relations(sentence: Sentence) -> list[Found]:
    """Every candidate of one sentence, in the order the rules find them (the order records are emitted in)."""
    memory = sentence.memory
    found: list[Found] = [
        *iter_roles(sentence),
        *iter_described_roles(sentence),
        *iter_located_in(sentence),
        *iter_appointments(sentence),
        *iter_heads(sentence),
    ]
    subject_agents: list[Cluster] = []
    pair_members: list[Cluster] = []
    memory.current = subject_agents
    # the next sentence's "il" is most often this sentence's grammatical subject; read it before this
    # sentence's own relations change what a pronoun here resolves to
    memory.main_subject = _root_subject(sentence)
    root_subject = [c for _i, c in memory.main_subject]
    for token, pattern in iter_triggers(sentence):
        results = fill(sentence, token, pattern)
        if results:
            _remember(sentence, token, pattern, results, subject_agents, pair_members)
        found += results
    found += list(iter_alongside_against(sentence))
    found += list(iter_allies(sentence))
    found += list(iter_condemnations(sentence))
    found += list(iter_against_acts(sentence))
    found += list(iter_received_supplies(sentence))
    found += list(iter_event_meetings(sentence, found))
    found += list(iter_contract_supplies(sentence, found))
    found += list(iter_granted_supplies(sentence, found))
    found += list(iter_demonstratives(sentence, found))
    found += _descriptor_roles(sentence)
    found += _implied(sentence, found)
    found += list(iter_received_visits(sentence, found))
    found += list(iter_reports(sentence, found, root_subject))
    found += list(iter_presence_visits(sentence, found))
    found += list(iter_earlier_stops(sentence, found))
    found = without_home_visits(found)
    remembered = root_subject + [c for c in subject_agents + pair_members if c not in root_subject]
    if remembered:
        memory.subjects.append((sentence.start, remembered))
    return found


def _remember(
    sentence: Sentence,
    token: Token,
    pattern: RelationPattern,
    results: list[Found],
    subject_agents: list[Cluster],
    pair_members: list[Cluster],
) -> None:
    """What a pattern's results teach the memory: agents, visits, hosts, the sentence's subjects."""
    memory = sentence.memory
    memory.agents_by_token[token.i] = [r.source for r in results]
    if pattern.relation == "visit":
        memory.visits.append((sentence.start, results[0].target))
    if pattern.implies:
        memory.hosts.extend(r.source for r in results if r.source.type == "PERSON")
    if pattern.pos == "verb":
        subject_agents.extend(r.source for r in results if r.source not in subject_agents)
        if pattern.pair_subjects:
            pair_members.extend(r.target for r in results if r.target not in pair_members)


def _descriptor_roles(sentence: Sentence) -> list[Found]:
    """Roles learned while resolving descriptors ("le chef de l'État ukrainien" for a person named before)."""
    memory = sentence.memory
    language = sentence.patterns.language
    out = [
        Found(
            person,
            sentence.ents.by_canonical(state),
            builtin(language, "role.descriptor", "role", descriptor.text),
            descriptor,
            0.6,
        )
        for person, state, descriptor in memory.new_roles
    ]
    memory.new_roles.clear()
    return out


def _implied(sentence: Sentence, found: list[Found]) -> list[Found]:
    """Relations a match implies: a guest received in a city visits it."""
    out: list[Found] = []
    for f in found:
        for relation, label, from_role, to_role in f.pattern.implies:
            place = relative_place(sentence, f.trigger) or place_for(sentence, f.trigger, {f.source.key, f.target.key})
            if place is not None and place.type == "LOC" and to_role == "place":
                who, other = (f.target, f.source) if from_role == "target" else (f.source, f.target)
                who = guest(who, other, place, found)
                implied = RelationPattern(
                    id=f"{f.pattern.id}.implies.{relation}",
                    relation=relation,
                    label=label,
                    pos="verb",
                    lemmas=f.pattern.lemmas,
                    source=(),
                    target=(),
                )
                out.append(Found(who, place, implied, f.trigger, f.confidence * 0.8))
    return out


def _mention_offsets(sentence: Sentence, f: Found, lead: int) -> tuple[tuple[int, int], ...]:
    sent: Span = sentence.sent
    doc = sentence.doc_tokens
    spans = []
    for start, end, key in sentence.spans:
        if key in (f.source.key, f.target.key):
            spans.append(
                (
                    doc[start].idx - sent.start_char - lead,
                    doc[end - 1].idx + len(doc[end - 1].text) - sent.start_char - lead,
                )
            )
    return tuple(sorted(spans))


def _record(sentence: Sentence, f: Found, doc_id: str, dates: list[DateMention], is_attributed: bool) -> Relation:
    sent = sentence.sent
    text = sentence.text
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    relation = f.pattern.relation
    place = None
    if relation not in ("role", "located_in", "reports"):
        p = place_for(sentence, f.trigger, {f.source.key, f.target.key})
        place = p.key if p is not None else None
    date = date_for(sentence, f.trigger, dates) if relation not in _UNDATED else None
    if f.pattern.lemmas:
        how_sure = certainty(sentence, f.trigger, is_attributed)
    else:
        how_sure = "reported" if is_attributed else "asserted"
    return Relation(
        source=f.source.key,
        target=f.target.key,
        relation=relation,
        label=f.pattern.label,
        method=f.pattern.id,
        confidence=round(f.confidence, 3),
        date=date,
        place=place,
        polarity=polarity(sentence, f.trigger) if f.pattern.pos == "verb" or f.pattern.lemmas else "positive",
        certainty=how_sure,
        evidence=Evidence(
            doc=doc_id,
            sentence=stripped,
            start=sent.start_char + lead,
            end=sent.start_char + lead + len(stripped),
            date=date,
            spans=_mention_offsets(sentence, f, lead),
        ),
    )
