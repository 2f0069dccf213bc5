"""kgraph: news articles in, a knowledge graph of entities and evidenced relations out."""

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("kgraph")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"

__all__ = ["__version__", "build_graph", "extract_records", "load_graph"]


def __getattr__(name: str) -> Any:
    # the public functions live in kgraph.api; imported on first use so `import kgraph` stays light
    if name in {"build_graph", "extract_records", "load_graph"}:
        from kgraph import api

        return getattr(api, name)
    raise AttributeError(f"module 'kgraph' has no attribute {name!r}")
