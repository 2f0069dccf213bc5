"""Queries over a built graph: info, neighbours, shortest paths; their text and JSON renderings."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgraph.errors import QueryError, UsageError
from kgraph.export.graphml import from_graphml, to_graphml
from kgraph.query import (
    find_entity,
    format_info,
    format_neighbors,
    format_paths,
    graph_info,
    neighbors,
    printable,
    shortest_paths,
    to_json,
)
from tests.conftest import make_sample_graph


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    g = make_sample_graph()
    # a second path from Wonsan to Russia, and a second Kim to make names ambiguous
    g.add_node(
        "person:kim-yo-jong",
        label="Kim Yo Jong",
        type="PERSON",
        aliases=["Kim", "Mme Kim"],
        mentions=1,
        documents=["b.txt"],
    )
    g.nodes["person:kim-jong-un"]["aliases"].append("Kim")
    g.add_edge(
        "person:sergei-lavrov",
        "gpe:russie",
        key="role",
        relation="role",
        label="ministre",
        weight=3,
        confidence=0.9,
        method="fr.role",
        polarity="positive",
        certainty="asserted",
        evidence=[{"doc": "a.txt", "sentence": "Sergueï Lavrov, ministre russe.", "start": 5, "end": 36}],
    )
    return g


# -------------------------------------------------------------------------------------------- info


def test_info_counts_types_top_entities_and_dates(graph):
    info = graph_info(graph, top=3)
    assert (info.nodes, info.edges, info.documents) == (7, 5, 2)
    assert info.entity_types == {"PERSON": 3, "GPE": 2, "LOC": 1, "ORG": 1}
    assert info.relation_types["meeting"] == 1 and sum(info.relation_types.values()) == 5
    assert [(e.id, e.degree) for e in info.top_entities] == [
        ("gpe:russie", 3),
        ("gpe:coree-du-nord", 2),
        ("person:sergei-lavrov", 2),
    ]
    assert (info.first_date, info.last_date) == ("2024", "2025-07-12")
    assert (info.kgraph_version, info.model) == ("test", "test 0")


def test_info_text_and_json(graph):
    info = graph_info(graph)
    text = format_info(info, name="graph.json")
    assert text.splitlines()[0] == "graph.json: 7 entities, 5 relations, 2 document(s)"
    assert "dates: 2024 to 2025-07-12" in text
    assert "  1. Russie (GPE): 3 relation(s), 6 mention(s)" in text
    data = json.loads(to_json(info))
    assert data["top_entities"][0] == {"id": "gpe:russie", "label": "Russie", "type": "GPE", "degree": 3, "mentions": 6}


def test_info_of_an_empty_graph():
    info = graph_info(nx.MultiDiGraph())
    assert (info.nodes, info.edges, info.documents, info.first_date, info.top_entities) == (0, 0, 0, None, ())
    assert "0 entities" in format_info(info)


# ------------------------------------------------------------------------------------ finding names


@pytest.mark.parametrize(
    ("name", "node"),
    [
        ("gpe:coree-du-nord", "gpe:coree-du-nord"),
        ("Corée du Nord", "gpe:coree-du-nord"),
        ("coree du nord", "gpe:coree-du-nord"),
        ("CORÉE-DU-NORD", "gpe:coree-du-nord"),
        ("rpdc", "gpe:coree-du-nord"),
        ("m. kim", "person:kim-jong-un"),
        ("Sergueï Lavrov", "person:sergei-lavrov"),
        ("sergue\u0308i lavrov", "person:sergei-lavrov"),  # decomposed accent
        ("le kremlin", "gpe:russie"),
    ],
)
def test_entities_are_found_by_id_label_or_alias_ignoring_case_and_accents(graph, name, node):
    assert find_entity(graph, name) == node


def test_a_label_wins_over_an_alias(graph):
    graph.nodes["loc:wonsan"]["aliases"].append("Russie")
    assert find_entity(graph, "russie") == "gpe:russie"


def test_an_ambiguous_name_lists_the_candidates(graph):
    with pytest.raises(QueryError) as info:
        find_entity(graph, "kim")
    assert str(info.value) == (
        "'kim' names 2 entities: Kim Jong Un (PERSON, id person:kim-jong-un); "
        "Kim Yo Jong (PERSON, id person:kim-yo-jong); give the id instead"
    )


def test_an_unknown_name_suggests_close_ones(graph):
    with pytest.raises(QueryError, match=r"no entity named 'Lavrof' in the graph; did you mean 'M. Lavrov'"):
        find_entity(graph, "Lavrof")
    with pytest.raises(QueryError, match=r"^no entity named 'zzz' in the graph$"):
        find_entity(graph, "zzz")


@pytest.mark.parametrize(
    ("name", "node"),
    [("Lavrov", "person:sergei-lavrov"), ("Corée", "gpe:coree-du-nord"), ("jong un", "person:kim-jong-un")],
)
def test_a_surname_or_part_of_a_name_held_by_one_entity_answers(graph, name, node):
    assert find_entity(graph, name) == node


def test_a_name_part_shared_by_several_entities_lists_them(graph):
    with pytest.raises(QueryError, match=r"^'jong' names 2 entities: Kim Jong Un .*Kim Yo Jong .*give the id"):
        find_entity(graph, "jong")


def test_suggestions_put_names_sharing_a_close_word_first():
    g = nx.MultiDiGraph()
    g.add_node("gpe:maroc", label="Maroc", type="GPE", aliases=[])
    g.add_node("person:macron", label="Emmanuel Macron", type="PERSON", aliases=[])
    with pytest.raises(QueryError, match=r"did you mean 'Emmanuel Macron', 'Maroc'\?$"):
        find_entity(g, "Macrom")
    assert find_entity(g, "Macron") == "person:macron"


# --------------------------------------------------------------------------------------- neighbours


def test_neighbors_lists_both_directions_with_evidence(graph):
    hood = neighbors(graph, "Russie")
    assert hood.entity.id == "gpe:russie"
    assert hood.mentions == 6 and "Moscou" in hood.aliases
    assert [(link.source.id, link.relation, link.target.id) for link in hood.links] == [
        ("person:sergei-lavrov", "role", "gpe:russie"),
        ("gpe:russie", "agreement", "gpe:coree-du-nord"),
        ("org:evil", "opposition", "gpe:russie"),
    ]
    agreement = hood.links[1]
    assert agreement.evidence[0].sentence == "Moscou et Pyongyang ont signé un pacte."
    assert (agreement.date, agreement.certainty, agreement.confidence) == ("2024", "asserted", 0.85)


def test_neighbors_can_keep_some_relations(graph):
    hood = neighbors(graph, "Russie", relations=["agreement"])
    assert [link.relation for link in hood.links] == ["agreement"]


def test_relations_can_be_given_as_a_comma_list(graph):
    hood = neighbors(graph, "Russie", relations=["agreement,role"])
    assert [link.relation for link in hood.links] == ["role", "agreement"]


def test_an_unknown_relation_is_a_usage_error_listing_those_present(graph):
    with pytest.raises(UsageError) as info:
        neighbors(graph, "Russie", relations=["sanctions"])
    assert str(info.value) == (
        "unknown relation 'sanctions'; this graph has: agreement, located_in, meeting, opposition, role"
    )
    with pytest.raises(UsageError, match="unknown relation 'sanctions'"):
        shortest_paths(graph, "Russie", "Wonsan", relations=["meeting,sanctions"])


def test_neighbors_text_shows_arrows_details_and_evidence(graph):
    text = format_neighbors(neighbors(graph, "Kim Jong Un"), evidence=1)
    assert text.splitlines()[0] == "Kim Jong Un (PERSON, id person:kim-jong-un)"
    assert '-> meeting  Sergueï Lavrov (PERSON)  "reçoit"  x2  2025-07-12  reported' in text
    assert "     a.txt: M. Kim a reçu M. Lavrov à Wonsan." in text
    assert "(+1 more)" in text
    assert "<- " in format_neighbors(neighbors(graph, "Corée du Nord"))


# -------------------------------------------------------------------------------------------- paths


def test_shortest_paths_follow_relations_in_either_direction(graph):
    paths = shortest_paths(graph, "Wonsan", "Sergueï Lavrov")
    assert [[e.id for e in p.entities] for p in paths] == [
        ["loc:wonsan", "gpe:coree-du-nord", "gpe:russie", "person:sergei-lavrov"]
    ]
    first, second, third = paths[0].steps
    assert [(link.source.id, link.relation) for link in first] == [("loc:wonsan", "located_in")]
    assert [(link.source.id, link.relation) for link in second] == [("gpe:russie", "agreement")]
    assert third[0].evidence[0].sentence == "Sergueï Lavrov, ministre russe."
    text = format_paths(paths, "Wonsan", "Sergueï Lavrov")
    assert text.splitlines()[0] == "1 shortest path(s) of 3 step(s) between Wonsan and Sergueï Lavrov"
    assert '   Russie -[agreement]-> Corée du Nord  "pacte"  2024' in text


def test_all_shortest_paths_up_to_a_limit(graph):
    graph.add_edge("loc:wonsan", "person:kim-jong-un", key="visit", relation="visit", weight=1, evidence=[])
    graph.add_edge("person:kim-jong-un", "gpe:russie", key="visit", relation="visit", weight=1, evidence=[])
    assert len(shortest_paths(graph, "Wonsan", "Russie")) == 2
    assert len(shortest_paths(graph, "Wonsan", "Russie", max_paths=1)) == 1


def test_paths_can_be_limited_to_some_relations(graph):
    assert shortest_paths(graph, "Wonsan", "Russie", relations=["located_in"]) == []
    assert len(shortest_paths(graph, "Wonsan", "Russie", relations=["located_in", "agreement"])) == 1


def test_no_path_and_same_entity(graph):
    assert shortest_paths(graph, "Kim Yo Jong", "Wonsan") == []
    assert format_paths([], "Kim Yo Jong", "Wonsan") == "no path between Kim Yo Jong and Wonsan"
    with pytest.raises(QueryError, match="are the same entity"):
        shortest_paths(graph, "RPDC", "Corée du Nord")


def test_queries_work_on_a_graph_read_back_from_graphml(graph):
    back = from_graphml(to_graphml(graph))
    assert graph_info(back) == graph_info(graph)
    assert neighbors(back, "rpdc") == neighbors(graph, "rpdc")


# --------------------------------------------------------------------------------- hostile contents


def test_terminal_output_escapes_control_and_bidi_characters(graph):
    graph.nodes["loc:wonsan"]["label"] = "Won\x1b[2Jsan\u202e\nfin"
    text = format_neighbors(neighbors(graph, "loc:wonsan"))
    assert "\x1b" not in text and "\u202e" not in text
    assert text.splitlines()[0].startswith("Won\\x1b[2Jsan\\u202e\\x0afin (LOC")
    assert printable("x" * 500, 10) == "x" * 9 + "…"


def test_json_output_is_valid_even_with_lone_surrogates_and_odd_numbers(graph):
    graph.nodes["loc:wonsan"]["label"] = "Won\ud800san"
    graph.edges["loc:wonsan", "gpe:coree-du-nord", "located_in"]["confidence"] = float("nan")
    data = json.loads(to_json(neighbors(graph, "loc:wonsan")))
    assert data["entity"]["label"] == "Won\ud800san"
    assert data["links"][0]["confidence"] is None


_ANY = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
_ATTRS = st.dictionaries(
    st.sampled_from(
        [
            "label",
            "type",
            "aliases",
            "mentions",
            "relation",
            "weight",
            "evidence",
            "date",
            "place",
            "confidence",
            "polarity",
            "certainty",
            "documents",
            "method",
        ]
    ),
    _ANY,
    max_size=6,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    nodes=st.lists(st.tuples(st.one_of(st.text(max_size=6), st.integers(0, 5)), _ATTRS), min_size=2, max_size=6),
    edges=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.text(max_size=4), _ATTRS), max_size=8),
    graph_attrs=_ATTRS,
)
def test_queries_never_crash_on_odd_attribute_values(nodes, edges, graph_attrs):
    g = nx.MultiDiGraph(**graph_attrs)
    for node, attrs in nodes:
        g.add_node(node, **attrs)
    ids = list(g.nodes)
    for u, v, key, attrs in edges:
        g.add_edge(ids[u % len(ids)], ids[v % len(ids)], key=key, **attrs)
    json.loads(to_json(graph_info(g)))
    format_info(graph_info(g))
    for name in (str(ids[0]), str(ids[-1]), "?"):
        try:
            hood = neighbors(g, name)
        except QueryError:
            continue
        json.loads(to_json(hood))
        format_neighbors(hood)
    try:
        paths = shortest_paths(g, str(ids[0]), str(ids[-1]))
    except QueryError:
        return
    json.loads(to_json(paths))
    format_paths(paths, "a", "b")
