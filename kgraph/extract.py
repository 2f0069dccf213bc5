"""Per-document extraction: a parsed spaCy Doc in, a plain `DocRecord` out (what workers and the cache hold)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kgraph.entities import cluster_mentions, iter_raw_mentions
from kgraph.lexicon import load_lexicon
from kgraph.models import DocRecord, Document
from kgraph.patterns import PatternSet
from kgraph.relations import iter_relations

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

BATCH_SIZE = 32


def extract_document(doc: Doc, document: Document, *, patterns: PatternSet, cooccurrence: bool = False) -> DocRecord:
    lexicon = load_lexicon(patterns.language)
    ents = cluster_mentions(iter_raw_mentions(doc, lexicon=lexicon), lexicon=lexicon)
    relations = tuple(
        iter_relations(doc, ents=ents, patterns=patterns, doc_id=document.id, doc_date=document.date,
                       cooccurrence=cooccurrence)
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
    nlp: Language, documents: Iterable[Document], *, patterns: PatternSet, cooccurrence: bool = False,
    batch_size: int = BATCH_SIZE,
) -> Iterator[DocRecord]:
    """Parse documents with `nlp.pipe` and yield one record per document, inside spaCy memory zones."""
    from kgraph.models import DocEntity, Evidence, Mention, Relation

    def shifted(record: DocRecord, offset: int, base_key: int) -> tuple[list[DocEntity], list[Relation]]:
        ents = [
            DocEntity(key=e.key + base_key, name=e.name, type=e.type, aliases=e.aliases, canonical=e.canonical,
                      mentions=tuple(Mention(m.text, m.start + offset, m.end + offset, m.sentence) for m in e.mentions))
            for e in record.entities
        ]
        rels = [
            Relation(**{**{f: getattr(r, f) for f in r.__slots__},  # type: ignore[attr-defined]
                        "source": r.source + base_key, "target": r.target + base_key,
                        "place": None if r.place is None else r.place + base_key,
                        "evidence": Evidence(**{**{f: getattr(r.evidence, f) for f in r.evidence.__slots__},  # type: ignore[attr-defined]
                                                "start": r.evidence.start + offset, "end": r.evidence.end + offset})})
            for r in record.relations
        ]
        return ents, rels

    def parts() -> Iterator[tuple[str, tuple[Document, int, int]]]:
        for document in documents:
            chunks = split_long_text(document.text, nlp.max_length - 1)
            for index, (offset, chunk) in enumerate(chunks):
                yield chunk, (document, offset, len(chunks) - 1 - index)

    pending: dict[str, list[DocRecord]] = {}
    stream = parts()
    while True:
        batch = [item for _, item in zip(range(batch_size), stream, strict=False)]
        if not batch:
            break
        with nlp.memory_zone():
            for doc, (document, offset, remaining) in nlp.pipe(batch, as_tuples=True, batch_size=batch_size):
                record = extract_document(doc, document, patterns=patterns, cooccurrence=cooccurrence)
                if offset == 0 and remaining == 0:
                    yield record
                    continue
                pending.setdefault(document.id, []).append((offset, record))  # type: ignore[arg-type]
                if remaining == 0:
                    yield _merge_chunks(document, pending.pop(document.id), shifted)


def _merge_chunks(document: Document, parts, shifted) -> DocRecord:
    entities, relations, tokens, base = [], [], 0, 0
    for offset, record in parts:
        ents, rels = shifted(record, offset, base)
        entities += ents
        relations += rels
        tokens += record.tokens
        base += len(record.entities) + 1000
    return DocRecord(doc_id=document.id, date=document.date, entities=tuple(entities), relations=tuple(relations),
                     tokens=tokens, title=document.title, url=document.url)
