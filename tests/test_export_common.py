"""Shared export helpers: text cleaning, reversible ids, attribute coercion, dates, hardened reading.

Also holds the graph comparison and the hostile graph the per-format tests import.
"""

from __future__ import annotations

import json
import re
from typing import Any

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgraph.errors import GraphFileError
from kgraph.export import common
from tests.conftest import make_sample_graph

# Every character XML 1.0 cannot carry, plus CR (normalised) and text that looks like markup.
NASTY = "a\x00b\x0bc\x1fd\ud800e\ufffef\uffffg\r\nh\ri"
NASTY_CLEAN = "abcdefg\nh\ni"
# Any text, lone surrogates included (Hypothesis leaves them out of its default alphabet).
ANY_TEXT = st.text(st.one_of(st.characters(), st.characters(categories=["Cs"])))


def canonical(data: Any) -> str:
    """A text that tells 2 from 2.0 and a list from a tuple-looking string, for exact comparisons."""
    return json.dumps(data, sort_keys=True, ensure_ascii=True)


def assert_same_graph(expected: nx.MultiDiGraph, got: nx.MultiDiGraph) -> None:
    """Node by node and edge by edge, with value types: what a user would see differ."""
    assert isinstance(got, nx.MultiDiGraph)
    assert canonical(got.graph) == canonical(expected.graph)
    assert sorted(got.nodes) == sorted(expected.nodes)
    for node, data in expected.nodes(data=True):
        assert canonical(got.nodes[node]) == canonical(data), node
    assert sorted(got.edges(keys=True)) == sorted(expected.edges(keys=True))
    for u, v, key, data in expected.edges(keys=True, data=True):
        assert canonical(got.edges[u, v, key]) == canonical(data), (u, v, key)


def hostile_graph() -> nx.MultiDiGraph:
    """The sample graph plus control characters, lone surrogates, CRs, `;` and odd node ids."""
    g = make_sample_graph()
    g.graph["note"] = f"graph {NASTY}"
    g.nodes["org:evil"]["label"] += NASTY
    g.nodes["org:evil"]["aliases"].append(f"x;y\n{NASTY}")
    odd = "misc:odd id/é\x01_x0041_"
    g.add_node(odd, label="Odd \u202e<&>\"'", type="MISC", aliases=[NASTY], mentions=1, documents=["c.txt"])
    g.add_edge(
        odd,
        "org:evil",
        key="statement",
        relation="statement",
        label=f"dit{NASTY}",
        weight=3,
        date="2024-06",
        confidence=0.5,
        method="dependency",
        polarity="negative",
        certainty="hedged",
        evidence=[
            {
                "doc": "c.txt",
                "sentence": f"Il a dit ; {NASTY}]]>",
                "start": 0,
                "end": 9,
                "spans": [[0, 2], [3, 6]],
            }
        ],
    )
    g.add_edge(odd, "org:evil", key="support", relation="support", label="soutient", weight=1, evidence=[])
    return g


def cleaned(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """What an XML export gives back: every attribute string cleaned, node ids and keys unchanged."""

    def clean(value: Any) -> Any:
        return common.plain(value, common.clean_xml_text)

    out = nx.MultiDiGraph()
    out.graph.update(clean(graph.graph))
    for node, data in graph.nodes(data=True):
        out.add_node(node, **clean(data))
    for u, v, key, data in graph.edges(keys=True, data=True):
        out.add_edge(u, v, key=key, **clean(data))
    return out


def test_clean_xml_text_removes_what_xml_cannot_hold():
    assert common.clean_xml_text(NASTY) == NASTY_CLEAN
    assert common.clean_xml_text("tab\tnew\nline \u202e é 😀") == "tab\tnew\nline \u202e é 😀"


@given(ANY_TEXT)
def test_escape_id_round_trips_any_text(text):
    for nmtoken in (True, False):
        escaped = common.escape_id(text, nmtoken=nmtoken)
        assert common.unescape_id(escaped) == text
        no_cr = escaped.replace("\r", "")  # CR is legal XML; attribute values keep it as &#13;
        assert common.clean_xml_text(no_cr) == no_cr
        if nmtoken:
            assert re.fullmatch(r"[A-Za-z0-9._:-]+", escaped)


def test_escape_id_keeps_kgraph_ids_readable():
    assert common.escape_id("person:kim-jong-un", nmtoken=True) == "person:kim-jong-un"
    assert common.escape_id("misc:a b", nmtoken=True) == "misc:a_x0020_b"
    assert common.escape_id("misc:a b", nmtoken=False) == "misc:a b"
    assert common.escape_id("a_x0041_", nmtoken=False) == "a_x005F_x0041_"


def test_prepare_attributes_keeps_one_type_per_attribute():
    rows, json_names = common.prepare_attributes(
        [
            {"label": "A", "aliases": ["a"], "n": 1, "mixed": 1, "gone": None, "w": 2},
            {"label": "B", "aliases": [], "n": 2, "mixed": "1", "w": "x"},
        ],
        numeric=("w",),
    )
    assert json_names == {"aliases", "mixed"}
    assert rows[0] == {"label": "A", "aliases": '["a"]', "n": 1, "mixed": "1", "w": 2.0}
    assert rows[1] == {"label": "B", "aliases": "[]", "n": 2, "mixed": '"1"'}


@pytest.mark.parametrize(
    ("date", "interval"),
    [
        ("2025-07-12", ("2025-07-12", "2025-07-13")),
        ("2024-06", ("2024-06-01", "2024-07-01")),
        ("2024-12", ("2024-12-01", "2025-01-01")),
        ("2024", ("2024-01-01", "2025-01-01")),
        ("2024-02-28T10:00:00Z", ("2024-02-28", "2024-02-29")),
        ("2024-13", None),
        ("hier", None),
        (None, None),
        (2024, None),
    ],
)
def test_date_interval_is_the_period_the_date_names(date, interval):
    assert common.date_interval(date) == interval


def test_node_sizes_grow_with_mentions():
    assert common.node_size(0) < common.node_size(1) < common.node_size(100)


def test_read_graph_bytes_refuses_oversize_files_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.graphml"
    path.write_bytes(b"x" * 101)
    monkeypatch.setattr(common, "MAX_GRAPH_FILE_BYTES", 100)
    with pytest.raises(GraphFileError, match=r"big\.graphml: 101 bytes is larger than the 100 bytes limit"):
        common.read_graph_bytes(path)


def test_read_graph_bytes_names_a_missing_file(tmp_path):
    with pytest.raises(GraphFileError, match=r"missing\.json: cannot read"):
        common.read_graph_bytes(tmp_path / "missing.json")
