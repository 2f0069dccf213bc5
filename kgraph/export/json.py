"""Node-link JSON: the lossless format every other kgraph command can load back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from kgraph.atomic import atomic_write_text
from kgraph.errors import GraphFileError

MAX_GRAPH_FILE_BYTES = 2 * 1024**3


def to_json(graph: nx.MultiDiGraph) -> str:
    data = nx.node_link_data(graph, edges="edges")
    data["nodes"].sort(key=lambda n: n["id"])
    data["edges"].sort(key=lambda e: (e["source"], e["target"], str(e.get("key"))))
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_json(graph: nx.MultiDiGraph, path: Path) -> list[Path]:
    atomic_write_text(path, to_json(graph))
    return [path]


def from_json(text: str, *, name: str = "<json>") -> nx.MultiDiGraph:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GraphFileError(f"{name}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, dict) or "nodes" not in data or not ({"edges", "links"} & data.keys()):
        raise GraphFileError(f"{name}: not a kgraph node-link graph (needs 'nodes' and 'edges')")
    try:
        graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges" if "edges" in data else "links")
    except (KeyError, TypeError, nx.NetworkXError) as exc:
        raise GraphFileError(f"{name}: malformed node-link graph ({exc})") from exc
    return nx.MultiDiGraph(graph)


def read_json(path: Path) -> nx.MultiDiGraph:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_GRAPH_FILE_BYTES:
            raise GraphFileError(f"{path}: {size} bytes is larger than the {MAX_GRAPH_FILE_BYTES} bytes limit")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GraphFileError(f"{path}: cannot read: {exc}") from exc
    return from_json(text, name=str(path))
