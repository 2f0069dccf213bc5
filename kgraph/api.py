"""The public Python API; the CLI is a thin layer over these functions.

`build(inputs, output, options)` does all that `kgraph build` does: reads, parses, writes every output
atomically with its manifest, and removes what an earlier build left there. `build_graph` stops at the graph
in memory; `extract_records` at the per-document records; `load_graph` reads a written graph back.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kgraph.cache import CACHE_FILE_NAME, CacheKey, RecordCache, content_hash
from kgraph.corpus import count_documents, input_problems, iter_corpus
from kgraph.documents import Skipped, make_document
from kgraph.errors import InputError, KgraphError, OutputError, UsageError
from kgraph.extract import DEFAULT_MODEL
from kgraph.lang import language_of_model
from kgraph.models import DocRecord, Document
from kgraph.options import BuildEvents, BuildOptions, Engine, Merge, OutputFormat, split_settings
from kgraph.progress import Meter, skip_reporter
from kgraph.resolution import DocSummary
from kgraph.spill import RelationSpill

if TYPE_CHECKING:
    import networkx as nx
    from spacy.language import Language

    from kgraph.patterns import PatternSet

__all__ = [
    "BuildEvents",
    "BuildOptions",
    "BuildReport",
    "BuildResult",
    "build",
    "build_graph",
    "extract_records",
    "load_graph",
]


@dataclass(slots=True)
class BuildResult:
    graph: nx.MultiDiGraph
    documents: int  # documents in the graph: parsed + cached
    skipped: list[Skipped] = field(default_factory=list)
    tokens: int = 0  # tokens of all documents in the graph
    parsed: int = 0  # documents parsed by this build
    cached: int = 0  # documents whose record came from the cache
    parsed_tokens: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # cache problems, documents whose extraction failed
    # merge="table": the full graph's size and files (nodes/edges.parquet); `graph` then holds the top entities only
    full_nodes: int | None = None
    full_edges: int | None = None
    tables: list[Path] = field(default_factory=list)
    # document id -> content hash (kgraph.cache.content_hash) of each document in the graph, in reading order;
    # the hash is None where the engine does not report it (Dask), and the ids are unknown for merge="table"
    inputs: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What `build` did: the graph built (`result`), the files written, and the files of the previous build
    into the same folder that this one removed because it did not write them again. `up_to_date`: the folder
    already held this build (same inputs, options and kgraph, outputs untouched), so nothing was parsed or
    written and `result` is None."""

    result: BuildResult | None
    output: Path
    written: tuple[Path, ...]
    removed: tuple[Path, ...] = ()
    up_to_date: bool = False

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The graph built; for an up-to-date build, read back from the folder's graph.json, GraphML or GEXF."""
        if self.result is not None:
            return self.result.graph
        from kgraph.export import FORMATS

        for fmt in ("json", "graphml", "gexf"):
            path = self.output / FORMATS[fmt][1]
            if path.is_file():
                return load_graph(path)
        raise OutputError(f"{self.output}: up to date, but none of its outputs is a graph file to read back")


# --- build and write -----------------------------------------------------------------------------------------


def build(
    inputs: Iterable[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    options: BuildOptions | None = None,
    *,
    events: BuildEvents | None = None,
    stdin: IO[bytes] | None = None,
) -> BuildReport:
    """Build the graph of `inputs` and write it into the folder `output`, as `kgraph build` does.

    Every output (`options.formats`, under their default names: graph.html, graph.graphml, graph.json,
    graph.gexf, nodes.csv/edges.csv) and the manifest `kgraph-build.json` replace the previous ones together
    or not at all; outputs of a previous build there that this one does not write are then removed (see
    `kgraph.manifest`). The record cache is `output/.kgraph-cache.sqlite` unless `options.cache` is False.
    With `options.strict`, the first skipped input fails the build; inputs known to be missing are found before
    anything is parsed. A build that fails (a KgraphError) leaves no folder and no cache it created itself
    (an interrupted one keeps its cache: the next build resumes from it).
    When the folder already holds this very build (the manifest's inputs, key and output stamps all match, see
    `kgraph.manifest`), nothing is parsed, loaded or written: the report says `up_to_date`.
    """
    options = options or BuildOptions()
    events = events or BuildEvents()
    output, inputs = Path(output), list(inputs)
    check_output_folder(output)
    created = _missing_folders(output)
    if options.strict:
        _fail_on_known_skips(inputs, output, events)
        events = _strict(events)
    cache = output / CACHE_FILE_NAME if options.cache else None
    new_cache = cache is not None and not cache.exists()
    try:
        _check_request(inputs, (), options, output)
        key = _build_key(options)
        stream = _read_inputs(inputs, options, stdin, output)
        if key is not None:
            changed = _unless_current(stream, output, key, events)
            if changed is None:
                return BuildReport(result=None, output=output, written=(), up_to_date=True)
            stream = changed
        result = _build_graph(inputs, (), options, events, cache=cache, output=output, stream=stream)
        if options.strict and result.skipped:
            raise _strict_failure(len(result.skipped))
        written, removed = write_outputs(result, output, options)
    except KgraphError:
        _remove_traces(created, cache if new_cache else None)
        raise
    return BuildReport(result=result, output=output, written=tuple(written), removed=tuple(removed))


def _build_key(options: BuildOptions) -> str | None:
    """Digest of what, besides the inputs, decides what `build` writes with `options` (see
    `kgraph.manifest.build_key`); None where a build cannot be found up to date: a loaded Language, the Dask
    engine or table merge (whose inputs carry no content hash), no record cache (--no-cache asks for every
    document to be parsed again), a pipeline or pattern file that cannot be read without loading it."""
    from importlib.metadata import PackageNotFoundError, version

    from kgraph.cache import file_digest, package_digest
    from kgraph.manifest import build_key as digest
    from kgraph.pipeline import installed_pipeline_id

    name = options.model_name
    if name is None or options.engine is not Engine.LOCAL or options.merge is not Merge.MEMORY or not options.cache:
        return None
    model = installed_pipeline_id(name)
    patterns = None if options.patterns_file is None else file_digest(options.patterns_file)
    try:
        spacy = version("spacy")
    except PackageNotFoundError:
        return None
    if model is None or (options.patterns_file is not None and patterns is None):
        return None
    return digest(
        {
            "kgraph": package_digest(),
            "spacy": spacy,
            "model": model,
            "patterns": patterns,
            "cooccurrence": options.cooccurrence,
            "formats": [fmt.value for fmt in options.formats],
            "max_nodes": options.max_nodes,
            "title": options.title,
            "ui_lang": options.ui_lang,
            "stdin_format": options.stdin_format.value,
            "jsonl_fields": repr(options.jsonl_fields),
        }
    )


def _unless_current(
    stream: Iterator[Document | Skipped], output: Path, key: str, events: BuildEvents
) -> Iterator[Document | Skipped] | None:
    """None when `output` already holds the build of `stream` under `key` (its skips then reported); else the
    stream again, from its start, for the build: what was read to compare is not read twice."""
    from kgraph.manifest import outputs_current, read_manifest

    manifest = read_manifest(output)
    if manifest is None or not outputs_current(manifest, output, key):
        return stream
    expected = iter(manifest.inputs)
    seen: list[Document | Skipped] = []
    for item in stream:
        seen.append(item)
        if not isinstance(item, Skipped) and next(expected, None) != (item.id, content_hash(item)):
            return chain(seen, stream)
    if next(expected, None) is not None:  # an input of the last build is gone
        return iter(seen)
    report = events.on_skip
    if report is not None:
        for item in seen:
            if isinstance(item, Skipped):
                report(item)
    return None


def check_output_folder(output: Path) -> None:
    """Fail before parsing (not after minutes of it) when the output folder cannot be made or written to;
    create nothing (the folder is made when there is something to write)."""
    if output.exists() or output.is_symlink():
        if not output.is_dir():
            raise OutputError(f"{output}: exists and is not a folder")
        if not os.access(output, os.W_OK | os.X_OK):
            raise OutputError(f"{output}: cannot write in this folder: permission denied")
        return
    parent = _missing_folders(output)[-1].parent
    if not parent.is_dir():
        raise OutputError(f"{output}: cannot create the output folder: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{output}: cannot create the output folder: permission denied in {parent}")


def write_outputs(result: BuildResult, output: Path, options: BuildOptions) -> tuple[list[Path], list[Path]]:
    """Write `options.formats` and the manifest atomically, then remove the previous build's other outputs.
    Returns (files written, files removed)."""
    from kgraph.atomic import atomic_group
    from kgraph.manifest import owned_names, previous_files, remove, stale_files

    previous = previous_files(output)
    written = list(result.tables)
    with atomic_group():  # all outputs replaced together, or none: a failed build keeps the last one's
        for fmt in options.formats:
            written += _write_format(result, output, fmt, options)
        _write_manifest(result, output, options, written)
    stale = stale_files(output, previous, [path.name for path in written], owned_names())
    return written, remove(stale)


def _write_format(result: BuildResult, output: Path, fmt: OutputFormat, options: BuildOptions) -> list[Path]:
    from kgraph.export import write

    if fmt is OutputFormat.CSV and result.tables:  # the full graph, straight from the tables
        from kgraph.engines.parquet import write_table_csv

        return write_table_csv(output)
    return write(result.graph, output / fmt.file_name, fmt.value, **_writer_options(fmt, options))


def _writer_options(fmt: OutputFormat, options: BuildOptions) -> dict[str, Any]:
    if fmt is not OutputFormat.HTML:
        return {}
    chosen = {"title": options.title, "ui_lang": options.ui_lang}
    return {"max_nodes": options.max_nodes} | {name: value for name, value in chosen.items() if value is not None}


def _write_manifest(result: BuildResult, output: Path, options: BuildOptions, written: list[Path]) -> None:
    from importlib.metadata import version

    from kgraph import __version__
    from kgraph.atomic import atomic_write_text, pending_writes
    from kgraph.manifest import MANIFEST_NAME, Manifest, OutputStamp

    graph = result.graph.graph
    # the outputs are still temporary files, renamed at the end of the group: a rename keeps size and mtime
    pending = {target: tmp for tmp, target in pending_writes()}
    outputs = tuple(OutputStamp.of(path.name, pending.get(path, path)) for path in written if not path.is_dir())
    key = _build_key(options) if not result.tables else None
    manifest = Manifest(
        kgraph=__version__,
        spacy=version("spacy"),
        model=str(graph.get("model", "")),
        formats=tuple(fmt.value for fmt in options.formats),
        files=tuple(path.name for path in written),
        inputs=tuple(result.inputs.items()),
        created=str(graph.get("created", "")),
        key=key or "",
        outputs=outputs,
    )
    atomic_write_text(output / MANIFEST_NAME, manifest.to_json())


def _missing_folders(output: Path) -> list[Path]:
    """`output` and its ancestors that do not exist yet, deepest first ([] when `output` exists)."""
    missing = []
    folder = Path(os.path.abspath(output))
    while not (folder.exists() or folder.is_symlink()) and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove_traces(created: list[Path], cache: Path | None) -> None:
    """After a failed build: the cache it created (`cache`, if any) and the folders it created."""
    if cache is not None:
        for suffix in ("", "-wal", "-shm", "-journal"):  # SQLite's companion files
            with contextlib.suppress(OSError):
                os.unlink(f"{cache}{suffix}")
    for folder in created:
        with contextlib.suppress(OSError):  # not empty: something else was put there meanwhile
            folder.rmdir()


def _fail_on_known_skips(inputs: list[Any], output: Path, events: BuildEvents) -> None:
    """--strict: report the inputs already known to be unusable (missing paths, empty folders) and fail,
    before any pipeline is loaded or document parsed."""
    problems = input_problems(inputs, exclude=[output])
    for item in problems if events.on_skip else ():
        events.on_skip(item)  # type: ignore[misc]
    if problems:
        raise _strict_failure(len(problems))


def _strict(events: BuildEvents) -> BuildEvents:
    """Events whose `on_skip` reports the skip, then fails the build."""
    report = events.on_skip

    def fail(item: Skipped) -> None:
        if report is not None:
            report(item)
        raise _strict_failure(1)

    return replace(events, on_skip=fail)


def _strict_failure(count: int) -> KgraphError:
    return KgraphError(f"{count} input(s) skipped and --strict is set; nothing written")


# --- the graph in memory -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Setup:
    """What every stage of one build shares: its options and callbacks, the pipeline and the patterns."""

    options: BuildOptions
    events: BuildEvents
    meter: Meter
    model_id: str
    patterns: PatternSet
    nlp: Language | None  # the caller's loaded pipeline; None: loaded by name where documents are parsed

    @property
    def model_name(self) -> str:
        return self.options.model_name or DEFAULT_MODEL


def build_graph(
    inputs: Iterable[str | os.PathLike[str]] = (),
    *,
    texts: Iterable[str | Document] = (),
    options: BuildOptions | None = None,
    events: BuildEvents | None = None,
    cache: str | os.PathLike[str] | None = None,
    stdin: IO[bytes] | None = None,
    output: str | os.PathLike[str] | None = None,
    **settings: Any,
) -> BuildResult:
    """Build the knowledge graph of `inputs` and/or in-memory `texts`; write nothing but the cache.

    `inputs`: files, folders, glob patterns, JSON Lines corpora, or "-" for standard input (see
    `kgraph.corpus.iter_corpus`; `options.stdin_format` and `options.jsonl_fields` say how to read them).
    `options` (`BuildOptions`) and `events` (`BuildEvents`) say how; `settings` are a shorthand for their
    fields (`build_graph(texts=[...], model=nlp, cooccurrence=True, progress=print)`), applied over them.
    A worker pool (`jobs` other than 1) needs the calling script to be importable without side effects
    (the usual `if __name__ == "__main__":` guard).
    `cache`: path of a SQLite record cache (see `kgraph.cache`), created with the first document read:
    documents already parsed with the same pipeline, patterns and kgraph are not parsed again.
    `output`: the folder the outputs will go to; never read as input, and where merge="table" writes
    nodes.parquet and edges.parquet (the returned graph then holds only the top `max_nodes` entities by degree).
    Engine "dask" runs on a Dask cluster (the one at `scheduler`, else DASK_SCHEDULER_ADDRESS, else a
    LocalCluster of one worker per core; workers read `inputs` themselves, which may be fsspec URLs; see
    `kgraph.engines.dask`).
    Memory: of each document, only what entity resolution reads stays in memory while the others are parsed;
    its relations wait in an anonymous temporary file (in TMPDIR, about 2.5 KB an article) until the graph's
    edges are gathered (`kgraph.spill`).
    """
    options, events = _settle(options, events, settings)
    inputs = list(inputs)
    return _build_graph(inputs, texts, options, events, cache=cache, output=output, stdin=stdin)


def _build_graph(
    inputs: list[Any],
    texts: Iterable[str | Document],
    options: BuildOptions,
    events: BuildEvents,
    *,
    cache: Any,
    output: str | os.PathLike[str] | None,
    stdin: IO[bytes] | None = None,
    stream: Iterator[Document | Skipped] | None = None,
) -> BuildResult:
    """`build_graph`, from `stream` when the inputs were already being read (`build`)."""
    _check_request(inputs, texts, options, output)
    exclude = [output] if output is not None else []
    local = options.engine is Engine.LOCAL and events.progress is not None
    meter = Meter(events.progress, total=_expected(inputs, texts, exclude) if local else None)
    setup = _prepare(options, events, meter)
    if options.merge is Merge.TABLE and output is not None:  # checked above; the test narrows the type
        return _build_tables(inputs, setup, output=Path(output), cache=cache)
    if options.engine is Engine.DASK:
        return _build_on_dask(inputs, setup, cache=cache)
    read = stream if stream is not None else _read_inputs(inputs, options, stdin, output)
    return _build_local(_chain_texts(read, texts), setup, cache=cache)


def _read_inputs(
    inputs: list[Any], options: BuildOptions, stdin: IO[bytes] | None, output: str | os.PathLike[str] | None
) -> Iterator[Document | Skipped]:
    """The documents (and skips) of `inputs`, the output folder left out; read lazily."""
    return iter_corpus(
        inputs,
        stdin_format=options.stdin_format,
        jsonl_fields=options.jsonl_fields,
        stdin=stdin,
        exclude=[output] if output is not None else [],
    )


def _settle(
    options: BuildOptions | None, events: BuildEvents | None, settings: dict[str, Any]
) -> tuple[BuildOptions, BuildEvents]:
    option_fields, event_fields = split_settings(settings)
    return replace(options or BuildOptions(), **option_fields), replace(events or BuildEvents(), **event_fields)


def _check_request(inputs: list[Any], texts: Any, options: BuildOptions, output: object) -> None:
    """Option combinations that cannot work, refused before anything is read or loaded."""
    loaded = options.model_name is None
    if options.engine is Engine.DASK:
        from kgraph.engines.dask import ensure_dask

        ensure_dask()
        if texts or any(str(i) == "-" for i in inputs):
            raise UsageError("the dask engine reads inputs on the workers: in-memory texts and - need the local engine")
        if loaded:
            raise UsageError("the dask engine loads the pipeline on its workers: give its name, not a loaded Language")
    if loaded and options.jobs != 1:
        raise UsageError("a loaded spaCy Language parses in this process: use jobs=1, or give the pipeline's name")
    if options.merge is Merge.TABLE and (options.engine is not Engine.DASK or output is None):
        raise UsageError("--merge table needs --engine dask and an output folder")


def _prepare(options: BuildOptions, events: BuildEvents, meter: Meter) -> _Setup:
    """The pipeline's id and the relation patterns; fails early, before any reading, if the pipeline is not
    installed."""
    from kgraph.extract import describe_pipeline
    from kgraph.patterns import load_patterns

    nlp = None if isinstance(options.model, str) else options.model
    if nlp is not None:
        from kgraph.pipeline import pipeline_id

        model_id = pipeline_id(nlp)
    else:
        from kgraph.pipeline import installed_pipeline_id

        name = options.model_name or DEFAULT_MODEL
        model_id = installed_pipeline_id(name) or describe_pipeline(name)  # the first without importing spaCy
    meter.begin()
    patterns = load_patterns(language_of_model(model_id), options.patterns_file)
    return _Setup(options, events, meter, model_id, patterns, nlp)


def _cache_key(setup: _Setup) -> CacheKey:
    from kgraph.cache import extractor_version  # looked up at each build: tests replace it

    return CacheKey(
        pipeline=setup.model_id,
        patterns=setup.patterns.version,
        kgraph=extractor_version(),
        options=f"cooccurrence={setup.options.cooccurrence}",
    )


class _LazyCache:
    """The record cache, opened with the first document that could be read: a build that reads nothing
    creates no cache file (nor its folder). A cache that cannot be opened becomes a warning."""

    def __init__(self, path: str | os.PathLike[str] | None, key: CacheKey, warnings: list[str]) -> None:
        self.path = None if path is None else Path(path)
        self.key, self.warnings = key, warnings
        self.store: RecordCache | None = None

    def open(self) -> RecordCache | None:
        if self.path is not None and self.store is None:
            path, self.path = self.path, None  # tried once: a cache that cannot be opened is not tried again
            try:
                self.store = RecordCache.open(path, self.key)
                self.warnings += self.store.warnings
            except KgraphError as exc:
                self.warnings.append(f"{exc}; building without a cache")
        return self.store

    def finish(self) -> None:
        if self.store is not None:
            self.store.finish()  # only after a complete build: an interrupted one keeps every record it had

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


@dataclass(slots=True)
class _Collected:
    """The records, skips and warnings of one build as they arrive, and each document's content hash. A record
    is folded as it comes: what entity resolution reads stays in memory (`summaries`), its relations go to
    `spill`, on disk, until the graph's edges are gathered."""

    summaries: list[DocSummary] = field(default_factory=list)  # in arrival order, as the spill's numbers
    spill: RelationSpill = field(default_factory=RelationSpill)
    tokens: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    hashes: dict[str, str | None] = field(default_factory=dict)  # doc id -> content hash, in reading order

    def add(self, record: DocRecord) -> None:
        self.keep(record)
        self.warnings.extend(f"{record.doc_id}: {w}" for w in record.warnings)

    def keep(self, record: DocRecord) -> None:
        """Fold `record` in, its warnings left out."""
        self.summaries.append(DocSummary.of(record))
        self.spill.add(record.relations)
        self.tokens += record.tokens

    def graph(self, *, model: str, version: str) -> nx.MultiDiGraph:
        """The graph of the records kept, their relations read back from the spill in document-id order."""
        from kgraph.graph import build_graph_from_parts

        summaries = self.summaries
        order = sorted(range(len(summaries)), key=lambda n: summaries[n].doc_id)
        documents = [summaries[n] for n in order]
        return build_graph_from_parts(documents, map(self.spill.read, order), model=model, version=version)


def _build_local(stream: Iterable[Document | Skipped], setup: _Setup, *, cache: Any) -> BuildResult:
    """Parse here (or on local worker processes) what the record cache does not already hold."""

    def fill(collected: _Collected, store: _LazyCache) -> None:
        for record in _parse(_uncached(stream, setup, collected, store), setup):
            collected.add(record)
            setup.meter.parsed(record.tokens, record.doc_id)
            digest = collected.hashes.get(record.doc_id)
            if store.store is not None and digest is not None:
                # a failed extraction is kept too: the same code would fail the same way, and a changed
                # extractor changes the cache key (kgraph.cache.extractor_version)
                store.store.put(digest, record)

    return _collect(setup, cache, fill)


def _collect(setup: _Setup, cache: Any, fill: Callable[[_Collected, _LazyCache], None]) -> BuildResult:
    """The result of the records `fill` collects, the record cache completed only when the graph is built."""
    collected = _Collected()
    store = _LazyCache(cache, _cache_key(setup), collected.warnings)
    try:
        fill(collected, store)
        result = _result(collected, setup)
        store.finish()
    finally:
        collected.spill.close()
        store.close()
    setup.meter.stage("done")
    return result


def _uncached(
    stream: Iterable[Document | Skipped], setup: _Setup, collected: _Collected, store: _LazyCache
) -> Iterator[Document]:
    """The documents to parse: skips reported, records found in the cache collected instead."""
    skip = skip_reporter(collected.skipped, setup.meter, setup.events.on_skip)
    for item in stream:
        if isinstance(item, Skipped):
            skip(item)
            continue
        digest = content_hash(item)
        collected.hashes[item.id] = digest
        cached = store.open()
        record = cached.get(item.id, digest) if cached is not None else None
        if record is not None:
            collected.add(record)
            setup.meter.cached()
            continue
        yield item


def _parse(documents: Iterator[Document], setup: _Setup) -> Iterator[DocRecord]:
    """Records of `documents`: with the caller's loaded pipeline in this process, else on `jobs` processes."""
    options = setup.options
    if setup.nlp is not None:
        from kgraph.extract import iter_records

        yield from iter_records(setup.nlp, documents, patterns=setup.patterns, cooccurrence=options.cooccurrence)
        return
    from kgraph.parallel import parse_documents

    yield from parse_documents(
        documents,
        patterns=setup.patterns,
        jobs=options.jobs,
        model=setup.model_name,
        cooccurrence=options.cooccurrence,
        on_piece=setup.meter.piece,
    )


def _build_on_dask(inputs: list[Any], setup: _Setup, *, cache: Any) -> BuildResult:
    """Parse on a Dask cluster; records merged here into one graph."""
    from kgraph.engines.dask import WorkOptions, extract

    options = setup.options

    def fill(collected: _Collected, store: _LazyCache) -> None:
        done = extract(
            inputs,
            options=WorkOptions(setup.model_name, setup.patterns, options.cooccurrence, options.jsonl_fields),
            store=store.open(),
            meter=setup.meter,
            scheduler=options.scheduler,
            on_skip=setup.events.on_skip,
            on_dashboard=setup.events.on_dashboard,
        )
        for record in done.records:
            collected.keep(record)  # its warnings are among done.warnings
        collected.skipped = done.skipped
        collected.warnings += done.warnings
        collected.hashes = dict.fromkeys(record.doc_id for record in done.records)

    return _collect(setup, cache, fill)


def _result(collected: _Collected, setup: _Setup) -> BuildResult:
    """The graph of the collected records; an InputError when there is none."""
    from kgraph import __version__

    summaries, skipped = collected.summaries, collected.skipped
    if not summaries:
        raise InputError("no document could be read" + (f" ({len(skipped)} skipped)" if skipped else ""))
    setup.meter.stage("graph")
    graph = collected.graph(model=setup.model_id, version=__version__)
    state = setup.meter.state
    kept = {summary.doc_id for summary in summaries}
    return BuildResult(
        graph=graph,
        documents=len(summaries),
        skipped=skipped,
        tokens=collected.tokens,
        parsed=state.parsed,
        cached=state.cached,
        parsed_tokens=state.tokens,
        seconds=setup.meter.elapsed,
        warnings=collected.warnings,
        inputs={doc_id: digest for doc_id, digest in collected.hashes.items() if doc_id in kept},
    )


def _build_tables(inputs: list[Any], setup: _Setup, *, output: Path, cache: Any) -> BuildResult:
    """Dask with merge="table": Parquet tables of the full graph, and a graph of its top entities."""
    from kgraph import __version__
    from kgraph.engines.dask import WorkOptions
    from kgraph.engines.parquet import build_tables

    options = setup.options
    done = build_tables(
        inputs,
        options=WorkOptions(setup.model_name, setup.patterns, options.cooccurrence, options.jsonl_fields),
        output=output,
        model_id=setup.model_id,
        version=__version__,
        max_nodes=options.max_nodes,
        meter=setup.meter,
        scheduler=options.scheduler,
        on_skip=setup.events.on_skip,
        on_dashboard=setup.events.on_dashboard,
    )
    setup.meter.stage("done")
    state = setup.meter.state
    notes = ["the record cache is not used with --merge table: every document was parsed"] if cache else []
    return BuildResult(
        graph=done.graph,
        documents=done.documents,
        skipped=done.skipped,
        tokens=done.tokens,
        parsed=state.parsed,
        cached=0,
        parsed_tokens=state.tokens,
        seconds=setup.meter.elapsed,
        warnings=notes + done.warnings,
        full_nodes=done.nodes,
        full_edges=done.edges,
        tables=done.tables,
    )


# --- records only, and reading a graph back -------------------------------------------------------------------


def extract_records(
    documents: Iterable[Document],
    *,
    model: str | Language = DEFAULT_MODEL,
    patterns_file: Path | None = None,
    cooccurrence: bool = False,
    jobs: int | None = 1,
) -> Iterator[DocRecord]:
    """Parse documents and yield their extraction records on `jobs` processes (None: every core); a loaded
    `Language` parses in this process."""
    options = BuildOptions(model=model, patterns_file=patterns_file, cooccurrence=cooccurrence, jobs=jobs)
    _check_request([], (), options, None)
    yield from _parse(iter(documents), _prepare(options, BuildEvents(), Meter(None)))


def _chain_texts(items: Iterable[Document | Skipped], texts: Iterable[str | Document]) -> Iterator[Document | Skipped]:
    yield from items
    for n, text in enumerate(texts):
        yield text if isinstance(text, Document) else make_document(f"text-{n + 1}", text)


def _expected(inputs: list[Any], texts: Iterable[str | Document], exclude: list[Any]) -> int | None:
    counted = count_documents(inputs, exclude=exclude)
    if counted is None:
        return None
    if isinstance(texts, list | tuple):
        return counted + len(texts)
    return None if texts else counted  # a stream of texts cannot be counted without reading it


def load_graph(path: str | Path) -> nx.MultiDiGraph:
    """Load a graph written by kgraph (JSON, or GraphML/GEXF) back into a MultiDiGraph."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        from kgraph.export.json import read_json

        return read_json(path)
    from kgraph.export.readers import read

    return read(path)
