"""Plain records that cross stage (and process) boundaries: no spaCy or networkx objects here."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "EVENT", "MISC")
POLARITIES = ("positive", "negative")
CERTAINTIES = ("asserted", "reported", "hedged")
SYMMETRIC_RELATIONS = frozenset({"meeting", "agreement", "conflict", "cooccurrence"})


@dataclass(frozen=True, slots=True)
class Document:
    """One article: its text and what we know about it."""

    id: str
    text: str
    date: str | None = None
    source: str | None = None
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity in a document (character offsets into the document text)."""

    text: str
    start: int
    end: int
    sentence: int


@dataclass(frozen=True, slots=True)
class DocEntity:
    """An entity as resolved inside one document.

    `key` is local to the document; `canonical` is a gazetteer id ("gpe:russie") when the entity
    is a known state, place or organisation, which lets corpus-level resolution merge it for free.
    """

    key: int
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: tuple[Mention, ...]
    canonical: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence supporting a relation, with the mention spans relative to the sentence."""

    doc: str
    sentence: str
    start: int
    end: int
    date: str | None = None
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed relation between two entities of one document (by their local keys)."""

    source: int
    target: int
    relation: str
    label: str
    evidence: Evidence
    method: str
    confidence: float = 0.8
    date: str | None = None
    place: int | None = None
    polarity: str = "positive"
    certainty: str = "asserted"


@dataclass(frozen=True, slots=True)
class DocRecord:
    """Everything extraction learned from one document; what workers return and the cache stores."""

    doc_id: str
    date: str | None
    entities: tuple[DocEntity, ...]
    relations: tuple[Relation, ...]
    tokens: int = 0
    title: str | None = None
    url: str | None = None
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocRecord:
        entities = tuple(
            DocEntity(
                key=e["key"],
                name=e["name"],
                type=e["type"],
                aliases=tuple(e["aliases"]),
                mentions=tuple(Mention(**m) for m in e["mentions"]),
                canonical=e.get("canonical"),
            )
            for e in data["entities"]
        )
        relations = tuple(
            Relation(
                **{k: v for k, v in r.items() if k != "evidence"},
                evidence=Evidence(
                    **{k: v for k, v in r["evidence"].items() if k != "spans"},
                    spans=tuple(tuple(s) for s in r["evidence"].get("spans", ())),
                ),
            )
            for r in data["relations"]
        )
        return cls(
            doc_id=data["doc_id"],
            date=data.get("date"),
            entities=entities,
            relations=relations,
            tokens=data.get("tokens", 0),
            title=data.get("title"),
            url=data.get("url"),
            warnings=tuple(data.get("warnings", ())),
        )
