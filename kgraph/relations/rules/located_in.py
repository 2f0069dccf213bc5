"""Places inside places: "Wonsan, sur la côte est de la Corée du Nord", "à Odessa, dans le sud de l'Ukraine",
"Kharkiv (Ukraine)", "Kharkiv, deuxième ville d'Ukraine", "Dresde, située en Saxe"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kgraph.relations.found import Found, builtin
from kgraph.text import fold

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.patterns import RelationPattern
    from kgraph.relations.context import Sentence

_BETWEEN_PLACES = 9  # words between a place and the place containing it
_AREA_PHRASE = 6  # words of "dans le nord-est de la"
_APPOSED_REACH = 3  # words between a name, its comma and the class noun describing it ("Sotchi, la station")


def located_pattern(sentence: Sentence) -> RelationPattern:
    grammar = sentence.grammar
    return builtin(grammar.language, "located_in.apposition", "located_in", grammar.label("located_in.apposition"))


def _country_anaphora(sentence: Sentence, end: int) -> Cluster | None:
    """ "Odessa, dans le sud du pays": the state named last before the place."""
    doc = sentence.doc_tokens
    grammar = sentence.grammar
    window = doc[end + 1 : min(end + 8, sentence.end)]
    words = [sentence.word(t) for t in window]
    if not any(w in grammar.country_nouns for w in words) or not words or words[0] not in grammar.area_prepositions:
        return None
    for _s, _e, k in reversed(sentence.ents.spans_between(0, end)):
        cluster = sentence.ents.clusters[k]
        if cluster.type == "GPE":
            return cluster
    return None


def _direction_noun(sentence: Sentence, token: Token) -> bool:
    """ "l'est de": the direction noun after its article, whatever the tagger made of it (the verb "être")."""
    doc = sentence.doc_tokens
    return (
        sentence.word(token) in sentence.grammar.location_heads
        and token.i > sentence.start
        and doc[token.i - 1].pos_ == "DET"
    )


def _not_a_location_phrase(sentence: Sentence, between: list[Token]) -> bool:
    """A verb (not "situé"), a comma or an agent "par" between two places: "péninsule annexée par la Russie"."""
    grammar = sentence.grammar
    return any(
        (
            (t.pos_ in ("VERB", "AUX") or "VerbForm=Part" in sentence.features(t))
            and sentence.word(t) not in grammar.place_participles
            and not _direction_noun(sentence, t)
        )
        or t.text in (",", ";")
        or sentence.word(t) in grammar.agent_prepositions
        for t in between
    )


def _location_phrase(sentence: Sentence, content: list[str]) -> bool:
    """ "dans le sud de", "sur la côte est de", "deuxième ville de": words that put a place in another."""
    grammar = sentence.grammar
    areas = grammar.location_heads | grammar.place_nouns
    links = grammar.place_phrase_endings | sentence.ents.lexicon.determiners
    opens = (
        # "à l'est de", never "à destination de": the nouns after the preposition name a part of a place
        (content[0] in grammar.containment_prepositions and all(w in areas for w in content[1:] if w not in links))
        or content[0] in grammar.location_heads
        or any(w in grammar.place_nouns for w in content[:3])  # "deuxième ville d'Ukraine"
    )
    return opens and (len(content) <= 1 or content[-1] in grammar.place_phrase_endings)


def _area_after(sentence: Sentence, idx: int) -> Cluster | None:
    """ "la ville de Kidal dans le nord-est du Mali": a place, then a part of the next place, with no comma."""
    doc = sentence.doc_tokens
    grammar = sentence.grammar
    _start, end, _key = sentence.spans[idx]
    if idx + 1 >= len(sentence.spans) or sentence.word(doc[end]) not in grammar.area_prepositions:
        return None
    s2, _e2, k2 = sentence.spans[idx + 1]
    container = sentence.ents.clusters[k2]
    between = doc[end:s2]
    words = [sentence.word(t) for t in between]
    if (
        container.type not in ("LOC", "GPE")
        or not 3 <= len(words) <= _AREA_PHRASE
        or words[-1] not in grammar.place_phrase_endings
    ):
        return None
    directions = [t for t in between if _direction_noun(sentence, t)]
    return container if directions and all(t.pos_ in ("ADP", "DET") or t in directions for t in between) else None


def iter_located_in(sentence: Sentence) -> Iterator[Found]:
    doc = sentence.doc_tokens
    spans = sentence.spans
    located = located_pattern(sentence)
    for idx, (start, end, key) in enumerate(spans):
        place = sentence.ents.clusters[key]
        if place.type == "LOC" and end < sentence.end and (container := _area_after(sentence, idx)) is not None:
            yield Found(place, container, located, doc[start], 0.75)
            continue
        if place.type not in ("LOC", "GPE") or end >= sentence.end or doc[end].text not in (",", "("):
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
            if _is_street(sentence, container):
                continue  # "Lyon, sur la place Bellecour": the street is in the city (`_streets`)
            if _not_a_location_phrase(sentence, between):
                continue
            words = [sentence.word(t) for t in between]
            content = [w for w in words if w not in sentence.grammar.place_participles]
            if (doc[end].text == "(" and not words) or (not content and words):
                yield Found(place, container, located, doc[start], 0.75)
            elif content and _location_phrase(sentence, content):
                yield Found(place, container, located, doc[start], 0.8)
    yield from _demonym_located(sentence, located)
    yield from _seats(sentence, located)
    yield from _of_cities(sentence, located)
    yield from _facilities_where(sentence, located)
    yield from _streets(sentence, located)


def _is_street(sentence: Sentence, place: Cluster) -> bool:
    return any(fold(w) in sentence.grammar.street_nouns for w in place.name.split())


def _streets(sentence: Sentence, located: RelationPattern) -> Iterator[Found]:
    """ "Paris, sur la célèbre avenue Foch": a street named after its city, a comma and "sur" or "dans"
    with only articles and adjectives between, is in that city."""
    doc = sentence.doc_tokens
    grammar = sentence.grammar
    for (_s1, end, k1), (s2, _e2, k2) in zip(sentence.spans, sentence.spans[1:], strict=False):
        city, street = sentence.ents.clusters[k1], sentence.ents.clusters[k2]
        between = doc[end:s2]
        if (
            city.type == "LOC"
            and street.type == "LOC"
            and street is not city
            and _is_street(sentence, street)
            and len(between) >= 2
            and between[0].text == ","
            and fold(between[1].text) in grammar.area_prepositions
            and all(t.pos_ == "DET" or t.text.islower() for t in between[2:])
            and len(between) <= _AREA_PHRASE
        ):
            yield Found(street, city, located, doc[s2], 0.7)


def _facilities_where(sentence: Sentence, located: RelationPattern) -> Iterator[Found]:
    """ "à Rabat, où il a rencontré le roi au palais Dar al-Makhzen": a facility named in the relative clause
    of place after a city is in that city."""
    doc = sentence.doc_tokens
    relatives = sentence.ents.lexicon.place_relatives
    for idx, (_start, end, key) in enumerate(sentence.spans):
        city = sentence.ents.clusters[key]
        if city.type != "LOC" or end + 1 >= sentence.end or doc[end].text != ",":
            continue
        if sentence.word(doc[end + 1]) not in relatives:
            continue
        for s2, _e2, k2 in sentence.spans[idx + 1 :]:
            facility = sentence.ents.clusters[k2]
            if _is_facility(sentence, facility) and facility is not city:
                yield Found(facility, city, located, doc[s2], 0.7)
                break


def _of_cities(sentence: Sentence, located: RelationPattern) -> Iterator[Found]:
    """ "le 7e bataillon de chasseurs (BCA) de Varces", "les quotidiens Metro de Lyon et de Lille": an
    organisation's name, its bracketed acronym, then "de" and a city (not a state: "la Banque du Nigeria")."""
    doc = sentence.doc_tokens
    of_words = sentence.grammar.city_prepositions
    for _start, end, key in sentence.spans:
        organisation = sentence.ents.clusters[key]
        if organisation.type != "ORG" and not _is_facility(sentence, organisation):
            continue
        i = _after_brackets(sentence, end)
        for city in _places_of(sentence, i) if i < sentence.end and sentence.word(doc[i]) in of_words else []:
            if city is not organisation:
                yield Found(organisation, city, located, doc[i], 0.7)


def _is_facility(sentence: Sentence, place: Cluster) -> bool:
    """ "l'aéroport international X", "le palais X": a place named with its facility noun."""
    first = place.name.split()[0] if place.type == "LOC" and place.name else ""
    return first.islower() and fold(first) in sentence.ents.lexicon.facility_nouns


def _after_brackets(sentence: Sentence, i: int) -> int:
    """The index after a bracketed acronym at `i` ("(RCH)"), or `i`."""
    doc = sentence.doc_tokens
    if i + 2 < sentence.end and doc[i].text == "(" and doc[i + 2].text == ")":
        return i + 3
    return i


def _seats(sentence: Sentence, located: RelationPattern) -> Iterator[Found]:
    """ "Airbus, fondé en 1970 et basé à Toulouse", "Renault est coté à Paris": an organisation's seat."""
    deps = sentence.deps
    places = sentence.grammar.place_prepositions
    for token in sentence.tokens_with_lemma(sentence.grammar.seat_participles):
        if "VerbForm=Part" not in sentence.features(token):
            continue
        seat = [
            c
            for child in sentence.children(token)
            if child.dep_ in deps.complements
            and any(sentence.word(g) in places for g in sentence.children(child) if g.dep_ in deps.case_markers)
            and (c := sentence.cluster_at(child)) is not None
            and c.type in ("LOC", "GPE")
        ]
        if seat:
            for organisation in _seated(sentence, token):
                yield Found(organisation, seat[0], located, token, 0.7)


def _seated(sentence: Sentence, participle: Token) -> list[Cluster]:
    """The organisation a participle of place describes: its subject, or the noun it modifies (through
    "fondé … et basé")."""
    deps = sentence.deps
    # the names themselves: "le groupe" read from memory is too loose to place a company
    subjects = [
        c for ch in sentence.children(participle) if deps.is_subject(ch.dep_) and (c := sentence.cluster_at(ch))
    ]
    if subjects:
        return [c for c in subjects if c.type == "ORG"]
    head = participle
    while head.dep_ in deps.chained_verbs and head.head.i != head.i:
        head = head.head
    if head.dep_ not in deps.clausal_modifier or head.head.i == head.i:
        return []
    noun = head.head
    named = sentence.cluster_at(noun) or sentence.name_after(noun) or _described_company(sentence, noun)
    return [named] if named is not None and named.type == "ORG" else []


def _described_company(sentence: Sentence, noun: Token) -> Cluster | None:
    """ "Le groupe basé à Londres, fondé sous le nom de X": a company noun standing for the one organisation
    its sentence names."""
    if sentence.lemma(noun) not in sentence.patterns.company_nouns:
        return None
    named = {key for _s, _e, key in sentence.spans if sentence.ents.clusters[key].type == "ORG"}
    return sentence.ents.clusters[named.pop()] if len(named) == 1 else None


def _demonym_located(sentence: Sentence, located: RelationPattern) -> Iterator[Found]:
    """ "l'agence russe Sputnik", "Sotchi, station balnéaire russe", "les républiques géorgiennes d'Abkhazie":
    a place or organisation described by a class noun with a demonym is in the demonym's state."""
    class_nouns = sentence.grammar.located_class_nouns
    for token in sentence.tokens_with_lemma(class_nouns):
        if token.pos_ not in ("NOUN", "PROPN"):
            continue
        adjective = sentence.demonym_adjective(token)
        if adjective is None:
            continue
        described = [c for c in _described(sentence, token, adjective) if c.type in ("LOC", "ORG") and not c.capital_of]
        state = sentence.demonym_cluster(token) if described else None
        for named in described:
            if state is not None and named is not state:
                yield Found(named, state, located, token, 0.7)


def _described(sentence: Sentence, noun: Token, adjective: Token) -> list[Cluster]:
    """The names a class noun with a demonym describes: the name it heads, the name right after its
    adjective (or after a comma, an organisation), its "de" places, or the name it is apposed to."""
    holder = sentence.cluster_at(noun)
    if holder is not None:
        return [holder]  # "l'Agence spatiale russe" tagged as one organisation
    doc = sentence.doc_tokens
    end = sentence.end
    after = adjective.i + 1
    if after < end and (named := sentence.cluster_at(doc[after])) is not None:
        return [named]
    if after + 1 < end and doc[after].text == "," and (named := sentence.cluster_at(doc[after + 1])) is not None:
        return [named] if named.type == "ORG" else []
    if after < end and sentence.word(doc[after]) in sentence.ents.lexicon.of_prepositions:
        # "les républiques géorgiennes d'Abkhazie"; "X, la branche syrienne d'Al-Qaïda" is X's
        return _places_of(sentence, after) or _apposed_before(sentence, noun)
    return _apposed_before(sentence, noun)


def _places_of(sentence: Sentence, i: int) -> list[Cluster]:
    """ "de Donetsk et de Louhansk": the places after "de", with those coordinated."""
    doc = sentence.doc_tokens
    grammar = sentence.grammar
    out: list[Cluster] = []
    while i < sentence.end:
        while i < sentence.end and (
            sentence.word(doc[i]) in sentence.ents.lexicon.of_prepositions or doc[i].pos_ == "DET"
        ):
            i += 1
        named = sentence.cluster_at(doc[i]) if i < sentence.end else None
        if named is None or named.type != "LOC":
            break
        out.append(named)
        i = sentence.ents.span_at[i][1]
        if i >= sentence.end or sentence.word(doc[i]) not in grammar.coordination:
            break
        i += 1
    return out


def _apposed_before(sentence: Sentence, noun: Token) -> list[Cluster]:
    """ "Sotchi, station balnéaire russe": the name before the comma that opens the class noun's phrase."""
    doc = sentence.doc_tokens
    i = noun.i - 1
    while i > sentence.start and noun.i - i <= _APPOSED_REACH and doc[i].pos_ == "DET":
        i -= 1
    if i <= sentence.start or doc[i].text != "," or noun.i - i > _APPOSED_REACH:
        return []
    named = sentence.cluster_at(doc[i - 1])
    return [named] if named is not None else []
