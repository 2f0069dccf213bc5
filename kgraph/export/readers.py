"""Read a graph file back into a MultiDiGraph, choosing the reader from the file extension.

Every reader refuses files larger than `kgraph.export.common.MAX_GRAPH_FILE_BYTES` before parsing,
parses XML through defusedxml, and raises GraphFileError (naming the file) for anything it cannot read.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import networkx as nx

from kgraph.errors import GraphFileError

# extension -> (module, function); imported on first use, like the writers in kgraph.export
READERS: dict[str, tuple[str, str]] = {
    ".json": ("kgraph.export.json", "read_json"),
    ".graphml": ("kgraph.export.graphml", "read_graphml"),
    ".gexf": ("kgraph.export.gexf", "read_gexf"),
}


def read(path: str | Path) -> nx.MultiDiGraph:
    """Read a graph written by `kgraph build` (or any GraphML/GEXF/node-link JSON file)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        what = f"a {suffix!r} file" if suffix else "a file without an extension"
        raise GraphFileError(f"{path}: cannot read a graph from {what}; kgraph reads {', '.join(sorted(READERS))}")
    module, function = READERS[suffix]
    reader = getattr(importlib.import_module(module), function)
    graph: nx.MultiDiGraph = reader(path)
    return graph
