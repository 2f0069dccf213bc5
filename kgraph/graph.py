"""The one graph model: a networkx MultiDiGraph built from extraction records (see docs/graph-schema.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx

from kgraph.aggregate import EdgeAccumulator, edge_key, graph_attributes, node_attributes
from kgraph.models import SYMMETRIC_RELATIONS, DocRecord, Relation
from kgraph.resolution import DocSummary, Resolution, resolve


def build_graph_from_records(records: Sequence[DocRecord], *, model: str, version: str) -> nx.MultiDiGraph:
    """Resolve entities across records and aggregate their relations into one graph."""
    records = sorted(records, key=lambda r: r.doc_id)
    return build_graph_from_parts(records, (r.relations for r in records), model=model, version=version)


def build_graph_from_parts(
    documents: Sequence[DocSummary | DocRecord],
    relations: Iterable[Sequence[Relation]],
    *,
    model: str,
    version: str,
) -> nx.MultiDiGraph:
    """The graph of documents given in two parts, in the same order, sorted by document id: what resolution
    reads (`DocSummary`, or whole records) and each document's relations, read once, after resolution, as the
    edges are gathered. A build can so keep only the summaries in memory and stream the relations back from
    disk; the graph is `build_graph_from_records`'s."""
    resolution = resolve(documents)
    graph = nx.MultiDiGraph(**graph_attributes(model=model, version=version, documents=len(documents)))
    for node_id in sorted(resolution.entities):
        ent = resolution.entities[node_id]
        graph.add_node(
            node_id,
            **node_attributes(
                label=ent.label,
                type=ent.type,
                aliases=sorted(ent.aliases),
                mentions=ent.mentions,
                documents=sorted(ent.documents),
            ),
        )
    edges = _accumulate_edges(documents, relations, resolution)
    for head, tail, key in sorted(edges):
        graph.add_edge(head, tail, key=key, **edges[(head, tail, key)].attributes())
    return graph


def _accumulate_edges(
    documents: Sequence[DocSummary | DocRecord], relations: Iterable[Sequence[Relation]], resolution: Resolution
) -> dict[tuple[str, str, str], EdgeAccumulator]:
    """Every relation between two distinct resolved entities, gathered on its (head, tail, key) edge."""
    by_doc: dict[str, dict[int, str]] = {}
    for (doc, local_key), node in resolution.mapping.items():
        by_doc.setdefault(doc, {})[local_key] = node
    edges: dict[tuple[str, str, str], EdgeAccumulator] = {}
    for document, relations_of_document in zip(documents, relations, strict=True):
        doc_map = by_doc.get(document.doc_id, {})
        for rel in relations_of_document:
            head, tail = doc_map.get(rel.source), doc_map.get(rel.target)
            if head is None or tail is None or head == tail:
                continue
            key = edge_key(rel.relation, rel.polarity)
            if rel.relation in SYMMETRIC_RELATIONS and (tail, head, key) in edges:
                head, tail = tail, head  # one edge per pair, in the direction first seen
            edge = edges.get((head, tail, key))
            if edge is None:
                edge = edges[(head, tail, key)] = EdgeAccumulator(rel.relation, rel.polarity)
            edge.add(
                label=rel.label,
                method=rel.method,
                confidence=rel.confidence,
                certainty=rel.certainty,
                date=rel.date,
                place=doc_map.get(rel.place) if rel.place is not None else None,
                evidence=rel.evidence,
            )
    return edges
