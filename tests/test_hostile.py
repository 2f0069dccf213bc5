"""Hostile text: whatever the articles hold (markup, script, control characters, bidi overrides, very long
tokens, odd encodings), a build does not raise and every output parses, and no text acts as markup.

Property-based (hypothesis) over generated documents, through the library API so that the pipeline is
loaded once for the session.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from kgraph.api import build_graph
from kgraph.corpus import iter_corpus
from kgraph.documents import MAX_TOKEN_CHARS, Skipped, clean_text, make_document
from kgraph.export.csv import to_csv
from kgraph.export.gexf import from_gexf, to_gexf
from kgraph.export.graphml import from_graphml, to_graphml
from kgraph.export.html import to_html
from kgraph.export.json import from_json, to_json
from kgraph.extract import split_long_text
from tests.conftest import make_sample_graph

MARKUP = [
    "<script>alert(1)</script>", "</script><script>window.__pwned=1</script>", "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>lien</a>", "]]>", "<![CDATA[x]]>", "<!--", "-->", "&amp;", "&#0;", "&#x1b;",
    "<!DOCTYPE x [<!ENTITY a 'b'>]>", "&a;", "\"'`", "{{7*7}}", "${jndi:x}", "<?php echo 1; ?>", "</title>",
    "<style>*{}</style>", "\\u2028", "%s%n", "\u202e", "\u2066", "\u200f", "\x1b[31m", "\x1b]0;titre\x07",
    "\x00", "\x07", "\x0b", "\x0c", "\x85", "\ufeff", "\u2028", "\u2029", "\ud800", "\udfff", "\ufffe", "\uffff",
    "\r", "\r\n", "\t",
]  # fmt: skip
SENTENCES = [
    "Kim Jong Un a reçu Sergueï Lavrov à Wonsan.",
    "La Russie a signé un accord avec la Corée du Nord.",
    "Emmanuel Macron a rencontré Olaf Scholz à Berlin.",
    "Selon l'agence KCNA, Pyongyang soutient Moscou.",
]
NAMES = ["Kim Jong Un", "Sergueï Lavrov", "Wonsan", "Russie", "Corée du Nord", "KCNA"]

# Pieces of an article: real sentences (so that entities and relations, hence labels and evidence, exist),
# markup and control characters glued to names, long runs, and any Unicode at all.
_piece = st.one_of(
    st.sampled_from(SENTENCES),
    st.builds("Kim Jong Un a reçu Sergueï Lavrov {} à Wonsan.".format, st.sampled_from(MARKUP)),
    st.sampled_from(MARKUP),
    st.builds(
        lambda n, m, after: f"{n}{m}" if after else f"{m}{n}",
        st.sampled_from(NAMES),
        st.sampled_from(MARKUP),
        st.booleans(),
    ),
    st.builds(
        lambda c, n: c * n,
        st.sampled_from(["<", "l'", "+", "x", "(", "é", "\u202e"]),
        st.integers(1, 3 * MAX_TOKEN_CHARS),
    ),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40),
)
_document = st.lists(_piece, min_size=1, max_size=8).flatmap(
    lambda pieces: st.sampled_from([" ", "\n", "", "\n\n"]).map(lambda sep: sep.join(pieces))
)


@pytest.fixture(scope="module")
def template():
    """The tags and script blocks of a page kgraph made from a benign graph: all a page may have."""
    page = _Page(to_html(make_sample_graph()))
    return set(page.tags), page.tags.count("script")


class _Page(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.data_block: str | None = None
        self._in_data = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        self._in_data = tag == "script" and ("id", "kgraph-data") in attrs

    def handle_data(self, data):
        if self._in_data:
            self.data_block = (self.data_block or "") + data

    def handle_endtag(self, tag):
        self._in_data = False


def assert_outputs_parse(graph: nx.MultiDiGraph, template) -> None:
    """Every format kgraph writes parses, reads back with the same nodes and edges, and the HTML page
    holds no tag, script or event handler that did not come from its template."""
    counts = (graph.number_of_nodes(), graph.number_of_edges())
    text = to_json(graph)
    json.loads(text)
    back = from_json(text)
    assert (back.number_of_nodes(), back.number_of_edges()) == counts
    for to_xml, from_xml in ((to_graphml, from_graphml), (to_gexf, from_gexf)):
        data = to_xml(graph)
        etree.fromstring(data)  # well-formed XML 1.0
        back = from_xml(data)
        assert (back.number_of_nodes(), back.number_of_edges()) == counts
    nodes_csv, edges_csv = to_csv(graph)
    limit = csv.field_size_limit(sys.maxsize)  # Python's reader stops at 128 KiB fields by default
    try:
        assert len(list(csv.reader(io.StringIO(nodes_csv)))) == counts[0] + 1
        assert len(list(csv.reader(io.StringIO(edges_csv)))) == counts[1] + 1
    finally:
        csv.field_size_limit(limit)
    tags, scripts = template
    page = _Page(to_html(graph))
    assert set(page.tags) <= tags
    assert page.tags.count("script") == scripts
    assert page.handlers == []
    assert page.data_block is not None
    json.loads(page.data_block)


# --------------------------------------------------------------------------------------- properties


@pytest.mark.model
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_document, min_size=1, max_size=3))
def test_build_never_raises_and_every_output_parses(nlp, template, texts):
    result = build_graph(texts=texts)
    assert result.documents == len(texts)
    assert_outputs_parse(result.graph, template)


_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "latin-1"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_document, st.sampled_from(_ENCODINGS)), min_size=1, max_size=4))
def test_files_in_mixed_encodings_are_read_or_skipped_never_raise(files):
    with tempfile.TemporaryDirectory() as folder:
        expected = {}
        for n, (text, encoding) in enumerate(files):
            data = text.encode(encoding, errors="replace" if encoding in ("cp1252", "latin-1") else "surrogatepass")
            Path(folder, f"{n}.txt").write_bytes(data)
            if encoding.startswith("utf") and "\ud800" not in text and "\udfff" not in text:
                expected[f"{n}.txt"] = text.lstrip("\ufeff")
        items = list(iter_corpus([folder]))
    assert len(items) == len(files)
    for item in items:
        if isinstance(item, Skipped):
            assert item.reason  # empty, binary or undecodable: said why
            continue
        assert len(item.text) >= 1 and clean_text(item.text) == item.text
        if item.id in expected and item.date is None:  # Unicode with a BOM or valid UTF-8: exactly the text
            assert item.text == clean_text(expected[item.id])


# -------------------------------------------------------------------------------------- size limits


def test_long_runs_of_affix_characters_take_linear_time_in_the_tokenizer():
    # spaCy's tokenizer strips affixes one by one: 40,000 "<" in one token take it ~2 minutes, 20,000
    # "l'" ~40 s. Documents come to it with such runs cut (kgraph.documents.clean_text): milliseconds.
    import spacy

    tokenizer = spacy.blank("fr").tokenizer
    started = time.perf_counter()
    for run in ("<" * 40_000, "l'" * 20_000, "+" * 40_000, "(a" * 20_000):
        doc = tokenizer(make_document("x", f"Kim {run} Lavrov").text)
        assert doc[0].text == "Kim" and doc[-1].text == "Lavrov"
    assert time.perf_counter() - started < 10


def test_a_10_mb_single_line_document_is_cut_into_pieces_spacy_accepts():
    text = ("Kim Jong Un a reçu Sergueï Lavrov à Wonsan, " * 240_000)[:10_000_000]
    started = time.perf_counter()
    chunks = split_long_text(clean_text(text), 1_000_000 - 1)
    assert time.perf_counter() - started < 20
    assert "".join(chunk for _, chunk in chunks) == text
    assert all(len(chunk) < 1_000_000 for _, chunk in chunks)
    assert [offset for offset, _ in chunks] == [sum(len(c) for _, c in chunks[:i]) for i in range(len(chunks))]


def test_megabyte_labels_and_evidence_still_give_valid_outputs(template):
    graph = make_sample_graph()
    big = "<script>" + "\u202e\x1b]]>&\x00" * 200_000
    graph.nodes["loc:wonsan"]["label"] = big
    graph.edges["loc:wonsan", "gpe:coree-du-nord", "located_in"]["evidence"][0]["sentence"] = big
    started = time.perf_counter()
    assert_outputs_parse(graph, template)
    assert time.perf_counter() - started < 30
