"""Per-document extraction: a parsed spaCy Doc in, a plain `DocRecord` out (what workers and the cache hold).

`process_documents` is the unit of work of every engine: in-process, a worker process (kgraph.parallel) or,
later, a Dask partition. It loads the pipeline once per process and never lets a spaCy object out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kgraph.entities import cluster_mentions, raw_mentions
from kgraph.lang import language_of_model, load_language
from kgraph.models import DocRecord, Document
from kgraph.patterns import PatternSet
from kgraph.relations import iter_relations

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "fr_core_news_sm"
# documents per nlp.pipe batch and per memory zone; a batch also closes early past BATCH_CHARACTERS so that a
# few very long texts do not make one huge batch
BATCH_SIZE = 32
BATCH_CHARACTERS = 200_000
_T = TypeVar("_T")


def process_documents(
    documents: Iterable[Document],
    *,
    model: str = DEFAULT_MODEL,
    patterns_file: Path | None = None,
    cooccurrence: bool = False,
    patterns: PatternSet | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[DocRecord]:
    """Parse documents and yield one plain record per document.

    The pipeline is loaded once per process (`load_pipeline` is cached). `patterns`, when given, is used as is
    (a parent process passes the exact set its cache key names); otherwise it is loaded from `patterns_file`.
    """
    from kgraph.patterns import load_patterns
    from kgraph.pipeline import load_pipeline, pipeline_id

    nlp = load_pipeline(model)
    if patterns is None:
        patterns = load_patterns(language_of_model(pipeline_id(nlp)), patterns_file)
    yield from iter_records(nlp, documents, patterns=patterns, cooccurrence=cooccurrence, batch_size=batch_size)


def describe_pipeline(model: str = DEFAULT_MODEL) -> str:
    """The pipeline's id ("fr_core_news_sm 3.8.0"), read from the meta.json of an installed package or of a
    pipeline folder without loading it: the same string as `pipeline.pipeline_id(load_pipeline(model))`."""
    from spacy import util

    try:
        path = Path(model) if Path(model).is_dir() else util.get_package_path(model)
        meta = util.get_model_meta(path)
    except (OSError, ValueError, ImportError, AttributeError):
        from kgraph.pipeline import load_pipeline, pipeline_id

        return pipeline_id(load_pipeline(model))  # raises PipelineError naming the missing pipeline
    return f"{meta.get('lang', '')}_{meta.get('name', '')} {meta.get('version', '')}"


def extract_document(doc: Doc, document: Document, *, patterns: PatternSet, cooccurrence: bool = False) -> DocRecord:
    lexicon = load_language(patterns.language).lexicon
    ents = cluster_mentions(raw_mentions(doc, lexicon=lexicon), lexicon=lexicon)
    relations = tuple(
        iter_relations(
            doc,
            ents=ents,
            patterns=patterns,
            doc_id=document.id,
            doc_date=document.date,
            cooccurrence=cooccurrence,
        )
    )
    return DocRecord(
        doc_id=document.id,
        date=document.date,
        entities=ents.records(),
        relations=relations,
        tokens=len(doc),
        title=document.title,
        url=document.url,
    )


def split_long_text(text: str, limit: int) -> list[tuple[int, str]]:
    """Cut a text longer than spaCy's max_length on paragraph (else line, else space) boundaries.

    Returns (offset, chunk) pairs covering the whole text, so nothing is silently dropped.
    """
    if len(text) <= limit:
        return [(0, text)]
    chunks: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            for sep in ("\n\n", "\n", ". ", " "):
                cut = text.rfind(sep, start + limit // 2, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        chunks.append((start, text[start:end]))
        start = end
    return chunks


def iter_records(
    nlp: Language,
    documents: Iterable[Document],
    *,
    patterns: PatternSet,
    cooccurrence: bool = False,
    batch_size: int = BATCH_SIZE,
) -> Iterator[DocRecord]:
    """Parse documents with `nlp.pipe` and yield one record per document.

    Each batch is parsed inside `nlp.memory_zone()` and turned into plain records before the zone closes, so
    the strings a long run adds to the vocabulary are freed and memory stays flat. A text longer than
    `nlp.max_length` is parsed in chunks cut on paragraph boundaries and its records merged: nothing is
    rejected or truncated. A document whose extraction fails yields an empty record with the error in
    `warnings` instead of stopping the run.
    """
    from kgraph.models import DocEntity, Evidence, Mention, Relation

    def shifted(record: DocRecord, offset: int, base_key: int) -> tuple[list[DocEntity], list[Relation]]:
        ents = [
            DocEntity(
                key=e.key + base_key,
                name=e.name,
                type=e.type,
                aliases=e.aliases,
                canonical=e.canonical,
                mentions=tuple(Mention(m.text, m.start + offset, m.end + offset, m.sentence) for m in e.mentions),
            )
            for e in record.entities
        ]
        rels = [
            Relation(
                **{
                    **{f: getattr(r, f) for f in r.__slots__},  # type: ignore[attr-defined]
                    "source": r.source + base_key,
                    "target": r.target + base_key,
                    "place": None if r.place is None else r.place + base_key,
                    "evidence": Evidence(
                        **{
                            **{f: getattr(r.evidence, f) for f in r.evidence.__slots__},  # type: ignore[attr-defined]
                            "start": r.evidence.start + offset,
                            "end": r.evidence.end + offset,
                        }
                    ),
                }
            )
            for r in record.relations
        ]
        return ents, rels

    def parts() -> Iterator[tuple[str, tuple[Document, int, int]]]:
        for document in documents:
            chunks = split_long_text(document.text, nlp.max_length - 1)
            for index, (offset, chunk) in enumerate(chunks):
                yield chunk, (document, offset, len(chunks) - 1 - index)

    pending: dict[str, list[DocRecord]] = {}
    for batch in _batches(parts(), batch_size):
        with nlp.memory_zone():
            for doc, (document, offset, remaining) in nlp.pipe(batch, as_tuples=True, batch_size=batch_size):
                record = _safe_extract(doc, document, patterns=patterns, cooccurrence=cooccurrence)
                if offset == 0 and remaining == 0:
                    yield record
                    continue
                pending.setdefault(document.id, []).append((offset, record))  # type: ignore[arg-type]
                if remaining == 0:
                    yield _merge_chunks(document, pending.pop(document.id), shifted)


def _batches(parts: Iterator[tuple[str, _T]], size: int) -> Iterator[list[tuple[str, _T]]]:
    batch: list[tuple[str, _T]] = []
    characters = 0
    for part in parts:
        batch.append(part)
        characters += len(part[0])
        if len(batch) >= size or characters >= BATCH_CHARACTERS:
            yield batch
            batch, characters = [], 0
    if batch:
        yield batch


def _safe_extract(doc: Doc, document: Document, *, patterns: PatternSet, cooccurrence: bool) -> DocRecord:
    try:
        return extract_document(doc, document, patterns=patterns, cooccurrence=cooccurrence)
    except Exception as exc:  # one bad document must not stop a corpus-wide run; the record says what failed
        return DocRecord(
            doc_id=document.id,
            date=document.date,
            entities=(),
            relations=(),
            tokens=len(doc),
            title=document.title,
            url=document.url,
            warnings=(f"extraction failed: {type(exc).__name__}: {exc}",),
        )


def _merge_chunks(document: Document, parts, shifted) -> DocRecord:
    entities, relations, tokens, base = [], [], 0, 0
    for offset, record in parts:
        ents, rels = shifted(record, offset, base)
        entities += ents
        relations += rels
        tokens += record.tokens
        base += len(record.entities) + 1000
    return DocRecord(
        doc_id=document.id,
        date=document.date,
        entities=tuple(entities),
        relations=tuple(relations),
        tokens=tokens,
        title=document.title,
        url=document.url,
        warnings=tuple(w for _, record in parts for w in record.warnings),
    )
