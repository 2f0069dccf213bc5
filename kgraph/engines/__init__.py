"""Execution engines for `build_graph`: "local" (this machine's processes, kgraph.parallel) and "dask"
(a Dask cluster, kgraph.engines.dask; install with `pip install 'kgraph[dask]'`)."""

from __future__ import annotations

from kgraph.errors import UsageError

ENGINES = ("local", "dask")


def check_engine(name: str) -> str:
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r}; choose from {', '.join(ENGINES)}")
    return name
