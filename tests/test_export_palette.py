"""One palette: an entity type or a relation has the same colour in the map, its legend and GEXF."""

from __future__ import annotations

import networkx as nx
from lxml import etree

from kgraph.export import palette
from kgraph.export.gexf import to_gexf
from kgraph.export.html import to_html
from tests.test_export_html import page_data, vis_items

GEXF_NS = {"x": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
TYPES = [*palette.TYPE_COLORS, "NORP"]  # NORP: a type outside the schema
RELATIONS = [*palette.RELATION_COLORS, "sanctions"]  # sanctions: a user-defined relation


def every_type_and_relation() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for t in TYPES:
        g.add_node(t.lower(), label=t.title(), type=t, mentions=1)
    for i, relation in enumerate(RELATIONS):
        u, v = TYPES[i % len(TYPES)].lower(), TYPES[(i + 1) % len(TYPES)].lower()
        g.add_edge(u, v, key=relation, relation=relation, weight=1, evidence=[])
    return g


def hex_of(viz_color) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(viz_color.get(c)) for c in "rgb"))


def test_every_exporter_gives_a_type_and_a_relation_the_same_colour():
    g = every_type_and_relation()
    page = to_html(g)
    legend_types = {t["type"]: t["color"] for t in page_data(page)["types"]}
    legend_relations = {r["relation"]: r["color"] for r in page_data(page)["relations"]}
    node_types = {i: n["type"] for i, n in page_data(page)["nodes"].items()}
    map_types = {node_types[n["id"]]: n["color"]["background"] for n in vis_items(page, "nodes")}
    map_relations = {e["label"]: e["color"]["color"] for e in vis_items(page, "edges")}
    root = etree.fromstring(to_gexf(g))
    labels = {n.get("id"): n for n in root.iterfind(".//x:node", GEXF_NS)}
    gexf_types = {g.nodes[i]["type"]: hex_of(n.find("viz:color", GEXF_NS)) for i, n in labels.items()}
    gexf_relations = {e.get("kind"): hex_of(e.find("viz:color", GEXF_NS)) for e in root.iterfind(".//x:edge", GEXF_NS)}

    expected_types = {t: palette.type_color(t) for t in TYPES}
    expected_relations = {r: palette.relation_color(r) for r in RELATIONS}
    assert legend_types == map_types == gexf_types == expected_types
    assert legend_relations == map_relations == gexf_relations == expected_relations
    assert expected_types["PERSON"] == "#e15759" and expected_types["NORP"] == palette.UNKNOWN_TYPE_COLOR
    assert expected_relations["sanctions"] in palette.EXTRA_RELATION_COLORS
