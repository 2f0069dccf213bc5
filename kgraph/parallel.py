"""Extraction on several processes. Each worker loads the pipeline once, parses whole batches of documents
with `process_documents` and sends back plain `DocRecord`s: never a spaCy `Doc`, whose pickle drags the whole
vocabulary along (why spaCy's own `nlp.pipe(n_process=2)` gives only ~1.5x on two cores).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice

from kgraph.errors import PipelineError
from kgraph.extract import BATCH_SIZE, DEFAULT_MODEL, process_documents
from kgraph.models import DocRecord, Document
from kgraph.patterns import PatternSet

# batches queued per worker: one being parsed, one waiting, so a worker never idles and at most
# 2 x jobs x batch_size documents are in flight whatever the corpus size
_QUEUED_PER_WORKER = 2


def default_jobs() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def start_method() -> str:
    # forkserver: workers start from a clean single-threaded server, not from a parent that may hold threads
    # (a progress display, a database) or a loaded model; spawn where there is no forkserver (Windows)
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def parse_documents(
    documents: Iterable[Document],
    *,
    patterns: PatternSet,
    jobs: int | None = None,
    model: str = DEFAULT_MODEL,
    cooccurrence: bool = False,
    batch_size: int = BATCH_SIZE,
) -> Iterator[DocRecord]:
    """Yield one record per document (in completion order), parsed by `jobs` worker processes.

    `jobs` None or 0 means every core. One process runs in this one, with no pool, and so does a stream of
    fewer than two batches: starting workers (each loads the pipeline) would cost more than it saves.
    """
    jobs = default_jobs() if not jobs or jobs < 0 else jobs
    stream = iter(documents)
    head = list(islice(stream, 2 * batch_size if jobs > 1 else 1))
    if not head:  # everything came from the cache: no pipeline to load
        return
    if jobs == 1 or len(head) < 2 * batch_size:
        yield from process_documents(
            chain(head, stream),
            model=model,
            patterns=patterns,
            cooccurrence=cooccurrence,
            batch_size=batch_size,
        )
        return
    yield from _pool(
        chain(head, stream),
        jobs=jobs,
        model=model,
        patterns=patterns,
        cooccurrence=cooccurrence,
        batch_size=batch_size,
    )


def _pool(
    documents: Iterator[Document],
    *,
    jobs: int,
    model: str,
    patterns: PatternSet,
    cooccurrence: bool,
    batch_size: int,
) -> Iterator[DocRecord]:
    executor = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(start_method()),
        initializer=_start_worker,
        initargs=(model,),
    )
    pending: set[Future[list[DocRecord]]] = set()
    try:
        while True:
            batch = list(islice(documents, batch_size))
            if batch:
                pending.add(executor.submit(_work, batch, model, patterns, cooccurrence, batch_size))
            if not pending:
                break
            if batch and len(pending) < jobs * _QUEUED_PER_WORKER:
                continue
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield from future.result()
    except BrokenProcessPool:
        raise PipelineError(
            "a worker process died (out of memory, or killed); try fewer --jobs or a smaller batch"
        ) from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _start_worker(model: str) -> None:
    # Ctrl-C reaches the whole process group: let the parent alone handle it and shut the pool down
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from kgraph.pipeline import load_pipeline

    load_pipeline(model)  # once per worker process: every batch after this reuses it


def _work(
    batch: list[Document], model: str, patterns: PatternSet, cooccurrence: bool, batch_size: int
) -> list[DocRecord]:
    return list(
        process_documents(batch, model=model, patterns=patterns, cooccurrence=cooccurrence, batch_size=batch_size)
    )
