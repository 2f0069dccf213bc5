"""Extraction on several processes. Each worker parses whole batches of documents with `process_documents` and
sends back plain `DocRecord`s: never a spaCy `Doc`, whose pickle drags the whole vocabulary along (why spaCy's
own `nlp.pipe(n_process=2)` gives only ~1.5x on two cores).

Workers are forked from a fork server that has loaded the pipeline once (`kgraph.forkserver`), so an extra
worker costs a fork, not a second load. The pool has no threads: the calling thread sends each worker one batch
at a time over its own pipe and waits on the pipes and the processes together, so a worker that dies is seen at
once, and Ctrl-C ends every worker before KeyboardInterrupt is raised: nothing is left running or joined.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from kgraph.errors import PipelineError
from kgraph.extract import BATCH_SIZE, DEFAULT_MODEL, batched, merge_pieces, process_documents, split_document
from kgraph.models import DocRecord, Document
from kgraph.patterns import PatternSet

# the fork server reads the pipeline to preload from this variable (see kgraph.forkserver)
PRELOAD_VARIABLE = "KGRAPH_PRELOAD_PIPELINE"
# seconds a worker may take to leave after its last batch before it is terminated
_LEAVE_SECONDS = 5.0
_DIED = "a worker process died (out of memory, or killed); try fewer --jobs or a smaller batch"
_T = TypeVar("_T")


def default_jobs() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def start_method() -> str:
    # forkserver: workers start from a clean single-threaded server that has loaded the pipeline, not from a
    # parent that may hold threads (a progress display, a database); spawn where there is none (Windows)
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def parse_documents(
    documents: Iterable[Document],
    *,
    patterns: PatternSet,
    jobs: int | None = None,
    model: str = DEFAULT_MODEL,
    cooccurrence: bool = False,
    batch_size: int = BATCH_SIZE,
    on_piece: Callable[[str, int], None] | None = None,
) -> Iterator[DocRecord]:
    """Yield one record per document (in completion order), parsed by `jobs` worker processes.

    `jobs` None or 0 means every core. One process runs in this one, with no pool, and so does a stream of
    fewer than two batches: starting workers would cost more than it saves. A document longer than
    `extract.PIECE_CHARACTERS` is parsed in pieces, spread over the workers; `on_piece` is called with the
    document's id and the tokens of each piece as it is done (the progress within a long document), and the
    document's one record comes when its last piece is in.
    """
    jobs = default_jobs() if not jobs or jobs < 0 else jobs
    wholes: dict[str, tuple[Document, int]] = {}
    stream = _split(documents, wholes)
    head = list(islice(stream, 2 * batch_size if jobs > 1 else 1))
    if not head:  # everything came from the cache: no pipeline to load
        return
    options = {"model": model, "patterns": patterns, "cooccurrence": cooccurrence, "batch_size": batch_size}
    if jobs == 1 or len(head) < 2 * batch_size:
        records = process_documents(chain(head, stream), **options)  # type: ignore[arg-type]
    else:
        records = _pool(chain(head, stream), jobs=jobs, **options)  # type: ignore[arg-type]
    yield from _joined(records, wholes, on_piece)


def _split(documents: Iterable[Document], wholes: dict[str, tuple[Document, int]]) -> Iterator[Document]:
    """Documents, a long one as its pieces (extract.split_document), each piece noted in `wholes` with the
    document it belongs to and its offset, so that pieces go to every worker and come back one by one."""
    for document in documents:
        pieces = split_document(document)
        if len(pieces) == 1:
            yield document
            continue
        for offset, piece in pieces:
            wholes[piece.id] = (document, offset)
            yield piece


def _joined(
    records: Iterable[DocRecord], wholes: dict[str, tuple[Document, int]], on_piece: Callable[[str, int], None] | None
) -> Iterator[DocRecord]:
    """The records of whole documents: those of pieces are held (and reported to `on_piece` with their tokens)
    until the last piece of their document is in, then merged."""
    held: dict[str, list[tuple[int, DocRecord]]] = {}
    left: dict[str, int] = {}
    for record in records:
        if record.doc_id not in wholes:
            yield record
            continue
        document, offset = wholes.pop(record.doc_id)
        if document.id not in left:
            left[document.id] = len(split_document(document))
        held.setdefault(document.id, []).append((offset, record))
        left[document.id] -= 1
        if on_piece is not None:
            on_piece(document.id, record.tokens)
        if left[document.id] == 0:
            del left[document.id]
            yield merge_pieces(document, held.pop(document.id))


def _pool(
    documents: Iterator[Document],
    *,
    jobs: int,
    model: str,
    patterns: PatternSet,
    cooccurrence: bool,
    batch_size: int,
) -> Iterator[DocRecord]:
    context = multiprocessing.get_context(start_method())
    workers: list[_Worker] = []
    batches = tapered(batched(documents, batch_size, _characters), jobs, _characters)
    try:
        with stop_on_interrupt(lambda: _stop(workers)):
            start_forkserver(context, model)
            for _ in range(jobs):
                workers.append(_Worker(context, (model, patterns, cooccurrence, batch_size)))
            busy = {worker.connection: worker for worker in workers if worker.send(next(batches, None))}
            while busy:
                for ready in wait([*busy, *(worker.process.sentinel for worker in busy.values())]):
                    worker = busy.pop(ready) if isinstance(ready, Connection) else _ended(busy, ready)
                    if worker is None:
                        continue
                    records = worker.receive()
                    # the next batch goes out before these records are handed on: the worker never waits for us
                    if worker.send(next(batches, None)):
                        busy[worker.connection] = worker
                    yield from records
            for worker in workers:
                worker.process.join(_LEAVE_SECONDS)
    finally:
        _stop(workers)


def _characters(document: Document) -> int:
    return len(document.text)


def tapered(batches: Iterable[list[_T]], workers: int, length: Callable[[_T], int]) -> Iterator[list[_T]]:
    """The batches as they are, but for the last `workers` of them: those are cut again into ever smaller
    batches, each about 1 / (2 x workers) of the text still to send (`length` of each item), so the workers
    finish together instead of one idling while another parses a last full batch (guided scheduling)."""
    ahead: deque[list[_T]] = deque()
    for batch in batches:
        ahead.append(batch)
        if len(ahead) > workers:
            yield ahead.popleft()
    rest = [item for batch in ahead for item in batch]
    left = sum(length(item) for item in rest)
    while rest:
        share, size = left / (2 * workers), 0
        cut = 0
        while cut < len(rest) and (cut == 0 or size + length(rest[cut]) <= share):
            size += length(rest[cut])
            cut += 1
        yield rest[:cut]
        rest, left = rest[cut:], left - size


class _Worker:
    """One worker process and the parent's end of its pipe; at most one batch is in flight."""

    def __init__(self, context: Any, options: tuple[str, PatternSet, bool, int]) -> None:
        self.connection, child = context.Pipe()
        # daemon: should anything escape this module's own stopping, the interpreter's exit terminates it
        self.process = context.Process(target=_serve, args=(child, *options), daemon=True, name="kgraph-worker")
        self.process.start()
        child.close()

    def send(self, batch: list[Document] | None) -> bool:
        """Send a batch (True), or tell the worker there is no more (False)."""
        try:
            self.connection.send(batch)
        except OSError:  # it died: its sentinel says so to the loop, or its last records were already in
            return batch is not None
        return batch is not None

    def receive(self) -> list[DocRecord]:
        try:
            kind, value = self.connection.recv()
        except (EOFError, OSError):
            raise PipelineError(_DIED) from None
        if kind == "error":
            raise value
        return value


def _ended(busy: dict[Connection, _Worker], sentinel: Any) -> _Worker | None:
    """The busy worker whose process ended, if its records are there to read; None if it was not busy (it
    ended after its last batch). A busy worker that ended without its records died."""
    for connection, worker in list(busy.items()):
        if worker.process.sentinel == sentinel:
            del busy[connection]
            if connection.poll():
                return worker
            raise PipelineError(_DIED)
    return None


def _stop(workers: list[_Worker]) -> None:
    stop_processes(worker.process for worker in workers)
    for worker in workers:
        worker.connection.close()
    workers.clear()


def stop_processes(processes: Iterable[Any]) -> None:
    """Terminate `multiprocessing` processes and reap them; one that outlives a second is killed."""
    processes = list(processes)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(1.0)
        if process.is_alive():
            process.kill()
            process.join()


@contextlib.contextmanager
def stop_on_interrupt(stop: Callable[[], None]) -> Iterator[None]:
    """Within the block, Ctrl-C first calls `stop` (which ends worker processes), then raises KeyboardInterrupt
    where the program was; a second Ctrl-C while stopping is ignored. Only the main thread receives signals:
    elsewhere this does nothing."""
    if not _in_main_thread():
        yield
        return

    def interrupted(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)


def start_forkserver(context: Any, model: str) -> None:
    """Start the fork server (if it is not running yet) with the pipeline loaded, so workers are born with it.

    SIGINT is ignored while the server starts: it inherits that, so Ctrl-C never interrupts its loading with a
    traceback; the workers it forks inherit it too (the parent alone handles Ctrl-C, see `stop_on_interrupt`).
    """
    if context.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    context.set_forkserver_preload(["kgraph.forkserver"])
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN) if _in_main_thread() else None
    os.environ[PRELOAD_VARIABLE] = model
    try:
        forkserver.ensure_running()
    finally:
        del os.environ[PRELOAD_VARIABLE]
        if handler is not None:
            signal.signal(signal.SIGINT, handler)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent ends (Linux), so a parent killed outright leaves
    no fork server or worker behind; elsewhere a no-op."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL))


def _serve(connection: Connection, model: str, patterns: PatternSet, cooccurrence: bool, batch_size: int) -> None:
    """A worker's loop: a batch in, its records out, until told there is no more (None) or the parent is gone."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent handles it
    try:
        from kgraph.pipeline import load_pipeline

        load_pipeline(model)  # loaded already when forked from the preloaded fork server
    except Exception as exc:
        connection.send(("error", exc))
        return
    while True:
        try:
            batch = connection.recv()
        except EOFError:
            return
        if batch is None:
            return
        try:
            records = list(
                process_documents(
                    batch, model=model, patterns=patterns, cooccurrence=cooccurrence, batch_size=batch_size
                )
            )
        except Exception as exc:
            connection.send(("error", exc))
            return
        connection.send(("records", records))
