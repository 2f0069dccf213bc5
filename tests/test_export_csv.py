"""CSV export for `neo4j-admin database import full`: headers, file names, arrays, one line per record."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kgraph.export import write
from kgraph.export.csv import EDGE_HEADER, NODE_HEADER, csv_paths, to_csv, write_csv
from tests.test_export_common import hostile_graph


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_headers_are_what_neo4j_admin_expects(sample_graph):
    nodes, edges = to_csv(sample_graph)
    assert nodes.splitlines()[0] == ("id:ID(Entity),name,:LABEL,aliases:string[],mentions:int,documents:string[]")
    assert edges.splitlines()[0] == (
        ":START_ID(Entity),:END_ID(Entity),:TYPE,relation,label,weight:float,date,place,confidence:float,"
        "method,polarity,certainty,evidence:string[],documents:string[]"
    )
    assert tuple(nodes.splitlines()[0].split(",")) == NODE_HEADER
    assert tuple(edges.splitlines()[0].split(",")) == EDGE_HEADER


def test_nodes_file(sample_graph):
    nodes = {row["id:ID(Entity)"]: row for row in rows(to_csv(sample_graph)[0])}
    kim = nodes["person:kim-jong-un"]
    assert kim == {
        "id:ID(Entity)": "person:kim-jong-un",
        "name": "Kim Jong Un",
        ":LABEL": "Entity;PERSON",
        "aliases:string[]": "Kim Jong Un;M. Kim;Kim Jon Un",
        "mentions:int": "5",
        "documents:string[]": "a.txt",
    }
    assert nodes["org:evil"]["name"] == '<img src=x onerror="window.__pwned=1">'


def test_edges_file(sample_graph):
    edges = rows(to_csv(sample_graph)[1])
    meeting = next(row for row in edges if row[":TYPE"] == "MEETING")
    assert meeting[":START_ID(Entity)"] == "person:kim-jong-un"
    assert meeting[":END_ID(Entity)"] == "person:sergei-lavrov"
    assert meeting["relation"] == "meeting"
    assert meeting["weight:float"] == "2.0"
    assert meeting["date"] == "2025-07-12"
    assert meeting["place"] == "loc:wonsan"
    assert meeting["confidence:float"] == "0.9"
    assert meeting["evidence:string[]"] == (
        "M. Kim a reçu M. Lavrov à Wonsan.;La rencontre Kim-Lavrov a eu lieu à Wonsan."
    )
    assert meeting["documents:string[]"] == "a.txt"
    assert {row[":TYPE"] for row in edges} == {"MEETING", "AGREEMENT", "LOCATED_IN", "OPPOSITION"}
    node_ids = {row["id:ID(Entity)"] for row in rows(to_csv(sample_graph)[0])}
    assert {row[":START_ID(Entity)"] for row in edges} | {row[":END_ID(Entity)"] for row in edges} <= node_ids


def test_hostile_text_stays_one_line_per_record_with_no_stray_delimiters():
    graph = hostile_graph()
    nodes_text, edges_text = to_csv(graph)
    for text, count in ((nodes_text, graph.number_of_nodes()), (edges_text, graph.number_of_edges())):
        assert text.count("\n") == count + 1  # header + one physical line per record
        assert not [c for c in text if ord(c) < 32 and c not in "\t\n"]
        assert all(len(row) == len(text.splitlines()[0].split(",")) for row in csv.reader(io.StringIO(text)))
    evil = next(r for r in rows(nodes_text) if r["id:ID(Entity)"] == "org:evil")
    aliases = evil["aliases:string[]"].split(";")
    assert aliases[0] == "<script>window.__pwned=2</script>"
    assert aliases[1].startswith("x,y abcdefg h i")
    statement = next(r for r in rows(edges_text) if r[":TYPE"] == "STATEMENT")
    assert statement["evidence:string[]"] == "Il a dit , abcdefg h i]]>"
    support = next(r for r in rows(edges_text) if r[":TYPE"] == "SUPPORT")
    assert support["evidence:string[]"] == "" and support["date"] == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [("nodes.csv", ("nodes.csv", "edges.csv")), ("graph.csv", ("graph.nodes.csv", "graph.edges.csv"))],
)
def test_file_names(tmp_path, sample_graph, name, expected):
    assert csv_paths(tmp_path / name) == tuple(tmp_path / n for n in expected)
    written = write_csv(sample_graph, tmp_path / name)
    assert written == [tmp_path / n for n in expected]
    assert all(path.is_file() for path in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(expected)  # no temporary files left


def test_registry_writes_both_files(tmp_path, sample_graph):
    written = write(sample_graph, tmp_path / "out" / "nodes.csv")
    assert written == [tmp_path / "out" / "nodes.csv", tmp_path / "out" / "edges.csv"]
    assert written[1].read_text(encoding="utf-8").startswith(":START_ID(Entity)")


def test_unknown_types_become_safe_labels(sample_graph):
    sample_graph.add_node("x:1", label="X", type="WORK OF-ART", aliases=[], mentions=1, documents=[])
    sample_graph.add_edge("x:1", "gpe:russie", key="made in", relation="made in")
    nodes, edges = to_csv(sample_graph)
    assert next(r for r in rows(nodes) if r["id:ID(Entity)"] == "x:1")[":LABEL"] == "Entity;WORK_OF_ART"
    assert next(r for r in rows(edges) if r["relation"] == "made in")[":TYPE"] == "MADE_IN"


def test_docs_show_the_headers_and_the_import_command():
    docs = (Path(__file__).parent.parent / "docs" / "exports.md").read_text(encoding="utf-8")
    assert ",".join(NODE_HEADER) in docs
    assert ",".join(EDGE_HEADER) in docs
    assert "neo4j-admin database import full" in docs
