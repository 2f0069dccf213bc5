"""The Dask engine's table merge (kgraph.engines.parquet): Parquet parts, resolution on distinct names, edges
aggregated by dask.dataframe; the same nodes and edges as the local engine, and a bounded graph.json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kgraph.api import build_graph

distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

pytestmark = [pytest.mark.dask, pytest.mark.model]

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sommet-wonsan.fr.txt"
TEXTS = [
    "Le président français Emmanuel Macron a reçu jeudi à Paris le chancelier allemand Olaf Scholz.",
    "Olaf Scholz a rencontré le président Macron à Berlin. La Russie a condamné l'Ukraine.",
    "Sergueï Lavrov a rencontré Kim Jong Un à Pyongyang. Le Japon a signé un accord avec la Corée du Sud.",
]


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "news"
    root.mkdir()
    shutil.copy(EXAMPLE, root / "wonsan.txt")
    for n, text in enumerate(TEXTS):
        (root / f"b{n}.txt").write_text(f"date 2025-0{n + 1}-01\n\n{text}\n", "utf-8")
    return root


def test_table_merge_gives_the_local_graph(corpus, tmp_path, scheduler):
    local = build_graph([corpus], jobs=1).graph
    out = tmp_path / "out"
    result = build_graph([corpus], engine="dask", scheduler=scheduler, merge="table", output=out, max_nodes=5)
    nodes = pd.read_parquet(out / "nodes.parquet")
    edges = pd.read_parquet(out / "edges.parquet")
    assert local.number_of_edges() > 5
    assert sorted(nodes["id"]) == sorted(local.nodes)
    want = {(u, v, k, d["weight"]) for u, v, k, d in local.edges(keys=True, data=True)}
    got = {(r.source, r.target, r.key, int(r.weight)) for r in edges.itertuples()}
    assert got == want
    # the other attributes follow kgraph.graph's rules too
    for row in edges.itertuples():
        data = local.edges[row.source, row.target, row.key]
        assert (row.label, row.method, row.certainty, row.confidence) == (
            data["label"],
            data["method"],
            data["certainty"],
            data["confidence"],
        )
        assert (row.date if isinstance(row.date, str) else None) == data.get("date")
        assert json.loads(row.evidence) == data["evidence"]
    for row in nodes.itertuples():
        attrs = local.nodes[row.id]
        assert (row.type, row.mentions, list(row.documents)) == (attrs["type"], attrs["mentions"], attrs["documents"])
    assert (result.full_nodes, result.full_edges) == (len(local), local.number_of_edges())
    assert result.graph.number_of_nodes() == 5
    assert not (out / ".kgraph-parts").exists()


def test_cli_table_merge_writes_a_bounded_json(corpus, tmp_path, scheduler):
    from typer.testing import CliRunner

    from kgraph.cli import app

    out = tmp_path / "out"
    args = ["build", str(corpus), "-o", str(out), "--engine", "dask", "--scheduler", scheduler, "--merge", "table"]
    result = CliRunner().invoke(app, [*args, "--format", "json,csv", "--max-nodes", "4"])
    assert result.exit_code == 0, result.output
    assert "graph.json/graphml/html hold the top 4 entities" in result.output
    data = json.loads((out / "graph.json").read_text("utf-8"))
    assert 0 < len(data["nodes"]) <= 4
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    full = pd.read_parquet(out / "edges.parquet")
    assert len((out / "edges.csv").read_text("utf-8").splitlines()) == len(full) + 1
    assert len((out / "nodes.csv").read_text("utf-8").splitlines()) == len(pd.read_parquet(out / "nodes.parquet")) + 1
