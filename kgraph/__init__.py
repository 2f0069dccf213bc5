"""kgraph: news articles in, a knowledge graph of entities and evidenced relations out."""

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("kgraph")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"

# the public names and the module each lives in; imported on first use so `import kgraph` stays light
_PUBLIC = {
    "build": "api",
    "build_graph": "api",
    "extract_records": "api",
    "load_graph": "api",
    "BuildReport": "api",
    "BuildResult": "api",
    "BuildOptions": "options",
    "BuildEvents": "options",
    "Engine": "options",
    "Merge": "options",
    "OutputFormat": "options",
    "StdinFormat": "options",
}
__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        from importlib import import_module

        return getattr(import_module(f"kgraph.{_PUBLIC[name]}"), name)
    raise AttributeError(f"module 'kgraph' has no attribute {name!r}")
