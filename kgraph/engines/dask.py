"""The Dask engine: extraction on a Dask cluster, workers reading the inputs themselves.

The client only plans partitions (lists of files, or byte ranges of a JSON Lines file) and never reads an
article: workers open paths on a shared file system or any fsspec URL (s3://, gs://, file://, ...), parse
with the pipeline they load once per process, and return plain `DocRecord`s. Small corpora merge those
records with `kgraph.graph.build_graph_from_records`, exactly as the local engine does; `kgraph.engines.parquet`
is the scale path (records as Parquet, aggregated by Dask).

Record cache (`build_graph(..., cache=...)`): documents are keyed by (id, content hash) as locally, but the
client cannot hash what it does not read. So a cached build runs in two passes: workers first return the
(id, hash) pairs of their partitions (a read, ~1% of the cost of parsing), the client looks them up, and only
partitions with new or changed documents are sent for parsing, with the ids to leave out.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import posixpath
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgraph.corpus import (
    FOLDER_SUFFIXES,
    GLOB_CHARS,
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    JsonlFields,
    html_document,
    is_url,
    iter_jsonl,
    iter_jsonl_file,
)
from kgraph.documents import MAX_DOCUMENT_BYTES, Skipped, decode, make_document
from kgraph.errors import InputError, UsageError
from kgraph.models import DocRecord, Document
from kgraph.patterns import PatternSet
from kgraph.progress import skip_reporter

if TYPE_CHECKING:
    from distributed import Client

    from kgraph.cache import RecordCache
    from kgraph.progress import Meter

# a partition is a task: coarse enough that scheduling costs nothing next to parsing (spaCy's advice: minutes
# of work each), small enough that a lost worker costs little and progress moves
FILES_PER_PARTITION = 64
JSONL_PARTITION_BYTES = 16 * 1024**2
_MIN_RANGE_BYTES = 64 * 1024
# tasks per worker at least, when the corpus is small: the last partitions then end close together
PARTITIONS_PER_WORKER = 4
RETRIES = 2


@dataclass(frozen=True, slots=True)
class Partition:
    """One task's documents: files as (path or URL, document id), or the lines of a JSON Lines file that start
    in the byte range [start, end) (end None: the whole file)."""

    index: int
    files: tuple[tuple[str, str], ...] = ()
    jsonl: str | None = None
    start: int = 0
    end: int | None = None

    @property
    def name(self) -> str:
        if self.jsonl is None:
            return f"{self.files[0][0]} (+{len(self.files) - 1} files)" if len(self.files) > 1 else self.files[0][0]
        return self.jsonl if self.end is None else f"{self.jsonl} bytes {self.start}-{self.end}"


@dataclass(frozen=True, slots=True)
class WorkOptions:
    """What every task needs besides its partition: sent to each worker once (scattered)."""

    model: str
    patterns: PatternSet
    cooccurrence: bool
    fields: JsonlFields


@dataclass(slots=True)
class PartitionResult:
    """What a task returns: plain data only."""

    index: int
    records: list[DocRecord] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)  # doc id -> content hash, for the record cache
    order: list[str] = field(default_factory=list)  # every document id read, in input order
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)


@dataclass(slots=True)
class Extraction:
    records: list[DocRecord]
    skipped: list[Skipped]
    warnings: list[str]


# --- planning (client side: lists names, reads no article) ----------------------------------------------------


def plan_partitions(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    files_per_partition: int = FILES_PER_PARTITION,
    jsonl_bytes: int = JSONL_PARTITION_BYTES,
    min_partitions: int = 1,
) -> tuple[list[Partition], list[Skipped]]:
    """Split the inputs into partitions, with the same document ids as `kgraph.corpus.iter_corpus`.

    Local paths are expanded as the local engine does; URLs with fsspec (a folder gives its article files, a
    pattern its matches). A JSON Lines file larger than `jsonl_bytes` (and not compressed) is cut into byte
    ranges; an article without an id in such a range is named `<file>:@<byte offset>` (line numbers would
    need a read of everything before it), not `<file>:<line>`. Partitions shrink (down to one file, or 64 KiB)
    until there are `min_partitions` of them, so that a small corpus still keeps every worker busy.
    """
    from kgraph.corpus import expand_input  # the local engine's own expansion: same files, same ids

    files: list[tuple[str, str]] = []
    jsonl: list[tuple[str, int | None]] = []
    skipped: list[Skipped] = []
    ids: set[str] = set()
    seen: set[str] = set()
    for raw in inputs:
        text = str(raw)
        if text == "-":
            raise UsageError("the dask engine reads inputs on the workers: standard input needs --engine local")
        found = _expand_url(text) if is_url(text) else _expand_local(raw, expand_input)
        for item in found:
            if isinstance(item, Skipped):
                skipped.append(item)
                continue
            location, doc_id, size = item
            key = location if is_url(location) else os.path.realpath(location)
            if key in seen:
                skipped.append(Skipped(location, "given more than once; read once"))
                continue
            seen.add(key)
            if location.lower().endswith(JSONL_SUFFIXES):
                jsonl.append((location, size))
                continue
            if doc_id in ids:  # two inputs with the same relative name: keep both apart, as iter_corpus does
                doc_id = location if is_url(location) else Path(location).as_posix()
            ids.add(doc_id)
            files.append((location, doc_id))
    return _cut_partitions(jsonl, files, files_per_partition, jsonl_bytes, min_partitions), skipped


def _cut_partitions(
    jsonl: list[tuple[str, int | None]],
    files: list[tuple[str, str]],
    files_per_partition: int,
    jsonl_bytes: int,
    min_partitions: int,
) -> list[Partition]:
    """JSON Lines corpora (whole, or in byte ranges) then files (in groups), shrunk to `min_partitions`."""
    partitions: list[Partition] = []
    # JSON Lines corpora first, then files, as iter_corpus reads them in input order: only the order of
    # duplicate ids depends on it, and the planner keeps each kind in input order
    for location, size in jsonl:
        if size is not None:
            jsonl_bytes = min(jsonl_bytes, max(_MIN_RANGE_BYTES, -(-size // min_partitions)))
        if size is None or size <= jsonl_bytes or location.lower().endswith(".gz"):
            partitions.append(Partition(len(partitions), jsonl=location))
            continue
        for start in range(0, size, jsonl_bytes):
            partitions.append(
                Partition(len(partitions), jsonl=location, start=start, end=min(size, start + jsonl_bytes))
            )
    files_per_partition = max(1, min(files_per_partition, -(-len(files) // min_partitions)))
    for n in range(0, len(files), files_per_partition):
        partitions.append(Partition(len(partitions), files=tuple(files[n : n + files_per_partition])))
    return partitions


def _expand_local(raw: str | os.PathLike[str], expand: Callable) -> Iterator[tuple[str, str, int | None] | Skipped]:
    for item in expand(raw):
        if isinstance(item, Skipped):
            yield item
            continue
        path, doc_id = item
        size = None
        if path.name.lower().endswith(JSONL_SUFFIXES):
            with contextlib.suppress(OSError):
                size = path.stat().st_size
        yield str(path), doc_id, size


def _expand_url(url: str) -> Iterator[tuple[str, str, int | None] | Skipped]:
    import fsspec

    try:
        fs, root = fsspec.core.url_to_fs(url)
        if GLOB_CHARS.search(root):
            base = root[: GLOB_CHARS.search(root).start()].rsplit("/", 1)[0]  # type: ignore[union-attr]
            hits = [(p, posixpath.relpath(p, base)) for p in sorted(fs.glob(root)) if not fs.isdir(p)]
            if not hits:
                yield Skipped(url, "no file matches this pattern")
        elif fs.isdir(root):
            hits = [
                (p, posixpath.relpath(p, root))
                for p in sorted(fs.find(root))
                if p.lower().endswith(FOLDER_SUFFIXES) and not any(part.startswith(".") for part in p.split("/"))
            ]
            if not hits:
                yield Skipped(url, f"no article files ({', '.join(FOLDER_SUFFIXES)}) in this folder")
        elif fs.exists(root):
            hits = [(root, posixpath.basename(root))]
        else:
            yield Skipped(url, "no such file or directory")
            return
        for path, doc_id in hits:
            size = fs.size(path) if path.lower().endswith(JSONL_SUFFIXES) else None
            yield fs.unstrip_protocol(path), doc_id, size
    except (OSError, ValueError, ImportError) as exc:
        yield Skipped(url, f"cannot list ({exc})")


# --- the task (worker side) -----------------------------------------------------------------------------------


def iter_partition(partition: Partition, fields: JsonlFields) -> Iterator[Document | Skipped]:
    """Read a partition's documents where the task runs."""
    from kgraph.corpus import read_input_file

    if partition.jsonl is not None:
        location = partition.jsonl
        if partition.end is not None:
            yield from _jsonl_range(location, partition.start, partition.end, fields)
        elif is_url(location):
            yield from _remote_jsonl(location, fields)
        else:
            yield from iter_jsonl_file(Path(location), fields)
        return
    for location, doc_id in partition.files:
        if not is_url(location):
            yield read_input_file(Path(location), doc_id)  # the local engine's reader: same checks, same messages
            continue
        try:
            yield _remote_file(location, doc_id)
        except InputError as exc:
            yield Skipped(location, str(exc).removeprefix(f"{location}: "))


def _remote_file(url: str, doc_id: str) -> Document:
    import fsspec

    try:
        with fsspec.open(url, "rb") as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{url}: cannot read ({exc})") from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(f"{url}: too large (more than {MAX_DOCUMENT_BYTES} bytes)")
    if url.lower().endswith(HTML_SUFFIXES):
        return html_document(data, doc_id=doc_id, name=url)
    document = make_document(doc_id, decode(data, name=url), source=url)
    return document


def _remote_jsonl(url: str, fields: JsonlFields) -> Iterator[Document | Skipped]:
    import fsspec

    try:
        with fsspec.open(url, "rb", compression="infer") as handle:
            yield from iter_jsonl(handle, name=posixpath.basename(url), fields=fields, source=url)
    except (OSError, EOFError) as exc:
        yield Skipped(url, f"cannot read past this point ({exc})")


def _jsonl_range(location: str, start: int, end: int, fields: JsonlFields) -> Iterator[Document | Skipped]:
    """The lines of a JSON Lines file that start in [start, end): every line belongs to exactly one range."""
    import fsspec

    from kgraph.corpus import jsonl_line

    name = posixpath.basename(location)
    with fsspec.open(location, "rb") as handle:
        if start > 0:
            handle.seek(start - 1)
            handle.readline()  # the end of the line that started before this range (or just its "\n")
        position = handle.tell()
        while position < end:
            line = handle.readline(MAX_DOCUMENT_BYTES + 1)
            if not line:
                break
            where = f"{location}:@{position}"
            position += len(line)
            if len(line) > MAX_DOCUMENT_BYTES:
                handle.readline()  # the rest of the overlong line
                position = handle.tell()
                yield Skipped(where, f"line too long (more than {MAX_DOCUMENT_BYTES} bytes)")
                continue
            if position - len(line) == 0:
                line = line.removeprefix(b"\xef\xbb\xbf")
            if not line.strip():
                continue
            yield jsonl_line(line, fields, default_id=f"{name}:@{position - len(line)}", where=where)


def hash_partition(partition: Partition, options: WorkOptions) -> list[tuple[str, str]]:
    """(document id, content hash) of every readable document of a partition, in order (first cache pass)."""
    from kgraph.cache import content_hash

    return [(d.id, content_hash(d)) for d in iter_partition(partition, options.fields) if isinstance(d, Document)]


def process_partition(
    partition: Partition, options: WorkOptions, leave_out: frozenset[str] = frozenset()
) -> PartitionResult:
    """Read, parse and extract one partition; documents whose id is in `leave_out` are read but not parsed."""
    from kgraph.cache import content_hash
    from kgraph.extract import process_documents

    result = PartitionResult(partition.index)

    def documents() -> Iterator[Document]:
        for item in iter_partition(partition, options.fields):
            if isinstance(item, Skipped):
                result.skipped.append((item.path, item.reason))
                continue
            result.order.append(item.id)
            if item.id in leave_out or item.id in result.hashes:  # cached, or a duplicate inside the partition
                continue
            result.hashes[item.id] = content_hash(item)
            yield item

    result.records = list(
        process_documents(
            documents(), model=options.model, patterns=options.patterns, cooccurrence=options.cooccurrence
        )
    )
    return result


try:  # the plugin base class; the module itself imports without Dask (ensure_dask says what to install)
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover
    _WorkerPlugin = object  # type: ignore[assignment,misc]


class PreloadPipeline(_WorkerPlugin):
    """A Dask worker plugin: each worker process loads the pipeline once, when it starts (or joins)."""

    name = "kgraph-pipeline"

    def __init__(self, model: str) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:
        from kgraph.pipeline import load_pipeline

        load_pipeline(self.model)  # functools.cache'd: every task on this worker reuses it

    def teardown(self, worker: Any) -> None:
        pass


# --- the client -------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def connect(scheduler: str | None = None, *, workers: int | None = None) -> Iterator[Client]:
    """A client of the scheduler at `scheduler` (else DASK_SCHEDULER_ADDRESS or Dask's config), or of a new
    LocalCluster of one single-threaded worker process per core, closed on exit."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("the dask engine needs Dask: pip install 'kgraph[dask]'") from None
    address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or dask.config.get("scheduler-address", None)
    if address:
        try:
            client = Client(address, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
        with client:
            yield client
        return
    from kgraph.parallel import default_jobs, stop_on_interrupt, stop_processes

    others = set(multiprocessing.active_children())
    clusters: list[Any] = []

    def stop() -> None:
        # Ctrl-C: no nanny may restart its worker, the worker processes end at once, and the scheduler's
        # complaints about the workers it lost are not shown: the user asked for it
        for name in ("distributed", "asyncio"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        for nanny in [n for cluster in clusters for n in cluster.workers.values()]:
            with contextlib.suppress(Exception):
                nanny.close_gracefully()
        stop_processes(p for p in multiprocessing.active_children() if p not in others)

    with stop_on_interrupt(stop):
        cluster = LocalCluster(
            n_workers=workers or default_jobs(),
            threads_per_worker=1,  # spaCy uses one core per process: one task per process
            processes=True,
            dashboard_address=":0",
        )
        clusters.append(cluster)
        client = Client(cluster)
        try:
            yield client
        except BaseException:
            # interrupted or failed: its workers are gone or going; closing must not wait on them
            for part in (client, cluster):
                with contextlib.suppress(Exception):
                    part.close(timeout=1)
            raise
        client.close()
        cluster.close()


def extract(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    options: WorkOptions,
    store: RecordCache | None = None,
    meter: Meter | None = None,
    scheduler: str | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    on_dashboard: Callable[[str], None] | None = None,
) -> Extraction:
    """Extract every document of `inputs` on a Dask cluster; records are in input order, duplicates skipped."""
    with connect(scheduler) as client:
        link = getattr(client, "dashboard_link", None)
        if link and on_dashboard is not None:
            on_dashboard(link)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        partitions, skipped = plan_partitions(inputs, min_partitions=PARTITIONS_PER_WORKER * workers)
        return _extract(client, partitions, skipped, options=options, store=store, meter=meter, on_skip=on_skip)


def _extract(
    client: Client,
    partitions: list[Partition],
    skipped: list[Skipped],
    *,
    options: WorkOptions,
    store: RecordCache | None,
    meter: Meter | None,
    on_skip: Callable[[Skipped], None] | None,
) -> Extraction:
    warnings: list[str] = []

    skip = skip_reporter(skipped, meter, on_skip)

    for item in list(skipped):
        skipped.remove(item)
        skip(item)
    if meter is not None and not any(p.jsonl for p in partitions):
        meter.state = replace(meter.state, total=sum(len(p.files) for p in partitions) + len(skipped))
    if not partitions:
        return Extraction([], skipped, warnings)

    client.register_plugin(PreloadPipeline(options.model))
    shared = client.scatter(options, broadcast=True)
    leave_out: dict[int, set[str]] = {}
    cached: dict[int, list[DocRecord]] = {}
    orders: dict[int, list[str]] = {}
    todo = partitions
    if store is not None:
        todo, cached, leave_out, orders = _check_cache(client, partitions, shared, store, meter, warnings)
    results: dict[int, PartitionResult] = {}
    futures = [
        client.submit(
            process_partition,
            p,
            shared,
            frozenset(leave_out.get(p.index, ())),
            retries=RETRIES,
            pure=False,
        )
        for p in todo
    ]
    for partition, result in completed(futures, todo, skip):
        results[partition.index] = result
        for source, reason in result.skipped:
            skip(Skipped(source, reason))
        for record in result.records:
            if meter is not None:
                meter.parsed(record.tokens)
            warnings.extend(f"{record.doc_id}: {w}" for w in record.warnings)
            if store is not None and record.doc_id in result.hashes:
                store.put(result.hashes[record.doc_id], record)

    return Extraction(_in_input_order(partitions, results, cached, orders, skip), skipped, warnings)


def _in_input_order(
    partitions: list[Partition],
    results: dict[int, PartitionResult],
    cached: dict[int, list[DocRecord]],
    orders: dict[int, list[str]],
    skip: Callable[[Skipped], None],
) -> list[DocRecord]:
    """Parsed and cached records in input order, the first occurrence of an id kept: what the local engine
    does with duplicate ids."""
    records: list[DocRecord] = []
    ids: set[str] = set()
    for partition in partitions:
        mine = {r.doc_id: r for r in cached.get(partition.index, ())}
        result = results.get(partition.index)
        if result is not None:
            mine.update((r.doc_id, r) for r in result.records)
            order = result.order
        else:
            order = orders.get(partition.index, list(mine))
        for doc_id in order:
            if doc_id in ids:
                skip(Skipped(doc_id, f"duplicate document id {doc_id!r}; the first one is kept"))
                continue
            if doc_id in mine:
                ids.add(doc_id)
                records.append(mine[doc_id])
    return records


def _check_cache(
    client: Client,
    partitions: list[Partition],
    shared: Any,
    store: RecordCache,
    meter: Meter | None,
    warnings: list[str],
) -> tuple[list[Partition], dict[int, list[DocRecord]], dict[int, set[str]], dict[int, list[str]]]:
    """First pass of a cached build: which documents need parsing (see the module docstring)."""
    hashed = client.map(hash_partition, partitions, options=shared, retries=RETRIES, pure=False)
    todo: list[Partition] = []
    cached: dict[int, list[DocRecord]] = {}
    leave_out: dict[int, set[str]] = {}
    orders: dict[int, list[str]] = {}
    seen: set[str] = set()
    for partition, future in zip(partitions, hashed, strict=True):
        try:
            pairs = future.result()
        except Exception:  # let the second pass try again and report it
            todo.append(partition)
            continue
        needs_parsing = False
        orders[partition.index] = [doc_id for doc_id, _ in pairs]
        for doc_id, digest in pairs:
            if doc_id in seen:  # a duplicate id: the merge reports it
                continue
            seen.add(doc_id)
            record = store.get(doc_id, digest)
            if record is None:
                needs_parsing = True
                continue
            cached.setdefault(partition.index, []).append(record)
            leave_out.setdefault(partition.index, set()).add(doc_id)
            warnings.extend(f"{record.doc_id}: {w}" for w in record.warnings)
            if meter is not None:
                meter.cached()
        if needs_parsing:
            todo.append(partition)
    return todo, cached, leave_out, orders


def ensure_dask() -> None:
    """Raise a UsageError naming the extra when Dask is not installed."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UsageError("the dask engine needs Dask: pip install 'kgraph[dask]'") from None


def completed(futures: list, partitions: list, skip: Callable[[Skipped], None]) -> Iterator[tuple[Any, Any]]:
    """(partition, result) as each task finishes; a partition that failed on every try (a worker died, a
    bug) is reported through `skip` and its documents left out."""
    from distributed import as_completed

    by_key = {f.key: p for f, p in zip(futures, partitions, strict=True)}
    for future in as_completed(futures):
        partition = by_key[future.key]
        try:
            result = future.result()
        except Exception as exc:
            skip(Skipped(partition.name, f"failed on every try ({type(exc).__name__}: {exc})"))
            continue
        finally:
            future.release()
        yield partition, result
