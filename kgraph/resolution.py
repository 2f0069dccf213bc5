"""Corpus-level entity resolution: merge the per-document entities of all records into global entities."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kgraph.models import DocEntity, DocRecord
from kgraph.names import name_tokens, same_person_name
from kgraph.text import fold, slug

# When documents disagree on a type, the more specific one wins over MISC.
_TYPE_RANK = {"PERSON": 5, "GPE": 5, "ORG": 4, "LOC": 3, "EVENT": 2, "MISC": 1}


def _dominant_type(types: Counter[str]) -> str:
    """The type most mentions give, a specific one outweighing MISC."""
    return max(types.items(), key=lambda kv: (kv[1] * _TYPE_RANK.get(kv[0], 1), kv[0]))[0]


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """What resolution reads of a `DocEntity`: its mentions counted, not kept."""

    key: int
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: int
    canonical: str | None = None

    @classmethod
    def of(cls, entity: DocEntity) -> EntitySummary:
        # interned: the same names, types and gazetteer ids recur in document after document
        return cls(
            key=entity.key,
            name=sys.intern(entity.name),
            type=sys.intern(entity.type),
            aliases=tuple(sys.intern(alias) for alias in entity.aliases),
            mentions=len(entity.mentions),
            canonical=None if entity.canonical is None else sys.intern(entity.canonical),
        )


@dataclass(frozen=True, slots=True)
class DocSummary:
    """The part of a `DocRecord` that resolution reads, without its mentions, relations and evidence: what a
    build keeps in memory of each document while it parses the others."""

    doc_id: str
    entities: tuple[EntitySummary, ...]

    @classmethod
    def of(cls, record: DocRecord) -> DocSummary:
        return cls(doc_id=record.doc_id, entities=tuple(EntitySummary.of(ent) for ent in record.entities))


@dataclass(slots=True)
class Entity:
    """A global entity being assembled from document entities."""

    id: str
    label: str
    types: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    mentions: int = 0
    documents: set[str] = field(default_factory=set)
    canonical: bool = False

    @property
    def type(self) -> str:
        return _dominant_type(self.types)


@dataclass(slots=True)
class Resolution:
    entities: dict[str, Entity]
    mapping: dict[tuple[str, int], str]


def _label_quality(name: str) -> tuple[int, int, str]:
    # the fullest proper form: most name tokens, then longest, then alphabetical for determinism
    return (len(name_tokens(name)), len(name), name)


_Member = tuple[str, int]  # (document id, entity key in that document)
_Info = tuple[str, str, tuple[str, ...], int]  # a document entity's name, type, aliases, mention count


@dataclass(slots=True)
class _Groups:
    """Document entities grouped by gazetteer id, or by type and folded name."""

    members: dict[str, list[_Member]]
    names: dict[str, Counter[str]]  # group -> names, weighted by mentions
    info: dict[_Member, _Info]
    canonical_labels: dict[str, str]  # gazetteer id -> label


def _group(documents: list[DocSummary]) -> _Groups:
    g = _Groups(defaultdict(list), defaultdict(Counter), {}, {})
    for document in documents:
        for ent in document.entities:
            if ent.canonical:
                key = ent.canonical
                g.canonical_labels[key] = ent.name
            else:
                key = f"{'PERSON' if ent.type == 'PERSON' else 'NAME'}|{fold(ent.name)}"
            g.members[key].append((document.doc_id, ent.key))
            g.names[key][ent.name] += ent.mentions or 1
            g.info[(document.doc_id, ent.key)] = (ent.name, ent.type, ent.aliases, ent.mentions)
    return g


def _person_targets(groups: Iterable[str]) -> dict[str, str]:
    """Persons seen under spelling variants or partial names in different documents -> their fuller name."""
    person_keys = sorted((k for k in groups if k.startswith("PERSON|")), key=lambda k: (-len(k), k))
    target: dict[str, str] = {}
    full = [k for k in person_keys if len(name_tokens(k.split("|", 1)[1])) >= 2]
    index: dict[str, list[str]] = defaultdict(list)  # name token -> full names holding it (linear in names)
    for k in full:
        for token in set(name_tokens(k.split("|", 1)[1])):
            index[token].append(k)
    for key in person_keys:
        name = key.split("|", 1)[1]
        tokens = name_tokens(name)
        if len(tokens) < 2:  # a bare surname is only linked inside its own document
            continue
        sharing = dict.fromkeys(o for t in tokens for o in index.get(t, ()))
        candidates = [
            other
            for other in sharing
            if other != key and target.get(other, other) == other and same_person_name(name, other.split("|", 1)[1])
        ]
        if len(candidates) == 1 and _label_quality(candidates[0]) >= _label_quality(key):
            target[key] = candidates[0]
    return target


def resolve(records: Iterable[DocRecord | DocSummary]) -> Resolution:
    """Merge document entities: by gazetteer id, then by folded name, then persons by name variants. Whole
    records and their summaries (`DocSummary`, what is read here) resolve alike."""
    summaries = (r if isinstance(r, DocSummary) else DocSummary.of(r) for r in records)
    g = _group(sorted(summaries, key=lambda r: r.doc_id))
    target = _person_targets(g.members)
    merged: dict[str, list[str]] = defaultdict(list)
    for key in g.members:
        root = key
        while root in target:
            root = target[root]
        merged[root].append(key)
    resolution = Resolution(entities={}, mapping={})
    for root, keys in merged.items():
        _add_entity(resolution, g, root, keys)
    return resolution


def _add_entity(resolution: Resolution, g: _Groups, root: str, keys: list[str]) -> None:
    all_names: Counter[str] = Counter()
    for key in keys:
        all_names.update(g.names[key])
    label = g.canonical_labels.get(root) or max(all_names, key=lambda n: (_label_quality(n), all_names[n]))
    members = [m for key in keys for m in g.members[key]]
    types: Counter[str] = Counter()
    for member in members:
        types[g.info[member][1]] += g.info[member][3] or 1
    kind = _dominant_type(types)
    node_id = root if root in g.canonical_labels else f"{kind.lower()}:{slug(label)}"
    entity = resolution.entities.get(node_id) or Entity(id=node_id, label=label, canonical=root in g.canonical_labels)
    resolution.entities[node_id] = entity
    for member in members:
        _name, typ, aliases, count = g.info[member]
        entity.types[typ] += count or 1
        entity.aliases.update(aliases)
        entity.mentions += count
        entity.documents.add(member[0])
        resolution.mapping[member] = node_id
