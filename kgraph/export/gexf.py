"""GEXF 1.2 for Gephi: colours and sizes by entity type and mentions, edges coloured by relation and dated.

Written with NetworkX's GEXF writer (1.2draft, `viz:` namespace) from a coerced copy of the graph:
lists and dicts become JSON strings (NetworkX would take a list for dynamic values), `None` is dropped,
text is cleaned of what XML 1.0 cannot hold. Every edge gets a `kind` (its relation; a GEXF 1.3
attribute that Gephi reads in any version) so that Gephi keeps parallel edges of different relations
apart instead of merging them; an edge with a `date` also gets `start`/`end` covering the day, month or
year it names (end = the first day after), so Gephi's timeline shows it. The graph attributes and the
names of JSON-valued attributes are kept as JSON in `<meta><description>`, so that `read_gexf` gives
back the graph that was written.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite.gexf import GEXFReader, GEXFWriter

from kgraph.atomic import atomic_write_bytes
from kgraph.errors import GraphFileError
from kgraph.export import common, palette

VERSION = "1.2draft"
EDGE_ID = "id"  # NetworkX takes it as the GEXF edge id
_META_KEY = "kgraph"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def to_gexf(graph: nx.MultiDiGraph) -> bytes:
    nodes, edges = common.sorted_items(graph)
    node_rows, node_json = common.prepare_attributes({k: v for k, v in d.items() if k != "viz"} for _, d in nodes)
    edge_rows, edge_json = common.prepare_attributes(
        ({k: v for k, v in d.items() if k != "viz"} for *_, d in edges), numeric=("weight",)
    )
    graph_attrs = common.plain({k: v for k, v in graph.graph.items() if v is not None}, common.clean_xml_text)

    ids = {node: common.escape_id(str(node), nmtoken=False) for node, _ in nodes}
    out = nx.MultiDiGraph()
    for (node, data), row in zip(nodes, node_rows, strict=True):
        viz = {
            "color": {**palette.rgb(palette.type_color(data.get("type"))), "a": 1.0},
            "size": common.node_size(data.get("mentions")),
        }
        if isinstance(data.get("viz"), dict):  # a layout or style set by the caller wins
            viz.update(data["viz"])
        out.add_node(ids[node], **row, viz=viz)
    for index, ((u, v, key, data), row) in enumerate(zip(edges, edge_rows, strict=True)):
        row = {**row, EDGE_ID: f"e{index}"}
        interval = common.date_interval(data.get("date"))
        if interval and "start" not in row and "end" not in row:
            row["start"], row["end"] = interval
        color = palette.relation_color(data.get("relation", key))
        out.add_edge(ids[u], ids[v], key=key, **row, viz={"color": {**palette.rgb(color), "a": 1.0}})

    writer = GEXFWriter(version=VERSION)
    writer.add_graph(out)
    if not writer.graph_element.get("name"):
        del writer.graph_element.attrib["name"]  # not in the GEXF 1.2 schema; NetworkX writes name=""
    _drop_networkx_key(writer.graph_element)
    for element, row in zip(writer.graph_element.find("edges"), edge_rows, strict=True):
        if isinstance(row.get("relation"), str):
            element.set("kind", row["relation"])  # Gephi keeps parallel edges of different kinds apart
    _set_meta(writer, graph_attrs, {"node": sorted(node_json), "edge": sorted(edge_json)})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def write_gexf(graph: nx.MultiDiGraph, path: Path) -> list[Path]:
    path = Path(path)
    atomic_write_bytes(path, to_gexf(graph))
    return [path]


def _drop_networkx_key(graph_element: Any) -> None:
    """NetworkX stores each multigraph key as a `networkx_key` edge column: an attribute no one asked for in
    Gephi's data table (the key is the relation, already in `relation` and `kind`)."""
    for attributes in graph_element.findall("attributes"):
        if attributes.get("class") != "edge":
            continue
        for attribute in attributes.findall("attribute"):
            if attribute.get("title") == "networkx_key":
                attributes.remove(attribute)
                for values in graph_element.iter("attvalues"):
                    for value in values.findall("attvalue"):
                        if value.get("for") == attribute.get("id"):
                            values.remove(value)
        if not len(attributes):
            graph_element.remove(attributes)


def _set_meta(writer: GEXFWriter, graph_attrs: dict[str, Any], json_names: dict[str, list[str]]) -> None:
    """Replace NetworkX's meta (today's date, its own version) with one that depends on the graph only."""
    meta = writer.xml.find("meta")
    for child in list(meta):
        meta.remove(child)
    created = str(graph_attrs.get("created", ""))
    if _DATE.match(created) and common.date_interval(created[:10]):
        meta.set("lastmodifieddate", created[:10])
    else:
        meta.attrib.pop("lastmodifieddate", None)
    version = graph_attrs.get("kgraph_version")
    meta.append(meta.makeelement("creator", {}))
    meta[-1].text = f"kgraph {version}" if version else "kgraph"
    meta.append(meta.makeelement("description", {}))
    meta[-1].text = common.to_json_text({_META_KEY: {"graph": graph_attrs, "json": json_names}})


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
    return _to_kgraph(parsed, _meta(root, namespace), name)


def read_gexf(path: Path) -> nx.MultiDiGraph:
    return from_gexf(common.read_graph_bytes(path), name=str(path))


def _meta(root: Any, namespace: str) -> dict[str, Any]:
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
