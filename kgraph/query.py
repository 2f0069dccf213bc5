"""Questions asked of a built graph: what it holds (`graph_info`), an entity's relations (`neighbors`),
how two entities connect (`shortest_paths`); plain records out, and their terminal and JSON renderings.

Graph files may come from anywhere, so every attribute is read defensively: a value of the wrong type
counts as missing, never as a crash; and text shown in a terminal has its control characters escaped.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kgraph.errors import QueryError, UsageError
from kgraph.text import fold

if TYPE_CHECKING:  # networkx is imported where used, so that the CLI can import `printable` cheaply
    import networkx as nx

# ------------------------------------------------------------------------------------------ records


@dataclass(frozen=True, slots=True)
class EntityRef:
    id: str
    label: str
    type: str


@dataclass(frozen=True, slots=True)
class RankedEntity:
    id: str
    label: str
    type: str
    degree: int
    mentions: int


@dataclass(frozen=True, slots=True)
class GraphInfo:
    nodes: int
    edges: int
    documents: int
    entity_types: dict[str, int]
    relation_types: dict[str, int]
    top_entities: tuple[RankedEntity, ...]
    first_date: str | None
    last_date: str | None
    kgraph_version: str | None = None
    model: str | None = None
    created: str | None = None


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    doc: str
    sentence: str
    start: int | None = None
    end: int | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """One relation (one edge) of the graph, with both ends named."""

    source: EntityRef
    target: EntityRef
    relation: str
    label: str
    weight: int
    evidence: tuple[EvidenceItem, ...]
    date: str | None = None
    place: str | None = None
    polarity: str | None = None
    certainty: str | None = None
    confidence: float | None = None
    method: str | None = None


@dataclass(frozen=True, slots=True)
class Neighborhood:
    entity: EntityRef
    aliases: tuple[str, ...]
    mentions: int
    links: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class GraphPath:
    """A shortest path: `entities[i]` and `entities[i + 1]` are joined by every link in `steps[i]`."""

    entities: tuple[EntityRef, ...]
    steps: tuple[tuple[Link, ...], ...]


# ---------------------------------------------------------------------------------------- questions


def graph_info(graph: nx.MultiDiGraph, *, top: int = 10) -> GraphInfo:
    """Counts, entity and relation types, the `top` entities by degree and the range of dates."""
    types = Counter(_text(data.get("type")) or "?" for _, data in graph.nodes(data=True))
    relations = Counter(
        _text(data.get("relation")) or _text(key) or "?" for _, _, key, data in graph.edges(keys=True, data=True)
    )
    ranked = sorted(
        (
            RankedEntity(
                str(node),
                _label(graph, node),
                _text(data.get("type")),
                int(graph.degree(node)),
                _int(data.get("mentions")),
            )
            for node, data in graph.nodes(data=True)
        ),
        key=lambda e: (-e.degree, -e.mentions, e.label, e.id),
    )
    dates = sorted(_iter_dates(graph))
    documents = graph.graph.get("documents")
    if not isinstance(documents, int) or isinstance(documents, bool):
        documents = len({item.doc for _, _, data in graph.edges(data=True) for item in _evidence(data)} - {""})
    return GraphInfo(
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        documents=documents,
        entity_types=dict(types.most_common()),
        relation_types=dict(relations.most_common()),
        top_entities=tuple(ranked[: max(top, 0)]),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        kgraph_version=_text(graph.graph.get("kgraph_version")) or None,
        model=_text(graph.graph.get("model")) or None,
        created=_text(graph.graph.get("created")) or None,
    )


def find_entity(graph: nx.MultiDiGraph, name: str) -> Any:
    """The node an entity name designates: its id, label or any alias, ignoring case and accents; failing
    that, the one entity whose label or an alias holds every word of `name` ("Lavrov" for "Sergueï Lavrov").

    A name that is the label of one entity wins over aliases, and a whole name over name parts. Raises
    QueryError when nothing fits (with the closest names, those sharing a name part first) or when several
    entities do (with their ids, which are never ambiguous).
    """
    for node in graph.nodes:
        if str(node) == name:
            return node
    key = fold(name)
    for found in _matches(graph, key):
        if len(found) == 1:
            return found[0]
        if found:
            choices = "; ".join(
                f"{_label(graph, n)} ({_text(graph.nodes[n].get('type')) or '?'}, id {n})"
                for n in sorted(found, key=str)[:10]
            )
            raise QueryError(f"{name!r} names {len(found)} entities: {choices}; give the id instead")
    close = _suggestions(graph, key)
    hint = f"; did you mean {', '.join(repr(n) for n in close)}?" if close else ""
    raise QueryError(f"no entity named {name!r} in the graph{hint}")


def _matches(graph: nx.MultiDiGraph, key: str) -> Iterable[list[Any]]:
    """The entities `key` names, from the strictest reading to the loosest: label or id, alias, name parts."""
    by_label: list[Any] = []
    by_alias: list[Any] = []
    by_parts: list[Any] = []
    words = set(key.split())
    for node, data in graph.nodes(data=True):
        if key in (fold(_label(graph, node)), fold(str(node))):
            by_label.append(node)
        elif any(fold(alias) == key for alias in _strings(data.get("aliases"))):
            by_alias.append(node)
        elif words and any(words <= set(fold(n).split()) for n in (_label(graph, node), *_aliases(graph, node))):
            by_parts.append(node)
    return by_label, by_alias, by_parts


def _suggestions(graph: nx.MultiDiGraph, key: str, limit: int = 5) -> list[str]:
    """Names close to `key`: best when one of their words is close to it ("Macrom" → "Emmanuel Macron",
    before "Maroc"), then by similarity of the whole name; a name that contains `key` counts as close."""
    if not key:
        return []
    names = {fold(n): n for node in graph.nodes for n in (_label(graph, node), *_aliases(graph, node))}

    def score(folded: str) -> float:
        parts = max((difflib.SequenceMatcher(None, key, w).ratio() for w in folded.split()), default=0.0)
        whole = difflib.SequenceMatcher(None, key, folded).ratio()
        contained = 1.0 if key in folded else 0.0
        return max(parts, whole, contained * 0.8)

    scored = sorted(((score(f), -len(f), names[f]) for f in names), reverse=True)
    return [name for value, _, name in scored if value >= 0.6][:limit]


def relation_filter(graph: nx.MultiDiGraph, relations: Iterable[str]) -> frozenset[str]:
    """The relation types in `relations` (names, or comma lists such as "meeting,visit"), checked against
    the graph: a name the graph does not hold is a UsageError listing those it does."""
    wanted = {part.strip() for value in relations for part in value.split(",") if part.strip()}
    present = {_relation(data, key) for _, _, key, data in graph.edges(keys=True, data=True)}
    unknown = sorted(wanted - present)
    if unknown:
        choices = ", ".join(printable(r, 40) for r in sorted(present)) or "none"
        raise UsageError(
            f"unknown relation {', '.join(repr(printable(r, 40)) for r in unknown)}; this graph has: {choices}"
        )
    return frozenset(wanted)


def neighbors(graph: nx.MultiDiGraph, name: str, *, relations: Collection[str] = ()) -> Neighborhood:
    """An entity (found by `find_entity`) and its relations in both directions, strongest first.

    `relations`, when given, keeps only those relation types (see `relation_filter`).
    """
    wanted = relation_filter(graph, relations)
    node = find_entity(graph, name)
    edges = itertools.chain(graph.out_edges(node, keys=True, data=True), graph.in_edges(node, keys=True, data=True))
    links = [_link(graph, u, v, k, data) for u, v, k, data in edges]
    if wanted:
        links = [link for link in links if link.relation in wanted]
    links.sort(key=lambda link: (-link.weight, link.relation, link.source.label, link.target.label, link.target.id))
    data = graph.nodes[node]
    return Neighborhood(
        entity=_ref(graph, node),
        aliases=tuple(_aliases(graph, node)),
        mentions=_int(data.get("mentions")),
        links=tuple(links),
    )


def shortest_paths(
    graph: nx.MultiDiGraph, source: str, target: str, *, max_paths: int = 5, relations: Collection[str] = ()
) -> list[GraphPath]:
    """Up to `max_paths` shortest paths between two entities, following relations in either direction.

    Each step carries every relation between the two entities it joins. No path gives an empty list.
    """
    import networkx as nx

    wanted = relation_filter(graph, relations)
    a, b = find_entity(graph, source), find_entity(graph, target)
    if a == b:
        raise QueryError(f"{source!r} and {target!r} are the same entity ({a})")
    view: nx.MultiDiGraph = graph
    if wanted:
        view = nx.subgraph_view(graph, filter_edge=lambda u, v, k: _relation(graph.edges[u, v, k], k) in wanted)
    undirected = view.to_undirected(as_view=True)
    try:
        found = list(itertools.islice(nx.all_shortest_paths(undirected, a, b), max(max_paths, 0)))
    except nx.NetworkXNoPath:
        return []
    paths = []
    for nodes in found:
        steps = []
        for u, v in itertools.pairwise(nodes):
            pairs = [(u, v, k, d) for k, d in view.get_edge_data(u, v, default={}).items()]
            pairs += [(v, u, k, d) for k, d in view.get_edge_data(v, u, default={}).items()]
            links = sorted((_link(graph, *p) for p in pairs), key=lambda link: (-link.weight, link.relation))
            steps.append(tuple(links))
        paths.append(GraphPath(entities=tuple(_ref(graph, n) for n in nodes), steps=tuple(steps)))
    return paths


# ---------------------------------------------------------------------------------------- rendering


def to_json(result: Any) -> str:
    """A query result as JSON text (records as objects), valid even for hostile graph contents."""
    data = _plain(result)
    text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def format_info(info: GraphInfo, *, name: str = "graph") -> str:
    lines = [f"{printable(name)}: {info.nodes} entities, {info.edges} relations, {info.documents} document(s)"]
    about = [
        f"kgraph {info.kgraph_version}" if info.kgraph_version else "",
        info.model or "",
        f"created {info.created}" if info.created else "",
    ]
    if any(about):
        lines.append(printable(", ".join(a for a in about if a)))
    if info.first_date:
        span = info.first_date if info.first_date == info.last_date else f"{info.first_date} to {info.last_date}"
        lines.append(f"dates: {printable(span)}")
    lines.append("")
    lines.append("entity types: " + (_counts(info.entity_types) or "none"))
    lines.append("relations:    " + (_counts(info.relation_types) or "none"))
    if info.top_entities:
        lines += ["", "top entities by degree:"]
        width = len(str(len(info.top_entities)))
        for rank, e in enumerate(info.top_entities, 1):
            lines.append(
                f"  {rank:>{width}}. {printable(e.label, 80)} ({printable(e.type) or '?'}): "
                f"{e.degree} relation(s), {e.mentions} mention(s)"
            )
    return "\n".join(lines)


def format_neighbors(hood: Neighborhood, *, evidence: int = 2) -> str:
    e = hood.entity
    lines = [f"{printable(e.label, 120)} ({printable(e.type) or '?'}, id {printable(e.id, 120)})"]
    if hood.aliases:
        lines.append(f"aliases: {printable(', '.join(hood.aliases), 400)}")
    lines.append(f"{hood.mentions} mention(s), {len(hood.links)} relation(s)")
    for link in hood.links:
        outgoing = link.source.id == e.id
        other = link.target if outgoing else link.source
        arrow = "->" if outgoing else "<-"
        name = f"{printable(other.label, 120)} ({printable(other.type) or '?'})"
        lines += ["", f"{arrow} {printable(link.relation)}  {name}{_details(link)}"]
        lines += _evidence_lines(link, evidence, indent="     ")
    return "\n".join(lines)


def format_paths(paths: list[GraphPath], source: str, target: str, *, evidence: int = 1) -> str:
    if not paths:
        return f"no path between {printable(source)} and {printable(target)}"
    length = len(paths[0].steps)
    lines = [
        f"{len(paths)} shortest path(s) of {length} step(s) between "
        f"{printable(paths[0].entities[0].label, 120)} and {printable(paths[0].entities[-1].label, 120)}"
    ]
    for number, path in enumerate(paths, 1):
        lines += ["", f"{number}. " + " - ".join(printable(n.label, 60) for n in path.entities)]
        for (u, v), links in zip(itertools.pairwise(path.entities), path.steps, strict=True):
            for link in links:
                forward = link.source.id == u.id
                a, b = (u, v) if forward else (v, u)
                lines.append(
                    f"   {printable(a.label, 60)} -[{printable(link.relation)}]-> {printable(b.label, 60)}"
                    f"{_details(link)}"
                )
                lines += _evidence_lines(link, evidence, indent="      ")
    return "\n".join(lines)


def _details(link: Link) -> str:
    parts = [
        f'"{printable(link.label, 60)}"' if link.label else "",
        f"x{link.weight}" if link.weight > 1 else "",
        printable(link.date or ""),
        printable(link.certainty or "") if link.certainty not in (None, "asserted") else "",
        "negated" if link.polarity == "negative" else "",
    ]
    shown = "  ".join(p for p in parts if p)
    return f"  {shown}" if shown else ""


def _evidence_lines(link: Link, limit: int, *, indent: str) -> list[str]:
    shown = link.evidence[: max(limit, 0)]
    lines = [f"{indent}{printable(item.doc, 60)}: {printable(item.sentence, 300)}" for item in shown]
    if len(link.evidence) > limit > 0:
        lines.append(f"{indent}(+{len(link.evidence) - limit} more)")
    return lines


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{printable(name, 40)} {count}" for name, count in counts.items())


# Escaped before text reaches a terminal: C0/C1 controls (ANSI escape sequences start with ESC), line
# breaks, bidirectional overrides and isolates (they reorder what is shown), lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufeff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str, limit: int | None = None) -> str:
    """`text` fit for one terminal line: unsafe characters escaped (\\x1b, \\u202e), cut at `limit`."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


# ------------------------------------------------------------------ reading attributes defensively


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _int(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    return 0


def _float(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):  # a format that lost the list: one alias
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)]
    return []


def _label(graph: nx.MultiDiGraph, node: Any) -> str:
    return _text(graph.nodes[node].get("label")) or str(node)


def _aliases(graph: nx.MultiDiGraph, node: Any) -> list[str]:
    return _strings(graph.nodes[node].get("aliases"))


def _ref(graph: nx.MultiDiGraph, node: Any) -> EntityRef:
    return EntityRef(id=str(node), label=_label(graph, node), type=_text(graph.nodes[node].get("type")))


def _relation(data: dict[str, Any], key: Any) -> str:
    return _text(data.get("relation")) or str(key)


def _evidence(data: dict[str, Any]) -> list[EvidenceItem]:
    items = data.get("evidence")
    if not isinstance(items, list):
        return []
    out = []
    for item in items:
        if isinstance(item, dict):
            start, end = item.get("start"), item.get("end")
            out.append(
                EvidenceItem(
                    doc=_text(item.get("doc")),
                    sentence=_text(item.get("sentence")),
                    start=start if isinstance(start, int) and not isinstance(start, bool) else None,
                    end=end if isinstance(end, int) and not isinstance(end, bool) else None,
                    date=_text(item.get("date")) or None,
                )
            )
        elif isinstance(item, str):
            out.append(EvidenceItem(doc="", sentence=item))
    return out


def _link(graph: nx.MultiDiGraph, u: Any, v: Any, key: Any, data: dict[str, Any]) -> Link:
    place = data.get("place")
    return Link(
        source=_ref(graph, u),
        target=_ref(graph, v),
        relation=_relation(data, key),
        label=_text(data.get("label")),
        weight=_int(data.get("weight")) or 1,
        evidence=tuple(_evidence(data)),
        date=_text(data.get("date")) or None,
        place=(_label(graph, place) if place in graph else _text(place)) if isinstance(place, str) else None,
        polarity=_text(data.get("polarity")) or None,
        certainty=_text(data.get("certainty")) or None,
        confidence=_float(data.get("confidence")),
        method=_text(data.get("method")) or None,
    )


_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _iter_dates(graph: nx.MultiDiGraph) -> Iterable[str]:
    """Every ISO date on relations and their evidence ("2024", "2024-06", "2025-07-12")."""
    for _, _, data in graph.edges(data=True):
        for value in (data.get("date"), *(item.date for item in _evidence(data))):
            match = _ISO_DATE.match(value) if isinstance(value, str) else None
            if match:
                yield match.group()
