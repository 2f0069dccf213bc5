"""Per-document entity clusters and the token -> cluster index the relation extractor reads."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from kgraph.lang import Lexicon
from kgraph.models import DocEntity, Mention


@dataclass(slots=True)
class Cluster:
    """A per-document entity being assembled (mutable while the document is processed)."""

    key: int
    name: str
    type: str
    canonical: str | None = None
    aliases: dict[str, None] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    capital_of: str | None = None  # gazetteer id of the state this city is the capital of
    agency: bool = False
    roles: list[tuple[str, str | None]] = field(default_factory=list)  # (role key, state node id)

    def freeze(self) -> DocEntity:
        return DocEntity(
            key=self.key,
            name=self.name,
            type=self.type,
            aliases=tuple(self.aliases),
            mentions=tuple(sorted(self.mentions, key=lambda m: m.start)),
            canonical=self.canonical,
        )


class DocEntities:
    """Clusters of one document plus the token -> cluster index the relation extractor reads."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.clusters: dict[int, Cluster] = {}
        self.by_token: dict[int, int] = {}
        self.mention_spans: list[tuple[int, int, int]] = []  # (start tok, end tok, cluster key), sorted
        self.span_at: dict[int, tuple[int, int]] = {}  # token -> (start, end) of the mention holding it

    def new(self, name: str, type_: str, *, canonical: str | None = None) -> Cluster:
        key = len(self.clusters)
        cluster = Cluster(key=key, name=name, type=type_, canonical=canonical)
        self.clusters[key] = cluster
        return cluster

    def by_canonical(self, node_id: str) -> Cluster:
        for cluster in self.clusters.values():
            if cluster.canonical == node_id:
                return cluster
        entry = self.lexicon.entries[node_id]
        return self.new(entry.label, entry.type, canonical=node_id)

    def add_mention(self, cluster: Cluster, mention: Mention, start: int, end: int) -> None:
        """Record a mention of `cluster` over tokens [start, end)."""
        cluster.mentions.append(mention)
        self.mention_spans.append((start, end, cluster.key))
        span = (start, end)
        for i in range(start, end):
            self.by_token[i] = cluster.key
            self.span_at[i] = span

    def spans_between(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Mentions starting in [start, end), in text order (a bisection: documents can be long)."""
        lo = bisect.bisect_left(self.mention_spans, (start, -1, -1))
        hi = bisect.bisect_left(self.mention_spans, (end, -1, -1))
        return self.mention_spans[lo:hi]

    def at(self, token_index: int) -> Cluster | None:
        key = self.by_token.get(token_index)
        return self.clusters[key] if key is not None else None

    def actor(self, cluster: Cluster) -> Cluster:
        """The cluster acting in a relation. A capital used as an actor is usually read as its state when its
        mention is typed; one the typing took for a place ("livrer à Kiev") becomes its state here. The state
        does not take the city's name as an alias: the city keeps its own node, and one name on two nodes
        would make the place and the state one entity to anyone looking the name up."""
        if cluster.capital_of and cluster.capital_of in self.lexicon.entries:
            return self.by_canonical(cluster.capital_of)
        return cluster

    def records(self) -> tuple[DocEntity, ...]:
        return tuple(c.freeze() for c in self.clusters.values() if c.mentions or c.canonical)
