"""Entities of one document: spaCy's NER cleaned (junk, titles, types) and merged into per-document clusters.

`mentions` reads and types the mentions, `merging` merges them, `clusters` holds the result the relation
extractor reads.
"""

from __future__ import annotations

from kgraph.entities.clusters import Cluster, DocEntities
from kgraph.entities.mentions import RawMention, raw_mentions
from kgraph.entities.merging import cluster_mentions
from kgraph.lang import DEFAULT_LANGUAGE, load_language

__all__ = ["Cluster", "DocEntities", "RawMention", "cluster_mentions", "raw_mentions"]


def __getattr__(name: str) -> frozenset[str]:
    # the relation extractor still imports the institution heads under their old name; they are
    # Lexicon.institution_heads now, read from the language pack
    if name == "_INSTITUTION_HEADS":
        return load_language(DEFAULT_LANGUAGE).lexicon.institution_heads
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
