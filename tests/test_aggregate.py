"""The aggregation rules every graph builder shares (kgraph.aggregate), on hand-made relations: no model."""

from __future__ import annotations

from collections import Counter

import pytest

from kgraph.aggregate import (
    CERTAINTY_RANK,
    EdgeAccumulator,
    best_date,
    edge_key,
    evidence_entry,
    most_common,
    rank_nodes,
)
from kgraph.models import CERTAINTIES, Evidence


def sentence(doc: str, start: int, *, date: str | None = None, spans=()) -> Evidence:
    return Evidence(doc=doc, sentence=f"Phrase {start} de {doc}.", start=start, end=start + 20, date=date, spans=spans)


def add(edge: EdgeAccumulator, evidence: Evidence, **overrides) -> None:
    facts = {"label": "rencontre", "method": "fr.meeting.verb", "confidence": 0.8, "certainty": "asserted"}
    edge.add(**{**facts, "date": None, "place": None, **overrides}, evidence=evidence)


def test_every_certainty_has_a_rank_asserted_strongest():
    assert set(CERTAINTY_RANK) == set(CERTAINTIES)
    assert CERTAINTY_RANK["asserted"] > CERTAINTY_RANK["reported"] > CERTAINTY_RANK["hedged"]


def test_a_denied_relation_gets_its_own_key():
    assert edge_key("agreement", "positive") == "agreement"
    assert edge_key("agreement", "negative") == "agreement:negative"


def test_the_same_sentence_read_by_two_patterns_counts_once():
    edge = EdgeAccumulator("meeting", "positive")
    add(edge, sentence("a.txt", 0), method="fr.meeting.verb")
    add(edge, sentence("a.txt", 0), method="fr.meeting.noun")
    add(edge, sentence("b.txt", 0), method="fr.meeting.noun")
    attrs = edge.attributes()
    assert attrs["weight"] == 2
    assert [e["doc"] for e in attrs["evidence"]] == ["a.txt", "b.txt"]
    assert attrs["method"] == "fr.meeting.noun"


def test_strongest_certainty_highest_confidence_and_most_common_label_win():
    edge = EdgeAccumulator("agreement", "positive")
    add(edge, sentence("a.txt", 0), certainty="hedged", confidence=0.9, label="accord")
    add(edge, sentence("a.txt", 40), certainty="reported", confidence=0.61234, label="pacte")
    add(edge, sentence("b.txt", 0), certainty="hedged", confidence=0.5, label="pacte")
    attrs = edge.attributes()
    assert (attrs["certainty"], attrs["confidence"], attrs["label"]) == ("reported", 0.9, "pacte")


def test_the_most_precise_date_wins_earliest_among_equals():
    assert best_date(["2024", "2024-06-02", "2024-06-01", "2024-07"]) == "2024-06-01"
    edge = EdgeAccumulator("visit", "positive")
    add(edge, sentence("a.txt", 0), date="2024")
    add(edge, sentence("b.txt", 0), date="2024-06")
    assert edge.attributes()["date"] == "2024-06"


def test_an_edge_without_date_or_place_has_neither_attribute():
    edge = EdgeAccumulator("support", "positive")
    add(edge, sentence("a.txt", 0))
    assert "date" not in edge.attributes()
    assert "place" not in edge.attributes()


def test_the_place_most_relations_give_is_the_edges_place():
    edge = EdgeAccumulator("meeting", "positive")
    add(edge, sentence("a.txt", 0), place="loc:rome")
    add(edge, sentence("b.txt", 0), place="loc:naples")
    add(edge, sentence("c.txt", 0), place="loc:rome")
    add(edge, sentence("d.txt", 0))
    attrs = edge.attributes()
    assert attrs["place"] == "loc:rome"
    assert [e.get("place") for e in attrs["evidence"]] == ["loc:rome", "loc:naples", "loc:rome", None]


def test_an_evidence_sample_keeps_the_full_weight():
    edge = EdgeAccumulator("conflict", "positive", evidence_limit=2)
    for n in range(5):
        add(edge, sentence("a.txt", 100 * n))
    attrs = edge.attributes()
    assert attrs["weight"] == 5
    assert [e["start"] for e in attrs["evidence"]] == [0, 100]


def test_evidence_takes_the_relations_date_only_when_the_sentence_has_none():
    own = evidence_entry(sentence("a.txt", 0, date="2025-01-02", spans=((0, 5),)), date="2025", place=None)
    assert own == {
        "doc": "a.txt",
        "sentence": "Phrase 0 de a.txt.",
        "start": 0,
        "end": 20,
        "date": "2025-01-02",
        "spans": [[0, 5]],
    }
    borrowed = evidence_entry(sentence("a.txt", 0), date="2025", place="loc:rome")
    assert (borrowed["date"], borrowed["place"]) == ("2025", "loc:rome")


def test_most_common_breaks_ties_by_value_not_by_reading_order():
    assert most_common(Counter(["b", "a"])) == most_common(Counter(["a", "b"])) == "b"


@pytest.mark.parametrize("limit", [None, 2])
def test_nodes_rank_by_degree_then_mentions_then_id(limit):
    nodes = [("person:b", 3, 1), ("person:a", 3, 1), ("gpe:c", 1, 50), ("org:d", 3, 7)]
    ranked = ["org:d", "person:a", "person:b", "gpe:c"]
    assert rank_nodes(iter(nodes), limit) == (ranked if limit is None else ranked[:limit])
