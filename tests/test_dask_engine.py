"""The Dask engine (kgraph.engines.dask) on a 2-process LocalCluster: same graph as the local engine."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from kgraph.api import build_graph
from kgraph.engines.dask import Partition, WorkOptions, iter_partition, plan_partitions
from kgraph.models import Document

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.dask

TEXTS = [
    "Le président français Emmanuel Macron a reçu jeudi à Paris le chancelier allemand Olaf Scholz.",
    "Le président turc Recep Tayyip Erdogan a condamné la Russie.",
    "Le Japon a signé un accord de défense avec le Royaume-Uni.",
    "Le Rwanda a envoyé des soldats au Mozambique. Emmanuel Macron a rencontré Paul Kagame à Kigali.",
    "Olaf Scholz a rencontré le président Macron à Berlin.",
]


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "news"
    (root / "sub").mkdir(parents=True)
    for n, text in enumerate(TEXTS):
        (root / ("sub" if n % 2 else "") / f"a{n}.txt").write_text(f"date 2025-0{n + 1}-01\n\n{text}\n", "utf-8")
    (root / "empty.txt").write_text("  \n", "utf-8")  # skipped by both engines
    return root


def same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert {k: v for k, v in a.graph.items() if k != "created"} == {k: v for k, v in b.graph.items() if k != "created"}
    assert sorted(a.nodes(data=True)) == sorted(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True), key=str) == sorted(b.edges(keys=True, data=True), key=str)


@pytest.mark.model
def test_dask_builds_the_same_graph_as_local(folder, tmp_path, scheduler):
    local = build_graph([folder], jobs=1)
    dask = build_graph([folder], engine="dask", scheduler=scheduler)
    assert dask.documents == local.documents == len(TEXTS)
    assert [(s.path, s.reason) for s in dask.skipped] == [(s.path, s.reason) for s in local.skipped] != []
    assert local.graph.number_of_edges() > 0
    same_graph(dask.graph, local.graph)


@pytest.mark.model
def test_file_url_jsonl_in_byte_ranges_and_the_cache(tmp_path, scheduler, monkeypatch):
    corpus = tmp_path / "corpus.jsonl"
    rows = [{"id": f"j{n}", "text": t, "date": "2025-03-01"} for n, t in enumerate(TEXTS)]
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    local = build_graph([corpus], jobs=1)
    # cut the file into ~100-byte ranges: every line must be read exactly once
    monkeypatch.setattr("kgraph.engines.dask.JSONL_PARTITION_BYTES", 100)
    url = corpus.as_uri()
    cache = tmp_path / "cache.sqlite"
    first = build_graph([url], engine="dask", scheduler=scheduler, cache=cache)
    same_graph(first.graph, local.graph)
    assert (first.parsed, first.cached) == (len(TEXTS), 0)
    with corpus.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "new", "text": "Le Japon a signé un accord avec la France."}) + "\n")
    again = build_graph([url], engine="dask", scheduler=scheduler, cache=cache)
    assert (again.parsed, again.cached) == (1, len(TEXTS))
    same_graph(again.graph, build_graph([corpus], jobs=1).graph)


def test_byte_ranges_cover_every_line_once(tmp_path):
    corpus = tmp_path / "c.jsonl"
    lines = [json.dumps({"id": f"d{n}", "text": "x" * (n * 7 % 50 + 1)}) for n in range(40)]
    corpus.write_text("\n".join(lines) + "\n", "utf-8")
    fields = WorkOptions("m", None, False, __import__("kgraph.corpus").corpus.JsonlFields()).fields  # type: ignore[arg-type]
    for size in (1, 17, 64, 1000, 10**6):
        partitions, skipped = plan_partitions([corpus.as_uri()], jsonl_bytes=size)
        assert not skipped
        ids = [d.id for p in partitions for d in iter_partition(p, fields) if isinstance(d, Document)]
        assert ids == [f"d{n}" for n in range(40)], size


def test_folder_url_gives_the_local_ids(folder):
    local, _ = plan_partitions([folder])
    remote, _ = plan_partitions([folder.as_uri()])
    assert (
        [i for _, i in local[0].files]
        == [i for _, i in remote[0].files]
        == [
            "a0.txt",
            "a2.txt",
            "a4.txt",
            "empty.txt",
            "sub/a1.txt",
            "sub/a3.txt",
        ]
    )
    fields = __import__("kgraph.corpus").corpus.JsonlFields()
    docs = [d for d in iter_partition(Partition(0, files=remote[0].files), fields) if isinstance(d, Document)]
    assert [d.text for d in docs] == [d.text for d in iter_partition(local[0], fields) if isinstance(d, Document)]
    assert docs[0].date == "2025-01-01"


def test_standard_input_needs_the_local_engine():
    from kgraph.errors import UsageError

    with pytest.raises(UsageError, match="local"):
        plan_partitions(["-"])


@pytest.mark.model
def test_cli_build_with_the_dask_engine(folder, tmp_path, scheduler):
    from typer.testing import CliRunner

    from kgraph.cli import app

    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["build", str(folder), "-o", str(out), "--engine", "dask", "--scheduler", scheduler, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "graph.json").exists()
    bad = CliRunner().invoke(app, ["build", str(folder), "-o", str(out), "--engine", "spark"])
    assert bad.exit_code == 2 and "choose from local, dask" in bad.output
