"""A re-build that would change nothing does nothing: no parsing, no pipeline, no file rewritten; any change of
input, option, pattern file or output makes it build again."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

import kgraph
from kgraph.cli import app
from kgraph.manifest import MANIFEST_NAME
from kgraph.options import BuildOptions

pytestmark = pytest.mark.model


@pytest.fixture(autouse=True)
def _pipeline(nlp):
    """The pipeline loaded once for the session; the first build of each test reuses it."""


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Kim Jong Un a reçu Sergueï Lavrov à Wonsan.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Sergueï Lavrov est reparti vers Moscou.\n", encoding="utf-8")
    return folder


def snapshot(folder):
    """Every file of the folder (the cache included): its bytes and its modification time."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir()) if p.is_file()}


def no_pipeline(monkeypatch):
    """Any attempt to load (or describe by loading) a spaCy pipeline fails the test."""

    def fail(*args, **kwargs):
        raise AssertionError("a pipeline was loaded")

    monkeypatch.setattr("kgraph.pipeline.load_pipeline", fail)
    monkeypatch.setattr("kgraph.extract.describe_pipeline", fail)


def build(corpus, out, **options):
    return kgraph.build([corpus], out, BuildOptions(jobs=1, **options))


def test_an_unchanged_rebuild_loads_nothing_and_leaves_every_file_as_it_was(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = build(corpus, out)
    assert not first.up_to_date and first.result.parsed == 2
    before = snapshot(out)
    assert {"graph.html", "graph.graphml", "graph.json", MANIFEST_NAME} <= set(before)
    no_pipeline(monkeypatch)
    again = build(corpus, out)
    assert again.up_to_date and again.result is None and again.written == ()
    assert snapshot(out) == before
    assert sorted(again.graph.nodes) == sorted(first.graph.nodes)  # read back from graph.json


def test_the_cli_says_up_to_date_in_one_line(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(app, ["build", str(corpus), "-o", str(out), "-j", "1"]).exit_code == 0
    no_pipeline(monkeypatch)
    again = runner.invoke(app, ["build", str(corpus), "-o", str(out), "-j", "1"])
    assert again.exit_code == 0
    assert again.stdout.splitlines() == [
        f"{out}: up to date (no input, option or output changed since the last build); nothing written"
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda corpus: (corpus / "b.txt").write_text("Sergueï Lavrov est reparti vers Pékin.\n", encoding="utf-8"),
        lambda corpus: (corpus / "c.txt").write_text("Kim Jong Un est rentré à Pyongyang.\n", encoding="utf-8"),
        lambda corpus: (corpus / "b.txt").unlink(),
        lambda corpus: (corpus / "b.txt").rename(corpus / "0.txt"),  # the same text under another id, read first
    ],
    ids=["edited", "added", "removed", "renamed"],
)
def test_a_changed_input_rebuilds(corpus, tmp_path, change):
    out = tmp_path / "out"
    build(corpus, out)
    change(corpus)
    again = build(corpus, out)
    assert not again.up_to_date
    inputs = json.loads((out / MANIFEST_NAME).read_text())["inputs"]
    assert sorted(i["id"] for i in inputs) == sorted(p.name for p in corpus.iterdir())
    assert json.loads((out / "graph.json").read_text())["graph"]["documents"] == len(inputs)
    assert build(corpus, out).up_to_date


@pytest.mark.parametrize(
    "options",
    [{"max_nodes": 5}, {"title": "Sommet"}, {"cooccurrence": True}, {"formats": "json"}, {"ui_lang": "en"}],
    ids=lambda o: next(iter(o)),
)
def test_a_changed_option_rebuilds(corpus, tmp_path, options):
    out = tmp_path / "out"
    build(corpus, out)
    assert build(corpus, out).up_to_date
    assert not build(corpus, out, **options).up_to_date
    assert build(corpus, out, **options).up_to_date


def test_an_edited_pattern_file_rebuilds(corpus, tmp_path):
    out, patterns = tmp_path / "out", tmp_path / "patterns.json"
    patterns.write_text(json.dumps({"relations": []}), encoding="utf-8")
    build(corpus, out, patterns_file=patterns)
    assert build(corpus, out, patterns_file=patterns).up_to_date
    patterns.write_text(json.dumps({"relations": []}, indent=2), encoding="utf-8")
    assert not build(corpus, out, patterns_file=patterns).up_to_date


def test_other_kgraph_code_rebuilds(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(corpus, out)
    monkeypatch.setattr("kgraph.cache.package_digest", lambda: "another checkout")
    assert not build(corpus, out).up_to_date


@pytest.mark.parametrize(
    "damage",
    [
        lambda out: (out / "graph.html").unlink(),
        lambda out: (out / "graph.json").write_text("{}", encoding="utf-8"),
        lambda out: os.utime(out / "graph.graphml", ns=(1, 1)),  # same bytes, another time: not provably kgraph's
        lambda out: (out / MANIFEST_NAME).write_text("not json", encoding="utf-8"),
    ],
    ids=["deleted", "edited", "touched", "damaged manifest"],
)
def test_a_deleted_or_edited_output_is_written_again(corpus, tmp_path, damage):
    out = tmp_path / "out"
    expected = sorted(build(corpus, out).graph.nodes)
    damage(out)
    again = build(corpus, out)
    assert not again.up_to_date and again.result.cached == 2
    assert {p.name for p in again.written} == {"graph.html", "graph.graphml", "graph.json"}
    assert sorted(kgraph.load_graph(out / "graph.json").nodes) == expected
    assert build(corpus, out).up_to_date


def test_no_cache_always_builds(corpus, tmp_path):
    out = tmp_path / "out"
    build(corpus, out)
    again = build(corpus, out, cache=False)
    assert not again.up_to_date and again.result.parsed == 2


def test_a_rebuild_from_cached_records_loads_no_pipeline(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(corpus, out)
    no_pipeline(monkeypatch)
    again = build(corpus, out, max_nodes=5)  # every record in the cache: nothing to parse
    assert not again.up_to_date and (again.result.parsed, again.result.cached) == (0, 2)


def test_an_up_to_date_build_still_reports_its_skipped_inputs(corpus, tmp_path):
    from kgraph.options import BuildEvents

    out = tmp_path / "out"
    (corpus / "empty.txt").write_bytes(b"")
    build(corpus, out)
    skipped = []
    again = kgraph.build([corpus], out, BuildOptions(jobs=1), events=BuildEvents(on_skip=skipped.append))
    assert again.up_to_date
    assert [(s.path, s.reason) for s in skipped] == [(str(corpus / "empty.txt"), "empty file")]
