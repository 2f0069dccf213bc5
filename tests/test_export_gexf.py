"""GEXF export: Gephi colours, sizes and timeline; read back losslessly by kgraph and by NetworkX."""

from __future__ import annotations

import io
import re

import networkx as nx
import pytest
from hypothesis import given, settings
from lxml import etree

from kgraph.errors import GraphFileError
from kgraph.export import common, palette, write
from kgraph.export.gexf import from_gexf, read_gexf, to_gexf, write_gexf
from tests.test_export_common import ANY_TEXT, assert_same_graph, cleaned, hostile_graph

NS = {"x": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}


def edge_element(data: bytes, source: str, target: str) -> etree._Element:
    (edge,) = etree.fromstring(data).xpath(f".//x:edge[@source='{source}'][@target='{target}']", namespaces=NS)
    return edge


def test_round_trip_is_lossless(sample_graph):
    assert_same_graph(sample_graph, from_gexf(to_gexf(sample_graph)))


def test_write_and_read_a_file(tmp_path, sample_graph):
    path = tmp_path / "graph.gexf"
    assert write(sample_graph, path) == [path]
    assert_same_graph(sample_graph, read_gexf(path))
    assert write_gexf(sample_graph, path) == [path]


def test_it_is_gexf_1_2_as_networkx_writes_it(sample_graph):
    root = etree.fromstring(to_gexf(sample_graph))
    assert root.tag == "{http://www.gexf.net/1.2draft}gexf"
    assert root.get("version") == "1.2"
    graph = nx.read_gexf(io.BytesIO(to_gexf(sample_graph)))
    assert graph.number_of_nodes() == 6 and graph.number_of_edges() == 4
    assert graph.nodes["person:kim-jong-un"]["label"] == "Kim Jong Un"
    assert graph.nodes["person:kim-jong-un"]["type"] == "PERSON"


def test_nodes_are_coloured_by_type_and_sized_by_mentions(sample_graph):
    root = etree.fromstring(to_gexf(sample_graph))
    nodes = {n.get("id"): n for n in root.iterfind(".//x:node", NS)}
    kim, lavrov, russia = nodes["person:kim-jong-un"], nodes["person:sergei-lavrov"], nodes["gpe:russie"]
    colour = {k: int(v) for k, v in kim.find("viz:color", NS).attrib.items() if k in "rgb"}
    assert colour == palette.rgb(palette.TYPE_COLORS["PERSON"])
    assert lavrov.find("viz:color", NS).attrib == kim.find("viz:color", NS).attrib
    assert russia.find("viz:color", NS).get("r") != kim.find("viz:color", NS).get("r")
    size = {n: float(nodes[n].find("viz:size", NS).get("value")) for n in nodes}
    assert size["person:kim-jong-un"] > size["person:sergei-lavrov"] > size["org:evil"]


def test_edges_carry_no_networkx_key_column(sample_graph):
    root = etree.fromstring(to_gexf(sample_graph))
    titles = [a.get("title") for a in root.iterfind(".//x:attributes[@class='edge']/x:attribute", NS)]
    assert "relation" in titles and "networkx_key" not in titles
    defined = {a.get("id") for a in root.iterfind(".//x:attributes[@class='edge']/x:attribute", NS)}
    used = {v.get("for") for e in root.iterfind(".//x:edge", NS) for v in e.iterfind(".//x:attvalue", NS)}
    assert used <= defined


def test_edges_are_coloured_by_relation(sample_graph):
    data = to_gexf(sample_graph)
    meeting = edge_element(data, "person:kim-jong-un", "person:sergei-lavrov").find("viz:color", NS)
    assert {k: int(meeting.get(k)) for k in "rgb"} == palette.rgb(palette.RELATION_COLORS["meeting"])


def test_dated_edges_carry_an_interval_for_the_timeline(sample_graph):
    sample_graph.add_edge("gpe:russie", "loc:wonsan", key="visit", relation="visit", weight=1, date="2024-06")
    data = to_gexf(sample_graph)
    graph = etree.fromstring(data).find("x:graph", NS)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    day = edge_element(data, "person:kim-jong-un", "person:sergei-lavrov")
    assert (day.get("start"), day.get("end")) == ("2025-07-12", "2025-07-13")
    month = edge_element(data, "gpe:russie", "loc:wonsan")
    assert (month.get("start"), month.get("end")) == ("2024-06-01", "2024-07-01")
    year = edge_element(data, "gpe:russie", "gpe:coree-du-nord")
    assert (year.get("start"), year.get("end")) == ("2024-01-01", "2025-01-01")
    undated = edge_element(data, "loc:wonsan", "gpe:coree-du-nord")
    assert undated.get("start") is None and undated.get("end") is None


def test_edge_weight_label_and_unique_ids(sample_graph):
    data = to_gexf(sample_graph)
    edges = etree.fromstring(data).findall(".//x:edge", NS)
    assert [e.get("id") for e in edges] == [f"e{i}" for i in range(len(edges))]
    meeting = edge_element(data, "person:kim-jong-un", "person:sergei-lavrov")
    assert float(meeting.get("weight")) == 2.0
    assert meeting.get("label") == "reçoit"
    assert [e.get("kind") for e in edges] == ["agreement", "located_in", "opposition", "meeting"]


def test_lists_are_json_strings(sample_graph):
    text = to_gexf(sample_graph).decode("utf-8")
    assert "[&quot;Kim Jong Un&quot;,&quot;M. Kim&quot;,&quot;Kim Jon Un&quot;]" in text
    assert "<spells" not in text and "None" not in text


def test_output_is_deterministic_and_dated_by_the_graph(sample_graph):
    reversed_graph = nx.MultiDiGraph(**sample_graph.graph)
    reversed_graph.add_nodes_from(reversed(list(sample_graph.nodes(data=True))))
    reversed_graph.add_edges_from(reversed(list(sample_graph.edges(keys=True, data=True))))
    data = to_gexf(sample_graph)
    assert to_gexf(reversed_graph) == data
    meta = etree.fromstring(data).find("x:meta", NS)
    assert meta.get("lastmodifieddate") == "2025-01-01"
    assert meta.findtext("x:creator", namespaces=NS) == "kgraph test"


def test_hostile_text_gives_well_formed_gexf_that_reads_back_cleaned():
    graph = hostile_graph()
    data = to_gexf(graph)
    etree.fromstring(data)  # strict parser: raises on anything not well-formed
    assert_same_graph(cleaned(graph), from_gexf(data))


@settings(max_examples=40, deadline=None)
@given(label=ANY_TEXT, node_id=ANY_TEXT)
def test_any_label_and_id_survive(label, node_id):
    graph = nx.MultiDiGraph()
    graph.add_node(node_id, label=label, type="MISC", aliases=[label])
    graph.add_edge(node_id, node_id, key="role", relation="role", label=label, weight=1)
    data = to_gexf(graph)
    etree.fromstring(data)
    back = from_gexf(data)
    assert back.nodes[node_id]["label"] == common.clean_xml_text(label)
    assert back.nodes[node_id]["aliases"] == [common.clean_xml_text(label)]


def test_gexf_from_another_tool_reads():
    graph = nx.MultiDiGraph()
    graph.add_node("a", label="A")
    graph.add_edge("a", "b", weight=1.5)
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer)
    back = from_gexf(buffer.getvalue())
    assert back.nodes["a"]["label"] == "A"
    assert [d["weight"] for *_, d in back.edges(data=True)] == [1.5]


ENTITIES = b"""<?xml version="1.0"?>
<!DOCTYPE gexf [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">
<graph><nodes><node id="n" label="&b;"/></nodes></graph></gexf>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE gexf [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">
<graph><nodes><node id="n" label="&xxe;"/></nodes></graph></gexf>
"""


@pytest.mark.parametrize("content", [ENTITIES, EXTERNAL])
def test_entity_tricks_are_refused(tmp_path, content):
    path = tmp_path / "evil.gexf"
    path.write_bytes(content)
    with pytest.raises(GraphFileError, match=r"evil\.gexf: refused: .*entit"):
        read_gexf(path)


def test_oversize_file_is_refused(tmp_path, monkeypatch, sample_graph):
    path = write_gexf(sample_graph, tmp_path / "big.gexf")[0]
    monkeypatch.setattr(common, "MAX_GRAPH_FILE_BYTES", 1000)
    with pytest.raises(GraphFileError, match=r"big\.gexf: \d+ bytes is larger than the 1000 bytes limit"):
        read_gexf(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<gexf xmlns='http://www.gexf.net/1.2draft'><graph>", "not well-formed XML"),
        (b"<graphml xmlns='http://graphml.graphdrawing.org/xmlns'/>", "not a GEXF"),
        (b"<gexf xmlns='http://www.gexf.net/1.2draft'/>", "has no <graph>"),
        (
            b"<gexf xmlns='http://www.gexf.net/1.2draft'><graph defaultedgetype='directed'><nodes>"
            b"<node id='a'><attvalues><attvalue for='9' value='x'/></attvalues></node></nodes>"
            b"</graph></gexf>",
            "malformed GEXF",
        ),
        (
            b"<gexf xmlns='http://www.gexf.net/1.2draft'><graph defaultedgetype='directed'>"
            b"<attributes class='node'><attribute id='0' title='n' type='integer'/></attributes><nodes>"
            b"<node id='a'><attvalues><attvalue for='0' value='x'/></attvalues></node></nodes>"
            b"</graph></gexf>",
            "malformed GEXF",
        ),
        (
            b"<gexf xmlns='http://www.gexf.net/1.2draft'><graph defaultedgetype='directed'>"
            b"<attributes class='bogus'/></graph></gexf>",
            "malformed GEXF",
        ),
    ],
)
def test_bad_files_give_a_graph_file_error(tmp_path, content, message):
    path = tmp_path / "bad.gexf"
    path.write_bytes(content)
    with pytest.raises(GraphFileError, match=rf"bad\.gexf: .*{re.escape(message)}"):
        read_gexf(path)
