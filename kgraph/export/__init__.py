"""Exporters, one module per format, each with `to_<fmt>(graph)` and `write_<fmt>(graph, path)`.

The registry maps a format name to its module; modules are imported lazily so that
`kgraph --help` stays instant and pyvis is only imported when a map is written.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from kgraph.errors import UsageError

# format name -> (module, file name written by `kgraph build`)
# the full graph of a Dask table merge (`--merge table`), written beside the other outputs
NODES_FILE = "nodes.parquet"
EDGES_FILE = "edges.parquet"

FORMATS: dict[str, tuple[str, str]] = {
    "html": ("kgraph.export.html", "graph.html"),
    "graphml": ("kgraph.export.graphml", "graph.graphml"),
    "gexf": ("kgraph.export.gexf", "graph.gexf"),
    "json": ("kgraph.export.json", "graph.json"),
    "csv": ("kgraph.export.csv", "nodes.csv"),
}
DEFAULT_FORMATS = ("html", "graphml", "json")
EXTENSIONS = {".html": "html", ".htm": "html", ".graphml": "graphml", ".gexf": "gexf", ".json": "json", ".csv": "csv"}


def parse_formats(value: str) -> tuple[str, ...]:
    """Turn "html,graphml" into a tuple of known format names, or raise a UsageError naming the choices."""
    names = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise UsageError(f"unknown format {', '.join(unknown) or repr(value)}; choose from {', '.join(FORMATS)}")
    return names


def format_for_path(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    try:
        return EXTENSIONS[suffix]
    except KeyError:
        raise UsageError(
            f"{path}: cannot tell the format from the extension {suffix or '(none)'!r}; "
            f"use one of {', '.join(sorted(EXTENSIONS))}"
        ) from None


def write(graph: Any, path: str | Path, fmt: str | None = None, **options: Any) -> list[Path]:
    """Write `graph` to `path` in `fmt` (guessed from the extension when omitted); return files written."""
    fmt = fmt or format_for_path(path)
    module = importlib.import_module(FORMATS[fmt][0])
    written = getattr(module, f"write_{fmt}")(graph, Path(path), **options)
    return list(written) if written else [Path(path)]
