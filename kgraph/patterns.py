"""Relation patterns kept as data (kgraph/lang/<code>/patterns.json, plus a user's --patterns file).

Every level of a file is checked against its documented keys (kgraph/lang/fr/PATTERNS.md); the argument
roles a pattern may name are the keys of the relation engine's role registry.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kgraph.errors import PatternError
from kgraph.models import ENTITY_TYPES
from kgraph.text import fold

# the documented keys of each level of a pattern file
PATTERN_KEYS = frozenset(
    {
        "id",
        "relation",
        "label",
        "pos",
        "lemmas",
        "source",
        "target",
        "target_types",
        "pair_subjects",
        "requires",
        "requires_object",
        "implies",
        "agent_from_clause",
    }
)
IMPLIES_KEYS = frozenset({"relation", "label", "from", "to"})
APPOINTMENTS_KEYS = frozenset({"object", "subject"})
_WORD_LISTS = (
    "attribution",
    "reporting_verbs",
    "report_sources",
    "negations",
    "denials",
    "hedges",
    "light_verbs",
    "noun_hedges",
    "etre_verbs",
    "object_control",
    "company_nouns",
)
BUILTIN_KEYS = frozenset({"language", "version", "relations", "prepositions", "appointments", *_WORD_LISTS})
USER_KEYS = frozenset({"relations"})  # a user's file adds patterns; the language's word lists stay built in


@dataclass(frozen=True, slots=True)
class RelationPattern:
    id: str
    relation: str
    label: str
    pos: str  # "verb" or "noun"
    lemmas: frozenset[str]
    source: tuple[str, ...]
    target: tuple[str, ...]
    target_types: frozenset[str] | None = None
    pair_subjects: bool = False
    requires_object: frozenset[str] = frozenset()
    requires: tuple[tuple[str, str], ...] = ()
    raw_lemmas: tuple[str, ...] = ()
    implies: tuple[tuple[str, str, str, str], ...] = ()
    agent_from_clause: bool = (
        False  # a noun whose agent is the subject of the clause it sits in  # (relation, label, from role, to role)
    )


@dataclass(frozen=True, slots=True)
class PatternSet:
    language: str
    version: str  # content hash: changes whenever a pattern changes (part of the cache key)
    prepositions: dict[str, tuple[str, ...]]
    attribution: frozenset[str]
    reporting_verbs: frozenset[str]
    report_sources: frozenset[str]
    negations: frozenset[str]
    denials: frozenset[str]
    hedges: frozenset[str]
    light_verbs: frozenset[str]
    noun_hedges: frozenset[str]
    appoint_object: frozenset[str]  # "a nommé X ministre": the object takes the title
    appoint_subject: frozenset[str]  # "X a pris ses fonctions de…", "X devient…": the subject takes it
    company_nouns: frozenset[str]  # "le groupe", "l'avionneur": a company named earlier
    object_control: frozenset[str]  # "aider X à reprendre": X is the subject of the infinitive
    etre_verbs: frozenset[str]  # verbs whose compound past takes "être": "est arrivé" is not a passive
    verb_forms: dict[str, str]  # inflected form -> lemma, for verbs the tagger mistakes for nouns
    verbs: dict[str, tuple[RelationPattern, ...]]
    nouns: dict[str, tuple[RelationPattern, ...]]

    @property
    def patterns(self) -> list[RelationPattern]:
        seen: dict[str, RelationPattern] = {}
        for group in (*self.verbs.values(), *self.nouns.values()):
            for pattern in group:
                seen[pattern.id] = pattern
        return list(seen.values())


def _role_names() -> frozenset[str]:
    from kgraph.relations.roles import ROLE_RESOLVERS  # the registry is the list of valid roles

    return frozenset(ROLE_RESOLVERS)


def _check_keys(raw: dict[str, Any], allowed: frozenset[str], where: str, what: str) -> None:
    unknown = sorted(k for k in raw if k not in allowed)
    if unknown:
        raise PatternError(f"{where}: {what}: unknown key {unknown[0]!r}; valid keys: {', '.join(sorted(allowed))}")


def _strings(raw: dict[str, Any], key: str, where: str, what: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise PatternError(f"{where}: {what}: {key} must be a list of strings")
    return value


def _check_roles(roles: tuple[str, ...], where: str, what: str) -> None:
    valid = _role_names()
    bad = [r for r in roles if r not in valid]
    if bad:
        raise PatternError(f"{where}: {what}: unknown role {bad[0]!r}; choose from {', '.join(sorted(valid))}")


def _parse_implies(raw: Any, where: str, what: str) -> tuple[str, str, str, str]:
    if not isinstance(raw, dict) or "relation" not in raw:
        raise PatternError(f"{where}: {what}: each 'implies' entry must be an object with a 'relation'")
    _check_keys(raw, IMPLIES_KEYS, where, f"{what}, 'implies' entry")
    origin, place = str(raw.get("from", "target")), str(raw.get("to", "place"))
    if origin not in ("source", "target") or place != "place":
        raise PatternError(f"{where}: {what}: 'implies' goes from 'source' or 'target' to 'place'")
    return str(raw["relation"]), str(raw.get("label", raw["relation"])), origin, place


def _parse_pattern(raw: Any, where: str) -> RelationPattern:
    if not isinstance(raw, dict):
        raise PatternError(f"{where}: each relation pattern must be an object")
    missing = [k for k in ("id", "relation", "pos", "lemmas") if k not in raw]
    if missing:
        raise PatternError(f"{where}: pattern {raw.get('id', '?')!r} lacks {', '.join(missing)}")
    pid = raw["id"]
    what = f"pattern {pid!r}"
    _check_keys(raw, PATTERN_KEYS, where, what)
    if raw["pos"] not in ("verb", "noun"):
        raise PatternError(f"{where}: {what}: pos must be 'verb' or 'noun', not {raw['pos']!r}")
    relation = str(raw["relation"])
    if not relation.replace("_", "").isalnum() or relation != relation.lower():
        raise PatternError(f"{where}: {what}: relation must be snake_case, not {relation!r}")
    lemmas = _strings(raw, "lemmas", where, what)
    if not lemmas:
        raise PatternError(f"{where}: {what}: lemmas must be a non-empty list")
    default_source = ["agent"] if raw["pos"] == "verb" else ["of"]
    default_target = ["patient"] if raw["pos"] == "verb" else ["recipient", "against"]
    source = tuple(_strings({"source": default_source, **raw}, "source", where, what))
    target = tuple(_strings({"target": default_target, **raw}, "target", where, what))
    _check_roles((*source, *target), where, what)
    types = raw.get("target_types")
    if types is not None and (not isinstance(types, list) or not set(types) <= set(ENTITY_TYPES)):
        raise PatternError(f"{where}: {what}: target_types must be among {', '.join(ENTITY_TYPES)}")
    requires = raw.get("requires", {})
    if not isinstance(requires, dict) or not all(isinstance(v, str) for v in requires.values()):
        raise PatternError(f"{where}: {what}: requires must be an object of lemma: word")
    implies = raw.get("implies", [])
    if not isinstance(implies, list):
        raise PatternError(f"{where}: {what}: implies must be a list")
    return RelationPattern(
        id=str(pid),
        relation=relation,
        label=str(raw.get("label", relation)),
        pos=raw["pos"],
        lemmas=frozenset(fold(x) for x in lemmas),
        raw_lemmas=tuple(x.lower() for x in lemmas),
        agent_from_clause=bool(raw.get("agent_from_clause", False)),
        implies=tuple(_parse_implies(i, where, what) for i in implies),
        source=source,
        target=target,
        target_types=frozenset(types) if types else None,
        pair_subjects=bool(raw.get("pair_subjects", False)),
        requires_object=frozenset(fold(x) for x in _strings(raw, "requires_object", where, what)),
        requires=tuple(sorted((fold(k), fold(v)) for k, v in requires.items())),
    )


def _read(text: str, where: str, allowed: frozenset[str]) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PatternError(f"{where}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("relations", []), list):
        raise PatternError(f"{where}: expected an object with a 'relations' list")
    _check_keys(data, allowed, where, "top level")
    return data


def _check_language_lists(base: dict[str, Any], where: str) -> None:
    """The built-in file's prepositions (per registered role), word lists and appointment verbs."""
    prepositions = base.get("prepositions", {})
    if not isinstance(prepositions, dict):
        raise PatternError(f"{where}: prepositions must be an object of role: [prepositions]")
    _check_roles(tuple(prepositions), where, "prepositions")
    for role in prepositions:
        _strings(prepositions, role, where, "prepositions")
    for key in _WORD_LISTS:
        _strings(base, key, where, "top level")
    appointments = base.get("appointments", {})
    if not isinstance(appointments, dict):
        raise PatternError(f"{where}: appointments must be an object")
    _check_keys(appointments, APPOINTMENTS_KEYS, where, "appointments")
    for key in APPOINTMENTS_KEYS:
        _strings(appointments, key, where, "appointments")


def _index(
    patterns: dict[str, RelationPattern], pos: str, user_ids: set[str]
) -> dict[str, tuple[RelationPattern, ...]]:
    """Patterns by trigger lemma. A user pattern that claims a lemma replaces the built-in patterns of the same
    part of speech for that lemma ("sanction" then triggers the user's type only, not also a built-in one)."""
    index: dict[str, list[RelationPattern]] = {}
    for pattern in patterns.values():
        if pattern.pos == pos:
            for lemma in pattern.lemmas:
                index.setdefault(lemma, []).append(pattern)
    for lemma, group in index.items():
        if any(p.id in user_ids for p in group):
            index[lemma] = [p for p in group if p.id in user_ids]
    return {k: tuple(v) for k, v in index.items()}


def _words(base: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(fold(x) for x in base.get(key, []))


def load_patterns(language: str = "fr", extra: Path | None = None) -> PatternSet:
    """The built-in patterns of a language, extended (or overridden by id) by a user's pattern file."""
    base_path = resources.files("kgraph") / "lang" / language / "patterns.json"
    if not base_path.is_file():
        raise PatternError(f"no built-in relation patterns for language {language!r}")
    where = f"lang/{language}/patterns.json"
    base_text = base_path.read_text(encoding="utf-8")
    base = _read(base_text, where, BUILTIN_KEYS)
    _check_language_lists(base, where)
    patterns = {p.id: p for p in (_parse_pattern(r, where) for r in base["relations"])}
    digest = hashlib.sha256(base_text.encode())
    user_ids: set[str] = set()
    if extra is not None:
        try:
            extra_text = Path(extra).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PatternError(f"{extra}: cannot read pattern file ({exc})") from exc
        user = _read(extra_text, str(extra), USER_KEYS)
        for raw in user.get("relations", []):
            pattern = _parse_pattern(raw, str(extra))
            patterns[pattern.id] = pattern
            user_ids.add(pattern.id)
        digest.update(extra_text.encode())
    preps = {k: tuple(fold(p) for p in v) for k, v in base.get("prepositions", {}).items()}
    appointments = base.get("appointments", {})
    return PatternSet(
        language=language,
        version=digest.hexdigest()[:16],
        prepositions=preps,
        attribution=_words(base, "attribution"),
        reporting_verbs=_words(base, "reporting_verbs"),
        report_sources=_words(base, "report_sources"),
        negations=_words(base, "negations"),
        denials=_words(base, "denials"),
        hedges=_words(base, "hedges"),
        light_verbs=_words(base, "light_verbs"),
        noun_hedges=_words(base, "noun_hedges"),
        etre_verbs=_words(base, "etre_verbs"),
        object_control=_words(base, "object_control"),
        appoint_object=_words(appointments, "object"),
        appoint_subject=_words(appointments, "subject"),
        company_nouns=_words(base, "company_nouns"),
        verb_forms=_verb_forms(language, patterns),
        verbs=_index(patterns, "verb", user_ids),
        nouns=_index(patterns, "noun", user_ids),
    )


def _verb_forms(language: str, patterns: dict[str, RelationPattern]) -> dict[str, str]:
    """Inflected form -> folded lemma, for the verbs of the patterns."""
    from kgraph.lang.grammar import load_grammar

    endings = load_grammar(language).verb_endings
    return {
        form: fold(lemma)
        for p in patterns.values()
        if p.pos == "verb"
        for lemma in p.raw_lemmas
        for form in _regular_forms(lemma, endings)
    }


def _regular_forms(lemma: str, endings: dict[str, tuple[str, ...]]) -> list[str]:
    """Participles and finite forms of a regular verb, lowercase with accents ("frapper" -> "frappé"), from the
    language's infinitive endings (grammar.json "verb_endings").

    The French tagger sometimes reads a participle as a noun and lemmatises it as such; these forms let
    the extractor still see the verb. Accents are kept so that "frappé" never matches the noun "frappe".
    """
    if " " in lemma or "'" in lemma or not lemma.isalpha():
        return []
    for infinitive, forms in endings.items():
        if lemma.endswith(infinitive) and len(lemma) > 3:
            return [lemma[: -len(infinitive)] + e for e in forms]
    return []
