"""Node-link JSON: the lossless format every other kgraph command can load back.

Nodes sorted by id, edges by (source, target, key), object keys sorted: the same graph always gives the
same bytes, and `to_json(from_json(text)) == text` for a file kgraph wrote. JSON keeps ints, floats,
lists and dicts as they are; lone surrogates (not encodable as UTF-8) are written as `\\uXXXX` escapes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from kgraph.atomic import atomic_write_chunks
from kgraph.errors import GraphFileError
from kgraph.export import common

# Kept for callers that read it; the limit every reader applies is common.MAX_GRAPH_FILE_BYTES.
MAX_GRAPH_FILE_BYTES = common.MAX_GRAPH_FILE_BYTES


def to_json(graph: nx.MultiDiGraph) -> str:
    return "".join(generate_json(graph))


def generate_json(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The text of `to_json(graph)` in pieces: the frame, then one node or edge record at a time.

    The same bytes as `json.dumps(nx.node_link_data(graph, edges="edges"), indent=1, sort_keys=True)` with
    the records sorted, without copying the graph or holding the text: each record is encoded at indent
    level 0 and its line breaks then indented (a JSON string never holds a raw line break, so every one is
    layout). The top-level keys come in sorted order: directed, edges, graph, multigraph, nodes.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, indent=1, sort_keys=True, default=_json_default)

    def encode(value: Any, level: int) -> str:
        return common.escape_lone_surrogates(encoder.encode(value).replace("\n", "\n" + " " * level))

    yield f'{{\n "directed": {encode(graph.is_directed(), 1)},\n "edges": '
    yield from _records(encode(record, 2) for record in _edge_records(graph))
    yield f',\n "graph": {encode(graph.graph, 1)},\n "multigraph": {encode(graph.is_multigraph(), 1)},\n "nodes": '
    nodes = sorted(graph.nodes(data=True), key=lambda item: str(item[0]))
    yield from _records(encode({**data, "id": node}, 2) for node, data in nodes)
    yield "\n}\n"


def _edge_records(graph: nx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    """node_link_data's edge records, sorted by (source, target, key), built one at a time."""
    if graph.is_multigraph():
        edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
        return ({**data, "source": u, "target": v, "key": key} for u, v, key, data in edges)
    pairs = sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
    return ({**data, "source": u, "target": v} for u, v, data in pairs)


def _records(encoded: Iterator[str]) -> Iterator[str]:
    """A JSON array at indent level 1 of records already encoded at level 2."""
    first = next(encoded, None)
    if first is None:
        yield "[]"
        return
    yield "[\n  " + first
    for record in encoded:
        yield ",\n  " + record
    yield "\n ]"


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
    """Write `graph` to `path` as node-link JSON while it is encoded, atomically; memory does not grow with it."""
    atomic_write_chunks(path, generate_json(graph))
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
