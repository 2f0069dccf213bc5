"""The entity knowledge of a language pack: gazetteers, titles, honorifics, junk lists and the words read
around a name mention (kgraph/lang/<code>/: places, regions, organizations, titles, junk, mentions)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kgraph.lang.files import PackFiles, string, string_map, strings
from kgraph.text import fold

GAZETTEERS = ("places.jsonl", "regions.jsonl", "organizations.jsonl")
_NODE_PREFIX = {"GPE": "gpe", "LOC": "loc", "ORG": "org"}


@dataclass(frozen=True, slots=True)
class KnownEntity:
    """A gazetteer entry: its canonical node id, label and type."""

    id: str
    label: str
    type: str
    country: str | None = None
    agency: bool = False


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Folded keys of every list, so a rule looks up `fold(token.text)`."""

    lang: str
    entries: dict[str, KnownEntity]  # node id -> entry
    names: dict[str, str]  # folded surface form -> node id
    forms: dict[str, set[str]]  # node id -> surface forms as written (NER patterns)
    capitals: dict[str, str]  # folded capital -> state node id
    institutions: dict[str, str]  # folded "Kremlin" -> state node id
    demonyms: dict[str, str]  # folded "nord-coréenne" -> state node id
    gentiles: dict[str, str]  # folded "Nord-Coréens" -> state node id
    honorifics: frozenset[str]
    roles: dict[str, str]  # folded title -> role key
    portfolios: dict[str, str]  # folded "des affaires etrangeres" -> key
    portfolio_words: frozenset[str]  # the nouns and adjectives of the portfolios ("affaires", "etrangeres")
    junk: frozenset[str]
    strip_prefixes: frozenset[str]  # "agence", "Etat": generic words glued to a name by NER
    group_nouns: frozenset[str]  # "armée", "forces": with a demonym, the state as an actor
    caption_markers: frozenset[str]
    credit_openers: frozenset[str]  # first words of a verbless byline or credit ("par", "avec notre")
    credit_joiners: frozenset[str]  # the words a line of names in a byline may hold besides names ("et", "/")
    determiners: frozenset[str]  # stripped from the start of a name span
    of_prepositions: frozenset[str]  # "de", "du", "des": a name's complement ("ministre des Armées")
    of_prepositions_singular: frozenset[str]  # the same without the plural ("Conseil de sécurité de la Russie")
    acronym_stopwords: frozenset[str]  # function words an acronym skips ("OTAN" of "Organisation du traité...")
    institution_heads: frozenset[str]  # first nouns of an institution's name ("ministère", "commission")
    place_cues: frozenset[str]  # prepositions and place nouns before a city named as a place ("à", "capitale")
    place_relatives: frozenset[str]  # a relative word after a city named as a place ("Lima, où…")
    named_after_place: frozenset[str]  # nouns named after the city they were held in ("le traité de Rome")
    instrument_nouns: frozenset[str]  # an agreement or a facility whose bracketed name is not an entity
    plural_endings: frozenset[str]  # the last letter of a plural noun ("Parlements")
    company_nouns: frozenset[str]  # nouns before a company's name ("le groupe français Havas")
    movement_words: frozenset[str]  # "arriver", "partir": with "de", the city after them is a place
    media_nouns: frozenset[str]  # "agence", "quotidien": the name after them is a news organisation
    facility_nouns: frozenset[str]  # "aéroport", "palais": with the name after them, a place ("l'aéroport X")
    unit_nouns: frozenset[str]  # "régiment", "bataillon": after an ordinal ("le 3e régiment"), a military unit
    place_first_names: frozenset[str]  # place names that are also first names ("Dominique", "Maurice")
    portfolio_prepositions: frozenset[str]  # "au", "à l'": before each portfolio of a minister's list
    portfolio_roles: frozenset[str]  # role keys whose title takes portfolios ("minister")
    organization_forms: frozenset[str]  # "Front", "Corporation": a short form of the name drops them

    def lookup(self, surface: str) -> KnownEntity | None:
        node = self.names.get(fold(surface))
        return self.entries[node] if node else None

    def state_for_actor(self, surface: str) -> KnownEntity | None:
        """The state a capital or an institution stands for ("Moscou", "le Kremlin" -> Russie)."""
        key = fold(surface)
        node = self.capitals.get(key) or self.institutions.get(key)
        return self.entries.get(node) if node else None


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


@dataclass(slots=True)
class _Gazetteer:
    """The gazetteer tables while the JSONL files are read (the first file naming a form wins)."""

    entries: dict[str, KnownEntity]
    names: dict[str, str]
    forms: dict[str, set[str]]
    capitals: dict[str, str]
    institutions: dict[str, str]
    demonyms: dict[str, str]
    gentiles: dict[str, str]

    def add(self, row: dict[str, Any], place: str) -> None:
        type_ = string(row, "type", place, default="LOC")
        node = f"{_NODE_PREFIX.get(type_, 'misc')}:{string(row, 'id', place)}"
        label = string(row, "label", place)
        country = row.get("country")
        self.entries[node] = KnownEntity(
            id=node,
            label=label,
            type=type_,
            country=f"gpe:{country}" if country else None,
            agency=bool(row.get("agency")),
        )
        surfaces = {label, *strings(row, "names", place, required=False)}
        for surface in surfaces:
            self.names.setdefault(fold(surface), node)
        # all-caps spellings of agencies and acronyms ("TASS", "KCNA") are written forms too
        surfaces |= {n.upper() for n in surfaces if len(n.split()) == 1 and len(n) >= 3}
        self.forms.setdefault(node, set()).update(n for n in surfaces if len(n) >= 2)
        for key, table in (
            ("capitals", self.capitals),
            ("institutions", self.institutions),
            ("demonyms", self.demonyms),
            ("gentiles", self.gentiles),
        ):
            for surface in strings(row, key, place, required=False):
                table.setdefault(fold(surface), node)


def _gazetteer(files: PackFiles) -> _Gazetteer:
    gazetteer = _Gazetteer({}, {}, {}, {}, {}, {}, {})
    for file in GAZETTEERS:
        for number, row in enumerate(files.read_jsonl(file), 1):
            gazetteer.add(row, f"{files.where(file)}: row {number}")
    return gazetteer


def read_lexicon(files: PackFiles) -> Lexicon:
    """Read the entity files of a language pack (LanguageError naming the file when one is missing or bad)."""
    g = _gazetteer(files)
    titles, junk, mentions = (files.read_json(f) for f in ("titles.json", "junk.json", "mentions.json"))
    at_titles, at_junk, at_mentions = (files.where(f) for f in ("titles.json", "junk.json", "mentions.json"))

    def words(key: str) -> frozenset[str]:
        return _folded(strings(mentions, key, at_mentions))

    return Lexicon(
        lang=files.code,
        entries=g.entries,
        names=g.names,
        forms=g.forms,
        capitals=g.capitals,
        institutions=g.institutions,
        demonyms=g.demonyms,
        gentiles=g.gentiles,
        honorifics=_folded(strings(titles, "honorifics", at_titles)),
        roles={fold(k): v for k, v in string_map(titles, "roles", at_titles).items()},
        portfolios={fold(k): v for k, v in string_map(titles, "portfolios", at_titles).items()},
        portfolio_words=frozenset(
            w
            for k in string_map(titles, "portfolios", at_titles)
            for w in fold(k).replace("'", "' ").split()[1:]  # "de l'economie": "economie" is a word of it
            if len(w) > 3
        ),
        junk=_folded(strings(junk, "exact", at_junk)),
        strip_prefixes=_folded(strings(junk, "strip_prefixes", at_junk)),
        group_nouns=_folded(strings(titles, "group_nouns", at_titles)),
        caption_markers=_folded(strings(junk, "caption_markers", at_junk)),
        credit_openers=_folded(strings(junk, "credit_openers", at_junk)),
        credit_joiners=_folded(strings(junk, "credit_joiners", at_junk)),
        determiners=words("determiners"),
        of_prepositions=words("of_prepositions"),
        of_prepositions_singular=words("of_prepositions_singular"),
        acronym_stopwords=words("acronym_stopwords"),
        institution_heads=words("institution_heads"),
        place_cues=words("place_cues"),
        place_relatives=words("place_relatives"),
        named_after_place=words("named_after_place"),
        instrument_nouns=words("instrument_nouns"),
        plural_endings=words("plural_endings"),
        company_nouns=words("company_nouns"),
        movement_words=words("movement_words"),
        media_nouns=words("media_nouns"),
        unit_nouns=words("unit_nouns"),
        facility_nouns=words("facility_nouns"),
        organization_forms=words("organization_forms"),
        portfolio_prepositions=words("portfolio_prepositions"),
        place_first_names=words("place_first_names"),
        portfolio_roles=frozenset(strings(mentions, "portfolio_roles", at_mentions)),
    )
