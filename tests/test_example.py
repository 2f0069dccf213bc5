"""End to end: `kgraph build` on the project's example article, and on the reference AFP article when the
shared corpus is present (it is not shipped with the project)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.export.json import read_json
from tests.graph_helpers import edge_data, has_edge, nodes_named

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sommet-wonsan.fr.txt"
SEED = ROOT.parent / "shared" / "corpus" / "kim-lavrov-wonsan.fr.txt"
PEOPLE = ["Kim Jong Un", "Sergueï Lavrov", "Vladimir Poutine", "Choe Son Hui", "Sergueï Choïgou"]
PLACES = {"Corée du Nord": "GPE", "Russie": "GPE", "Ukraine": "GPE", "Wonsan": "LOC", "Koursk": "LOC"}


def build(tmp_path: Path, source: Path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return result, out, read_json(out / "graph.json")


@pytest.fixture(scope="module")
def example(tmp_path_factory, nlp):
    return build(tmp_path_factory.mktemp("example"), EXAMPLE)


def test_build_writes_the_map_the_graphml_and_the_json(example):
    result, out, graph = example
    for name in ("graph.html", "graph.graphml", "graph.json"):
        assert (out / name).stat().st_size > 0
        assert str(out / name) in result.output
    assert f"{graph.number_of_nodes()} entities" in result.output
    assert json.loads((out / "graph.json").read_text())["graph"]["documents"] == 1


def test_example_has_one_node_per_real_entity(example):
    _result, _out, graph = example
    for name in PEOPLE:
        (node,) = nodes_named(graph, name)
        assert graph.nodes[node]["type"] == "PERSON"
    for name, kind in PLACES.items():
        (node,) = nodes_named(graph, name)
        assert graph.nodes[node]["type"] == kind
    assert graph.nodes[nodes_named(graph, "KCNA")[0]]["type"] == "ORG"
    assert not {d["label"] for _n, d in graph.nodes(data=True)} & {"AFP", "KNS", "KCNA VIA KNS", "M."}


def test_example_relations(example):
    _result, _out, graph = example
    meeting = edge_data(graph, "Kim Jong Un", "meeting", "Sergueï Lavrov")
    assert meeting["date"] == "2025-07-12"
    assert graph.nodes[meeting["place"]]["label"] == "Wonsan"
    assert edge_data(graph, "Russie", "agreement", "Corée du Nord")["date"] == "2024"
    for triple in [
        ("Corée du Nord", "deployment", "Koursk"),
        ("Corée du Nord", "supply", "Russie"),
        ("Vladimir Poutine", "visit", "Corée du Nord"),
        ("Sergueï Lavrov", "meeting", "Choe Son Hui"),
        ("Kim Jong Un", "role", "Corée du Nord"),
        ("Sergueï Lavrov", "role", "Russie"),
        ("Choe Son Hui", "role", "Corée du Nord"),
        ("Ukraine", "capture", "Koursk"),
    ]:
        assert has_edge(graph, *triple), triple


@pytest.mark.skipif(not SEED.exists(), reason="the shared reference corpus is not present")
def test_reference_article_acceptance(tmp_path, nlp):
    _result, _out, graph = build(tmp_path, SEED)
    for name in PEOPLE:
        (node,) = nodes_named(graph, name)
        assert graph.nodes[node]["type"] == "PERSON", name
    for name, kind in {**PLACES, "KCNA": "ORG", "Tass": "ORG"}.items():
        (node,) = nodes_named(graph, name)
        assert graph.nodes[node]["type"] == kind, name
    labels = {d["label"] for _n, d in graph.nodes(data=True)}
    assert not labels & {"HANDOUT", "Handout", "RUSSIAN", "M.", "Kim Jon", "Kim Jong", "Etat KCNA"}
    kim = graph.nodes[nodes_named(graph, "Kim Jong Un")[0]]
    assert {"Kim Jon Un", "M. Kim"} <= set(kim["aliases"])
    assert edge_data(graph, "Kim Jong Un", "meeting", "Sergueï Lavrov")["date"] == "2025-07-12"
    assert edge_data(graph, "Russie", "agreement", "Corée du Nord")["date"] == "2024"
    assert edge_data(graph, "Ukraine", "capture", "Koursk")["date"] == "2024"
    assert edge_data(graph, "Vladimir Poutine", "visit", "Corée du Nord")["date"] == "2024"
    for triple in [
        ("Corée du Nord", "deployment", "Koursk"),
        ("Corée du Nord", "supply", "Russie"),
        ("Kim Jong Un", "support", "Russie"),
        ("Russie", "conflict", "Ukraine"),
        ("Sergueï Lavrov", "meeting", "Choe Son Hui"),
        ("Sergueï Lavrov", "thanks", "Choe Son Hui"),
        ("Sergueï Choïgou", "visit", "Corée du Nord"),
        ("Wonsan", "located_in", "Corée du Nord"),
        ("Kim Jong Un", "role", "Corée du Nord"),
        ("Sergueï Lavrov", "role", "Russie"),
        ("Choe Son Hui", "role", "Corée du Nord"),
        ("Sergueï Choïgou", "role", "Russie"),
        ("KCNA", "reports", "Kim Jong Un"),
        ("Tass", "reports", "Sergueï Lavrov"),
    ]:
        assert has_edge(graph, *triple), triple
