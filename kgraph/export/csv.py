"""CSV for Neo4j: a nodes file and a relationships file with `neo4j-admin database import` headers.

Arrays (`:string[]`) are joined with `;`, Neo4j's default array delimiter, so a `;` inside an item becomes
`,`; newlines inside fields are flattened to spaces (no `--multiline-fields` needed), and relation
types become UPPER_SNAKE `:TYPE`s. See docs/exports.md for the import command.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import networkx as nx

from kgraph.atomic import atomic_open
from kgraph.export import common

ID_SPACE = "Entity"
NODE_LABEL = "Entity"
ARRAY_DELIMITER = ";"
NODE_HEADER = (
    f"id:ID({ID_SPACE})",
    "name",
    ":LABEL",
    "aliases:string[]",
    "mentions:int",
    "documents:string[]",
)
EDGE_HEADER = (
    f":START_ID({ID_SPACE})",
    f":END_ID({ID_SPACE})",
    ":TYPE",
    "relation",
    "label",
    "weight:float",
    "date",
    "place",
    "confidence:float",
    "method",
    "polarity",
    "certainty",
    "evidence:string[]",
    "documents:string[]",
)
_LINE_BREAKS = re.compile("\r\n|[\r\n\u2028\u2029\x85]")
# a line break or a character XML 1.0 forbids (see common.clean_xml_text)
_UNCLEAN = re.compile("[\r\n\u2028\u2029\x85\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_WORD = re.compile(r"[^0-9A-Za-z_]+")


def to_csv(graph: nx.MultiDiGraph) -> tuple[str, str]:
    """The nodes and the relationships CSV texts."""
    nodes, edges = common.sorted_items(graph)
    return _table(NODE_HEADER, (node_row(node, data) for node, data in nodes)), _table(
        EDGE_HEADER, (edge_row(u, v, key, data) for u, v, key, data in edges)
    )


def csv_paths(path: Path) -> tuple[Path, Path]:
    """`DIR/nodes.csv` gives DIR/nodes.csv and DIR/edges.csv; `DIR/graph.csv` gives DIR/graph.nodes.csv
    and DIR/graph.edges.csv."""
    path = Path(path)
    if path.stem == "nodes":
        return path.with_name("nodes.csv"), path.with_name("edges.csv")
    return path.with_name(f"{path.stem}.nodes.csv"), path.with_name(f"{path.stem}.edges.csv")


def write_csv(graph: nx.MultiDiGraph, path: Path) -> list[Path]:
    """Write the two files row by row, each atomically; memory does not grow with them."""
    nodes_path, edges_path = csv_paths(path)
    nodes, edges = common.sorted_items(graph)
    with atomic_open(nodes_path) as handle:
        _write_table(handle, NODE_HEADER, (node_row(node, data) for node, data in nodes))
    with atomic_open(edges_path) as handle:
        _write_table(handle, EDGE_HEADER, (edge_row(u, v, key, data) for u, v, key, data in edges))
    return [nodes_path, edges_path]


def _table(header: tuple[str, ...], rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    _write_table(buffer, header, rows)
    return buffer.getvalue()


def _write_table(handle: IO[str], header: tuple[str, ...], rows: Iterable[list[str]]) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def node_row(node: Any, data: dict[str, Any]) -> list[str]:
    """The nodes-file row of one node (`NODE_HEADER`'s columns)."""
    labels = [NODE_LABEL]
    entity_type = _word(data.get("type"))
    if entity_type and entity_type != NODE_LABEL:
        labels.append(entity_type)
    return [
        _text(node),
        _text(data.get("label", node)),
        ARRAY_DELIMITER.join(labels),
        _array(data.get("aliases")),
        _number(data.get("mentions"), int),
        _array(data.get("documents")),
    ]


def edge_row(source: Any, target: Any, key: Any, data: dict[str, Any]) -> list[str]:
    """The relationships-file row of one edge (`EDGE_HEADER`'s columns)."""
    relation = data.get("relation", key)
    evidence = [item for item in data.get("evidence") or [] if isinstance(item, dict)]
    documents = list(dict.fromkeys(str(item["doc"]) for item in evidence if item.get("doc") is not None))
    return [
        _text(source),
        _text(target),
        _word(relation).upper() or "RELATED_TO",
        _text(relation),
        _text(data.get("label")),
        _number(data.get("weight"), float),
        _text(data.get("date")),
        _text(data.get("place")),
        _number(data.get("confidence"), float),
        _text(data.get("method")),
        _text(data.get("polarity")),
        _text(data.get("certainty")),
        _array(item.get("sentence") for item in evidence),
        _array(documents),
    ]


def _text(value: Any) -> str:
    """One line of clean text; empty for a missing value (neo4j-admin then sets no property)."""
    if value is None:
        return ""
    text = str(value)
    if not _UNCLEAN.search(text):  # nearly always: one scan instead of two substitutions
        return text
    return common.clean_xml_text(_LINE_BREAKS.sub(" ", text))


def _array(values: Iterable[Any] | None) -> str:
    if values is None or isinstance(values, (str, bytes)):
        values = [] if values is None else [values]
    items = (_text(value).replace(ARRAY_DELIMITER, ",") for value in values if value is not None)
    return ARRAY_DELIMITER.join(item for item in items if item)


def _number(value: Any, kind: type) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    return str(kind(value))


def _word(value: Any) -> str:
    """A Neo4j label or relationship type without quoting: letters, digits and underscores."""
    return _NOT_WORD.sub("_", str(value)).strip("_") if value is not None else ""
