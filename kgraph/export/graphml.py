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

from kgraph.atomic import atomic_write_chunks
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
    return "".join(generate_graphml(graph)).encode("utf-8", "xmlcharrefreplace")


def generate_graphml(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The text of `to_graphml(graph)` line by line (a `<node>` or `<edge>` with its data is one piece).

    Two passes over the attributes: their types first (the `<key>` declarations come before any data), then
    each node and edge is coerced and written on its own, so memory does not grow with the file.
    """
    nodes, edges = common.sorted_items(graph)
    node_types = common.attribute_types(data for _, data in nodes)
    edge_types = common.attribute_types((data for *_, data in edges), numeric=("weight",))
    node_json, edge_json = common.json_attribute_names(node_types), common.json_attribute_names(edge_types)
    graph_rows, graph_json = common.prepare_attributes([graph.graph])
    names = _EscapedNames()
    graph_row = {names[name]: value for name, value in graph_rows[0].items()}
    graph_id = graph_row.pop(_GRAPH_ID, None)
    ids = {node: common.escape_id(str(node), nmtoken=True) for node, _ in nodes}

    yield "<?xml version='1.0' encoding='utf-8'?>\n"
    yield _ROOT + "\n"
    edge_kinds = {names[name]: _written_type(seen, name in edge_json) for name, seen in edge_types.items()}
    if edges:
        edge_kinds[EDGE_ID] = str
    for scope, kinds, json_names in (
        ("graph", {name: type(value) for name, value in graph_row.items()}, graph_json),
        ("node", {names[name]: _written_type(seen, name in node_json) for name, seen in node_types.items()}, node_json),
        ("edge", edge_kinds, edge_json),
    ):
        for declaration in _keys(scope, kinds, json_names):
            yield declaration + "\n"
    # ids and attribute names are xs:NMTOKENs (see common.escape_id): nothing in them needs XML escaping
    graph_tag = f'<graph edgedefault="directed"{_attribute(_GRAPH_ID, graph_id)}'
    if not (nodes or edges or graph_row):
        yield f"  {graph_tag} />\n</graphml>\n"
        return
    yield f"  {graph_tag}>\n"
    for node, data in nodes:
        row = common.coerce_attributes(data, node_json)
        yield _element("node", f'id="{ids[node]}"', {names[name]: value for name, value in row.items()}) + "\n"
    for index, (u, v, _, data) in enumerate(edges):
        row = common.coerce_attributes(data, edge_json, numeric=("weight",))
        escaped = {names[name]: value for name, value in row.items()}
        escaped[EDGE_ID] = f"e{index}"
        yield _element("edge", f'source="{ids[u]}" target="{ids[v]}" id="e{index}"', escaped) + "\n"
    for line in _data("graph", graph_row, level=2):
        yield line + "\n"
    yield "  </graph>\n</graphml>\n"


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> list[Path]:
    """Write `graph` to `path` as GraphML while it is generated, atomically; memory does not grow with it."""
    path = Path(path)
    atomic_write_chunks(path, generate_graphml(graph), errors="xmlcharrefreplace")
    return [path]


class _EscapedNames(dict[str, str]):
    """Attribute names as xs:NMTOKENs (attr.name must be one too), each escaped once, not once per row."""

    def __missing__(self, name: str) -> str:
        self[name] = escaped = common.escape_id(name, nmtoken=True)
        return escaped


def _written_type(seen: set[type], as_json: bool) -> type:
    # an attribute written as JSON is a string; any other has one scalar type (see prepare_attributes)
    return str if as_json else next(iter(seen))


def _keys(scope: str, kinds: dict[str, type], json_names: set[str]) -> Iterator[str]:
    """The `<key>` declarations of one scope, by (escaped) name, with the type of each."""
    for name in sorted(kinds):
        declaration = (
            f'<key id="{_SCOPES[scope]}_{name}" for="{scope}" attr.name="{name}" attr.type="{_XML_TYPES[kinds[name]]}"'
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
