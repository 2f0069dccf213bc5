"""Lookups the model tests share: nodes by any name, typed edges by names."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from kgraph.evaluation import _matches
from kgraph.text import fold

DATA = Path(__file__).parent / "data"
_LEADING = ("l'agence ", "l'", "le ", "la ", "les ")


def load_jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def nodes_named(graph: nx.MultiDiGraph, name: str) -> list[str]:
    """Nodes whose label or an alias is `name` (a leading determiner or "l'agence" ignored)."""
    key = fold(name)
    for prefix in _LEADING:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
            break
    return [n for n, d in graph.nodes(data=True) if key in {fold(d["label"]), *(fold(a) for a in d["aliases"])}]


def has_edge(graph: nx.MultiDiGraph, source: str, relation: str, target: str, *, polarity: str = "positive") -> bool:
    triple = {"source": source, "relation": relation, "target": target}
    return any(
        d.get("polarity") == polarity and _matches(graph, (u, v, d), triple) for u, v, d in graph.edges(data=True)
    )


def edge_data(graph: nx.MultiDiGraph, source: str, relation: str, target: str) -> dict:
    triple = {"source": source, "relation": relation, "target": target}
    for u, v, d in graph.edges(data=True):
        if _matches(graph, (u, v, d), triple):
            return d
    raise AssertionError(f"no edge {source} -{relation}-> {target}")
