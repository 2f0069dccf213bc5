"""GEXF 1.2 for Gephi: colours and sizes by entity type and mentions, edges coloured by relation and dated.

Written as a stream of text, byte for byte what NetworkX's GEXF writer (1.2draft, `viz:` namespace,
pretty-printed) gives for a coerced copy of the graph: lists and dicts become JSON strings (NetworkX would
take a list for dynamic values), `None` is dropped, text is cleaned of what XML 1.0 cannot hold. Every
edge gets a `kind` (its relation; a GEXF 1.3 attribute that Gephi reads in any version) so that Gephi keeps
parallel edges of different relations apart instead of merging them; an edge with a `date` also gets
`start`/`end` covering the day, month or year it names (end = the first day after), so Gephi's timeline
shows it. The graph attributes and the names of JSON-valued attributes are kept as JSON in
`<meta><description>`, so that `read_gexf` gives back the graph that was written.

As in NetworkX, a node's `id`, `label`, `pid`, `start` and `end` and an edge's `label`, `weight`, `type`,
`start` and `end` are GEXF attributes of the element rather than data columns, and a caller's `viz` dict
(colour, size, thickness, shape, position) overrides a node's style. Unlike NetworkX, `parents` and
`spells` are ordinary columns: after coercion they are JSON text, which NetworkX would iterate as a list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite.gexf import GEXF, GEXFReader

from kgraph.atomic import atomic_write_bytes
from kgraph.errors import GraphFileError
from kgraph.export import common, palette

VERSION = "1.2draft"
EDGE_ID = "id"  # the GEXF edge id, as NetworkX names it
_SPEC = GEXF.versions[VERSION]
_VIZ = "viz"
_META_KEY = "kgraph"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_XML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
_TIME_FORMATS = {str: "date", float: "double", int: "long", bool: "long"}
# data written as attributes of the element itself, in this order (after `id` and, for nodes, `label`)
_NODE_FIELDS = ("pid", "start", "end")
_EDGE_FIELDS = ("label", "weight", "type", "start", "end")
# NetworkX numbers a column for the multigraph key of every edge; kgraph leaves it out (the key is the
# relation, already in `relation` and `kind`) but keeps the numbering, so the other columns keep their ids
_NETWORKX_KEY = "networkx_key"


def to_gexf(graph: nx.MultiDiGraph) -> bytes:
    nodes, edges = common.sorted_items(graph)
    node_rows, node_json = common.prepare_attributes({k: v for k, v in d.items() if k != "viz"} for _, d in nodes)
    edge_rows, edge_json = common.prepare_attributes(
        ({k: v for k, v in d.items() if k != "viz"} for *_, d in edges), numeric=("weight",)
    )
    graph_attrs = common.plain({k: v for k, v in graph.graph.items() if v is not None}, common.clean_xml_text)

    document = _Document()
    ids = {node: common.escape_id(str(node), nmtoken=False) for node, _ in nodes}
    node_lines = [
        line
        for (node, data), row in zip(nodes, node_rows, strict=True)
        for line in _node(ids[node], data, row, document)
    ]
    # an edge names its ends by their GEXF id, which a node's own `id` attribute replaces
    xml_ids = {node: str(row.get("id", ids[node])) for (node, _), row in zip(nodes, node_rows, strict=True)}
    edge_lines = [
        line
        for index, ((u, v, key, data), row) in enumerate(zip(edges, edge_rows, strict=True))
        for line in _edge(xml_ids[u], xml_ids[v], f"e{index}", key, data.get("relation", key), row, document)
    ]
    lines = [
        "<?xml version='1.0' encoding='utf-8'?>",
        _root(document.uses_viz),
        *_meta(graph_attrs, {"node": sorted(node_json), "edge": sorted(edge_json)}),
        f"  <graph {document.graph_attributes()}>",
        *document.declarations(),
        *_block("nodes", node_lines),
        *_block("edges", edge_lines),
        "  </graph>",
        "</gexf>",
        "",
    ]
    return "\n".join(lines).encode("utf-8", "xmlcharrefreplace")


def write_gexf(graph: nx.MultiDiGraph, path: Path) -> list[Path]:
    path = Path(path)
    atomic_write_bytes(path, to_gexf(graph))
    return [path]


class _Document:
    """What the elements written so far decide about the rest of the file: the attribute columns, numbered
    across nodes then edges in the order first seen; the time format their `start`/`end` values ask for
    (the last one decides, as in NetworkX); whether the `viz:` namespace is used."""

    def __init__(self) -> None:
        self.columns: dict[str, dict[str, tuple[str, str]]] = {"node": {}, "edge": {}}
        self.time_format: str | None = None
        self.uses_viz = False

    def column(self, scope: str, title: str, value: Any) -> str:
        """The id of the column `title` of `scope`, numbered now if new (typed by `value`)."""
        columns = self.columns[scope]
        if title not in columns:
            columns[title] = (str(sum(map(len, self.columns.values()))), _XML_TYPES[type(value)])
        return columns[title][0]

    def saw_time(self, value: Any) -> None:
        self.time_format = _TIME_FORMATS[type(value)]

    def graph_attributes(self) -> str:
        if self.time_format is None:
            return 'defaultedgetype="directed" mode="static"'
        return f'defaultedgetype="directed" mode="dynamic" timeformat="{self.time_format}"'

    def declarations(self) -> Iterator[str]:
        for scope in ("edge", "node"):  # NetworkX puts the block of each new class first
            columns = self.columns[scope].items()
            declared = [(title, *column) for title, column in columns if (scope, title) != ("edge", _NETWORKX_KEY)]
            if not declared:
                continue
            yield f'    <attributes mode="static" class="{scope}">'
            for title, column_id, kind in declared:
                yield f'      <attribute id="{column_id}" title="{common.xml_attribute(title)}" type="{kind}" />'
            yield "    </attributes>"


def _node(node_id: str, data: dict[str, Any], row: dict[str, Any], document: _Document) -> list[str]:
    row = dict(row)
    fields = {"id": row.pop("id", node_id), "label": row.pop("label", node_id)}
    for name in _NODE_FIELDS:
        if name in row:
            fields[name] = row.pop(name)
            if name != "pid":
                document.saw_time(fields[name])
    viz: dict[str, Any] = {
        "color": {**palette.rgb(palette.type_color(data.get("type"))), "a": 1.0},
        "size": common.node_size(data.get("mentions")),
    }
    if isinstance(data.get("viz"), dict):  # a layout or style set by the caller wins
        viz.update(data["viz"])
    children = _viz(viz, document)
    if row:  # NetworkX writes no <attvalues> for a node without data
        children += _attvalues([(document.column("node", name, value), value) for name, value in row.items()])
    return _element("node", fields, children)


def _edge(
    source: str, target: str, edge_id: str, key: Any, relation: Any, row: dict[str, Any], document: _Document
) -> list[str]:
    row = dict(row)
    row.pop(EDGE_ID, None)
    fields = {"source": source, "target": target, "id": edge_id}
    interval = common.date_interval(row.get("date"))
    if interval and "start" not in row and "end" not in row:
        row["start"], row["end"] = interval
    for name in _EDGE_FIELDS:
        if name in row:
            fields[name] = row.pop(name)
            if name in ("start", "end"):
                document.saw_time(fields[name])
    if isinstance(row.get("relation"), str):
        fields["kind"] = row["relation"]  # Gephi keeps parallel edges of different kinds apart
    numbered = [(document.column("edge", name, value), name, value) for name, value in row.items()]
    document.column("edge", _NETWORKX_KEY, key)
    color = {**palette.rgb(palette.relation_color(relation)), "a": 1.0}
    values = [(column_id, value) for column_id, name, value in numbered if name != _NETWORKX_KEY]
    return _element("edge", fields, [*_viz({"color": color}, document), *_attvalues(values)])


def _viz(viz: dict[str, Any], document: _Document) -> list[str]:
    """The `viz:` elements of a node or edge, as NetworkX writes its `viz` dict."""
    elements = []
    color, size, thickness = viz.get("color"), viz.get("size"), viz.get("thickness")
    shape, position = viz.get("shape"), viz.get("position")
    if color is not None:
        rgba = {"r": color.get("r"), "g": color.get("g"), "b": color.get("b"), "a": color.get("a", 1.0)}
        elements.append(("color", rgba))
    if size is not None:
        elements.append(("size", {"value": size}))
    if thickness is not None:
        elements.append(("thickness", {"value": thickness}))
    if shape is not None:
        elements.append(("shape", {"value": "image", "uri": shape} if shape.startswith("http") else {"value": shape}))
    if position is not None:
        elements.append(("position", {"x": position.get("x"), "y": position.get("y"), "z": position.get("z")}))
    document.uses_viz = document.uses_viz or bool(elements)
    return [f"        <{_VIZ}:{tag} {_attributes(values)} />" for tag, values in elements]


def _attvalues(values: list[tuple[str, Any]]) -> list[str]:
    """The `<attvalues>` of a node or edge, from (column id, value) pairs."""
    lines = [
        f'          <attvalue for="{column_id}" value="{common.xml_attribute(_value(value))}" />'
        for column_id, value in values
    ]
    return ["        <attvalues>", *lines, "        </attvalues>"] if lines else ["        <attvalues />"]


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return {"inf": "INF", "nan": "NaN", "-inf": "-INF"}.get(str(value), str(value))
    return str(value)


def _element(tag: str, fields: dict[str, Any], children: list[str]) -> list[str]:
    """A `<node>` or `<edge>` (inside `<nodes>` or `<edges>`) with its children's lines."""
    if not children:
        return [f"      <{tag} {_attributes(fields)} />"]
    return [f"      <{tag} {_attributes(fields)}>", *children, f"      </{tag}>"]


def _attributes(fields: dict[str, Any]) -> str:
    return " ".join(f'{name}="{common.xml_attribute(value)}"' for name, value in fields.items())


def _block(tag: str, lines: list[str]) -> list[str]:
    return [f"    <{tag}>", *lines, f"    </{tag}>"] if lines else [f"    <{tag} />"]


def _root(uses_viz: bool) -> str:
    viz = f'xmlns:{_VIZ}="{_SPEC["NS_VIZ"]}" ' if uses_viz else ""
    return (
        f'<gexf {viz}xmlns="{_SPEC["NS_GEXF"]}" xmlns:xsi="{_SPEC["NS_XSI"]}" '
        f'xsi:schemaLocation="{_SPEC["SCHEMALOCATION"]}" version="{_SPEC["VERSION"]}">'
    )


def _meta(graph_attrs: dict[str, Any], json_names: dict[str, list[str]]) -> list[str]:
    """A meta block that depends on the graph only (NetworkX would write today's date and its own version)."""
    created = str(graph_attrs.get("created", ""))
    dated = _DATE.match(created) and common.date_interval(created[:10])
    version = graph_attrs.get("kgraph_version")
    creator = f"kgraph {version}" if version else "kgraph"
    description = common.to_json_text({_META_KEY: {"graph": graph_attrs, "json": json_names}})
    return [
        f'  <meta lastmodifieddate="{common.xml_attribute(created[:10])}">' if dated else "  <meta>",
        f"    <creator>{common.xml_text(creator)}</creator>",
        f"    <description>{common.xml_text(description)}</description>",
        "  </meta>",
    ]


def from_gexf(data: bytes, *, name: str = "<gexf>") -> nx.MultiDiGraph:
    """Parse GEXF bytes (through defusedxml) into a kgraph MultiDiGraph; JSON attributes restored."""
    root = common.parse_xml(data, name)
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    versions = {spec["NS_GEXF"]: version for version, spec in GEXFReader.versions.items()}
    if common.local_name(root.tag) != "gexf" or namespace not in versions:
        raise GraphFileError(f"{name}: not a GEXF 1.1, 1.2 or 1.3 file (root element <{common.local_name(root.tag)}>)")
    reader = GEXFReader(node_type=str, version=versions[namespace])
    reader.simple_graph = False  # keep a multigraph even without parallel edges
    graph_element = root.find(f"{{{namespace}}}graph")
    if graph_element is None:
        raise GraphFileError(f"{name}: the GEXF file has no <graph>")
    try:
        parsed = reader.make_graph(graph_element)
    except (nx.NetworkXError, KeyError, ValueError, TypeError, AttributeError, RuntimeError) as exc:
        raise GraphFileError(f"{name}: malformed GEXF ({exc})") from exc
    return _to_kgraph(parsed, _read_meta(root, namespace), name)


def read_gexf(path: Path) -> nx.MultiDiGraph:
    return from_gexf(common.read_graph_bytes(path), name=str(path))


def _read_meta(root: Any, namespace: str) -> dict[str, Any]:
    description = root.find(f"{{{namespace}}}meta/{{{namespace}}}description")
    try:
        meta = json.loads(description.text or "") if description is not None else None
    except json.JSONDecodeError:
        return {}
    found = meta.get(_META_KEY) if isinstance(meta, dict) else None
    return found if isinstance(found, dict) else {}


def _to_kgraph(parsed: nx.MultiGraph, meta: dict[str, Any], name: str) -> nx.MultiDiGraph:
    found = meta.get("json")
    json_names = {
        scope: [n for n in names if isinstance(n, str)]
        for scope, names in (found.items() if isinstance(found, dict) else [])
        if isinstance(names, list)
    }
    graph = nx.MultiDiGraph()
    if isinstance(meta.get("graph"), dict):
        graph.graph.update(meta["graph"])
    else:  # a GEXF written by another tool
        graph.graph.update({k: v for k, v in parsed.graph.items() if k not in ("mode", "node_default", "edge_default")})
    for node, data in parsed.nodes(data=True):
        row = {k: v for k, v in data.items() if k != "viz" and v is not None}
        common.decode_json_attributes(row, json_names.get("node", ()), where=f"{name}: node {node}")
        graph.add_node(common.unescape_id(node), **row)
    for u, v, key, data in parsed.edges(keys=True, data=True):
        row = dict(data)
        edge_id = row.pop(EDGE_ID, key)
        common.decode_json_attributes(row, json_names.get("edge", ()), where=f"{name}: edge {edge_id}")
        if "start" in row and (row.get("start"), row.get("end")) == common.date_interval(row.get("date")):
            del row["start"], row["end"]  # derived from `date` by to_gexf
        source, target = common.unescape_id(u), common.unescape_id(v)
        relation = row.get("relation")
        key = relation if isinstance(relation, str) and not graph.has_edge(source, target, relation) else edge_id
        graph.add_edge(source, target, key=key, **row)
    return common.restore_contract_types(graph)
