"""Attribution: "selon KCNA", "a rapporté Tass", "d'après l'agence russe": the source reports on the agents
of the sentence's relations (or on its subject when the sentence has none)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kgraph.relations.clauses import linear_right
from kgraph.relations.found import ACTOR_TYPES, Found, builtin
from kgraph.relations.nounphrase import np_clusters
from kgraph.text import fold

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.relations.context import Sentence

_SOURCE_REACH = 7  # words after "selon" its source may sit at


def attributed(sentence: Sentence) -> bool:
    """The sentence names a source for what it says ("selon", "d'après", "citant")."""
    attribution = sentence.patterns.attribution
    words = [fold(t.text) for t in sentence.sent]
    return any(w in attribution for w in words) or any(fold(a) in " ".join(words) for a in attribution if " " in a)


def _is_attribution(sentence: Sentence, token: Token) -> bool:
    doc = sentence.sent.doc
    word = fold(token.text)
    if word in sentence.patterns.attribution:
        return True
    return token.i > 0 and (fold(doc[token.i - 1].text), word) in sentence.grammar.split_attribution


def _source_after(sentence: Sentence, token: Token, out: list[Cluster]) -> None:
    """The entity (or state agency, or state media) named right after "selon"."""
    doc = sentence.sent.doc
    grammar = sentence.grammar
    j = token.i + 1
    while j < min(token.i + _SOURCE_REACH, sentence.sent.end):
        tok = doc[j]
        cluster = sentence.cluster_at(tok)
        if (cluster is not None and cluster.type in ("ORG", "PERSON", "GPE")) or (cluster and cluster.capital_of):
            cluster = sentence.ents.actor(cluster)
            if cluster not in out:
                out.append(cluster)
            return
        lemma = fold(tok.lemma_)
        if lemma in grammar.media_nouns:
            state = sentence.demonym_state(tok)
            agency = _agency_of(sentence, state) if state else None
            if agency is not None and lemma in grammar.agency_nouns:
                out.append(agency)
                return
            if state and lemma not in grammar.agency_nouns:
                out.append(sentence.demonym_cluster(tok) or sentence.ents.by_canonical(state))
                return
        if tok.is_punct:
            return
        j += 1


def _inverted_subject(sentence: Sentence, token: Token, out: list[Cluster]) -> None:
    """Inverted subject after a reporting verb: "..., a rapporté Tass." """
    deps = sentence.deps
    for child in token.children:
        if (deps.is_subject(child.dep_) and child.i > token.i) or (child.dep_ in deps.object and child.i > token.i):
            for cluster in np_clusters(sentence, child):
                if cluster.type in ("ORG", "GPE", "PERSON") and cluster not in out:
                    out.append(cluster)
    if not out:
        out.extend(c for c in linear_right(sentence, token, None) if c.agency)


def report_sources(sentence: Sentence) -> list[Cluster]:
    """Who a sentence attributes its facts to."""
    out: list[Cluster] = []
    for token in sentence.sent:
        if _is_attribution(sentence, token):
            _source_after(sentence, token, out)
        elif fold(token.lemma_) in sentence.patterns.report_sources and token.pos_ in ("VERB", "AUX"):
            _inverted_subject(sentence, token, out)
    return out


def _agency_of(sentence: Sentence, state: str) -> Cluster | None:
    for cluster in sentence.ents.clusters.values():
        entry = sentence.ents.lexicon.entries.get(cluster.canonical or "")
        if entry is not None and entry.agency and entry.country == state and cluster.mentions:
            return cluster
    return None


def iter_reports(sentence: Sentence, found: list[Found], root_subject: list[Cluster]) -> Iterator[Found]:
    """The source reports on every agent of the sentence's typed relations; with none, on its subject
    ("La Corée du Nord a tiré un missile, a rapporté Yonhap")."""
    sources = report_sources(sentence)
    if not sources:
        return
    grammar = sentence.grammar
    reports = builtin(grammar.language, "reports.attribution", "reports", grammar.label("reports.attribution"))
    first = sentence.sent[0]
    typed = [f for f in found if f.pattern.relation not in ("role", "located_in")]
    if not typed:
        for subject in root_subject:
            if subject.type in ACTOR_TYPES:
                for source in sources:
                    if source is not subject:
                        yield Found(source, subject, reports, first, 0.7)
    for source in sources:
        agents: list[Cluster] = []
        for f in typed:
            if f.source not in agents and f.source is not source:
                agents.append(f.source)
        for agent in agents:
            yield Found(source, agent, reports, first, 0.8)
