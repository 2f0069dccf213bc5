"""The one graph model: a networkx MultiDiGraph built from extraction records (see docs/graph-schema.md)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import networkx as nx

from kgraph.models import SYMMETRIC_RELATIONS, DocRecord, Evidence
from kgraph.resolution import resolve

_CERTAINTY_RANK = {"asserted": 3, "reported": 2, "hedged": 1}


def edge_key(relation: str, polarity: str) -> str:
    """The MultiDiGraph key: the relation, suffixed for a denied relation so it never merges with an asserted one."""
    return relation if polarity == "positive" else f"{relation}:negative"


def _created() -> str:
    # SOURCE_DATE_EPOCH makes builds reproducible byte for byte
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _evidence_dict(ev: Evidence) -> dict[str, Any]:
    data: dict[str, Any] = {"doc": ev.doc, "sentence": ev.sentence, "start": ev.start, "end": ev.end}
    if ev.date:
        data["date"] = ev.date
    if ev.spans:
        data["spans"] = [list(s) for s in ev.spans]
    return data


def build_graph_from_records(records: Sequence[DocRecord], *, model: str, version: str) -> nx.MultiDiGraph:
    """Resolve entities across records and aggregate their relations into one graph."""
    records = sorted(records, key=lambda r: r.doc_id)
    resolution = resolve(records)
    graph = nx.MultiDiGraph(kgraph_version=version, created=_created(), model=model, documents=len(records))
    for node_id in sorted(resolution.entities):
        ent = resolution.entities[node_id]
        graph.add_node(
            node_id,
            label=ent.label,
            type=ent.type,
            aliases=sorted(ent.aliases),
            mentions=ent.mentions,
            documents=sorted(ent.documents),
        )

    by_doc: dict[str, dict[int, str]] = {}
    for (doc, local_key), node in resolution.mapping.items():
        by_doc.setdefault(doc, {})[local_key] = node
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for record in records:
        doc_map = by_doc.get(record.doc_id, {})
        for rel in record.relations:
            head, tail = doc_map.get(rel.source), doc_map.get(rel.target)
            if head is None or tail is None or head == tail:
                continue
            key = edge_key(rel.relation, rel.polarity)
            if rel.relation in SYMMETRIC_RELATIONS and (tail, head, key) in edges:
                head, tail = tail, head  # one edge per pair, in the direction first seen
            agg = edges.setdefault(
                (head, tail, key),
                {
                    "labels": Counter(),
                    "methods": Counter(),
                    "evidence": [],
                    "seen": set(),
                    "dates": [],
                    "places": Counter(),
                    "confidence": 0.0,
                    "certainty": "hedged",
                    "polarity": rel.polarity,
                    "relation": rel.relation,
                },
            )
            agg["labels"][rel.label] += 1
            agg["methods"][rel.method] += 1
            ev = _evidence_dict(rel.evidence)
            if rel.date and "date" not in ev:
                ev["date"] = rel.date
            if rel.place is not None and doc_map.get(rel.place):
                agg["places"][doc_map[rel.place]] += 1
                ev["place"] = doc_map[rel.place]
            seen = (ev["doc"], ev["start"], ev["end"])
            if seen not in agg["seen"]:  # the same sentence read by two patterns counts once
                agg["seen"].add(seen)
                agg["evidence"].append(ev)
            if rel.date:
                agg["dates"].append(rel.date)
            agg["confidence"] = max(agg["confidence"], rel.confidence)
            if _CERTAINTY_RANK[rel.certainty] > _CERTAINTY_RANK[agg["certainty"]]:
                agg["certainty"] = rel.certainty

    for head, tail, key in sorted(edges):
        agg = edges[(head, tail, key)]
        attrs: dict[str, Any] = {
            "relation": agg["relation"],
            "label": _most_common(agg["labels"]),
            "weight": len(agg["evidence"]),
            "evidence": agg["evidence"],
            "confidence": round(agg["confidence"], 3),
            "method": _most_common(agg["methods"]),
            "polarity": agg["polarity"],
            "certainty": agg["certainty"],
        }
        if agg["dates"]:
            attrs["date"] = _best_date(agg["dates"])
        if agg["places"]:
            attrs["place"] = _most_common(agg["places"])
        graph.add_edge(head, tail, key=key, **attrs)
    return graph


def _most_common(counter: Counter[str]) -> str:
    return max(counter.items(), key=lambda kv: (kv[1], kv[0]))[0]


def _best_date(dates: Iterable[str]) -> str:
    # the most precise date, earliest among equals: evidence may repeat a fact with less detail
    return min(dates, key=lambda d: (-len(d), d))
