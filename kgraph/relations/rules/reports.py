"""Attribution: "selon KCNA", "a rapporté Tass", "d'après l'agence russe": the source reports on the agents
of the sentence's relations (or on its subject when the sentence has none)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kgraph.relations.clauses import linear_right
from kgraph.relations.found import ACTOR_TYPES, Found, builtin
from kgraph.relations.nounphrase import np_cluster, np_clusters
from kgraph.text import fold

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.relations.context import Sentence

_SOURCE_REACH = 7  # words after "selon" its source may sit at
_MEDIA_REACH = 10  # the same after a media noun phrase ("selon l'agence de presse officielle saoudienne, SPA")
_OUTLET_REACH = 4  # words from a media noun to the outlet's name ("l'agence officielle russe Tass")
_OWNER_DEPTH = 3  # "de" complements read down from a subject noun to the entity it belongs to


def attributed(sentence: Sentence) -> bool:
    """The sentence names a source for what it says ("selon", "d'après", "citant")."""
    attribution = sentence.patterns.attribution
    words = sentence.words
    return any(w in attribution for w in words) or any(fold(a) in " ".join(words) for a in attribution if " " in a)


def _attribution_words(sentence: Sentence) -> list[int]:
    """Where the sentence's words name a source: "selon", "citant", the "après" of "d'après"."""
    words = sentence.table.words
    attribution, split = sentence.patterns.attribution, sentence.grammar.split_attribution
    return [
        i
        for i in range(sentence.start, sentence.end)
        if words[i] in attribution or (i > 0 and (words[i - 1], words[i]) in split)
    ]


def _source_after(sentence: Sentence, token: Token, out: list[Cluster]) -> None:
    """The entity (or state agency, or state media) named right after "selon"; a media noun phrase may name
    its outlet after a comma ("d'après l'agence de presse officielle saoudienne, SPA")."""
    doc = sentence.doc_tokens
    grammar = sentence.grammar
    fallback: Cluster | None = None
    media = False
    j = token.i + 1
    while j < min(token.i + (_MEDIA_REACH if media else _SOURCE_REACH), sentence.end):
        tok = doc[j]
        cluster = sentence.cluster_at(tok)
        if (cluster is not None and cluster.type in ("ORG", "PERSON", "GPE")) or (cluster and cluster.capital_of):
            _add(out, sentence.ents.actor(cluster))
            return
        lemma = sentence.lemma(tok)
        if lemma in grammar.media_nouns and not media:
            media = True
            state = sentence.demonym_state(tok)
            agency = _agency_of(sentence, state) if state else None
            if agency is not None and lemma in grammar.agency_nouns:
                _add(out, agency)
                return
            if state and lemma not in grammar.agency_nouns:
                fallback = sentence.demonym_cluster(tok) or sentence.ents.by_canonical(state)
        if tok.is_punct:
            outlet = _outlet_after_comma(sentence, tok) if media else None
            if outlet is not None:
                _add(out, outlet)
                return
            break
        j += 1
    if fallback is not None:
        _add(out, fallback)


def _outlet_after_comma(sentence: Sentence, comma: Token) -> Cluster | None:
    """ "l'agence de presse officielle saoudienne, SPA": the organisation named after the media noun phrase."""
    doc = sentence.doc_tokens
    if comma.text != "," or comma.i + 1 >= sentence.end:
        return None
    named = sentence.cluster_at(doc[comma.i + 1])
    return named if named is not None and named.type == "ORG" else None


def _add(out: list[Cluster], cluster: Cluster) -> None:
    if cluster not in out:
        out.append(cluster)


def _inverted_subject(sentence: Sentence, token: Token, out: list[Cluster]) -> None:
    """Inverted subject after a reporting verb: "..., a rapporté Tass." The parse may take the inverted subject
    for an object; "à l'AFP" is whom the statement was made to, never its source."""
    deps = sentence.deps
    found: list[Cluster] = []
    for child in sentence.children(token):
        if child.i <= token.i or sentence.preposition_before(sentence.mention_start(child)) is not None:
            continue
        if deps.is_subject(child.dep_) or (child.dep_ in deps.object and _after_statement(sentence, token)):
            found.extend(c for c in np_clusters(sentence, child) if c.type in ("ORG", "GPE", "PERSON"))
    if not found and _after_statement(sentence, token):
        found = [c for c in linear_right(sentence, token, None) if c.agency and not _addressee(sentence, token, c)]
    for cluster in found:
        _add(out, cluster)


def _addressee(sentence: Sentence, verb: Token, cluster: Cluster) -> bool:
    """ "a indiqué à l'AFP": the first mention of `cluster` after the verb follows "à" (its article, even
    mis-parsed, skipped)."""
    doc = sentence.doc_tokens
    starts = [s for s, _e, k in sentence.spans if k == cluster.key and s > verb.i]
    if not starts:
        return False
    i = starts[0] - 1
    while i > verb.i and (doc[i].pos_ == "DET" or doc[i].text[-1:] in ("'", "’")):
        i -= 1
    return sentence.word(doc[i]) in sentence.grammar.dative_prepositions


def _after_statement(sentence: Sentence, verb: Token) -> bool:
    """The reporting verb closes a statement: ", a précisé X", "», a encore indiqué X"."""
    doc = sentence.doc_tokens
    i = verb.i - 1
    while i >= sentence.start and doc[i].pos_ in ("AUX", "ADV"):
        i -= 1
    return i >= sentence.start and doc[i].is_punct


def _outlet(sentence: Sentence, verb: Token, out: list[Cluster]) -> None:
    """ "a déclaré pour l'agence russe Sputnik": the outlet a statement was given to is its source."""
    deps = sentence.deps
    outlet_prepositions = sentence.grammar.outlet_prepositions
    for child in sentence.children(verb):
        if child.dep_ not in deps.complements:
            continue
        if not any(
            sentence.word(c) in outlet_prepositions for c in sentence.children(child) if c.dep_ in deps.case_markers
        ):
            continue
        named = sentence.cluster_at(child)
        if named is None and sentence.lemma(child) in sentence.grammar.media_nouns:
            named = _named_outlet(sentence, child)
        if named is not None and (named.agency or named.type == "ORG"):
            _add(out, named)


def _named_outlet(sentence: Sentence, noun: Token) -> Cluster | None:
    """ "l'agence russe Sputnik": the organisation named after a media noun and its adjectives."""
    doc = sentence.doc_tokens
    for tok in doc[noun.i + 1 : min(noun.i + _OUTLET_REACH, sentence.end)]:
        named = sentence.cluster_at(tok)
        if named is not None:
            return named if named.type == "ORG" else None
        if tok.pos_ != "ADJ":
            return None
    return None


def report_sources(sentence: Sentence, attributions: list[int]) -> list[Cluster]:
    """Who a sentence attributes its facts to (`attributions`: where its words name a source)."""
    out: list[Cluster] = []
    patterns = sentence.patterns
    for token, lemma in zip(sentence.tokens, sentence.lemmas, strict=True):
        if token.i in attributions:
            _source_after(sentence, token, out)
        elif (lemma in patterns.report_sources or lemma in patterns.reporting_verbs) and token.pos_ in ("VERB", "AUX"):
            if lemma in patterns.report_sources:
                _inverted_subject(sentence, token, out)
            if lemma in patterns.reporting_verbs:
                _outlet(sentence, token, out)
    return out


def _agency_of(sentence: Sentence, state: str) -> Cluster | None:
    for cluster in sentence.ents.clusters.values():
        entry = sentence.ents.lexicon.entries.get(cluster.canonical or "")
        if entry is not None and entry.agency and entry.country == state and cluster.mentions:
            return cluster
    return None


def _subject_owner(sentence: Sentence) -> list[Cluster]:
    """ "La croissance de l'Allemagne devrait ralentir", "les combattants du M23 et les soldats rwandais": the
    main clause's subjects, read through the owner of a subject noun ("de X")."""
    deps = sentence.deps
    out: list[Cluster] = []
    for token in sentence.tokens:
        if deps.is_subject(token.dep_) and token.head.dep_ in deps.root:
            for tok in [token, *token.conjuncts]:
                out.extend(c for c in np_cluster(sentence, tok) or noun_owner(sentence, tok) if c not in out)
    return out


def noun_owner(sentence: Sentence, noun: Token, depth: int = _OWNER_DEPTH) -> list[Cluster]:
    """The entity a noun belongs to through its "de" complements, read down a chain of plain nouns ("les
    capacités de production d'électricité de l'Egypte")."""
    deps = sentence.deps
    of = sentence.ents.lexicon.of_prepositions
    if noun.pos_ != "NOUN" or depth == 0:
        return []
    out: list[Cluster] = []
    for child in sentence.children(noun):
        cases = [sentence.word(c) for c in sentence.children(child) if c.dep_ in deps.case_markers]
        if child.dep_ in deps.nominal_modifier and any(c in of for c in cases):
            owned = np_clusters(sentence, child) or noun_owner(sentence, child, depth - 1)
            out.extend(c for c in owned if c not in out)
    return out


def _aside_topic(sentence: Sentence, token: Token) -> list[Cluster] | None:
    """ "X et plus de 3.000 soldats rwandais, selon l'ONU, ont…": an attribution set between commas right
    after a noun phrase vouches for that phrase only: its entity, its owner or the state its adjective
    names. None when the attribution is no such aside."""
    doc = sentence.doc_tokens
    start, end = sentence.start, sentence.end
    if token.i - 2 < start or doc[token.i - 1].text != ",":
        return None
    if not any(t.text == "," for t in doc[token.i + 2 : min(token.i + _SOURCE_REACH, end)]):
        return None
    noun = doc[token.i - 2]
    while noun.pos_ == "ADJ" and noun.head.i < noun.i:
        noun = noun.head
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    demonym = sentence.demonym_cluster(noun)
    topic = np_cluster(sentence, noun) or noun_owner(sentence, noun) or ([demonym] if demonym else [])
    return [c for c in topic if c.type in ACTOR_TYPES] or None


def _aside_reports(sentence: Sentence, attributions: list[int]) -> list[tuple[Cluster, Cluster]]:
    """(source, topic) of each attribution set as an aside after a noun phrase."""
    out: list[tuple[Cluster, Cluster]] = []
    for token in (sentence.doc_tokens[i] for i in attributions):
        topic = _aside_topic(sentence, token)
        if topic is None:
            continue
        sources: list[Cluster] = []
        _source_after(sentence, token, sources)
        out.extend((source, t) for source in sources for t in topic if t is not source)
    return out


def iter_reports(sentence: Sentence, found: list[Found], root_subject: list[Cluster]) -> Iterator[Found]:
    """The source reports on every agent of the sentence's typed relations; with none, on its subject
    ("La Corée du Nord a tiré un missile, a rapporté Yonhap")."""
    grammar = sentence.grammar
    reports = builtin(grammar.language, "reports.attribution", "reports", grammar.label("reports.attribution"))
    first = sentence.sent[0]
    attributions = _attribution_words(sentence)
    asides = _aside_reports(sentence, attributions)
    for source, topic in asides:
        yield Found(source, topic, reports, first, 0.75)
    sources = [s for s in report_sources(sentence, attributions) if all(s is not a for a, _t in asides)]
    if not sources:
        return
    typed = [f for f in found if f.pattern.relation not in ("role", "located_in")]
    # "a annoncé le ministre allemand X": a spokesman speaks for his own state, he does not report on it
    own = {(f.source.key, f.target.key) for f in found if f.pattern.relation == "role"}
    if not typed:
        for subject in root_subject + [c for c in _subject_owner(sentence) if c not in root_subject]:
            if subject.type in ACTOR_TYPES:
                for source in sources:
                    if source is not subject and (source.key, subject.key) not in own:
                        yield Found(source, subject, reports, first, 0.7)
    for source in sources:
        agents: list[Cluster] = []
        for f in typed:
            if f.source not in agents and f.source is not source and (source.key, f.source.key) not in own:
                agents.append(f.source)
        for agent in agents:
            yield Found(source, agent, reports, first, 0.8)
