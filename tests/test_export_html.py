"""The HTML map without a browser: self-contained, safe with hostile text, deterministic, honest about cuts.

The same behaviours in a real browser: tests/test_html_browser.py.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from kgraph.errors import OutputError, UsageError
from kgraph.export import map_page, write
from kgraph.export.html import remote_references, to_html, write_html
from tests.conftest import make_sample_graph

HOSTILE = [
    "<img src=x",
    "<script>window.__pwned",
    "<b>condamne</b>",
    "</script>",
]
REPO = Path(__file__).resolve().parents[1]


class _Page(HTMLParser):
    """Tags, URL-bearing attributes and script bodies of a page, as a browser's tokenizer would see them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [value or "" for name, value in attrs if name in {"src", "href", "srcset", "action"}]
        if tag == "script":
            self._script = dict(attrs)

    def handle_data(self, data):
        if self._script is not None:
            self.scripts.append((self._script, data))
            self._script = None

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:  # empty script
            self.scripts.append((self._script, ""))
            self._script = None


def page_data(text: str) -> dict:
    """The JSON data block the page's script reads."""
    for attrs, body in _Page(text).scripts:
        if attrs.get("id") == "kgraph-data":
            assert attrs.get("type") == "application/json"
            return json.loads(body)
    raise AssertionError("no kgraph-data block")


def vis_items(text: str, name: str) -> list[dict]:
    """The node or edge list handed to vis-network (`nodes = new vis.DataSet([...]);`)."""
    match = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);\n", text)
    assert match, name
    return json.loads(match.group(1))


def star_graph(n_leaves: int) -> nx.MultiDiGraph:
    """Two hubs with many leaves, and a chain of loosely connected entities."""
    g = nx.MultiDiGraph(kgraph_version="t", created="2025-01-01T00:00:00Z", model="m", documents=3)
    for hub in ("gpe:hub-a", "gpe:hub-b"):
        g.add_node(hub, label=hub, type="GPE", aliases=[hub], mentions=50, documents=["d"])
    for i in range(n_leaves):
        leaf = f"person:leaf-{i:03d}"
        g.add_node(leaf, label=f"Leaf {i}", type="PERSON", aliases=[f"Leaf {i}"], mentions=1, documents=["d"])
        hub = "gpe:hub-a" if i % 2 else "gpe:hub-b"
        g.add_edge(leaf, hub, key="visit", relation="visit", label="visite", weight=1, evidence=[])
    g.add_edge("gpe:hub-a", "gpe:hub-b", key="conflict", relation="conflict", label="guerre", weight=3, evidence=[])
    return g


@pytest.fixture(scope="module")
def sample_page() -> str:
    return to_html(make_sample_graph())


def test_page_loads_nothing_from_the_network(sample_page):
    parsed = _Page(sample_page)
    assert all(not re.match(r"\s*(https?:)?//", url, re.I) for url in parsed.urls)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", sample_page, re.I)
    assert "link" not in parsed.tags  # no stylesheet, font or preload links at all
    assert "bootstrap" not in sample_page.lower() and "cdn.jsdelivr" not in sample_page
    assert remote_references(sample_page) == []
    # vis-network itself is inlined
    assert any("vis-network" in body and len(body) > 100_000 for _, body in parsed.scripts)


def test_remote_reference_finder_sees_what_a_browser_would_fetch():
    page = (
        '<link rel="stylesheet" href="//cdn.example/x.css"><script src="https://cdn.example/x.js"></script>'
        "<style>@import 'https://fonts.example/f.css';"
        ".a { background: url(http://img.example/a.png) }</style>"
        '<script type="application/json">{"t": "<img src=\\"https://not.fetched/\\">"}</script>'
    )
    assert remote_references(page) == [
        "//cdn.example/x.css",
        "https://cdn.example/x.js",
        "https://fonts.example/f.css",
        "http://img.example/a.png",
    ]


def test_content_security_policy_forbids_fetching_and_foreign_scripts(sample_page):
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', sample_page).group(1)
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert csp.count("'sha256-") == 3  # vis-network, the map's script, pyvis's drawing script


def test_write_html_writes_utf8_atomically_and_returns_the_path(tmp_path):
    path = tmp_path / "maps" / "graph.html"
    assert write_html(make_sample_graph(), path) == [path]
    text = path.read_bytes().decode("utf-8")  # strict: raises on anything but UTF-8
    assert '<meta charset="utf-8">' in text
    assert "Sergueï Lavrov" in text and "Corée du Nord" in text  # stored as UTF-8, not \\u escapes
    assert sorted(p.name for p in path.parent.iterdir()) == ["graph.html"]  # no temporary file left


def test_registry_writes_html_by_extension(tmp_path):
    path = tmp_path / "graph.html"
    assert write(make_sample_graph(), path, max_nodes=3, title="Registre") == [path]
    assert "Registre" in path.read_text(encoding="utf-8")


def test_nothing_is_written_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out" / "graph.html"
    write_html(make_sample_graph(), out)
    to_html(star_graph(20))
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "out",
        "out/graph.html",
    ]


def test_hostile_text_never_reaches_the_page_as_markup(sample_page):
    for payload in HOSTILE[:3]:
        assert payload not in sample_page
    # the only tags are the template's: none came from labels, aliases, relation labels or evidence
    parsed = _Page(sample_page)
    assert set(parsed.tags) <= {
        "html", "head", "meta", "title", "style", "body", "header", "h1", "p", "div", "nav", "label", "input",
        "ul", "button", "fieldset", "legend", "b", "main", "aside", "noscript", "script",
    }  # fmt: skip
    assert parsed.tags.count("script") == 4
    assert sample_page.count("</script>") == 4
    assert parsed.tags.count("b") == 1  # the template's own "Reading the map."
    # ...yet the text is all there, as data, for the page to show as text
    data = page_data(sample_page)
    labels = {n["label"] for n in data["nodes"].values()}
    assert '<img src=x onerror="window.__pwned=1">' in labels
    evil = next(e for e in data["edges"].values() if e["relation"] == "opposition")
    assert evil["label"] == "<b>condamne</b>"
    assert evil["evidence"][0]["sentence"].startswith("<script>window.__pwned=3</script>")


def test_script_breaking_characters_are_escaped_in_embedded_json():
    g = make_sample_graph()
    nx.set_node_attributes(g, {"loc:wonsan": "Won\u2028san\u2029 </script><!-- & "}, "label")
    page = to_html(g)
    assert "\u2028" not in page and "\u2029" not in page
    assert page.count("</script") == 4
    assert "<!--" not in page.split("<body>", 1)[1].replace("<!--kgraph", "")
    assert any(n["label"] == "Won\u2028san\u2029 </script><!-- & " for n in page_data(page)["nodes"].values())


def test_node_ids_in_the_network_are_opaque(sample_page):
    nodes = vis_items(sample_page, "nodes")
    assert sorted(n["id"] for n in nodes) == [f"n{i}" for i in range(6)]
    vis_part = re.search(r"nodes = new vis\.DataSet.*?var options", sample_page, re.S).group(0)
    assert "person:kim-jong-un" not in vis_part
    data = page_data(sample_page)
    assert {n["id"] for n in data["nodes"].values()} == set(make_sample_graph().nodes)


def test_tooltips_are_plain_text_without_href():
    g = make_sample_graph()
    g.nodes["org:evil"]["aliases"].append('<a HREF="javascript:alert(1)">x</a>')
    g.edges["loc:wonsan", "gpe:coree-du-nord", "located_in"]["label"] = "href"
    page = to_html(g)
    titles = [item["title"] for item in vis_items(page, "nodes") + vis_items(page, "edges")]
    assert all("href" not in t.lower() for t in titles)
    evil = next(n for n in vis_items(page, "nodes") if "onerror" in n["title"])
    assert evil["title"].startswith('<img src=x onerror="window.__pwned=1">\nORG · 1 mention · 1 document')
    assert "div.popup" not in page and "popup.innerHTML" not in page  # pyvis's HTML popup stayed off


def test_same_graph_gives_the_same_bytes_whatever_the_insertion_order():
    g = make_sample_graph()
    shuffled = nx.MultiDiGraph()
    shuffled.graph.update(g.graph)
    shuffled.add_nodes_from(reversed(list(g.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(g.edges(keys=True, data=True))))
    assert to_html(g) == to_html(shuffled)


def test_same_graph_gives_the_same_bytes_across_processes():
    # a fresh interpreter with another hash seed each time; 350 nodes exercise the precomputed layout
    code = (
        "import hashlib; from tests.conftest import make_sample_graph; "
        "from tests.test_export_html import star_graph; from kgraph.export.html import to_html; "
        "page = to_html(make_sample_graph()) + to_html(star_graph(350)); "
        "print(hashlib.sha256(page.encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(digests) == 1
    assert len(next(iter(digests))) == len(hashlib.sha256().hexdigest())


def test_max_nodes_keeps_the_most_connected_and_says_what_was_left_out():
    g = star_graph(60)  # 62 entities, 61 relations
    page = to_html(g, max_nodes=10)
    data = page_data(page)
    kept = {n["id"] for n in data["nodes"].values()}
    assert len(kept) == 10 and {"gpe:hub-a", "gpe:hub-b"} <= kept
    assert len(data["edges"]) == 9  # the hub-hub conflict and 8 visits
    assert "52 entities and 52 relations not shown" in page
    assert "GraphML/JSON" in page
    assert data["meta"]["omittedEntities"] == 52 and data["meta"]["omittedRelations"] == 52
    hub = next(n for n in data["nodes"].values() if n["id"] == "gpe:hub-a")
    assert hub["hiddenRelations"] == 26


def test_no_truncation_message_when_everything_fits(sample_page):
    assert 'id="kg-omitted"' not in sample_page


@pytest.mark.parametrize("bad", [0, -1, True, 2.5, "10"])
def test_max_nodes_must_be_a_positive_integer(bad):
    with pytest.raises(UsageError, match="max_nodes"):
        to_html(make_sample_graph(), max_nodes=bad)


def test_header_counts_dates_and_title():
    g = make_sample_graph()
    page = to_html(g)
    assert "<title>kgraph map</title>" in page
    assert "2 documents · 6 entities · 4 relations · 2024 – 2025-07-12" in page
    g.graph["title"] = "Corée du Nord & Russie"
    assert '<h1 id="kg-title">Corée du Nord &amp; Russie</h1>' in to_html(g)
    page = to_html(g, title="<script>alert(1)</script>")
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert "<script>alert(1)" not in page


def test_edges_carry_direction_weight_polarity_and_their_own_curves():
    g = make_sample_graph()
    kim, lavrov = "person:kim-jong-un", "person:sergei-lavrov"
    denial = {"doc": "b.txt", "sentence": "Lavrov n'a pas remercié Kim.", "start": 0, "end": 28,
              "spans": [[0, 6], [24, 27]]}  # fmt: skip
    g.add_edge(lavrov, kim, key="thanks", relation="thanks", label="remercie", weight=4, polarity="negative",
               certainty="hedged", evidence=[denial])  # fmt: skip
    g.add_edge(kim, lavrov, key="support", relation="support", label="soutient", weight=1, evidence=[])
    page = to_html(g)
    data = page_data(page)
    edges = {e["id"]: e for e in vis_items(page, "edges")}
    by_relation = {data["edges"][eid]["relation"]: edges[eid] for eid in edges}
    assert by_relation["meeting"]["arrows"] == {"to": {"enabled": False}}  # symmetric
    assert by_relation["agreement"]["arrows"] == {"to": {"enabled": False}}
    assert by_relation["located_in"]["arrows"] == {"to": {"enabled": True}}
    thanks = by_relation["thanks"]
    assert thanks["dashes"] is True and thanks["label"] == "thanks (denied)"
    assert thanks["width"] > by_relation["agreement"]["width"]
    assert thanks["color"]["opacity"] < by_relation["agreement"]["color"]["opacity"]  # hedged

    # three relations between Kim and Lavrov, one of them the other way round: three different curves
    def bend(
        edge,
    ):  # signed offset seen from Kim towards Lavrov (curvedCW bends right of the edge's direction)
        smooth = edge.get("smooth") or {"type": "curvedCW", "roundness": 0}
        side = 1 if smooth["type"] == "curvedCW" else -1
        return side * smooth["roundness"] * (1 if data["nodes"][edge["from"]]["id"] == kim else -1)

    assert sorted(bend(by_relation[r]) for r in ("meeting", "thanks", "support")) == [-0.32, 0, 0.32]
    thanks_data = next(e for e in data["edges"].values() if e["relation"] == "thanks")
    assert thanks_data["polarity"] == "negative" and thanks_data["evidence"][0]["spans"] == [[0, 6], [24, 27]]


def test_mentions_are_found_in_evidence_when_the_extractor_gave_no_spans(sample_page):
    data = page_data(sample_page)
    meeting = next(e for e in data["edges"].values() if e["relation"] == "meeting")
    first = meeting["evidence"][0]
    marked = [first["sentence"][a:b] for a, b in first["spans"]]
    assert marked == ["M. Kim", "M. Lavrov", "Wonsan"]  # source, target and the place
    assert meeting["place"] == "Wonsan" and first["date"] == "2025-07-12" and first["doc"] == "a.txt"


def test_colours_and_legend_follow_types_and_relations(sample_page):
    data = page_data(sample_page)
    assert [t["type"] for t in data["types"]] == ["PERSON", "ORG", "GPE", "LOC"]
    assert [r["relation"] for r in data["relations"]] == ["meeting", "agreement", "opposition", "located_in"]
    types = {i: n["type"] for i, n in data["nodes"].items()}
    colours = {types[n["id"]]: n["color"]["background"] for n in vis_items(sample_page, "nodes")}
    assert len(set(colours.values())) == len(colours)


def test_empty_and_odd_graphs_still_give_a_page():
    assert "0 entities" in to_html(nx.MultiDiGraph())
    g = nx.MultiDiGraph()
    g.add_node(1)  # no attributes at all, a non-string id
    g.add_node("x", label=None, type="ALIEN", aliases="solo", mentions=float("nan"), documents=None)
    g.add_edge(1, "x", key=0, evidence="not a list", weight="heavy", confidence=float("inf"), place=["junk"])
    g.add_edge(1, 1, key="self", relation="self", evidence=[{"sentence": None, "spans": [[5, 1], "x"]}])
    data = page_data(to_html(g))
    assert len(data["nodes"]) == 2 and len(data["edges"]) == 2


def test_layout_falls_back_without_python_igraph(monkeypatch):
    monkeypatch.setitem(sys.modules, "igraph", None)  # makes `import igraph` fail
    small = vis_items(to_html(make_sample_graph()), "nodes")
    assert all("x" in n for n in small)  # networkx spring layout, then physics polishes it
    big_page = to_html(star_graph(450))
    assert all("x" not in n for n in vis_items(big_page, "nodes"))  # left to vis-network's physics
    assert page_data(big_page)["meta"]["physics"] is True


def test_big_graphs_start_with_physics_off_and_precomputed_positions():
    page = to_html(star_graph(400))
    nodes = vis_items(page, "nodes")
    assert all("x" in n and "y" in n for n in nodes)
    assert page_data(page)["meta"]["physics"] is False
    assert '"physics": {"enabled": false' in page


def test_importing_the_module_does_not_import_pyvis():
    code = "import sys, kgraph.export.html; print('pyvis' in sys.modules, 'IPython' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_export_leaves_the_graph_untouched():
    g = make_sample_graph()
    before = copy.deepcopy(nx.node_link_data(g, edges="edges"))
    to_html(g, max_nodes=3)
    assert nx.node_link_data(g, edges="edges") == before


def test_an_unrecognised_pyvis_page_is_a_kgraph_error_naming_the_version_needed(monkeypatch):
    from pyvis.network import Network

    monkeypatch.setattr(Network, "generate_html", lambda self, *a, **k: "<html><body>changed</body></html>")
    with pytest.raises(OutputError, match=r"^cannot write the HTML map: .*needs pyvis 0\.3\.2"):
        to_html(make_sample_graph())


def test_a_page_that_would_fetch_remote_resources_is_refused_with_a_kgraph_error(monkeypatch, tmp_path):
    real = map_page.pyvis_parts

    def leaky(*args):
        css, js, draw = real(*args)
        return css + "@import url('https://cdn.example/x.css');", js, draw

    monkeypatch.setattr(map_page, "pyvis_parts", leaky)
    with pytest.raises(OutputError, match=r"remote resources \(https://cdn\.example/x\.css\); nothing written"):
        write_html(make_sample_graph(), tmp_path / "map.html")
    assert not (tmp_path / "map.html").exists()


@pytest.mark.parametrize(
    "value",
    [
        {"nodes": {"n1": {"label": "<b>&é\u2028"}, "n0": {}}, "meta": {"a": [1, None, 2.5]}, "empty": {}},
        {"number keys": {10: "x", 9: "y"}, "list": [{"b": 1, "a": "</script>"}]},
        {2: "not string keys"},
        ["not", "a", "dict"],
    ],
)
def test_the_data_block_in_pieces_is_the_same_json(value):
    assert "".join(map_page.script_json_pieces(value)) == map_page.script_json(value)


def test_the_template_is_filled_in_one_pass():
    template = "<p><!--kgraph:a--></p><!--kgraph:b--><!--kgraph:a-->end"
    pieces = map_page.fill_pieces(template, {"a": "<!--kgraph:b-->", "b": "B"})
    assert "".join(pieces) == "<p><!--kgraph:b--></p>B<!--kgraph:b-->end"


def test_the_streamed_page_has_the_bytes_of_to_html(tmp_path):
    graph = star_graph(30)
    path = write_html(graph, tmp_path / "map.html")[0]
    assert path.read_bytes() == to_html(graph).encode("utf-8")
