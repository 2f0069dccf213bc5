"""The grammar words, edge labels and dependency labels the relation rules read, from `kgraph/lang/<code>/`.

`grammar.json` names each word list for its linguistic job (relative pronouns, place prepositions, …);
`labels.json` holds the labels the built-in rules write on edges; `dependencies.json` maps the grammatical
roles the rules read to the dependency labels of the language's spaCy pipelines. Everything is read here,
once per language, through the pack's own reader; a missing or malformed file, or a missing key, is an error
naming the file (`GrammarError`, a kind of `LanguageError`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from kgraph.errors import GrammarError
from kgraph.lang.files import builtin_pack
from kgraph.text import fold

Words = frozenset[str]


@dataclass(frozen=True, slots=True)
class Dependencies:
    """Dependency labels behind each role the rules read (spaCy's French labels for `fr`)."""

    subject: Words
    subject_prefix: str  # every kind of subject starts with it ("nsubj", "nsubj:pass")
    subjects: Words
    passive_subject: Words
    expletive_subject: Words  # the small parse's label for a personal "il" it takes for an impersonal one
    passive_agent: Words
    passive_auxiliary: Words
    auxiliary_prefix: str
    object: Words
    objects: Words
    clitic_objects: Words
    complements: Words
    clausal_complements: Words
    embedded_clauses: Words
    chained_verbs: Words
    conjunct: Words  # a coordinated word hangs on the first of its list ("ministre et proche de X": "proche")
    clausal_modifier: Words
    relative_clause: Words
    adjective_attachments: Words
    adjectival_modifier: Words  # the label of an adjective under its noun
    nominal_modifier: Words
    apposition: Words
    determiner: Words
    case_markers: Words
    marker: Words
    negation_attachments: Words
    root: Words

    def is_subject(self, dep: str) -> bool:
        return dep.startswith(self.subject_prefix)

    def is_auxiliary(self, dep: str) -> bool:
        return dep.startswith(self.auxiliary_prefix)


@dataclass(frozen=True, slots=True)
class HeadOfPost:
    """ "à la tête de", "à la présidence de": a post named by what it leads."""

    nouns: Words
    article: str
    prepositions: Words


@dataclass(frozen=True, slots=True)
class Grammar:
    """Folded grammar words of one language, each set named for its job in the rules."""

    language: str
    clause_breaks: Words  # compared with the token as written
    coordination: Words
    relative_pronouns: Words
    relatives_without_antecedent: Words
    object_relatives: Words
    genitive_relatives: Words
    subject_pronouns: dict[str, str]  # pronoun -> "person", "any" (person, state or organisation) or "plural"
    object_clitics: Words
    reflexive_clitics: Words
    possessive_determiners: Words
    plural_possessive_determiners: Words
    definite_determiners: Words
    generic_determiners: Words  # "toute agression contre X": any one, no event that took place
    contracted_articles: Words
    demonstrative_pronouns: Words
    demonstrative_determiners: Words  # "cette offensive": the event the previous sentence told
    governing_prepositions: Words
    agent_prepositions: tuple[str, ...]
    against_prepositions: tuple[str, ...]
    beside_locution: tuple[str, ...]  # its words: ("aux", "cotes", "de")
    place_prepositions: Words
    dative_prepositions: Words  # "à la Russie": a recipient, not a place
    country_prepositions: tuple[str, ...]
    area_prepositions: Words
    containment_prepositions: Words
    place_phrase_endings: Words
    coordination_prepositions: Words
    purpose_markers: Words
    negation_particles: Words
    number_two: Words
    both_pronouns: Words
    host_nouns: Words
    counterpart_nouns: Words
    counterpart_bare_nouns: Words
    head_participles: Words
    partitive_relatives: Words
    pair_nouns: Words
    pair_nouns_not_persons: Words
    country_nouns: Words
    place_nouns: Words
    place_participles: Words
    seat_participles: Words  # lemmas: "basé à X", "fondé à X", "coté à X" give an organisation's seat
    street_nouns: Words  # "avenue", "rue": a place so named after "CITY, sur la" is in that city
    city_prepositions: Words  # "le 4e régiment de Gap": the bare "de" before a city (not "du Tigré")
    condemning_adjectives: Words  # lemmas: "la décision de X est inacceptable"
    judging_verbs: Words  # lemmas reporting a judgement: "«…est inacceptable», a martelé X"
    owned_nouns: Words  # an act or stance of the "de X" it names: "condamne la position de X"
    member_nouns: Words  # people or places of the "de X" they name: "vise des dirigeants du groupe X"
    ally_nouns: Words  # "des alliés de longue date de X"
    follower_nouns: Words  # "Y, un fidèle du président X": Y supports X
    located_class_nouns: Words  # "l'agence russe X", "X, station balnéaire russe": X is in the demonym's state
    location_heads: Words
    title_modifiers: Words
    head_of_post: HeadOfPost
    split_attribution: frozenset[tuple[str, str]]
    media_nouns: Words
    agency_nouns: Words
    outlet_prepositions: Words  # "a déclaré pour l'agence X": the outlet a statement was given to
    joint_event_nouns: Words  # nouns that are a meeting when marked joint ("une conférence de presse commune")
    joint_event_markers: Words
    troop_nouns: Words  # "plus de 3 000 soldats rwandais ont pénétré dans X": troops standing for their state
    companion_verbs: Words  # lemmas: "X, accompagné de son épouse Y, a été reçu à P": Y is received too
    earlier_stop_prepositions: Words  # "Après Paris et Bruxelles, X est arrivé à Varsovie": earlier stops
    place_relatives: Words  # "Brasilia, où X a été reçu": the relative pronoun standing for a place
    government_roles: Words  # role keys of a state's government (a portfolio's "<key>_minister" is one too)
    government_nouns: Words  # "le gouvernement malien": the government named by its state
    complement_prepositions: Words  # "ministre de l'Agriculture", "délégué aux PME": a title's complement
    title_breaking_prepositions: Words  # "le président du Venezuela, lors d'une conférence avec M. X": no title of X
    verb_endings: dict[str, tuple[str, ...]]  # infinitive ending -> endings of its participles and finite forms
    receipt_verbs: Words  # lemmas: "X a reçu des avions russes": the demonym's state supplied X
    supplied_goods: Words  # lemmas of the things a state supplies ("avion", "arme", "gaz")
    granting_verbs: Words  # lemmas: "X a approuvé un prêt pour Y": X supplies Y
    beneficiary_prepositions: tuple[str, ...]  # "une enveloppe de prêts pour la Moldavie": whom a supply is for
    labels: dict[str, str]  # built-in rule id -> label written on its edges
    deps: Dependencies

    @property
    def beside(self) -> str:
        """The locution as `preposition_before` reports it ("aux cotes de")."""
        return " ".join(self.beside_locution)

    def label(self, rule: str) -> str:
        try:
            return self.labels[rule]
        except KeyError:
            raise GrammarError(f"lang/{self.language}/labels.json: no label for the rule {rule!r}") from None


_RAW = frozenset({"clause_breaks", "government_roles"})  # compared as written (text, role keys): not folded
_ORDERED = frozenset(
    {
        "agent_prepositions",
        "against_prepositions",
        "beneficiary_prepositions",
        "country_prepositions",
        "beside_locution",
        "verb_endings",
    }
)


def _read(language: str, name: str) -> tuple[str, dict[str, Any]]:
    pack = builtin_pack(language)
    return pack.where(name), pack.read_json(name)


def _take(data: dict[str, Any], key: str, where: str, kind: type) -> Any:
    if key not in data:
        raise GrammarError(f"{where}: missing key {key!r}")
    value: Any = data[key]
    well_formed = isinstance(value, kind)
    if well_formed and kind is list:
        well_formed = all(isinstance(x, (str, list)) for x in data[key])
    if not well_formed:
        raise GrammarError(f"{where}: {key!r} must be a {kind.__name__}")
    if kind in (list, str, dict) and not value:
        raise GrammarError(f"{where}: {key!r} is empty")
    return value


def _words(values: list[str], *, raw: bool = False) -> frozenset[str]:
    return frozenset(values) if raw else frozenset(fold(v) for v in values)


def _no_unknown_keys(data: dict[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(k for k in data if k not in known and not k.startswith("_"))
    if unknown:
        raise GrammarError(f"{where}: unknown key {unknown[0]!r}; valid keys: {', '.join(sorted(known))}")


def _dependencies(language: str) -> Dependencies:
    where, data = _read(language, "dependencies.json")
    _no_unknown_keys(data, {f.name for f in fields(Dependencies)}, where)
    values: dict[str, Any] = {}
    for f in fields(Dependencies):
        if f.name.endswith("_prefix"):
            values[f.name] = _take(data, f.name, where, str)
        else:
            values[f.name] = frozenset(str(x) for x in _take(data, f.name, where, list))
    return Dependencies(**values)


def _labels(language: str) -> dict[str, str]:
    where, data = _read(language, "labels.json")
    labels = {k: v for k, v in data.items() if not k.startswith("_")}
    bad = [k for k, v in labels.items() if not isinstance(v, str) or not v]
    if bad:
        raise GrammarError(f"{where}: the label of {bad[0]!r} must be a non-empty string")
    return labels


def _word_field(name: str, data: dict[str, Any], where: str) -> Any:
    """One grammar field in the shape the dataclass holds it."""
    if name == "subject_pronouns":
        return {fold(k): str(v) for k, v in _take(data, name, where, dict).items()}
    if name == "head_of_post":
        raw = _take(data, name, where, dict)
        missing = [k for k in ("nouns", "article", "prepositions") if k not in raw]
        if missing:
            raise GrammarError(f"{where}: 'head_of_post' lacks {', '.join(missing)}")
        return HeadOfPost(_words(raw["nouns"]), fold(raw["article"]), _words(raw["prepositions"]))
    if name == "split_attribution":
        pairs = _take(data, name, where, list)
        if not all(isinstance(p, list) and len(p) == 2 for p in pairs):
            raise GrammarError(f"{where}: 'split_attribution' must be a list of [first word, second word] pairs")
        return frozenset((fold(a), fold(b)) for a, b in pairs)
    if name == "verb_endings":
        raw = _take(data, name, where, dict)
        return {k: tuple(str(e) for e in v) for k, v in raw.items()}  # kept with accents: "frappé", not "frappe"
    if name == "beside_locution":
        return tuple(fold(_take(data, name, where, str)).split(" "))
    values = _take(data, name, where, list)
    if name in _ORDERED:
        return tuple(fold(v) for v in values)
    return _words(values, raw=name in _RAW)


@cache
def load_grammar(language: str) -> Grammar:
    """The grammar of `language` (cached: the files are read once per process)."""
    where, data = _read(language, "grammar.json")
    _no_unknown_keys(data, {f.name for f in fields(Grammar)} - {"language", "labels", "deps"}, where)
    values: dict[str, Any] = {"language": language, "labels": _labels(language), "deps": _dependencies(language)}
    for f in fields(Grammar):
        if f.name not in values:
            values[f.name] = _word_field(f.name, data, where)
    return Grammar(**values)
