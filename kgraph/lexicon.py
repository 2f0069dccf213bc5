"""Language knowledge kept as package data: gazetteers, titles, honorifics and junk lists (kgraph/data/<lang>/)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from kgraph.text import fold


@dataclass(frozen=True, slots=True)
class KnownEntity:
    """A gazetteer entry: its canonical node id, label and type."""

    id: str
    label: str
    type: str
    country: str | None = None
    agency: bool = False


@dataclass(slots=True)
class Lexicon:
    lang: str
    entries: dict[str, KnownEntity] = field(default_factory=dict)  # node id -> entry
    names: dict[str, str] = field(default_factory=dict)  # folded surface form -> node id
    forms: dict[str, set[str]] = field(default_factory=dict)  # node id -> surface forms as written (NER patterns)
    capitals: dict[str, str] = field(default_factory=dict)  # folded capital -> state node id
    institutions: dict[str, str] = field(default_factory=dict)  # folded "Kremlin" -> state node id
    demonyms: dict[str, str] = field(default_factory=dict)  # folded "nord-coréenne" -> state node id
    gentiles: dict[str, str] = field(default_factory=dict)  # folded "Nord-Coréens" -> state node id
    honorifics: frozenset[str] = frozenset()
    roles: dict[str, str] = field(default_factory=dict)  # folded title -> role key
    portfolios: dict[str, str] = field(default_factory=dict)  # folded "des affaires etrangeres" -> key
    junk: frozenset[str] = frozenset()
    strip_prefixes: frozenset[str] = frozenset()  # "agence", "Etat": generic words glued to a name by NER
    group_nouns: frozenset[str] = frozenset()  # "armée", "forces": with a demonym, the state as an actor
    caption_markers: frozenset[str] = frozenset()

    def lookup(self, surface: str) -> KnownEntity | None:
        node = self.names.get(fold(surface))
        return self.entries[node] if node else None

    def state_for_actor(self, surface: str) -> KnownEntity | None:
        """The state a capital or an institution stands for ("Moscou", "le Kremlin" -> Russie)."""
        key = fold(surface)
        node = self.capitals.get(key) or self.institutions.get(key)
        return self.entries.get(node) if node else None


def _jsonl(lang: str, name: str) -> list[dict]:
    path = resources.files("kgraph") / "data" / lang / name
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _json(lang: str, name: str) -> dict:
    path = resources.files("kgraph") / "data" / lang / name
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


@cache
def load_lexicon(lang: str = "fr") -> Lexicon:
    """Load (once per process) the knowledge files of a language."""
    lex = Lexicon(lang=lang)
    prefix = {"GPE": "gpe", "LOC": "loc", "ORG": "org"}
    for file in ("places.jsonl", "regions.jsonl", "organizations.jsonl"):
        for row in _jsonl(lang, file):
            node = f"{prefix.get(row.get('type', 'LOC'), 'misc')}:{row['id']}"
            country = row.get("country")
            entry = KnownEntity(
                id=node,
                label=row["label"],
                type=row.get("type", "LOC"),
                country=f"gpe:{country}" if country else None,
                agency=bool(row.get("agency")),
            )
            lex.entries[node] = entry
            surfaces = {row["label"], *row.get("names", [])}
            for surface in surfaces:
                lex.names.setdefault(fold(surface), node)
            # all-caps spellings of agencies and acronyms ("TASS", "KCNA") are written forms too
            surfaces |= {n.upper() for n in surfaces if len(n.split()) == 1 and len(n) >= 3}
            lex.forms.setdefault(node, set()).update(n for n in surfaces if len(n) >= 2)
            for capital in row.get("capitals", []):
                lex.capitals.setdefault(fold(capital), node)
            for inst in row.get("institutions", []):
                lex.institutions.setdefault(fold(inst), node)
            for dem in row.get("demonyms", []):
                lex.demonyms.setdefault(fold(dem), node)
            for gent in row.get("gentiles", []):
                lex.gentiles.setdefault(fold(gent), node)
    titles = _json(lang, "titles.json")
    lex.honorifics = frozenset(fold(h) for h in titles.get("honorifics", []))
    lex.roles = {fold(k): v for k, v in titles.get("roles", {}).items()}
    lex.portfolios = {fold(k): v for k, v in titles.get("portfolios", {}).items()}
    junk = _json(lang, "junk.json")
    lex.junk = frozenset(fold(j) for j in junk.get("exact", []))
    lex.caption_markers = frozenset(fold(j) for j in junk.get("caption_markers", []))
    lex.strip_prefixes = frozenset(fold(j) for j in junk.get("strip_prefixes", []))
    lex.group_nouns = frozenset(fold(j) for j in titles.get("group_nouns", []))
    return lex
