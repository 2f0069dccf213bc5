"""The HTML map's data, derived from the graph in one place: vis-network's nodes, edges and options, and the
JSON block the page's script reads (entities, relations with their evidence, legend, counts, interface words).

Article-derived text is cleaned here (no lone surrogates, no control characters) and stays plain text:
tooltips are strings with line breaks, never markup.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kgraph.export import palette
from kgraph.export.map_layout import layout
from kgraph.export.map_ui import UiStrings
from kgraph.models import SYMMETRIC_RELATIONS

# up to this size vis-network polishes the Python layout, then stops; above it, physics starts off
PHYSICS_MAX_NODES = 300
MAX_EVIDENCE_PER_EDGE = 100  # the rest is counted in the panel and kept in the JSON/GraphML exports
MAX_LABEL_CHARS = 40  # canvas labels; the panel shows the full text
MAX_TITLE_ALIASES = 8
# landmarks (the most connected entities of a big map) start with this font size; map.js adapts it to the zoom
LANDMARK_FONT_SIZE = 30
# labels drawn smaller than this on screen are hidden rather than illegible (map.js and vis drawThreshold)
MIN_LABEL_PX = 11
NODE_FONT_SIZE = 14
EDGE_FONT_SIZE = 12

_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")
_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_UNCLEAN = re.compile("[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f]")
_HREF = re.compile("href", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class MapData:
    """Everything the page needs: vis-network's nodes, edges and options, and the page's data block: `blob`,
    whose relations (its `"edges"` member, the bulk of the page) `relations()` makes one at a time."""

    vis_nodes: list[dict[str, Any]]
    vis_edges: list[dict[str, Any]]
    options: dict[str, Any]
    blob: dict[str, Any]
    relations: Callable[[], Iterator[tuple[str, dict[str, Any]]]]

    @property
    def meta(self) -> dict[str, Any]:
        return self.blob["meta"]


def build_map_data(graph: nx.MultiDiGraph, kept: list[Any], landmarks: set[Any], ui: UiStrings) -> MapData:
    """The map of the nodes `kept` (sorted by id), `landmarks` among them keeping a large label."""
    opaque = {node: f"n{i}" for i, node in enumerate(kept)}
    edges = sorted(
        ((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True) if u in opaque and v in opaque),
        key=lambda e: (str(e[0]), str(e[1]), str(e[2])),
    )
    positions = layout(kept, [(u, v) for u, v, _, _ in edges])
    physics = positions is None or len(kept) <= PHYSICS_MAX_NODES
    vis_nodes, blob_nodes, type_counts = _nodes(graph, kept, opaque, landmarks, positions, ui)
    vis_edges, relation_counts = _edges(graph, edges, opaque, ui)
    meta = _meta(graph, kept, edges, physics)
    blob = {
        "meta": meta,
        "types": [
            {"type": t, "color": palette.type_color(t), "count": type_counts[t]}
            for t in _ordered(type_counts, palette.TYPE_COLORS)
        ],
        "relations": [
            {
                "relation": r,
                "color": palette.relation_color(r),
                "count": relation_counts[r],
                "symmetric": r in SYMMETRIC_RELATIONS,
            }
            for r in _ordered(relation_counts, palette.RELATION_COLORS)
        ],
        "nodes": blob_nodes,
        "ui": {"lang": ui.code, **ui.data},
    }
    options = _options(physics=physics, big=len(kept) > PHYSICS_MAX_NODES)
    return MapData(vis_nodes, vis_edges, options, blob, functools.partial(_edge_records, graph, edges, opaque))


def _hidden_relations(graph: nx.MultiDiGraph, opaque: dict[Any, str]) -> Counter[Any]:
    """For each drawn entity, how many of its relations lead to entities left off the map."""
    hidden: Counter[Any] = Counter()
    for u, v in graph.edges():
        if (u in opaque) != (v in opaque):
            hidden[u if u in opaque else v] += 1
    return hidden


def _nodes(
    graph: nx.MultiDiGraph,
    kept: list[Any],
    opaque: dict[Any, str],
    landmarks: set[Any],
    positions: dict[Any, tuple[float, float]] | None,
    ui: UiStrings,
) -> tuple[list[dict[str, Any]], dict[str, Any], Counter[str]]:
    hidden_relations = _hidden_relations(graph, opaque)
    max_size = max((_node_size_value(graph, n) for n in kept), default=1) or 1
    type_counts: Counter[str] = Counter()
    vis_nodes: list[dict[str, Any]] = []
    blob_nodes: dict[str, Any] = {}
    # vis-network draws nodes in list order: landmarks last, so that their labels stay on top
    for node in sorted(kept, key=lambda n: (n in landmarks, str(n))):
        attrs = graph.nodes[node]
        nid = opaque[node]
        label = clean(attrs.get("label") or node)
        etype = clean(attrs.get("type") or "MISC")
        type_counts[etype] += 1
        aliases = _unique_texts(attrs.get("aliases"))
        documents = _unique_texts(attrs.get("documents"))
        mentions = as_int(attrs.get("mentions"))
        color = palette.type_color(etype)
        # no vis "group": on every nodes.update() vis re-applies a group's own colours over ours
        vis_node: dict[str, Any] = {
            "id": nid,
            "label": _shorten(label, MAX_LABEL_CHARS),
            "title": _plain_title(_node_title(label, etype, aliases, mentions, documents, ui)),
            "color": {"background": color, "border": palette.darker(color)},
            "size": round(8 + 22 * math.sqrt(_node_size_value(graph, node) / max_size), 2),
        }
        if positions is not None:
            vis_node["x"], vis_node["y"] = positions[node]
        if node in landmarks:
            vis_node["font"] = {"size": LANDMARK_FONT_SIZE}
        vis_nodes.append(vis_node)
        blob_nodes[nid] = {
            "id": clean(node),
            "label": label,
            "type": etype,
            "aliases": aliases,
            "mentions": mentions,
            "documents": documents,
            "hiddenRelations": hidden_relations[node],
            "landmark": node in landmarks,
        }
    return vis_nodes, blob_nodes, type_counts


def _edges(
    graph: nx.MultiDiGraph, edges: list[tuple[Any, Any, Any, Any]], opaque: dict[Any, str], ui: UiStrings
) -> tuple[list[dict[str, Any]], Counter[str]]:
    pair_groups: dict[frozenset[Any], list[int]] = defaultdict(list)
    for index, (u, v, _, _) in enumerate(edges):
        pair_groups[frozenset((u, v))].append(index)
    curves = _curves(edges, pair_groups)
    relation_counts: Counter[str] = Counter()
    vis_edges: list[dict[str, Any]] = []
    for index, (u, v, key, attrs) in enumerate(edges):
        eid = f"e{index}"
        relation = clean(attrs.get("relation") or key)
        relation_counts[relation] += 1
        negative = attrs.get("polarity") == "negative"
        weight = max(as_int(attrs.get("weight"), 1), 1)
        _, place_label = _place(graph, attrs.get("place"))
        date = _date(attrs.get("date"))
        vis_edge = _vis_edge(eid, opaque[u], opaque[v], relation, attrs, weight, ui)
        vis_edge["title"] = _plain_title(
            _edge_title(graph, u, v, relation, attrs, date, place_label, weight, negative, ui)
        )
        curve = curves.get(index)
        if isinstance(curve, dict) and "selfReference" in curve:
            vis_edge.update(curve)
        elif index in curves:
            vis_edge["smooth"] = curve
        vis_edges.append(vis_edge)
    return vis_edges, relation_counts


def _edge_records(
    graph: nx.MultiDiGraph, edges: list[tuple[Any, Any, Any, Any]], opaque: dict[Any, str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(id, record) of each relation of the data block with its evidence, by id as text ("e0", "e1", "e10"…,
    the order of the block's sorted keys), made one at a time."""
    node_names: dict[Any, list[str]] = {}
    for index in sorted(range(len(edges)), key=lambda i: f"e{i}"):
        u, v, key, attrs = edges[index]
        relation = clean(attrs.get("relation") or key)
        negative = attrs.get("polarity") == "negative"
        place, place_label = _place(graph, attrs.get("place"))
        evidence = _evidence(graph, u, v, place, attrs.get("evidence"), node_names)
        all_evidence = attrs.get("evidence") if isinstance(attrs.get("evidence"), list) else []
        yield (
            f"e{index}",
            {
                "from": opaque[u],
                "to": opaque[v],
                "relation": relation,
                "label": clean(attrs.get("label") or ""),
                "weight": max(as_int(attrs.get("weight"), 1), 1),
                "date": _date(attrs.get("date")),
                "place": place_label,
                "placeNode": opaque.get(place) if place is not None else None,
                "confidence": _confidence(attrs.get("confidence")),
                "method": clean(attrs.get("method") or ""),
                "polarity": "negative" if negative else "positive",
                "certainty": clean(attrs.get("certainty") or ""),
                "symmetric": relation in SYMMETRIC_RELATIONS,
                "evidence": evidence,
                "moreEvidence": max(len(all_evidence) - len(evidence), 0),
            },
        )


def _vis_edge(
    eid: str, source: str, target: str, relation: str, attrs: dict[str, Any], weight: int, ui: UiStrings
) -> dict[str, Any]:
    """How vis-network draws one relation: colour by type, width by evidence, dashed if denied, faded if hedged."""
    negative = attrs.get("polarity") == "negative"
    color = palette.relation_color(relation)
    return {
        "id": eid,
        "from": source,
        "to": target,
        "label": f"{relation} {ui.text('denied')}" if negative else relation,
        "color": {
            "color": color,
            "highlight": color,
            "hover": color,
            "opacity": 0.45 if attrs.get("certainty") == "hedged" else 0.9,
        },
        "width": round(min(1 + 1.5 * math.log2(weight), 8), 2),
        "arrows": {"to": {"enabled": relation not in SYMMETRIC_RELATIONS}},
        "dashes": negative,
    }


def _meta(graph: nx.MultiDiGraph, kept: list[Any], edges: list[Any], physics: bool) -> dict[str, Any]:
    date_range = _date_range(graph)
    total_edges = graph.number_of_edges()
    return {
        "documents": as_int(graph.graph.get("documents")),
        "entities": graph.number_of_nodes(),
        "relations": total_edges,
        "shownEntities": len(kept),
        "shownRelations": len(edges),
        "omittedEntities": graph.number_of_nodes() - len(kept),
        "omittedRelations": total_edges - len(edges),
        "dateFrom": date_range[0],
        "dateTo": date_range[1],
        "version": clean(graph.graph.get("kgraph_version") or ""),
        "created": clean(graph.graph.get("created") or ""),
        "model": clean(graph.graph.get("model") or ""),
        "physics": physics,
        "landmarkFontSize": LANDMARK_FONT_SIZE,
        "nodeFontSize": NODE_FONT_SIZE,
        "minLabelPx": MIN_LABEL_PX,
    }


def _place(graph: nx.MultiDiGraph, value: Any) -> tuple[Any, str | None]:
    """(node id or None, display label or None) for an edge's `place` attribute."""
    if value is None or value == "":
        return None, None
    try:
        known = value in graph
    except TypeError:  # unhashable junk
        known = False
    if known:
        return value, clean(graph.nodes[value].get("label") or value)
    return None, clean(value)


def _node_size_value(graph: nx.MultiDiGraph, node: Any) -> int:
    return as_int(graph.nodes[node].get("mentions")) or graph.degree(node) or 1


def _curves(edges: list[tuple[Any, Any, Any, Any]], groups: dict[frozenset[Any], list[int]]) -> dict[int, Any]:
    """Give each of several edges between the same pair its own curve (or loop angle), fanned out evenly."""
    curves: dict[int, Any] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        first = edges[members[0]]
        for rank, index in enumerate(members):
            u, v = edges[index][0], edges[index][1]
            if u == v:
                curves[index] = {"selfReference": {"angle": round(rank * 2 * math.pi / len(members), 3)}}
                continue
            offset = rank - (len(members) - 1) / 2
            if offset == 0:
                curves[index] = False
                continue
            # curvedCW bends to the right of the edge's own direction: flip it for edges drawn the other way
            clockwise = (offset > 0) == ((u, v) == (first[0], first[1]))
            curves[index] = {
                "enabled": True,
                "type": "curvedCW" if clockwise else "curvedCCW",
                "roundness": round(min(0.12 + 0.2 * abs(offset), 0.8), 3),
            }
    return curves


def _evidence(
    graph: nx.MultiDiGraph, u: Any, v: Any, place: Any, raw: Any, node_names: dict[Any, list[str]]
) -> list[dict[str, Any]]:
    items = raw if isinstance(raw, list) else []
    names: list[str] | None = None  # only needed, and found, for evidence without spans
    out = []
    for item in items[:MAX_EVIDENCE_PER_EDGE]:
        if not isinstance(item, dict):
            continue
        sentence = clean(item.get("sentence") or "")
        spans = _valid_spans(item.get("spans"), len(sentence))
        if spans is None:
            if names is None:
                names = _mention_names(graph, [u, v, place], node_names)
            spans = _find_mentions(sentence, names)
        out.append(
            {
                "doc": clean(item.get("doc") or ""),
                "sentence": sentence,
                "date": _date(item.get("date")),
                "spans": spans,
            }
        )
    return out


def _mention_names(graph: nx.MultiDiGraph, nodes: list[Any], node_names: dict[Any, list[str]]) -> list[str]:
    """The names and aliases of `nodes`, longest first; each node's are cleaned once, kept in `node_names`."""
    names: set[str] = set()
    for node in nodes:
        if node is None:
            continue
        if node not in node_names:
            attrs = graph.nodes[node]
            node_names[node] = [n for n in [clean(attrs.get("label") or ""), *_unique_texts(attrs.get("aliases"))] if n]
        names.update(node_names[node])
    return sorted(names, key=lambda n: (-len(n), n))


def _valid_spans(raw: Any, length: int) -> list[list[int]] | None:
    """Spans as given by the extractor (code-point offsets inside the sentence), clipped, sorted, disjoint."""
    if not isinstance(raw, list):
        return None
    spans = []
    for span in raw:
        if isinstance(span, list | tuple) and len(span) == 2 and _is_offset(span[0]) and _is_offset(span[1]):
            start, end = max(span[0], 0), min(span[1], length)
            if start < end:
                spans.append([start, end])
    return _disjoint(spans)


def _is_offset(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _find_mentions(sentence: str, names: list[str]) -> list[list[int]]:
    """When the extractor gave no spans, highlight the entities' names and aliases found in the sentence."""
    spans = []
    lowered = sentence.casefold()
    for name in names:
        needle = name.casefold()
        if len(needle) < 2 or len(needle) != len(name):  # casefold changed the length: offsets would drift
            continue
        start = lowered.find(needle)
        while start >= 0:
            end = start + len(needle)
            before = lowered[start - 1] if start else " "
            after = lowered[end] if end < len(lowered) else " "
            if not before.isalnum() and not after.isalnum():
                spans.append([start, end])
            start = lowered.find(needle, end)
    return _disjoint(spans)


def _disjoint(spans: list[list[int]]) -> list[list[int]]:
    spans.sort(key=lambda s: (s[0], -s[1]))
    out: list[list[int]] = []
    for start, end in spans:
        if not out or start >= out[-1][1]:
            out.append([start, end])
    return out


def _date_range(graph: nx.MultiDiGraph) -> tuple[str | None, str | None]:
    dates = []
    for _, _, attrs in graph.edges(data=True):
        dates.append(_date(attrs.get("date")))
        evidence = attrs.get("evidence")
        if isinstance(evidence, list):
            dates += [_date(e.get("date")) for e in evidence if isinstance(e, dict)]
    found = sorted(d for d in dates if d)
    return (found[0], found[-1]) if found else (None, None)


def _date(value: Any) -> str | None:
    """An ISO date prefix (YYYY, YYYY-MM or YYYY-MM-DD) or None: other values never reach the page."""
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    return match.group(0) if match else None


def _node_title(label: str, etype: str, aliases: list[str], mentions: int, documents: list[str], ui: UiStrings) -> str:
    others = [a for a in aliases if a != label]
    lines = [label, f"{etype} · {ui.count(mentions, 'mention')} · {ui.count(len(documents), 'document')}"]
    if others:
        shown = ", ".join(others[:MAX_TITLE_ALIASES])
        more = f" (+{len(others) - MAX_TITLE_ALIASES})" if len(others) > MAX_TITLE_ALIASES else ""
        lines.append(ui.text("also", names=f"{shown}{more}"))
    return "\n".join(lines)


def _edge_title(
    graph: nx.MultiDiGraph,
    u: Any,
    v: Any,
    relation: str,
    attrs: dict[str, Any],
    date: str | None,
    place: str | None,
    weight: int,
    negative: bool,
    ui: UiStrings,
) -> str:
    source = clean(graph.nodes[u].get("label") or u)
    target = clean(graph.nodes[v].get("label") or v)
    arrow = "—" if relation in SYMMETRIC_RELATIONS else "→"
    human = clean(attrs.get("label") or "")
    lines = [f"{source} {arrow} {target}", f"« {human} » ({relation})" if human else relation]
    if negative:
        lines.append(ui.text("denied_title"))
    facts = [x for x in [date, ui.text("at_place", place=place) if place else None, ui.count(weight, "mention")] if x]
    certainty = attrs.get("certainty")
    if certainty in ("reported", "hedged"):
        facts.append(ui.text(certainty))
    lines.append(" · ".join(facts))
    return "\n".join(lines)


def _options(*, physics: bool, big: bool) -> dict[str, Any]:
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {
                "size": NODE_FONT_SIZE,
                "face": "system-ui, sans-serif",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            # vis draws a label when font size × zoom ≥ drawThreshold - 1: below MIN_LABEL_PX it is hidden, not
            # illegible, and appears once zoomed in (map.js keeps the emphasised labels above it at any zoom)
            "scaling": {"label": {"drawThreshold": MIN_LABEL_PX + 1}},
        },
        "edges": {
            # straight lines are cheapest to draw and keep labels on their edge; parallel edges get curves
            "smooth": False,
            "font": {
                "size": EDGE_FONT_SIZE,
                "face": "system-ui, sans-serif",
                "color": "#444444",
                "strokeWidth": 3,
                "align": "middle",
            },
            "arrows": {"to": {"scaleFactor": 0.6}},
            "selectionWidth": 2,
            "hoverWidth": 1,
            "scaling": {"label": {"drawThreshold": MIN_LABEL_PX + 1}},
        },
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -110,
                "springLength": 170,
                "springConstant": 0.05,
                "avoidOverlap": 0.2,
            },
            "minVelocity": 2,
            "stabilization": {"enabled": True, "iterations": 200, "updateInterval": 25, "fit": True},
        },
        "interaction": {
            "hover": not big,
            "hideEdgesOnDrag": True,
            "hideEdgesOnZoom": big,
            "tooltipDelay": 200,
            "multiselect": False,
        },
    }


# ---------------------------------------------------------------------------------------------- small helpers


def clean(value: Any) -> str:
    """Text safe to serialise: no lone surrogates, no control characters (newline and tab kept)."""
    text = value if isinstance(value, str) else str(value)
    if not _UNCLEAN.search(text):  # nearly always: one scan instead of two substitutions
        return text
    return _CONTROL.sub("", _SURROGATES.sub("\ufffd", text))


def _plain_title(text: str) -> str:
    # pyvis switches to an innerHTML popup when a title contains "href": break the word invisibly
    return _HREF.sub(lambda m: m.group(0)[:2] + "\u200b" + m.group(0)[2:], text)


def _unique_texts(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return []
    return list(dict.fromkeys(clean(v) for v in value if v is not None and str(v).strip()))


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def as_int(value: Any, default: int = 0) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    return default


def _confidence(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _ordered(counts: Counter[str], known: dict[str, str]) -> list[str]:
    """Known names in their canonical order, then the others alphabetically."""
    return [k for k in known if k in counts] + sorted(k for k in counts if k not in known)
