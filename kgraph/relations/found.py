"""A relation candidate before it becomes a record, and the built-in relation kinds the rules emit."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from kgraph.patterns import RelationPattern

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster

ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE"})


@dataclass(frozen=True, slots=True)
class Found:
    """Relation candidate before it becomes a record."""

    source: Cluster
    target: Cluster
    pattern: RelationPattern
    trigger: Token
    confidence: float


@lru_cache(maxsize=4096)  # asked for by every rule in every sentence; the labels of titles vary
def builtin(language: str, rule: str, relation: str, label: str) -> RelationPattern:
    """A relation kind the extractor finds by its own rules (titles, locations, attribution), not by a
    pattern of the language file; its id is the rule's name under the language code ("fr.role.title")."""
    return RelationPattern(
        id=f"{language}.{rule}", relation=relation, label=label, pos="noun", lemmas=frozenset(), source=(), target=()
    )


# the role "agent" of a verb, asked for outside any pattern (a light verb's subject, an appointing state)
AGENT_ONLY = RelationPattern(
    id="agent", relation="agent", label="", pos="verb", lemmas=frozenset(), source=("agent",), target=()
)


def actors(clusters: list[Cluster]) -> list[Cluster]:
    """The clusters that can act: people, organisations, states, and capitals (standing for their state)."""
    return [c for c in clusters if c.type in ACTOR_TYPES or c.capital_of]
