"""Entities of one document: spaCy's NER cleaned (junk, titles, types) and merged into per-document clusters."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kgraph.lexicon import Lexicon
from kgraph.models import DocEntity, Mention
from kgraph.names import is_partial_name, is_spelling_variant, name_tokens
from kgraph.text import clean_text, fold

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_NER_TYPES = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "ORG": "ORG",
    "LOC": "LOC",
    "GPE": "GPE",
    "MISC": "MISC",
    "EVENT": "EVENT",
    "NORP": "MISC",
    "FAC": "LOC",
}
_DETERMINERS = {"le", "la", "les", "l'", "l", "un", "une", "des", "du", "de", "d'", "au", "aux"}
_ALL_CAPS = re.compile(r"^[A-Z0-9ÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ&.\-]+$")
# lowercase function words skipped when reading an acronym off its expansion
_ACRONYM_STOP = {"de", "du", "des", "d", "et", "la", "le", "les", "l", "pour", "en", "a"}


@dataclass(slots=True)
class Cluster:
    """A per-document entity being assembled (mutable while the document is processed)."""

    key: int
    name: str
    type: str
    canonical: str | None = None
    aliases: dict[str, None] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    capital_of: str | None = None  # gazetteer id of the state this city is the capital of
    agency: bool = False
    roles: list[tuple[str, str | None]] = field(default_factory=list)  # (role key, state node id)

    def freeze(self) -> DocEntity:
        return DocEntity(
            key=self.key,
            name=self.name,
            type=self.type,
            aliases=tuple(self.aliases),
            mentions=tuple(sorted(self.mentions, key=lambda m: m.start)),
            canonical=self.canonical,
        )


@dataclass(slots=True)
class RawMention:
    start: int  # token index
    end: int
    surface: str
    name: str
    type: str
    canonical: str | None
    sentence: int
    char_start: int
    char_end: int
    state: str | None = None  # an institution standing for a state ("le Kremlin")


class DocEntities:
    """Clusters of one document plus the token -> cluster index the relation extractor reads."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.clusters: dict[int, Cluster] = {}
        self.by_token: dict[int, int] = {}
        self.spans: dict[int, tuple[int, int]] = {}  # cluster key of each mention start token -> span
        self.mention_spans: list[tuple[int, int, int]] = []  # (start tok, end tok, cluster key), sorted
        self.span_at: dict[int, tuple[int, int]] = {}  # token -> (start, end) of the mention holding it

    # cluster creation and lookup -------------------------------------------------------------
    def new(self, name: str, type_: str, *, canonical: str | None = None) -> Cluster:
        key = len(self.clusters)
        cluster = Cluster(key=key, name=name, type=type_, canonical=canonical)
        self.clusters[key] = cluster
        return cluster

    def by_canonical(self, node_id: str) -> Cluster:
        for cluster in self.clusters.values():
            if cluster.canonical == node_id:
                return cluster
        entry = self.lexicon.entries[node_id]
        return self.new(entry.label, entry.type, canonical=node_id)

    def spans_between(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Mentions starting in [start, end), in text order (a bisection: documents can be long)."""
        lo = bisect.bisect_left(self.mention_spans, (start, -1, -1))
        hi = bisect.bisect_left(self.mention_spans, (end, -1, -1))
        return self.mention_spans[lo:hi]

    def at(self, token_index: int) -> Cluster | None:
        key = self.by_token.get(token_index)
        return self.clusters[key] if key is not None else None

    def actor(self, cluster: Cluster) -> Cluster:
        """The cluster acting in a relation. A capital used as an actor is usually read as its state when its
        mention is typed; one the typing took for a place ("livrer à Kiev") becomes its state here."""
        if cluster.capital_of and cluster.capital_of in self.lexicon.entries:
            state = self.by_canonical(cluster.capital_of)
            state.aliases.setdefault(cluster.name, None)
            return state
        return cluster

    def records(self) -> tuple[DocEntity, ...]:
        return tuple(c.freeze() for c in self.clusters.values() if c.mentions or c.canonical)


def _strip_span(span: Span, lexicon: Lexicon) -> tuple[int, int, str]:
    """Token bounds of the proper name inside an entity span (no determiners, honorifics or titles),
    and the honorific that was stripped ("M."), kept for the surface form."""
    start, end = span.start, span.end
    doc = span.doc
    honorific = ""
    while start < end:
        word = fold(doc[start].text)
        if word in _DETERMINERS:
            start += 1
        elif word.rstrip(".") in lexicon.honorifics or word in lexicon.honorifics:
            honorific = doc[start].text
            start += 1
        elif word in lexicon.strip_prefixes and start + 1 < end and doc[start + 1].text[:1].isupper():
            start += 1
        elif (
            start + 1 < end
            and fold(doc[start + 1].text) in {"d'", "de", "du", "des"}
            and word in lexicon.strip_prefixes
        ):
            start += 2
        else:
            break
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end, honorific


def _is_junk(name: str, tokens: list[Token], lexicon: Lexicon) -> bool:
    folded = fold(name)
    if not folded or len(folded) < 2 or folded in lexicon.junk or folded in lexicon.strip_prefixes:
        return True
    if "/" in name or any(fold(t.text) in lexicon.caption_markers for t in tokens):
        return True
    if not any(ch.isupper() for ch in name):  # a common noun phrase, not a name
        return True
    words = name.split()
    # caption boilerplate ("RUSSIAN FOREIGN MINISTRY"); short acronyms stay ("KCNA", "OTAN")
    if (
        all(_ALL_CAPS.match(w) for w in words)
        and lexicon.lookup(name) is None
        and (len(words) > 1 or len(name.replace(".", "")) > 5)
    ):
        return True
    if folded in lexicon.roles:
        return True
    # a title NER took for a name: "Premier ministre britannique", "ministre russe des Affaires étrangères"
    lead = name_tokens(name)
    title = next((n for n in (3, 2, 1) if " ".join(lead[:n]) in lexicon.roles), 0)
    return bool(title) and all(not w[:1].isupper() or fold(w) in lexicon.demonyms for w in name.split()[title:])


def _sentence_index(doc: Doc) -> dict[int, int]:
    index: dict[int, int] = {}
    for number, sent in enumerate(doc.sents):
        for token in sent:
            index[token.i] = number
    return index


def _extend_person(span: Span) -> int:
    """End of a person span extended over name parts the tagger mistook for words ("Kim Jong | Un")."""
    end = span.end
    doc = span.doc
    while end < len(doc) and end - span.start < 5:
        token = doc[end]
        if (
            token.text[:1].isupper()
            and token.text.isalpha()
            and len(token.text) <= 4
            and not token.is_sent_start
            and token.ent_type_ in ("", "PER")
            and token.pos_ not in ("VERB", "AUX")
        ):
            end += 1
        else:
            break
    return end


def iter_raw_mentions(doc: Doc, *, lexicon: Lexicon) -> list[RawMention]:
    """Clean entity mentions of a parsed document, in text order."""
    sentence_of = _sentence_index(doc)
    mentions: list[RawMention] = []
    taken: set[int] = set()
    for span in doc.ents:
        label = _NER_TYPES.get(span.label_, "MISC")
        end = _extend_person(span) if label == "PERSON" else span.end
        if any(i in taken for i in range(span.start, end)):
            continue
        start, end, honorific = _strip_span(doc[span.start : end], lexicon)
        if start >= end:
            continue
        if (
            end - start >= 3
            and start > 0
            and fold(doc[start - 1].text) in ("des", "du", "de", "d'")
            and fold(f"{doc[start - 1].text} {doc[start].text}") in lexicon.portfolios
        ):
            start += 1  # "le ministre des Armées Sébastien Lecornu": the portfolio is not part of the name
        if not honorific and start > 0 and start == span.start and _is_honorific(doc[start - 1].text, lexicon):
            honorific = doc[start - 1].text  # "M. Macron" where NER took only "Macron"
        if _in_credit(doc, start, end, lexicon):
            continue
        end = _national_suffix(doc, start, end, lexicon)
        tokens = list(doc[start:end])
        name = clean_text(doc[start:end].text)
        if _is_junk(name, tokens, lexicon):
            continue
        if (
            end - start == 1
            and doc[start].is_sent_start
            and doc[start].pos_ == "NOUN"
            and label != "PERSON"
            and lexicon.lookup(name) is None
            and fold(name) not in lexicon.capitals
            and end < len(doc)
            and fold(doc[end].text) in ("de", "d'", "du", "des")
        ):
            continue  # a capitalised common noun opening a sentence ("Signe de…", "Preuve de…")
        if fold(doc[start].text) in lexicon.roles and not doc[start].text[:1].isupper():
            continue  # a title ("ministre russe des Affaires étrangères") is not an entity
        if span.ent_id_ and _first_name_before(doc, start, lexicon) and start - 1 not in taken:
            # "Luis Montenegro": a surname that is also a country, after a first name, is a person
            start -= 1
            label = "PERSON"
            span = doc[start:end]
        taken.update(range(start, end))
        for part_start, part_end in _split_pair(doc, start, end, label):
            part = doc[part_start:part_end]
            ent_id = span.ent_id_ if (part_start, part_end) == (span.start, span.end) else None
            mention = _typed_mention(doc, part, label, ent_id or None, sentence_of, lexicon)
            if honorific and mention.canonical is None:  # "M. Enders" names a person, whatever NER said
                mention.type = "PERSON"
                mention.surface = f"{honorific} {mention.surface}"
            if fold(mention.name) in lexicon.gentiles:  # "les Nord-Coréens": the state, not a place
                mention.canonical = lexicon.gentiles[fold(mention.name)]
                mention.type = "GPE"
                mention.surface = ""
            mentions.append(mention)
    return mentions


def _first_name_before(doc: Doc, start: int, lexicon: Lexicon) -> bool:
    if start == 0:
        return False
    prev = doc[start - 1]
    return (
        prev.pos_ == "PROPN"
        and prev.text[:1].isupper()
        and prev.text.isalpha()
        and not prev.is_sent_start
        and not prev.ent_type_
        and lexicon.lookup(prev.text) is None
        and fold(prev.text) not in lexicon.roles
        and fold(prev.text) not in lexicon.honorifics
    )


def _is_honorific(text: str, lexicon: Lexicon) -> bool:
    word = fold(text)
    return word in lexicon.honorifics or (word.rstrip(".") in lexicon.honorifics and text[:1].isupper())


def _in_credit(doc: Doc, start: int, end: int, lexicon: Lexicon) -> bool:
    """A name inside a photo credit: "( KCNA VIA KNS / AFP )", "(AFP PHOTO / POOL)"."""
    left = start - 1
    while left >= 0 and start - left < 8 and doc[left].text != "(" and "\n" not in doc[left].text:
        left -= 1
    right = end
    while right < len(doc) and right - end < 8 and doc[right].text != ")" and "\n" not in doc[right].text:
        right += 1
    if left < 0 or right >= len(doc) or doc[left].text != "(" or doc[right].text != ")":
        return False
    inside = [fold(t.text) for t in doc[left + 1 : right]]
    return "/" in inside or any(w in lexicon.caption_markers for w in inside)


def _national_suffix(doc: Doc, start: int, end: int, lexicon: Lexicon) -> int:
    # a name followed by a demonym ("Conseil de sécurité russe") or a state ("… de la Russie") names that
    # country's body, not the international one of the gazetteer
    known = lexicon.lookup(doc[start:end].text)
    if known is not None and known.type == "ORG" and end + 1 < len(doc) and fold(doc[end].text) in ("de", "du", "d'"):
        j = end + 1
        while j < len(doc) and doc[j].pos_ == "DET":
            j += 1
        for k in range(j + 1, min(j + 5, len(doc)) + 1):
            state = lexicon.lookup(doc[j:k].text)
            if state is not None and state.type == "GPE" and state.id != known.country:
                return k
    if (
        end < len(doc)
        and fold(doc[end].text) in lexicon.demonyms
        and doc[start].text[:1].isupper()
        and known is not None
        and known.type == "ORG"
    ):
        return end + 1
    return end


def _split_pair(doc: Doc, start: int, end: int, label: str) -> list[tuple[int, int]]:
    # "la rencontre Kim-Lavrov": a hyphenated pair of surnames is two people
    text = doc[start:end].text
    if label == "PERSON" and end - start == 3 and doc[start + 1].text == "-":
        return [(start, start + 1), (start + 2, end)]
    if (
        label == "PERSON"
        and end - start == 1
        and text.count("-") == 1
        and all(p[:1].isupper() for p in text.split("-"))
    ):
        return [(start, end)]  # one token: handled as a pair by the relation extractor's nominal rules
    return [(start, end)]


def _typed_mention(doc, span, label, ent_id, sentence_of, lexicon) -> RawMention:
    name = clean_text(span.text)
    surface = clean_text(doc[span.start : span.end].text)
    known = lexicon.lookup(name) or (lexicon.entries.get(ent_id) if ent_id else None)
    canonical = known.id if known else None
    type_ = known.type if known else label
    state = lexicon.state_for_actor(name)
    if state and fold(name) in lexicon.institutions:
        canonical, type_ = state.id, state.type
    elif (
        state and not known and label in ("LOC", "GPE", "PERSON", "ORG", "MISC") and not _place_context(doc, span.start)
    ):
        # a capital acting ("Pékin a condamné", "Moscou et Pyongyang ont signé") is its state
        canonical, type_ = state.id, state.type
    elif fold(name) in lexicon.capitals:
        type_ = "LOC"
    elif not known and _after_agency_word(doc, span.start):
        type_ = "ORG"
    elif (
        not known
        and type_ in ("MISC", "LOC", "ORG")
        and _after_title(doc, span.start, lexicon)
        and all(t.text[:1].isupper() for t in span)
    ):
        type_ = "PERSON"
    elif type_ == "GPE" and not known:
        type_ = "LOC"
    if not known and type_ in ("LOC", "MISC") and fold(span[0].lemma_) in _INSTITUTION_HEADS:
        type_ = "ORG"  # "ministère russe de la Défense", "Commission électorale": an institution
    return RawMention(
        start=span.start,
        end=span.end,
        surface=surface,
        name=known.label if known else name,
        type=type_,
        canonical=canonical,
        sentence=sentence_of.get(span.start, 0),
        char_start=span.start_char,
        char_end=span.end_char,
        state=state.id if state else None,
    )


_INSTITUTION_HEADS = frozenset(
    {
        "ministere",
        "gouvernement",
        "commission",
        "conseil",
        "parlement",
        "assemblee",
        "agence",
        "armee",
        "banque",
        "cour",
        "tribunal",
        "parti",
        "fondation",
        "universite",
        "comite",
        "office",
        "direction",
        "service",
        "senat",
        "etat-major",
        "federation",
        "union",
        "organisation",
        "institut",
        "autorite",
        "haut-commissariat",
    }
)
_PLACE_WORDS = frozenset(
    {
        "a",
        "au",
        "aux",
        "en",
        "dans",
        "vers",
        "depuis",
        "pres",
        "sur",
        "jusqu'a",
        "jusqu",
        "via",
        "quitte",
        "quitter",
        "ville",
        "capitale",
        "region",
        "banlieue",
        "centre",
        "rues",
        "pres de",
    }
)


def _place_context(doc: Doc, start: int) -> bool:
    """A city name used as a place: after "à", "en", "dans", "depuis", "vers", "la capitale"..."""
    i = start - 1
    while i >= 0 and doc[i].pos_ == "DET":
        i -= 1
    if i < 0:
        return False
    word = fold(doc[i].text)
    if word in _PLACE_WORDS or fold(doc[i].lemma_) in _PLACE_WORDS:
        return True
    # "de Pékin" after a place noun or a movement verb ("arrivé de Pékin", "la ville de Kiev")
    return (
        word in ("de", "d'", "du")
        and i > 0
        and fold(doc[i - 1].lemma_) in _PLACE_WORDS | {"arriver", "partir", "revenir", "rentrer", "retour", "route"}
    )


def _after_agency_word(doc: Doc, start: int) -> bool:
    # "l'agence d'Etat KCNA", "l'agence russe Tass", "le quotidien Le Monde"
    window = [fold(t.lemma_ or t.text) for t in doc[max(0, start - 4) : start]]
    return any(w in {"agence", "quotidien", "journal", "chaine", "television", "radio", "journaux"} for w in window)


def _after_title(doc: Doc, start: int, lexicon: Lexicon) -> bool:
    for token in reversed(doc[max(0, start - 5) : start]):
        word = fold(token.text)
        if word in lexicon.roles or fold(token.lemma_) in lexicon.roles or word.rstrip(".") in lexicon.honorifics:
            return True
        if (token.is_punct and token.text != ",") or token.pos_ in ("VERB", "AUX"):
            return False
    return False


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s'’\-]+", name) if w and fold(w) not in _ACRONYM_STOP).upper()


def cluster_mentions(raw: list[RawMention], *, lexicon: Lexicon) -> DocEntities:
    """Merge the mentions of one document: gazetteer ids, full names with their partial forms and
    spelling variants, acronyms with their expansions."""
    ents = DocEntities(lexicon)
    groups: dict[str, list[RawMention]] = {}
    order: list[str] = []

    def group_key(m: RawMention) -> str:
        return f"id:{m.canonical}" if m.canonical else f"N:{fold(m.name)}"

    for m in raw:
        key = group_key(m)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(m)

    def majority(members: list[RawMention]) -> str:
        # NER may call the same name PER once and MISC elsewhere: the specific reading wins
        types = [m.type for m in members]
        return max(set(types), key=lambda t: (types.count(t) * (2 if t != "MISC" else 1), t))

    # persons: short and misspelt forms join the full name they belong to. Candidates share a name token
    # with the short form (an index keeps this linear on long documents).
    tokens = {k: name_tokens(k[2:]) for k in order if k.startswith("N:")}
    person_names = {m.name for m in raw if m.type == "PERSON"}
    person_tokens = {t for n in person_names for t in name_tokens(n)}

    def looks_like_person(k: str) -> bool:
        kind = majority(groups[k])
        if kind == "PERSON":
            return True
        # NER said MISC for "Luiz Inácio Lula da Silva" but PER for "Lula": a full name of a person
        return (
            kind == "MISC"
            and len(tokens[k]) >= 2
            and groups[k][0].name[:1].isupper()
            and bool(person_tokens & set(tokens[k]))
            and any(is_partial_name(n, groups[k][0].name) for n in person_names)
        )

    persons = [k for k in order if k.startswith("N:") and looks_like_person(k)]
    index: dict[str, list[str]] = {}
    for k in persons:
        for t in {*tokens[k], f"~{tokens[k][-1][:3]}"}:  # "~zel": surnames spelt alike share a key
            index.setdefault(t, []).append(k)
    target: dict[str, str] = {}
    for key in sorted(persons, key=lambda k: (len(tokens[k]), len(groups[k]))):
        name = key[2:]
        first = groups[key][0].start
        keys = [*tokens[key], f"~{tokens[key][-1][:3]}"]
        sharing = dict.fromkeys(o for t in keys for o in index.get(t, ()))
        candidates = [
            other
            for other in sharing
            if other != key
            and other not in target
            and (
                (len(tokens[other]) > len(tokens[key]) and is_partial_name(name, other[2:]))
                or (is_spelling_variant(name, other[2:]) and len(groups[other]) >= len(groups[key]))
            )
        ]
        if len(candidates) > 1:  # ambiguous surname: the nearest full name mentioned before it
            before = [c for c in candidates if groups[c][0].start < first]
            candidates = (
                [max(before, key=lambda c: max(m.start for m in groups[c] if m.start < first))] if before else []
            )
        if candidates:
            target[key] = candidates[0]

    # acronyms: "RPDC" with "République populaire démocratique de Corée", "OTAN" with its expansion
    names = [k for k in order if k.startswith("N:") and k not in target]
    expansions: dict[str, str] = {}
    for k in names:
        if len(groups[k][0].name.split()) >= 2:
            expansions.setdefault(_initials(groups[k][0].name), k)
    for key in names:
        acronym = groups[key][0].name
        if _ALL_CAPS.match(acronym) and 2 <= len(acronym) <= 8 and expansions.get(acronym, key) != key:
            target[key] = expansions[acronym]

    # a surname NER mistyped ("Modi" as ORG) joins the one person it ends; "Couche-Tard" joins
    # "Alimentation Couche-Tard"
    person_set = set(persons)
    org_by_last: dict[str, list[str]] = {}
    for o in order:
        if o.startswith("N:") and o not in person_set and len(tokens[o]) > 1 and majority(groups[o]) == "ORG":
            org_by_last.setdefault(tokens[o][-1], []).append(o)
    for key in [k for k in order if k.startswith("N:") and k not in target and k not in person_set]:
        name = key[2:]
        if len(tokens[key]) != 1 or majority(groups[key]) in ("GPE",):
            continue
        people = [p for p in index.get(tokens[key][0], ()) if p not in target and is_partial_name(name, p[2:])]
        orgs = [o for o in org_by_last.get(tokens[key][0], ()) if o != key and o not in target]
        if len(people) == 1 and not orgs:
            target[key] = people[0]
        elif len(orgs) == 1 and not people:
            target[key] = orgs[0]

    # fold merges into root groups, in text order
    merged: dict[str, list[RawMention]] = {}
    for key in order:
        root = key
        while root in target:
            root = target[root]
        merged.setdefault(root, []).extend(groups[key])
    for members in merged.values():
        members.sort(key=lambda m: m.start)
        lead = members[0]
        if lead.canonical:
            entry = lexicon.entries[lead.canonical]
            cluster = ents.new(entry.label, entry.type, canonical=entry.id)
            cluster.agency = entry.agency
        else:
            label = max(
                (m.name for m in members),
                key=lambda n: (len(name_tokens(n)), sum(m.name == n for m in members), n),
            )
            kind = majority(members)
            cluster = ents.new(label, kind)
            if kind == "LOC" and fold(label) in lexicon.capitals:
                cluster.capital_of = lexicon.capitals[fold(label)]
        for m in members:
            if m.surface:
                cluster.aliases.setdefault(m.surface, None)
            cluster.mentions.append(Mention(text=m.surface, start=m.char_start, end=m.char_end, sentence=m.sentence))
            for i in range(m.start, m.end):
                ents.by_token[i] = cluster.key
            ents.mention_spans.append((m.start, m.end, cluster.key))
            for i in range(m.start, m.end):
                ents.span_at[i] = (m.start, m.end)
    ents.mention_spans.sort()
    return ents
