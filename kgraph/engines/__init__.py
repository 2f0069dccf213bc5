"""Execution engines for `build_graph` (`kgraph.options.Engine`): "local" (this machine's processes,
kgraph.parallel) and "dask" (a Dask cluster, kgraph.engines.dask; install with `pip install 'kgraph[dask]'`)."""
