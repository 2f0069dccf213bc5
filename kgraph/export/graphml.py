"""GraphML for Gephi, yEd, igraph and Cytoscape: valid against the GraphML 1.0 schema, read back losslessly.

Written as a stream of text, byte for byte what NetworkX's writer gives for the same graph (pretty-printed,
two spaces per level, `<?xml … encoding='utf-8'?>`), with kgraph's tidying: every edge gets a graph-wide
unique id (`e0`, `e1`, …, in sorted order; NetworkX would reuse the multigraph keys, and Gephi drops
repeated ids), repeated as the `edge_id` attribute for igraph (whose own edge `id` is unreliable), keys get
readable scope-prefixed ids (`n_label`, `e_weight`, `g_created`: Gephi reads a key with id `d3` as the node
label, and NetworkX numbers its keys `d0…dN`) listed by scope then name, lists and dicts become JSON
strings whose key carries `<desc>kgraph:json</desc>`, `weight` is a double, `None` is dropped, and text is
cleaned of what XML 1.0 cannot hold. Node ids that are not plain `xs:NMTOKEN`s are escaped reversibly
(`_x0020_`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite.graphml import GraphMLReader

from kgraph.atomic import atomic_write_bytes
from kgraph.errors import GraphFileError
from kgraph.export import common

NS = "http://graphml.graphdrawing.org/xmlns"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCOPES = {"graph": "g", "node": "n", "edge": "e"}
# edge attribute holding the GraphML edge id, also written as `<data>` because igraph 1.0 fills its own `id`
# wrongly; not named `id`, or igraph warns that it cannot add its edge ids. Dropped again on reading.
EDGE_ID = "edge_id"
# the graph attribute NetworkX writes as the `<graph>` element's own id
_GRAPH_ID = "id"
_XML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
_ROOT = f'<graphml xmlns="{NS}" xmlns:xsi="{_XSI}" xsi:schemaLocation="{NS} {NS}/1.0/graphml.xsd">'


def to_graphml(graph: nx.MultiDiGraph) -> bytes:
    nodes, edges = common.sorted_items(graph)
    node_rows, node_json = common.prepare_attributes(data for _, data in nodes)
    edge_rows, edge_json = common.prepare_attributes((data for *_, data in edges), numeric=("weight",))
    graph_rows, graph_json = common.prepare_attributes([graph.graph])
    graph_row = _escape_names(graph_rows)[0]
    graph_id = graph_row.pop(_GRAPH_ID, None)
    node_rows = _escape_names(node_rows)
    edge_rows = [{**row, EDGE_ID: f"e{index}"} for index, row in enumerate(_escape_names(edge_rows))]
    ids = {node: common.escape_id(str(node), nmtoken=True) for node, _ in nodes}

    parts = ["<?xml version='1.0' encoding='utf-8'?>", _ROOT]
    json_names = {"graph": graph_json, "node": node_json, "edge": edge_json}
    for scope, rows in (("graph", [graph_row]), ("node", node_rows), ("edge", edge_rows)):
        parts += _keys(scope, rows, json_names[scope])
    # ids and attribute names are xs:NMTOKENs (see common.escape_id): nothing in them needs XML escaping
    graph_tag = f'<graph edgedefault="directed"{_attribute(_GRAPH_ID, graph_id)}'
    body = [
        *(_element("node", f'id="{ids[node]}"', row) for (node, _), row in zip(nodes, node_rows, strict=True)),
        *(
            _element("edge", f'source="{ids[u]}" target="{ids[v]}" id="{row[EDGE_ID]}"', row)
            for (u, v, _, _), row in zip(edges, edge_rows, strict=True)
        ),
        *_data("graph", graph_row, level=2),
    ]
    parts += [f"  {graph_tag}>", *body, "  </graph>"] if body else [f"  {graph_tag} />"]
    parts += ["</graphml>", ""]
    return "\n".join(parts).encode("utf-8", "xmlcharrefreplace")


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> list[Path]:
    path = Path(path)
    atomic_write_bytes(path, to_graphml(graph))
    return [path]


def _escape_names(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # attr.name must be an xs:NMTOKEN too; each name is escaped once, not once per row
    escaped = {name: common.escape_id(name, nmtoken=True) for name in {name for row in rows for name in row}}
    return [{escaped[name]: value for name, value in row.items()} for row in rows]


def _keys(scope: str, rows: list[dict[str, Any]], json_names: set[str]) -> Iterator[str]:
    """The `<key>` declarations of one scope, by name; each attribute has one type (see prepare_attributes)."""
    types = {name: type(value) for row in rows for name, value in row.items()}
    for name in sorted(types):
        declaration = (
            f'<key id="{_SCOPES[scope]}_{name}" for="{scope}" attr.name="{name}" attr.type="{_XML_TYPES[types[name]]}"'
        )
        if common.unescape_id(name) in json_names:
            yield f"  {declaration}>\n    <desc>{common.JSON_MARKER}</desc>\n  </key>"
        else:
            yield f"  {declaration} />"


def _element(tag: str, attributes: str, row: dict[str, Any]) -> str:
    """A `<node>` or `<edge>` (inside `<graph>`) with its `<data>` children."""
    if not row:
        return f"    <{tag} {attributes} />"
    return "\n".join([f"    <{tag} {attributes}>", *_data(tag, row, level=3), f"    </{tag}>"])


def _data(scope: str, row: dict[str, Any], *, level: int) -> Iterator[str]:
    indent, prefix = "  " * level, _SCOPES[scope]
    for name, value in row.items():
        text = common.xml_text(value)
        if text:
            yield f'{indent}<data key="{prefix}_{name}">{text}</data>'
        else:  # as ElementTree writes an element without text
            yield f'{indent}<data key="{prefix}_{name}" />'


def _attribute(name: str, value: Any) -> str:
    return "" if value is None else f' {name}="{common.xml_attribute(value)}"'


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
