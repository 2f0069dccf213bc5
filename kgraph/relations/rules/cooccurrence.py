"""Co-occurrence (asked for with --cooccurrence): every pair of entities named in one sentence."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kgraph.models import Evidence, Relation

if TYPE_CHECKING:
    from kgraph.relations.context import Sentence


def iter_cooccurrences(sentence: Sentence, doc_id: str) -> Iterator[Relation]:
    keys = sorted({k for _s, _e, k in sentence.spans})
    sent = sentence.sent
    label = sentence.grammar.label("cooccurrence")
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            yield Relation(
                source=a,
                target=b,
                relation="cooccurrence",
                label=label,
                method="cooccurrence",
                confidence=0.3,
                evidence=Evidence(doc=doc_id, sentence=sent.text.strip(), start=sent.start_char, end=sent.end_char),
            )
