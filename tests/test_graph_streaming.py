"""The graph of records folded as they arrive (summaries in memory, relations spilled to disk and streamed
back) is the graph of the records held whole; the spill leaves nothing behind, whatever ends the build."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kgraph
from kgraph.errors import OutputError
from kgraph.export.json import to_json
from kgraph.graph import build_graph_from_parts, build_graph_from_records
from kgraph.models import DocEntity, DocRecord, Document, Evidence, Mention, Relation
from kgraph.pipeline import pipeline_id
from kgraph.resolution import DocSummary
from kgraph.spill import RelationSpill

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sommet-wonsan.fr.txt"
NAMES = ("Kim Jong Un", "Kim Jon Un", "Kim", "Sergueï Lavrov", "M. Lavrov", "Russie", "Moscou", "Wonsan")
KINDS = ("meeting", "visit", "agreement", "statement")


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the same `created` for graphs built apart


@st.composite
def records(draw) -> DocRecord:
    doc_id = draw(st.sampled_from(["a.txt", "b.txt", "c.txt", "d.txt"]))  # repeated ids: arrival order counts
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4))
    entities = tuple(
        DocEntity(
            key=key,
            name=name,
            type="PERSON" if name.startswith(("Kim", "Serg", "M.")) else "GPE",
            aliases=(name,),
            mentions=tuple(Mention(name, n, n + len(name), n) for n in range(draw(st.integers(0, 3)))),
            canonical="gpe:russie" if name in ("Russie", "Moscou") else None,
        )
        for key, name in enumerate(names)
    )
    keys = st.integers(0, len(names))  # one past the last: a relation to an entity left out of the graph
    relations = tuple(
        Relation(
            source=draw(keys),
            target=draw(keys),
            relation=kind,
            label=kind,
            method=f"test.{kind}",
            evidence=Evidence(doc=doc_id, sentence=f"{doc_id} {n} {kind}", start=n, end=n + 9),
            date=draw(st.sampled_from([None, "2025", "2025-07-12"])),
            place=draw(st.sampled_from([None, 0])),
            polarity=draw(st.sampled_from(["positive", "negative"])),
        )
        for n, kind in enumerate(draw(st.lists(st.sampled_from(KINDS), max_size=5)))
    )
    return DocRecord(doc_id=doc_id, date=None, entities=entities, relations=relations, tokens=len(names))


def streamed(batch: list[DocRecord]) -> str:
    """The graph of `batch` built as a build folds it: summaries kept, relations read back from a spill."""
    with RelationSpill() as spill:
        numbers = [spill.add(record.relations) for record in batch]
        order = sorted(numbers, key=lambda n: batch[n].doc_id)
        documents = [DocSummary.of(batch[n]) for n in order]
        return to_json(build_graph_from_parts(documents, map(spill.read, order), model="test", version="test"))


@settings(max_examples=60, deadline=None)
@given(st.lists(records(), min_size=1, max_size=8))
def test_the_streamed_graph_is_the_graph_of_the_whole_records(batch):
    assert streamed(batch) == to_json(build_graph_from_records(batch, model="test", version="test"))


def test_the_spill_reads_back_what_it_was_given_in_any_order():
    relation = Relation(0, 1, "meeting", "reçoit", Evidence("a", "Kim reçoit Lavrov.", 0, 18, spans=((0, 3),)), "m")
    batches = [(relation,) * 3, (), (relation,)]
    with RelationSpill() as spill:
        numbers = [spill.add(batch) for batch in batches]
        assert [spill.read(n) for n in reversed(numbers)] == list(reversed(batches))


def test_a_build_folds_its_records_into_the_graph_of_the_whole_records(nlp, tmp_path):
    texts = [*EXAMPLE.read_text(encoding="utf-8").split("\n\n")[:6], EXAMPLE.read_text(encoding="utf-8")]
    documents = [Document(id=f"{n:02d}.txt", text=text) for n, text in reversed(list(enumerate(texts)))]
    records = list(kgraph.extract_records(documents, model=nlp))
    whole = to_json(build_graph_from_records(records, model=pipeline_id(nlp), version=kgraph.__version__))
    cache = tmp_path / "cache.sqlite"
    for run in ("parsed, cached", "from the cache", "no cache"):
        result = kgraph.build_graph(texts=documents, model=nlp, cache=None if run == "no cache" else cache)
        assert to_json(result.graph) == whole, run
        assert (result.documents, result.tokens) == (len(records), sum(r.tokens for r in records)), run


def _spill_files(folder: Path) -> list[str]:
    """Files this process holds open in `folder` (an anonymous temporary file has no name, but its descriptor
    still points there until it is closed)."""
    links = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(FileNotFoundError):  # the descriptor that listed the folder, closed since
            links.append(os.readlink(f"/proc/self/fd/{fd}"))
    return [link for link in links if link.startswith(str(folder))]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("stop", [RuntimeError("the graph failed"), KeyboardInterrupt()])
def test_a_failed_or_interrupted_build_leaves_no_spill(nlp, tmp_path, monkeypatch, stop):
    spills = tmp_path / "tmp"
    spills.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spills))
    seen: list[list[str]] = []

    def fail(*args, **kwargs):
        seen.append(_spill_files(spills))
        raise stop

    monkeypatch.setattr("kgraph.graph.build_graph_from_parts", fail)
    with pytest.raises(type(stop)):
        kgraph.build_graph(texts=[EXAMPLE.read_text(encoding="utf-8")], model=nlp)
    assert seen and seen[0], "the relations were spilled while the graph was built"
    assert _spill_files(spills) == [] and list(spills.iterdir()) == []


def test_a_temporary_folder_that_cannot_hold_the_spill_fails_the_build_with_its_name(nlp, tmp_path, monkeypatch):
    missing = tmp_path / "no-such-folder"
    monkeypatch.setattr(tempfile, "tempdir", str(missing))
    with pytest.raises(OutputError, match=r"no-such-folder.*TMPDIR"):
        kgraph.build_graph(texts=[EXAMPLE.read_text(encoding="utf-8")], model=nlp)
