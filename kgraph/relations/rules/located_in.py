"""Places inside places: "Wonsan, sur la côte est de la Corée du Nord", "à Odessa, dans le sud de l'Ukraine",
"Kharkiv (Ukraine)", "Kharkiv, deuxième ville d'Ukraine", "Dresde, située en Saxe"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kgraph.relations.found import Found, builtin
from kgraph.text import fold

if TYPE_CHECKING:
    from spacy.tokens import Span

    from kgraph.entities import Cluster
    from kgraph.patterns import RelationPattern
    from kgraph.relations.context import Sentence

_BETWEEN_PLACES = 9  # words between a place and the place containing it


def located_pattern(sentence: Sentence) -> RelationPattern:
    grammar = sentence.grammar
    return builtin(grammar.language, "located_in.apposition", "located_in", grammar.label("located_in.apposition"))


def _country_anaphora(sentence: Sentence, end: int) -> Cluster | None:
    """ "Odessa, dans le sud du pays": the state named last before the place."""
    doc = sentence.sent.doc
    grammar = sentence.grammar
    window = doc[end + 1 : min(end + 8, sentence.sent.end)]
    words = [fold(t.text) for t in window]
    if not any(w in grammar.country_nouns for w in words) or not words or words[0] not in grammar.area_prepositions:
        return None
    for _s, _e, k in reversed(sentence.ents.spans_between(0, end)):
        cluster = sentence.ents.clusters[k]
        if cluster.type == "GPE":
            return cluster
    return None


def _not_a_location_phrase(sentence: Sentence, between: Span) -> bool:
    """A verb (not "situé"), a comma or an agent "par" between two places: "péninsule annexée par la Russie"."""
    grammar = sentence.grammar
    return any(
        (
            (t.pos_ in ("VERB", "AUX") or "Part" in t.morph.get("VerbForm", []))
            and fold(t.text) not in grammar.place_participles
        )
        or t.text in (",", ";")
        or fold(t.text) in grammar.agent_prepositions
        for t in between
    )


def _location_phrase(sentence: Sentence, content: list[str]) -> bool:
    """ "dans le sud de", "sur la côte est de", "deuxième ville de": words that put a place in another."""
    grammar = sentence.grammar
    opens = (
        content[0] in grammar.containment_prepositions
        or content[0] in grammar.location_heads
        or any(w in grammar.place_nouns for w in content[:3])  # "deuxième ville d'Ukraine"
    )
    return opens and (len(content) <= 1 or content[-1] in grammar.place_phrase_endings)


def iter_located_in(sentence: Sentence) -> Iterator[Found]:
    doc = sentence.sent.doc
    spans = sentence.spans
    located = located_pattern(sentence)
    for idx, (start, end, key) in enumerate(spans):
        place = sentence.ents.clusters[key]
        if place.type not in ("LOC", "GPE") or end >= sentence.sent.end or doc[end].text not in (",", "("):
            continue
        country = _country_anaphora(sentence, end) if place.type == "LOC" else None
        if country is not None and country is not place:
            yield Found(place, country, located, doc[start], 0.7)
            continue
        for s2, _e2, k2 in spans[idx + 1 : idx + 2]:
            container = sentence.ents.clusters[k2]
            between = doc[end + 1 : s2]
            if container.type not in ("LOC", "GPE") or container is place or len(between) > _BETWEEN_PLACES:
                continue
            if _not_a_location_phrase(sentence, between):
                continue
            words = [fold(t.text) for t in between]
            content = [w for w in words if w not in sentence.grammar.place_participles]
            if (doc[end].text == "(" and not words) or (not content and words):
                yield Found(place, container, located, doc[start], 0.75)
            elif content and _location_phrase(sentence, content):
                yield Found(place, container, located, doc[start], 0.8)
