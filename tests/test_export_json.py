"""Node-link JSON: lossless, typed, and byte-identical when read and written again."""

from __future__ import annotations

import datetime as dt
import json

import networkx as nx
import pytest

from kgraph.errors import GraphFileError
from kgraph.export import common
from kgraph.export.json import from_json, read_json, to_json, write_json
from tests.conftest import make_sample_graph
from tests.test_export_common import assert_same_graph, hostile_graph


def test_round_trip_is_lossless(sample_graph):
    assert_same_graph(sample_graph, from_json(to_json(sample_graph)))


def test_reading_and_writing_again_gives_the_same_bytes(tmp_path, sample_graph):
    path = write_json(sample_graph, tmp_path / "graph.json")[0]
    original = path.read_bytes()
    assert to_json(read_json(path)).encode("utf-8") == original
    write_json(read_json(path), tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == original


def test_types_survive(sample_graph):
    sample_graph.nodes["loc:wonsan"]["score"] = 1.0
    back = from_json(to_json(sample_graph))
    kim = back.nodes["person:kim-jong-un"]
    assert type(kim["mentions"]) is int and type(kim["aliases"]) is list
    assert type(back.nodes["loc:wonsan"]["score"]) is float
    meeting = back.edges["person:kim-jong-un", "person:sergei-lavrov", "meeting"]
    assert type(meeting["weight"]) is int and type(meeting["confidence"]) is float
    assert meeting["evidence"][0] == {
        "doc": "a.txt",
        "sentence": "M. Kim a reçu M. Lavrov à Wonsan.",
        "start": 10,
        "end": 43,
        "date": "2025-07-12",
    }
    assert back.graph["documents"] == 2


def test_hostile_text_is_kept_exactly(tmp_path):
    graph = hostile_graph()
    path = write_json(graph, tmp_path / "graph.json")[0]  # lone surrogates must not break UTF-8
    assert_same_graph(graph, read_json(path))
    assert to_json(read_json(path)).encode("utf-8") == path.read_bytes()


def test_output_is_deterministic(sample_graph):
    reversed_graph = nx.MultiDiGraph(**sample_graph.graph)
    reversed_graph.add_nodes_from(reversed(list(sample_graph.nodes(data=True))))
    reversed_graph.add_edges_from(reversed(list(sample_graph.edges(keys=True, data=True))))
    assert to_json(reversed_graph) == to_json(sample_graph)


def test_values_json_has_no_type_for_are_written_as_text(sample_graph):
    sample_graph.graph["built"] = dt.date(2025, 1, 2)
    sample_graph.graph["tags"] = {"b", "a"}
    data = json.loads(to_json(sample_graph))
    assert data["graph"]["built"] == "2025-01-02" and data["graph"]["tags"] == ["a", "b"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{", "not valid JSON"),
        (b"[1, 2]", "not a kgraph node-link graph"),
        (b'{"nodes": [{"label": "no id"}], "edges": []}', "malformed node-link graph"),
        (b'{"nodes": [], "edges": [{"source": "a"}]}', "malformed node-link graph"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 200_000, "JSON"),
    ],
)
def test_bad_files_give_a_graph_file_error(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(GraphFileError, match=rf"bad\.json: .*{message}"):
        read_json(path)


def test_oversize_file_is_refused(tmp_path, monkeypatch, sample_graph):
    path = write_json(sample_graph, tmp_path / "big.json")[0]
    monkeypatch.setattr(common, "MAX_GRAPH_FILE_BYTES", 1000)
    with pytest.raises(GraphFileError, match=r"big\.json: \d+ bytes is larger than the 1000 bytes limit"):
        read_json(path)


@pytest.mark.parametrize(
    "graph",
    [make_sample_graph(), hostile_graph(), nx.MultiDiGraph(), nx.DiGraph([("b", "a"), ("a", "c")], name="plain")],
    ids=["sample", "hostile", "empty", "not-a-multigraph"],
)
def test_the_streamed_text_is_networkx_node_link_json_sorted(graph):
    data = nx.node_link_data(graph, edges="edges")
    data["nodes"].sort(key=lambda n: str(n["id"]))
    data["edges"].sort(key=lambda e: (str(e["source"]), str(e["target"]), str(e.get("key"))))
    whole = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    assert to_json(graph) == common.escape_lone_surrogates(whole) + "\n"
