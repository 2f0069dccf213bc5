"""Node-link JSON: the lossless format every other kgraph command can load back.

Nodes sorted by id, edges by (source, target, key), object keys sorted: the same graph always gives the
same bytes, and `to_json(from_json(text)) == text` for a file kgraph wrote. JSON keeps ints, floats,
lists and dicts as they are; lone surrogates (not encodable as UTF-8) are written as `\\uXXXX` escapes.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import networkx as nx

from kgraph.atomic import atomic_write_text
from kgraph.errors import GraphFileError
from kgraph.export import common

# Kept for callers that read it; the limit every reader applies is common.MAX_GRAPH_FILE_BYTES.
MAX_GRAPH_FILE_BYTES = common.MAX_GRAPH_FILE_BYTES


def to_json(graph: nx.MultiDiGraph) -> str:
    data = nx.node_link_data(graph, edges="edges")
    data["nodes"].sort(key=lambda n: str(n["id"]))
    data["edges"].sort(key=lambda e: (str(e["source"]), str(e["target"]), str(e.get("key"))))
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=_json_default)
    return common.escape_lone_surrogates(text) + "\n"


def _json_default(value: Any) -> Any:
    """Values JSON has no type for: dates as ISO text, sets as sorted lists, numpy values as Python ones."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def write_json(graph: nx.MultiDiGraph, path: Path) -> list[Path]:
    atomic_write_text(path, to_json(graph))
    return [Path(path)]


def from_json(text: str, *, name: str = "<json>") -> nx.MultiDiGraph:
    common.check_size(text, name)
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GraphFileError(f"{name}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    except RecursionError as exc:
        raise GraphFileError(f"{name}: JSON nested too deeply") from exc
    if not isinstance(data, dict) or "nodes" not in data or not ({"edges", "links"} & data.keys()):
        raise GraphFileError(f"{name}: not a kgraph node-link graph (needs 'nodes' and 'edges')")
    nodes = data["nodes"]
    if not isinstance(nodes, list) or not all(isinstance(n, dict) and n.get("id") is not None for n in nodes):
        raise GraphFileError(f"{name}: malformed node-link graph (every node needs an 'id')")
    try:
        graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges" if "edges" in data else "links")
    except (KeyError, TypeError, AttributeError, nx.NetworkXError) as exc:
        raise GraphFileError(f"{name}: malformed node-link graph ({exc})") from exc
    return nx.MultiDiGraph(graph)


def read_json(path: Path) -> nx.MultiDiGraph:
    path = Path(path)
    data = common.read_graph_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GraphFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    return from_json(text, name=str(path))
