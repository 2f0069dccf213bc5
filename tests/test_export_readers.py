"""`kgraph.export.readers.read`: one entry point that picks the reader from the extension."""

from __future__ import annotations

import pytest

from kgraph.errors import GraphFileError
from kgraph.export import common, write
from kgraph.export.readers import READERS, read
from tests.test_export_common import assert_same_graph


@pytest.mark.parametrize("name", ["graph.json", "graph.graphml", "graph.gexf", "GRAPH.GRAPHML"])
def test_reads_every_format_kgraph_writes(tmp_path, sample_graph, name):
    path = tmp_path / name
    write(sample_graph, path, name.lower().rsplit(".", 1)[1])
    assert_same_graph(sample_graph, read(path))


@pytest.mark.parametrize("name", ["nodes.csv", "graph.html", "graph"])
def test_other_extensions_are_refused_naming_the_choices(tmp_path, name):
    path = tmp_path / name
    path.write_text("x", encoding="utf-8")
    with pytest.raises(GraphFileError, match=r"cannot read a graph from .*; kgraph reads \.gexf, \.graphml, \.json"):
        read(path)


def test_missing_file(tmp_path):
    with pytest.raises(GraphFileError, match=r"nothing\.graphml: cannot read"):
        read(tmp_path / "nothing.graphml")


@pytest.mark.parametrize("suffix", sorted(READERS))
def test_every_reader_applies_the_size_limit(tmp_path, monkeypatch, sample_graph, suffix):
    path = tmp_path / f"graph{suffix}"
    write(sample_graph, path)
    monkeypatch.setattr(common, "MAX_GRAPH_FILE_BYTES", 64)
    with pytest.raises(GraphFileError, match="larger than the 64 bytes limit"):
        read(path)
