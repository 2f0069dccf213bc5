"""Golden files: the exact bytes each file writer gives for two small graphs, one with hostile text and one
with every attribute name and value type the XML writers treat specially (written by kgraph 0.1.0 through
NetworkX's own writers, which the streaming writers replace byte for byte)."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import pytest

from kgraph.export.csv import to_csv
from kgraph.export.gexf import to_gexf
from kgraph.export.graphml import to_graphml
from kgraph.export.json import to_json
from tests.test_export_common import hostile_graph

GOLDEN = Path(__file__).parent / "data" / "export"


def odd_graph() -> nx.MultiDiGraph:
    """Names the XML writers lift out of the data (`id`, `label`, `pid`, `start`, `end`, `type`, `viz`,
    `networkx_key`), booleans, infinities, empty text, elements without data, a graph `id`."""
    g = nx.MultiDiGraph(id='g"1\n\t&<x>', created="2024-02-30T00:00:00Z", kgraph_version=3, note="")
    g.add_node("a", id='A<&">', pid="p", start=2001, label="L\t\n", score=math.inf, low=-math.inf, ok=True)
    g.add_node("b", end=2.5, viz={"position": {"x": 1, "y": 2.5}, "shape": "http://x/y.png", "thickness": 3})
    g.add_node("c", viz={"color": None, "size": None, "shape": "disc"}, networkx_key="n", label="")
    g.add_node("d e", start="2020", end="2021", flag=False)
    g.add_node("lonely")
    g.add_edge("a", "b", key="k")
    g.add_edge("a", "c", key=5, type="undirected", start="2020", networkx_key="user", weight=2, label="")
    g.add_edge("b", "a", key="k2", date="2024-05", end="x", flag=False, relation="support")
    g.add_edge("c", "c", key="k3", id="mine", date="2024-05-06", score=1.5, evidence=[{"doc": "d", "spans": [[0, 1]]}])
    return g


WRITERS = {
    "graph.graphml": to_graphml,
    "graph.gexf": to_gexf,
    "graph.json": lambda graph: to_json(graph).encode("utf-8"),
    "graph.csv": lambda graph: "".join(to_csv(graph)).encode("utf-8"),
}
GRAPHS = {"hostile": hostile_graph, "odd": odd_graph}


@pytest.mark.parametrize("graph_name", sorted(GRAPHS))
@pytest.mark.parametrize("file_name", sorted(WRITERS))
def test_writer_gives_the_golden_bytes(graph_name, file_name):
    expected = (GOLDEN / f"{graph_name}.{file_name}").read_bytes()
    assert WRITERS[file_name](GRAPHS[graph_name]()) == expected
