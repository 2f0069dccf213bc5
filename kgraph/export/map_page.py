"""Assembling the HTML map's page: pyvis's vis-network parts, our template filled in one pass, the header,
the Content-Security-Policy, JSON safe inside `<script>`, and a check that nothing in the page is remote."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from html.parser import HTMLParser
from importlib import resources
from typing import Any

from kgraph.errors import OutputError
from kgraph.export.map_ui import UiStrings

_MARKER = re.compile(r"<!--kgraph:([a-z_.]+)-->")
_TAG_BLOCK = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1>", re.DOTALL | re.IGNORECASE)


def remote_references(*parts: str) -> list[str]:
    """URLs a browser would fetch for the page made of `parts` (its text, whole or in pieces): remote
    `src`/`href`-like attributes, CSS `url()`/`@import`."""
    finder = _RemoteFinder()
    for part in parts:
        finder.feed(part)
    finder.close()
    return finder.found


def pyvis_parts(
    vis_nodes: list[dict[str, Any]], vis_edges: list[dict[str, Any]], options: dict[str, Any]
) -> tuple[str, str, str]:
    """Let pyvis render its page in memory; keep its inlined vis-network CSS and JS and its drawing script.

    Its Bootstrap CDN links, empty headings and layout are dropped; `generate_html` writes nothing to disk
    (only `write_html`/`show` do, and with cdn_resources="local" they would create ./lib).
    """
    # the drawing script holds the nodes and edges: most of the page, so the page is gone before it is edited
    vis_css, vis_js, draw = _pyvis_blocks(_pyvis_page(vis_nodes, vis_edges, options))
    head, _, tail = draw.rpartition("drawGraph();")
    del draw  # one copy of the script at a time
    draw = head + "drawGraph();\n              kgraphStart(network, nodes, edges);" + tail
    # Jinja's tojson escapes < > & ' but not the JavaScript line separators
    draw = draw.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return vis_css, vis_js, draw


def _pyvis_page(vis_nodes: list[dict[str, Any]], vis_edges: list[dict[str, Any]], options: dict[str, Any]) -> str:
    from pyvis.network import Network  # lazily: pyvis imports IPython

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    # assigned directly: add_node/add_edge are quadratic and set_options strips every space from strings
    net.nodes = vis_nodes
    net.node_ids = [node["id"] for node in vis_nodes]
    net.node_map = {node["id"]: node for node in vis_nodes}
    net.edges = vis_edges
    net.options = options
    return net.generate_html()


def _pyvis_blocks(page: str) -> tuple[str, str, str]:
    """The vis-network CSS, the vis-network JS and the drawing script of pyvis's page."""
    vis_css = vis_js = draw = None
    for match in _TAG_BLOCK.finditer(page):  # one block copied at a time
        tag, attrs, body = match.groups()
        if "src=" in attrs or "href=" in attrs:
            continue
        if tag.lower() == "style" and ".vis-network" in body:
            vis_css = body
        elif tag.lower() == "script" and "function drawGraph()" in body:
            draw = body
        elif tag.lower() == "script" and "vis-network" in body and len(body) > 100_000:
            vis_js = body
    if vis_css is None or vis_js is None or draw is None or "drawGraph();" not in draw:
        raise OutputError(
            "cannot write the HTML map: this pyvis gives a page kgraph does not recognise (needs pyvis 0.3.2)"
        )
    return vis_css, vis_js, draw


def header_html(heading: str, meta: dict[str, Any], ui: UiStrings) -> str:
    """The page's header: title, counts, date range, what was left off, provenance (all escaped)."""
    facts = [
        ui.count(meta["documents"], "document"),
        ui.count(meta["entities"], "entity"),
        ui.count(meta["relations"], "relation"),
    ]
    if meta["dateFrom"]:
        span = meta["dateFrom"] if meta["dateFrom"] == meta["dateTo"] else f"{meta['dateFrom']} – {meta['dateTo']}"
        facts.append(span)
    parts = [
        f'<h1 id="kg-title">{html.escape(heading)}</h1>',
        f'<p class="kg-facts" id="kg-facts">{html.escape(" · ".join(facts))}</p>',
    ]
    if meta["omittedEntities"]:
        omitted = ui.text(
            "omitted",
            entities=ui.count(meta["omittedEntities"], "entity"),
            relations=ui.count(meta["omittedRelations"], "relation"),
            shown=ui.number(meta["shownEntities"]),
        )
        parts.append(f'<p class="kg-omitted" id="kg-omitted" role="note">{html.escape(omitted)}</p>')
    provenance = " · ".join(
        x
        for x in [
            f"kgraph {meta['version']}" if meta["version"] else "kgraph",
            ui.text("built", date=meta["created"]) if meta["created"] else "",
            ui.text("model", model=meta["model"]) if meta["model"] else "",
        ]
        if x
    )
    parts.append(f'<p class="kg-provenance">{html.escape(provenance)}</p>')
    return "\n".join(parts)


def page_strings(ui: UiStrings) -> dict[str, str]:
    """The template's `<!--kgraph:ui.KEY-->` markers, filled with the interface's words (escaped)."""
    strings = {f"ui.{key}": html.escape(str(value)) for key, value in ui.data["page"].items()}
    strings["ui.physics_off"] = html.escape(ui.text("physics_off"))
    strings["ui.lang"] = html.escape(ui.code)
    return strings


def content_security_policy(scripts: list[str]) -> str:
    """Only our own inline scripts (by hash) may run and nothing may be fetched: a wall behind escaping."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") + "'" for s in scripts
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def fill_pieces(template: str, values: dict[str, str]) -> list[str]:
    """The template's text between its markers and the values of the markers, in order, never joined (a value
    can be most of the page). One pass, so a value that happens to contain a marker is never expanded."""
    pieces = []
    start = 0
    for match in _MARKER.finditer(template):
        pieces += [template[start : match.start()], values[match.group(1)]]
        start = match.end()
    pieces.append(template[start:])
    return pieces


def asset(name: str) -> str:
    return resources.files("kgraph.export").joinpath("assets", name).read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """JSON safe inside <script>: no `</script>`, `<!--`, entity or line-separator surprises."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def script_json_pieces(value: Any, members: Mapping[str, Iterable[tuple[str, Any]]] | None = None) -> Iterator[str]:
    """`script_json(value)` in pieces, the object `value` with `members` added to it: each maps a key to the
    (name, item) pairs of an object, in name order, made as they are written (the map's relations). Each
    dict in `value` is written one member at a time too, so the text is never held whole. A `value` with
    keys that are not all strings is encoded whole (JSON turns such keys into strings after sorting them)."""
    members = members or {}
    if not members and not _string_keyed(value):
        yield script_json(value)
        return
    yield "{"
    for index, key in enumerate(sorted(value.keys() | members.keys())):
        yield ("," if index else "") + script_json(key) + ":"
        if key in members:
            yield from _object_pieces(members[key])
        elif _string_keyed(value[key]):
            yield from _object_pieces((name, value[key][name]) for name in sorted(value[key]))
        else:
            yield script_json(value[key])
    yield "}"


def _object_pieces(pairs: Iterable[tuple[str, Any]]) -> Iterator[str]:
    yield "{"
    for index, (name, item) in enumerate(pairs):
        yield ("," if index else "") + script_json(name) + ":" + script_json(item)
    yield "}"


def _string_keyed(value: Any) -> bool:
    return type(value) is dict and all(type(key) is str for key in value)


class _RemoteFinder(HTMLParser):
    _URL_ATTRS = frozenset(
        {"src", "href", "srcset", "action", "formaction", "data", "poster", "background", "xlink:href"}
    )
    _REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
    _CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:[a-z][a-z0-9+.-]*:)?//[^'")\s]*)""", re.IGNORECASE)

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in self._URL_ATTRS and self._REMOTE.match(value):
                self.found.append(value)
            if value and name == "style":
                self.found += self._CSS_URL.findall(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += self._CSS_URL.findall(data)
