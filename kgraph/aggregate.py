"""The aggregation rules of the graph (docs/graph-schema.md), shared by every builder: the in-memory one
(`kgraph.graph`), the Dask table merge (`kgraph.engines.parquet`) and the map's node selection
(`kgraph.export.html`). Plain Python: no networkx, no pandas."""

from __future__ import annotations

import heapq
import os
from collections import Counter
from collections.abc import Hashable, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

from kgraph.models import CERTAINTIES, Evidence

# the strongest certainty among an edge's relations wins; models.CERTAINTIES lists them strongest first
CERTAINTY_RANK = {certainty: len(CERTAINTIES) - n for n, certainty in enumerate(CERTAINTIES)}

Node = TypeVar("Node", bound=Hashable)


def edge_key(relation: str, polarity: str) -> str:
    """The MultiDiGraph key: the relation, suffixed for a denied relation so it never merges with an asserted one."""
    return relation if polarity == "positive" else f"{relation}:negative"


def graph_attributes(*, model: str, version: str, documents: int) -> dict[str, Any]:
    """The graph-level attributes, in the schema's order."""
    return {"kgraph_version": version, "created": created_timestamp(), "model": model, "documents": documents}


def created_timestamp() -> str:
    """The build time, ISO 8601 UTC to the second; SOURCE_DATE_EPOCH fixes it (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def node_attributes(
    *, label: str, type: str, aliases: Iterable[str], mentions: int, documents: Iterable[str]
) -> dict[str, Any]:
    """An entity's node attributes, in the schema's order."""
    return {
        "label": label,
        "type": type,
        "aliases": list(aliases),
        "mentions": int(mentions),
        "documents": list(documents),
    }


def most_common(counter: Counter[str]) -> str:
    """The most frequent value; the greatest one among equals, so that reading order never matters."""
    return max(counter.items(), key=lambda kv: (kv[1], kv[0]))[0]


def best_date(dates: Iterable[str]) -> str:
    """The most precise date, earliest among equals: evidence may repeat a fact with less detail."""
    return min(dates, key=lambda d: (-len(d), d))


def stronger_certainty(current: str, other: str) -> str:
    """The stronger of two certainties (`CERTAINTY_RANK`); `current` among equals."""
    return other if CERTAINTY_RANK[other] > CERTAINTY_RANK[current] else current


def evidence_entry(evidence: Evidence, *, date: str | None, place: str | None) -> dict[str, Any]:
    """One item of an edge's `evidence` list: the sentence, then its relation's date (when the sentence has
    none) and the place's node id."""
    entry: dict[str, Any] = {
        "doc": evidence.doc,
        "sentence": evidence.sentence,
        "start": evidence.start,
        "end": evidence.end,
    }
    if evidence.date:
        entry["date"] = evidence.date
    if evidence.spans:
        entry["spans"] = [list(s) for s in evidence.spans]
    if date and "date" not in entry:
        entry["date"] = date
    if place is not None:
        entry["place"] = place
    return entry


class EdgeAccumulator:
    """One edge while its relations are read, in reading order (documents by id, relations in record order);
    `attributes()` reduces them to the edge attributes of docs/graph-schema.md. `evidence_limit` keeps a
    sample of the evidence list; the weight still counts every distinct sentence."""

    __slots__ = (
        "certainty",
        "confidence",
        "dates",
        "evidence",
        "evidence_limit",
        "labels",
        "methods",
        "places",
        "polarity",
        "relation",
        "seen",
    )

    def __init__(self, relation: str, polarity: str, *, evidence_limit: int | None = None) -> None:
        self.relation = relation
        self.polarity = polarity
        self.evidence_limit = evidence_limit
        self.labels: Counter[str] = Counter()
        self.methods: Counter[str] = Counter()
        self.places: Counter[str] = Counter()
        self.dates: list[str] = []
        self.evidence: list[dict[str, Any]] = []
        self.seen: set[tuple[str, int, int]] = set()
        self.confidence: float = 0.0
        self.certainty = CERTAINTIES[-1]

    def add(
        self,
        *,
        label: str,
        method: str,
        confidence: float,
        certainty: str,
        date: str | None,
        place: str | None,
        evidence: Evidence,
    ) -> None:
        """Count one relation; `place` is the node id of its place (None when it has none in the graph)."""
        self.labels[label] += 1
        self.methods[method] += 1
        if place is not None:
            self.places[place] += 1
        if date:
            self.dates.append(date)
        self.confidence = max(self.confidence, confidence)
        self.certainty = stronger_certainty(self.certainty, certainty)
        mark = (evidence.doc, evidence.start, evidence.end)
        if mark in self.seen:  # the same sentence read by two patterns counts once
            return
        self.seen.add(mark)
        if self.evidence_limit is None or len(self.evidence) < self.evidence_limit:
            self.evidence.append(evidence_entry(evidence, date=date, place=place))

    def attributes(self) -> dict[str, Any]:
        """The edge's attributes (date and place only when known)."""
        attrs: dict[str, Any] = {
            "relation": self.relation,
            "label": most_common(self.labels),
            "weight": len(self.seen),
            "evidence": self.evidence,
            "confidence": round(self.confidence, 3),
            "method": most_common(self.methods),
            "polarity": self.polarity,
            "certainty": self.certainty,
        }
        if self.dates:
            attrs["date"] = best_date(self.dates)
        if self.places:
            attrs["place"] = most_common(self.places)
        return attrs


def importance(item: tuple[Any, int, int]) -> tuple[int, int, str]:
    """Sort key of the node ranking for an (id, degree, mentions) triple: most connected first, then most
    mentioned, then by id."""
    node, degree, mentions = item
    return (-degree, -mentions, str(node))


def rank_nodes(nodes: Iterable[tuple[Node, int, int]], limit: int | None = None) -> list[Node]:
    """The ids of (id, degree, mentions) triples, most important first: all of them, or the first `limit`."""
    ranked = sorted(nodes, key=importance) if limit is None else heapq.nsmallest(limit, nodes, key=importance)
    return [node for node, _, _ in ranked]
