"""Entities of one document: spaCy's NER cleaned (junk, titles, types) and merged into per-document clusters.

`mentions` reads and types the mentions, `merging` merges them, `clusters` holds the result the relation
extractor reads.
"""

from __future__ import annotations

from kgraph.entities.clusters import Cluster, DocEntities
from kgraph.entities.mentions import RawMention, raw_mentions
from kgraph.entities.merging import cluster_mentions

__all__ = ["Cluster", "DocEntities", "RawMention", "cluster_mentions", "raw_mentions"]
