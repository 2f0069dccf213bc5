"""GraphML for Gephi, yEd, igraph and Cytoscape: valid against the GraphML 1.0 schema, read back losslessly.

Written with NetworkX's writer, then tidied: every edge gets a graph-wide unique id (`e0`, `e1`, …, in
sorted order; NetworkX would reuse the multigraph keys, and Gephi drops repeated ids), repeated as the
`edge_id` attribute for igraph (whose own edge `id` is unreliable), keys get readable
scope-prefixed ids (`n_label`, `e_weight`, `g_created`: Gephi reads a key with id `d3` as the node label,
and NetworkX numbers its keys `d0…dN`), lists and dicts become JSON strings whose key carries
`<desc>kgraph:json</desc>`, `weight` is a double, `None` is dropped, and text is cleaned of what XML 1.0
cannot hold. Node ids that are not plain `xs:NMTOKEN`s are escaped reversibly (`_x0020_`).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite.graphml import GraphMLReader, GraphMLWriter

from kgraph.atomic import atomic_write_bytes
from kgraph.errors import GraphFileError
from kgraph.export import common

NS = "http://graphml.graphdrawing.org/xmlns"
_SCOPES = {"graph": "g", "node": "n", "edge": "e"}
# edge attribute holding the GraphML edge id, also written as `<data>` because igraph 1.0 fills its own `id`
# wrongly; not named `id`, or igraph warns that it cannot add its edge ids. Dropped again on reading.
EDGE_ID = "edge_id"


def to_graphml(graph: nx.MultiDiGraph) -> bytes:
    nodes, edges = common.sorted_items(graph)
    node_rows, node_json = common.prepare_attributes(data for _, data in nodes)
    edge_rows, edge_json = common.prepare_attributes((data for *_, data in edges), numeric=("weight",))
    graph_rows, graph_json = common.prepare_attributes([graph.graph])
    json_names = {"node": node_json, "edge": edge_json, "graph": graph_json}

    ids = {node: common.escape_id(str(node), nmtoken=True) for node, _ in nodes}
    out = nx.MultiDiGraph()
    out.graph.update(_escape_names(graph_rows[0]))
    for (node, _), row in zip(nodes, node_rows, strict=True):
        out.add_node(ids[node], **_escape_names(row))
    for index, ((u, v, key, _), row) in enumerate(zip(edges, edge_rows, strict=True)):
        out.add_edge(ids[u], ids[v], key=key, **{**_escape_names(row), EDGE_ID: f"e{index}"})

    writer = GraphMLWriter(edge_id_from_attribute=EDGE_ID)
    writer.add_graph_element(out)
    _tidy_keys(writer.xml, json_names)
    buffer = io.BytesIO()
    writer.dump(buffer)
    return buffer.getvalue()


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> list[Path]:
    path = Path(path)
    atomic_write_bytes(path, to_graphml(graph))
    return [path]


def _escape_names(row: dict[str, Any]) -> dict[str, Any]:
    # attr.name must be an xs:NMTOKEN too
    return {common.escape_id(name, nmtoken=True): value for name, value in row.items()}


def _tidy_keys(root: Any, json_names: dict[str, set[str]]) -> None:
    """Give keys readable ids, mark JSON-valued ones, and list them in a stable order."""
    keys = root.findall("key")
    renamed = {}
    for key in keys:
        scope, name = key.get("for"), key.get("attr.name")
        renamed[key.get("id")] = key_id = f"{_SCOPES.get(scope, scope)}_{name}"
        key.set("id", key_id)
        if common.unescape_id(name) in json_names.get(scope, ()):
            desc = root.makeelement("desc", {})
            desc.text = common.JSON_MARKER
            key.insert(0, desc)
        root.remove(key)
    for data in root.iter("data"):
        data.set("key", renamed[data.get("key")])
    order = list(_SCOPES)
    keys.sort(key=lambda k: (order.index(k.get("for")), k.get("attr.name")))
    for index, key in enumerate(keys):
        root.insert(index, key)


def from_graphml(data: bytes, *, name: str = "<graphml>") -> nx.MultiDiGraph:
    """Parse GraphML bytes (through defusedxml) into a kgraph MultiDiGraph; JSON attributes restored."""
    root = common.parse_xml(data, name)
    if root.tag != f"{{{NS}}}graphml":
        raise GraphFileError(f"{name}: not a GraphML file (root element <{common.local_name(root.tag)}>)")
    graph_element = root.find(f"{{{NS}}}graph")
    if graph_element is None:
        raise GraphFileError(f"{name}: the GraphML file has no <graph>")
    reader = GraphMLReader(node_type=str, edge_key_type=str, force_multigraph=True)
    try:
        keys, defaults = reader.find_graphml_keys(root)
        parsed = reader.make_graph(graph_element, keys, defaults)
    except (nx.NetworkXError, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise GraphFileError(f"{name}: malformed GraphML ({exc})") from exc
    return _to_kgraph(parsed, _json_names(root), name)


def read_graphml(path: Path) -> nx.MultiDiGraph:
    return from_graphml(common.read_graph_bytes(path), name=str(path))


def _json_names(root: Any) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {scope: set() for scope in _SCOPES}
    for key in root.findall(f"{{{NS}}}key"):
        desc = key.find(f"{{{NS}}}desc")
        if desc is not None and (desc.text or "").strip() == common.JSON_MARKER and key.get("attr.name"):
            scope = key.get("for", "all")
            for target in _SCOPES if scope == "all" else [scope]:
                if target in names:
                    names[target].add(common.unescape_id(key.get("attr.name")))
    return names


def _to_kgraph(parsed: nx.MultiGraph, json_names: dict[str, set[str]], name: str) -> nx.MultiDiGraph:
    def restore(data: dict[str, Any], scope: str, where: str) -> dict[str, Any]:
        row = {common.unescape_id(str(k)): v for k, v in data.items()}
        return common.decode_json_attributes(row, json_names[scope], where=f"{name}: {where}")

    graph = nx.MultiDiGraph()
    attrs = {k: v for k, v in parsed.graph.items() if not (k in ("node_default", "edge_default") and not v)}
    graph.graph.update(restore(attrs, "graph", "graph"))
    for node, data in parsed.nodes(data=True):
        graph.add_node(common.unescape_id(node), **restore(data, "node", f"node {node}"))
    for u, v, xml_id, data in parsed.edges(keys=True, data=True):
        row = restore(data, "edge", f"edge {xml_id}")
        if row.get(EDGE_ID) == xml_id:
            del row[EDGE_ID]
        source, target = common.unescape_id(u), common.unescape_id(v)
        relation = row.get("relation")
        key = relation if isinstance(relation, str) else xml_id
        if graph.has_edge(source, target, key):
            key = xml_id
        graph.add_edge(source, target, key=key, **row)
    return common.restore_contract_types(graph)
