"""Qualifiers of a relation: polarity (negated, denied), certainty (hedged, reported, asserted), its date
and the place where it happened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kgraph.text import fold

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.dates import DateMention
    from kgraph.entities import Cluster
    from kgraph.relations.context import Sentence

_HEDGED_FEATURES = frozenset({"Mood=Cnd", "Tense=Fut", "Mood=Sub"})  # conditional, future, subjunctive


def polarity(sentence: Sentence, trigger: Token) -> str:
    patterns, grammar, deps = sentence.patterns, sentence.grammar, sentence.deps
    tokens = [trigger, *(c for c in sentence.children(trigger) if deps.is_auxiliary(c.dep_))]
    for tok in tokens:
        for child in sentence.children(tok):
            if sentence.word(child) in patterns.negations and child.dep_ in deps.negation_attachments:
                return "negative"
    start = max(sentence.table.sentence_start[trigger.i], trigger.i - 4)
    window = sentence.table.words[start : trigger.i]
    if any(w in grammar.negation_particles for w in window) and any(w in patterns.negations for w in window):
        return "negative"
    head = trigger
    for _ in range(3):  # "a démenti avoir livré", "refuse de signer"
        if head.head.i == head.i:
            break
        head = head.head
        if sentence.lemma(head) in patterns.denials and trigger.i > head.i:
            return "negative"
    left = sentence.table.lemmas[start : trigger.i]
    if any(w in patterns.denials for w in left):
        return "negative"
    return "positive"


def _hedged_form(trigger: Token, sentence: Sentence) -> bool:
    """Conditional, future or subjunctive on the trigger or its auxiliaries."""
    tokens = [trigger, *(c for c in sentence.children(trigger) if sentence.deps.is_auxiliary(c.dep_))]
    return any(not _HEDGED_FEATURES.isdisjoint(sentence.features(t)) for t in tokens)


def _hedged_noun(trigger: Token, sentence: Sentence) -> bool:
    # "une visite prochaine", "la possibilité d'une visite": planned or hypothetical
    i, table = trigger.i, sentence.table
    noun_hedges = sentence.patterns.noun_hedges
    near = table.words[max(table.sentence_start[i], i - 4) : min(i + 3, table.sentence_end[i])]
    return any(w in noun_hedges for w in near) or fold(trigger.head.lemma_) in noun_hedges


def _reported_clause(trigger: Token, sentence: Sentence) -> bool:
    """The trigger sits in a clause embedded under a reporting verb."""
    embedded = sentence.deps.embedded_clauses
    ancestor = trigger
    for _ in range(4):
        if ancestor.head.i == ancestor.i:
            break
        if ancestor.dep_ in embedded and fold(ancestor.head.lemma_) in sentence.patterns.reporting_verbs:
            return True
        ancestor = ancestor.head
    return False


def certainty(sentence: Sentence, trigger: Token, attributed: bool) -> str:
    patterns = sentence.patterns
    if _hedged_form(trigger, sentence):
        return "hedged"
    head = trigger.head
    if sentence.lemma(head) in patterns.hedges and head.i < trigger.i:
        return "hedged"
    if sentence.lemma(trigger) in patterns.hedges:
        return "hedged"  # "X est attendu à Berlin": the trigger itself announces what is not done yet
    if "VerbForm=Inf" in sentence.features(trigger) and any(
        sentence.word(c) in sentence.grammar.purpose_markers and c.dep_ in sentence.deps.marker
        for t in (trigger, trigger.head)
        for c in sentence.children(t)
    ):
        return "hedged"  # "pour aider à reprendre X": an aim, not a fact
    before = sentence.table.lemmas[max(sentence.table.sentence_start[trigger.i], trigger.i - 3) : trigger.i]
    if any(w in patterns.hedges for w in before):
        return "hedged"
    if trigger.pos_ in ("NOUN", "PROPN") and _hedged_noun(trigger, sentence):
        return "hedged"
    if attributed:
        return "reported"
    return "reported" if _reported_clause(trigger, sentence) else "asserted"


def date_for(sentence: Sentence, trigger: Token, dates: list[DateMention]) -> str | None:
    if not dates:
        return None
    offset = trigger.idx - sentence.sent.start_char
    starts, base = sentence.table.starts, sentence.sent.start_char
    subtree = {starts[t.i] - base for t in sentence.table.subtree(trigger)}
    inside = [d for d in dates if any(d.start <= o < d.end for o in subtree)]
    pool = inside or dates
    return min(pool, key=lambda d: abs(d.start - offset)).value


def _same_clause(sentence: Sentence, trigger: Token, index: int) -> bool:
    """No other finite verb or relative pronoun between a trigger and a word: they share a clause."""
    doc, pos = sentence.doc_tokens, sentence.table.pos
    low, high = sorted((trigger.i, index))
    for i in range(low + 1, high):
        if i in sentence.ents.by_token:
            continue
        if (pos[i] == "VERB" and "VerbForm=Fin" in sentence.features(doc[i])) or sentence.is_relative(doc[i]):
            return False
    return True


def place_for(sentence: Sentence, trigger: Token, excluded: set[int]) -> Cluster | None:
    """Where the event happened: the nearest place after a place preposition in the trigger's clause."""
    best: tuple[int, Cluster] | None = None
    for start, _end, key in sentence.spans:
        cluster = sentence.ents.clusters[key]
        if cluster.type not in ("LOC", "GPE") or key in excluded:
            continue
        prep = sentence.preposition_before(start)
        if prep not in sentence.grammar.place_prepositions:
            continue
        if not _same_clause(sentence, trigger, start):
            continue
        # "à Wonsan", "en Corée du Nord"; but "à la Russie" is a recipient, not a place
        if cluster.type == "GPE" and (
            prep in sentence.grammar.dative_prepositions or sentence.doc_tokens[start - 1].pos_ == "DET"
        ):
            continue
        rank = abs(start - trigger.i) + (50 if cluster.type == "GPE" else 0)
        if best is None or rank < best[0]:
            best = (rank, cluster)
    return best[1] if best else None
