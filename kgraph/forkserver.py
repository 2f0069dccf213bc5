"""Imported by the fork server that kgraph.parallel starts: loads the pipeline named in KGRAPH_PRELOAD_PIPELINE
once, before the server forks any worker, so every worker is born with it (a fork, not a second 5 s load)."""

from __future__ import annotations

import contextlib
import os

from kgraph.parallel import PRELOAD_VARIABLE, die_with_parent


def _preload() -> None:
    model = os.environ.get(PRELOAD_VARIABLE)
    if not model:
        return
    die_with_parent()  # the server outlives nothing: while it loads, its parent may already be gone
    from kgraph.errors import KgraphError
    from kgraph.pipeline import load_pipeline

    with contextlib.suppress(KgraphError):  # each worker then loads it again and sends the error to the parent
        load_pipeline(model)


_preload()
