"""Relation patterns kept as data (kgraph/patterns/<lang>.json, plus a user's --patterns file)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kgraph.errors import PatternError
from kgraph.text import fold

ROLES = frozenset(
    {
        "agent",
        "patient",
        "with",
        "recipient",
        "destination",
        "against",
        "by",
        "of",
        "of_actor",
        "between",
        "beside",
        "compound",
        "possessive",
        "antecedent",
        "clause_place",
        "demonym",
        "relative_subject",
        "clause_subject",
        "in_country",
    }
)
ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "EVENT", "MISC"})


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


def _parse_pattern(raw: Any, where: str) -> RelationPattern:
    if not isinstance(raw, dict):
        raise PatternError(f"{where}: each relation pattern must be an object")
    missing = [k for k in ("id", "relation", "pos", "lemmas") if k not in raw]
    if missing:
        raise PatternError(f"{where}: pattern {raw.get('id', '?')!r} lacks {', '.join(missing)}")
    pid = raw["id"]
    if raw["pos"] not in ("verb", "noun"):
        raise PatternError(f"{where}: pattern {pid!r}: pos must be 'verb' or 'noun', not {raw['pos']!r}")
    relation = str(raw["relation"])
    if not relation.replace("_", "").isalnum() or relation != relation.lower():
        raise PatternError(f"{where}: pattern {pid!r}: relation must be snake_case, not {relation!r}")
    if not isinstance(raw["lemmas"], list) or not raw["lemmas"]:
        raise PatternError(f"{where}: pattern {pid!r}: lemmas must be a non-empty list")
    default_source = ["agent"] if raw["pos"] == "verb" else ["of"]
    default_target = ["patient"] if raw["pos"] == "verb" else ["recipient", "against"]
    source = tuple(raw.get("source", default_source))
    target = tuple(raw.get("target", default_target))
    bad = [r for r in (*source, *target) if r not in ROLES]
    if bad:
        raise PatternError(f"{where}: pattern {pid!r}: unknown role {bad[0]!r}; choose from {', '.join(sorted(ROLES))}")
    types = raw.get("target_types")
    if types is not None and not set(types) <= ENTITY_TYPES:
        raise PatternError(f"{where}: pattern {pid!r}: target_types must be among {', '.join(sorted(ENTITY_TYPES))}")
    return RelationPattern(
        id=str(pid),
        relation=relation,
        label=str(raw.get("label", relation)),
        pos=raw["pos"],
        lemmas=frozenset(fold(x) for x in raw["lemmas"]),
        raw_lemmas=tuple(x.lower() for x in raw["lemmas"]),
        agent_from_clause=bool(raw.get("agent_from_clause", False)),
        implies=tuple(
            (
                str(i["relation"]),
                str(i.get("label", i["relation"])),
                str(i.get("from", "target")),
                str(i.get("to", "place")),
            )
            for i in raw.get("implies", [])
        ),
        source=source,
        target=target,
        target_types=frozenset(types) if types else None,
        pair_subjects=bool(raw.get("pair_subjects", False)),
        requires_object=frozenset(fold(x) for x in raw.get("requires_object", [])),
        requires=tuple(sorted((fold(k), fold(v)) for k, v in raw.get("requires", {}).items())),
    )


def _read(text: str, where: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PatternError(f"{where}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("relations", []), list):
        raise PatternError(f"{where}: expected an object with a 'relations' list")
    return data


def load_patterns(language: str = "fr", extra: Path | None = None) -> PatternSet:
    """The built-in patterns of a language, extended (or overridden by id) by a user's pattern file."""
    base_path = resources.files("kgraph") / "lang" / language / "patterns.json"
    if not base_path.is_file():
        raise PatternError(f"no built-in relation patterns for language {language!r}")
    base_text = base_path.read_text(encoding="utf-8")
    base = _read(base_text, f"patterns/{language}.json")
    patterns = {p.id: p for p in (_parse_pattern(r, f"patterns/{language}.json") for r in base["relations"])}
    digest = hashlib.sha256(base_text.encode())
    if extra is not None:
        try:
            extra_text = Path(extra).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PatternError(f"{extra}: cannot read pattern file ({exc})") from exc
        user = _read(extra_text, str(extra))
        for raw in user.get("relations", []):
            pattern = _parse_pattern(raw, str(extra))
            patterns[pattern.id] = pattern
        digest.update(extra_text.encode())
    verbs: dict[str, list[RelationPattern]] = {}
    nouns: dict[str, list[RelationPattern]] = {}
    for pattern in patterns.values():
        index = verbs if pattern.pos == "verb" else nouns
        for lemma in pattern.lemmas:
            index.setdefault(lemma, []).append(pattern)
    preps = {k: tuple(fold(p) for p in v) for k, v in base.get("prepositions", {}).items()}
    return PatternSet(
        language=language,
        version=digest.hexdigest()[:16],
        prepositions=preps,
        attribution=frozenset(fold(x) for x in base.get("attribution", [])),
        reporting_verbs=frozenset(fold(x) for x in base.get("reporting_verbs", [])),
        report_sources=frozenset(fold(x) for x in base.get("report_sources", [])),
        negations=frozenset(fold(x) for x in base.get("negations", [])),
        denials=frozenset(fold(x) for x in base.get("denials", [])),
        hedges=frozenset(fold(x) for x in base.get("hedges", [])),
        light_verbs=frozenset(fold(x) for x in base.get("light_verbs", [])),
        noun_hedges=frozenset(fold(x) for x in base.get("noun_hedges", [])),
        etre_verbs=frozenset(fold(x) for x in base.get("etre_verbs", [])),
        object_control=frozenset(fold(x) for x in base.get("object_control", [])),
        appoint_object=frozenset(fold(x) for x in base.get("appointments", {}).get("object", [])),
        appoint_subject=frozenset(fold(x) for x in base.get("appointments", {}).get("subject", [])),
        company_nouns=frozenset(fold(x) for x in base.get("company_nouns", [])),
        verb_forms={
            form: fold(lemma)
            for p in patterns.values()
            if p.pos == "verb"
            for lemma in p.raw_lemmas
            for form in _regular_forms(lemma)
        },
        verbs={k: tuple(v) for k, v in verbs.items()},
        nouns={k: tuple(v) for k, v in nouns.items()},
    )


def _regular_forms(lemma: str) -> list[str]:
    """Participles and finite forms of a regular -er/-ir verb, lowercase with accents ("frapper" -> "frappé").

    The French tagger sometimes reads a participle as a noun and lemmatises it as such; these forms let
    the extractor still see the verb. Accents are kept so that "frappé" never matches the noun "frappe".
    """
    if " " in lemma or "'" in lemma or not lemma.isalpha():
        return []
    if lemma.endswith("er") and len(lemma) > 3:
        return [lemma[:-2] + e for e in ("é", "ée", "és", "ées", "ait", "aient", "era", "eront")]
    if lemma.endswith("ir") and len(lemma) > 3:
        return [lemma[:-2] + e for e in ("i", "ie", "is", "ies", "it", "issent", "issait")]
    return []
