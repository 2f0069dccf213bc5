"""Merging the mentions of one document into clusters: gazetteer ids, full names with their partial forms
and spelling variants, acronyms with their expansions, mistyped surnames with their person."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kgraph.entities.clusters import DocEntities
from kgraph.entities.mentions import ALL_CAPS, RawMention
from kgraph.lang import Lexicon
from kgraph.models import Mention
from kgraph.names import is_partial_name, is_spelling_variant, name_tokens
from kgraph.text import fold

_SPECIFIC_WEIGHT = 4  # how many MISC readings of a name one PER, ORG or place reading outweighs
_CUE_WEIGHT = 3  # how many NER readings one reading from the words around a name outweighs


def _majority(members: list[RawMention]) -> str:
    # NER may call the same name PER once and MISC elsewhere: the specific reading wins. (Typing a cluster
    # with resolution's rank of types instead changes the graph: "Xi Jinping", MISC in one article, would
    # then be the person of the other articles.)
    # A mention typed by the words around it ("le groupe X", "le président X") outweighs NER's guesses.
    def weight(t: str) -> int:
        return sum(
            (_CUE_WEIGHT if m.cued else 1) * (_SPECIFIC_WEIGHT if t != "MISC" else 1) for m in members if m.type == t
        )

    return max({m.type for m in members}, key=lambda t: (weight(t), t))


@dataclass(slots=True)
class _Groups:
    """Mentions grouped by gazetteer id ("id:…") or folded name ("N:…"), in order of first mention, each
    name group's name tokens and each group's type."""

    groups: dict[str, list[RawMention]]
    order: list[str]
    tokens: dict[str, list[str]]
    kinds: dict[str, str]

    @classmethod
    def of(cls, raw: list[RawMention]) -> _Groups:
        groups: dict[str, list[RawMention]] = {}
        for m in raw:
            groups.setdefault(f"id:{m.canonical}" if m.canonical else f"N:{fold(m.name)}", []).append(m)
        order = list(groups)
        tokens = {k: name_tokens(k[2:]) for k in order if k.startswith("N:")}
        return cls(groups, order, tokens, {k: _majority(members) for k, members in groups.items()})

    def names(self) -> list[str]:
        return list(self.tokens)  # the name groups' keys, in order of first mention

    def kind(self, key: str) -> str:
        return self.kinds[key]


def _persons(g: _Groups, raw: list[RawMention]) -> list[str]:
    """Name groups of persons, including full names NER typed MISC whose short form it typed PER."""
    person_names = {m.name for m in raw if m.type == "PERSON"}
    person_tokens = {t for n in person_names for t in name_tokens(n)}

    def looks_like_person(k: str) -> bool:
        kind = g.kind(k)
        if kind == "PERSON":
            return True
        # NER said MISC for "Luiz Inácio Lula da Silva" but PER for "Lula": a full name of a person
        return (
            kind == "MISC"
            and len(g.tokens[k]) >= 2
            and g.groups[k][0].name[:1].isupper()
            and bool(person_tokens & set(g.tokens[k]))
            and any(is_partial_name(n, g.groups[k][0].name) for n in person_names)
        )

    return [k for k in g.names() if looks_like_person(k)]


def _person_keys(g: _Groups, key: str) -> list[str]:
    return [*g.tokens[key], f"~{g.tokens[key][-1][:3]}"]  # "~zel": surnames spelt alike share a key


def _person_targets(g: _Groups, persons: list[str], index: dict[str, list[str]]) -> dict[str, str]:
    """Short and misspelt person names -> the full name they belong to (candidates share a name token:
    the index keeps this linear on long documents)."""
    target: dict[str, str] = {}
    for key in sorted(persons, key=lambda k: (len(g.tokens[k]), len(g.groups[k]))):
        name = key[2:]
        first = g.groups[key][0].start
        sharing = dict.fromkeys(o for t in _person_keys(g, key) for o in index.get(t, ()))
        candidates = [
            other
            for other in sharing
            if other != key
            and other not in target
            and (
                (len(g.tokens[other]) > len(g.tokens[key]) and is_partial_name(name, other[2:]))
                or (is_spelling_variant(name, other[2:]) and len(g.groups[other]) >= len(g.groups[key]))
            )
        ]
        if len(candidates) > 1:  # ambiguous surname: the nearest full name mentioned before it
            before = [c for c in candidates if g.groups[c][0].start < first]
            candidates = (
                [max(before, key=lambda c: max(m.start for m in g.groups[c] if m.start < first))] if before else []
            )
        if candidates:
            target[key] = candidates[0]
    return target


def _initials(name: str, lexicon: Lexicon) -> str:
    words = re.split(r"[\s'’\-]+", name)
    return "".join(w[0] for w in words if w and fold(w) not in lexicon.acronym_stopwords).upper()


def _acronym_targets(g: _Groups, target: dict[str, str], lexicon: Lexicon) -> None:
    # "RPDC" with "République populaire démocratique de Corée", "OTAN" with its expansion
    names = [k for k in g.names() if k not in target]
    expansions: dict[str, str] = {}
    for k in names:
        if len(g.groups[k][0].name.split()) >= 2:
            expansions.setdefault(_initials(g.groups[k][0].name, lexicon), k)
    for key in names:
        acronym = g.groups[key][0].name
        if ALL_CAPS.match(acronym) and 2 <= len(acronym) <= 8 and expansions.get(acronym, key) != key:
            target[key] = expansions[acronym]


def _surname_targets(g: _Groups, persons: list[str], index: dict[str, list[str]], target: dict[str, str]) -> None:
    # a surname NER mistyped ("Modi" as ORG) joins the one person it ends; "Couche-Tard" joins
    # "Alimentation Couche-Tard"
    person_set = set(persons)
    org_by_last: dict[str, list[str]] = {}
    for o in g.names():
        if o not in person_set and len(g.tokens[o]) > 1 and g.kind(o) == "ORG":
            org_by_last.setdefault(g.tokens[o][-1], []).append(o)
    for key in [k for k in g.names() if k not in target and k not in person_set]:
        name = key[2:]
        if len(g.tokens[key]) != 1 or g.kind(key) == "GPE":
            continue
        people = [p for p in index.get(g.tokens[key][0], ()) if p not in target and is_partial_name(name, p[2:])]
        orgs = [o for o in org_by_last.get(g.tokens[key][0], ()) if o != key and o not in target]
        if len(people) == 1 and not orgs:
            target[key] = people[0]
        elif len(orgs) == 1 and not people:
            target[key] = orgs[0]


def _short_form_targets(g: _Groups, persons: list[str], target: dict[str, str], lexicon: Lexicon) -> None:
    # "Commission" with the one "Commission européenne" of the document, "Polisario" with "Front Polisario",
    # "Nord Presse" with "Corporation Nord Presse"; a place ("Lyon" of "Lyon Matin") is never a short form
    # of a longer name it starts
    person_set = set(persons)
    names = {k: name_tokens(g.groups[k][0].name) for k in g.order if k not in person_set}
    longer_names = _NamesByEnds({k: t for k, t in names.items() if g.kind(k) not in ("PERSON", "LOC", "GPE")})
    for key in [k for k in g.names() if k not in target and k not in person_set]:
        place = g.kind(key) in ("LOC", "GPE")
        longer = [
            other
            for other in longer_names.sharing_an_end(names[key])
            if other != key and _is_short_form(names[key], names[other], g.groups[other][0].name, lexicon, place=place)
        ]
        if len(longer) == 1:
            target[key] = longer[0]


class _NamesByEnds:
    """Name groups indexed by their first and their last name token: a name another one opens or ends
    shares its first or its last token (the index keeps the search for short forms linear)."""

    def __init__(self, tokens: dict[str, list[str]]) -> None:
        self.keys = set(tokens)
        self.by_first: dict[str, set[str]] = {}
        self.by_last: dict[str, set[str]] = {}
        for key, words in tokens.items():
            if words:
                self.by_first.setdefault(words[0], set()).add(key)
                self.by_last.setdefault(words[-1], set()).add(key)

    def sharing_an_end(self, words: list[str]) -> set[str]:
        """Keys of the names opening with the first of `words` or ending with the last (every name when
        `words` is empty: any name opens with nothing)."""
        if not words:
            return self.keys
        return self.by_first.get(words[0], set()) | self.by_last.get(words[-1], set())


def _is_short_form(short: list[str], tokens: list[str], written: str, lexicon: Lexicon, *, place: bool) -> bool:
    if len(tokens) <= len(short):
        return False
    if tokens[: len(short)] == short:  # the rest must not start a name of its own: "Commission européenne"
        rest = written.split()[len(written.split()) - (len(tokens) - len(short)) :]
        return not place and bool(rest) and not rest[0][:1].isupper()
    extra = tokens[: len(tokens) - len(short)]
    return tokens[len(extra) :] == short and all(w in lexicon.organization_forms for w in extra)


def _national_institution_targets(g: _Groups, persons: list[str], target: dict[str, str], lexicon: Lexicon) -> None:
    # "Sénat ivoirien" with "Sénat de la République de Côte d'Ivoire": an institution with a demonym is the
    # institution of that state
    longest: dict[tuple[str, str], str] = {}
    keys = [k for k in g.names() if k not in target and k not in persons and g.kind(k) == "ORG"]
    for key in sorted(keys, key=lambda k: -len(g.tokens[k])):
        national = _national_institution(g.groups[key][0].name, lexicon)
        if national is None:
            continue
        if national in longest:
            target[key] = longest[national]
        else:
            longest[national] = key


def _national_institution(name: str, lexicon: Lexicon) -> tuple[str, str] | None:
    """(institution, state id) of "Sénat ivoirien" or "Sénat de la République de Côte d'Ivoire", else None."""
    words = name.split()
    if len(words) < 2 or fold(words[0]) not in lexicon.institution_heads:
        return None
    if len(words) == 2 and fold(words[1]) in lexicon.demonyms:
        return fold(words[0]), lexicon.demonyms[fold(words[1])]
    if fold(words[1]) not in lexicon.of_prepositions:
        return None
    rest = words[2:]
    while rest and fold(rest[0]) in lexicon.determiners:
        rest = rest[1:]
    state = lexicon.lookup(" ".join(rest)) if rest else None
    return (fold(words[0]), state.id) if state is not None and state.type == "GPE" else None


def cluster_mentions(raw: list[RawMention], *, lexicon: Lexicon) -> DocEntities:
    """Merge the mentions of one document: gazetteer ids, full names with their partial forms and
    spelling variants, acronyms with their expansions."""
    g = _Groups.of(raw)
    persons = _persons(g, raw)
    index: dict[str, list[str]] = {}
    for k in persons:
        for t in set(_person_keys(g, k)):
            index.setdefault(t, []).append(k)
    target = _person_targets(g, persons, index)
    _acronym_targets(g, target, lexicon)
    _surname_targets(g, persons, index, target)
    _short_form_targets(g, persons, target, lexicon)
    _national_institution_targets(g, persons, target, lexicon)
    merged: dict[str, list[RawMention]] = {}  # merges folded into root groups, in text order
    for key in g.order:
        root = key
        while root in target:
            root = target[root]
        merged.setdefault(root, []).extend(g.groups[key])
    ents = DocEntities(lexicon)
    for members in merged.values():
        _add_cluster(ents, sorted(members, key=lambda m: m.start), lexicon)
    _city_names_off_states(ents)
    ents.mention_spans.sort()
    return ents


def _city_names_off_states(ents: DocEntities) -> None:
    """ "Lima a protesté … le sommet de Lima": the capital acting is its state and the place is the city, but
    the name stays the city's only, or one name would stand for two nodes."""
    states = {c.canonical: c for c in ents.clusters.values() if c.canonical}
    for city in ents.clusters.values():
        state = states.get(city.capital_of) if city.capital_of and city.mentions else None
        if state is not None:
            for name in city.aliases:
                state.aliases.pop(name, None)


def _add_cluster(ents: DocEntities, members: list[RawMention], lexicon: Lexicon) -> None:
    lead = next((m for m in members if m.canonical), members[0])
    if lead.canonical:
        entry = lexicon.entries[lead.canonical]
        cluster = ents.new(entry.label, entry.type, canonical=entry.id)
        cluster.agency = entry.agency
    else:
        label = max(
            (m.name for m in members),
            key=lambda n: (len(name_tokens(n)), sum(m.name == n for m in members), n),
        )
        kind = _majority(members)
        cluster = ents.new(label, kind)
        if kind == "LOC" and fold(label) in lexicon.capitals:
            cluster.capital_of = lexicon.capitals[fold(label)]
    for m in members:
        if m.surface:
            cluster.aliases.setdefault(m.surface, None)
        ents.add_mention(
            cluster, Mention(text=m.surface, start=m.char_start, end=m.char_end, sentence=m.sentence), m.start, m.end
        )
