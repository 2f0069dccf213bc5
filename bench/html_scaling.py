"""How the HTML map scales: generation time, file size and time to a usable picture in headless Chromium.

    .venv/bin/python bench/html_scaling.py                 # 200, 2,000 and 10,000 nodes
    .venv/bin/python bench/html_scaling.py --sizes 500 --runs 3 --max-nodes 10000
    .venv/bin/python bench/html_scaling.py --sizes 2000 --no-igraph    # the fallback layout

Graphs are synthetic but follow the schema (docs/GRAPH_SCHEMA): preferential attachment gives a few hubs and
a long tail, as news corpora do; edges ≈ 2.5 × nodes; every edge carries 1-3 evidence sentences.
"Ready" is the page's own signal: the first frame drawn after physics stabilised (small graphs) or the first
frame of the precomputed layout (big graphs), measured from navigation start. "Frame" is the time of one
redraw of the whole network afterwards (what panning and zooming cost).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from screenshot import CHROMIUM, CHROMIUM_ARGS  # the same headless Chromium, started the same way

from kgraph.export.html import write_html

TYPES = ["PERSON", "ORG", "GPE", "LOC", "EVENT", "MISC"]
RELATIONS = [
    "meeting", "visit", "agreement", "deployment", "supply", "support", "opposition", "conflict",
    "capture", "thanks", "acquisition", "statement", "reports", "role", "located_in",
]  # fmt: skip
SYMMETRIC = {"meeting", "agreement", "conflict"}


def synthetic_graph(n_nodes: int, *, edges_per_node: float = 2.5, seed: int = 1) -> nx.MultiDiGraph:
    """A schema graph with `n_nodes` entities and about `edges_per_node * n_nodes` relations."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph(kgraph_version="bench", created="2025-01-01T00:00:00Z", model="synthetic", documents=n_nodes)
    ids = []
    for i in range(n_nodes):
        etype = rng.choices(TYPES, weights=[5, 3, 2, 1, 1, 1])[0]
        node_id = f"{etype.lower()}:entite-{i}"
        label = f"Entité {i}"
        g.add_node(
            node_id,
            label=label,
            type=etype,
            aliases=[label, f"E{i}", f"l'entité n°{i}"],
            mentions=1 + int(rng.paretovariate(1.3)),
            documents=[f"doc-{rng.randrange(n_nodes)}.txt" for _ in range(rng.randint(1, 3))],
        )
        ids.append(node_id)
    targets = [ids[0]]  # preferential attachment: nodes that already have edges attract more
    n_edges = int(n_nodes * edges_per_node)
    added = 0  # MultiDiGraph.number_of_edges() walks the whole graph: count here
    while added < n_edges:
        u = rng.choice(ids)
        v = rng.choice(targets) if rng.random() < 0.7 else rng.choice(ids)
        if u == v:
            continue
        relation = rng.choice(RELATIONS)
        if g.has_edge(u, v, key=relation):
            continue
        day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        evidence = []
        for k in range(rng.randint(1, 3)):
            names = f"{g.nodes[u]['label']} et {g.nodes[v]['label']}"
            sentence = f"{names} : une phrase d'article numéro {k}, assez longue."
            evidence.append({"doc": f"doc-{rng.randrange(n_nodes)}.txt", "sentence": sentence, "start": 0,
                             "end": len(sentence), "date": day})  # fmt: skip
        g.add_edge(
            u, v, key=relation, relation=relation, label=relation, weight=len(evidence), evidence=evidence,
            date=day, confidence=round(rng.random(), 2), method="bench",
            polarity="negative" if rng.random() < 0.05 else "positive",
            certainty=rng.choice(["asserted", "asserted", "reported", "hedged"]),
        )  # fmt: skip
        targets += [u, v]
        added += 1
    return g


def measure_browser(page_path: Path, timeout_s: float) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 900}
        )
        page = context.new_page()
        start = time.perf_counter()
        page.goto(page_path.as_uri(), wait_until="load", timeout=timeout_s * 1000)
        loaded = time.perf_counter() - start
        page.wait_for_function("() => window.kgraph && window.kgraph.ready", timeout=timeout_s * 1000, polling=50)
        ready_ms = page.evaluate("window.kgraph.readyAt")
        frame_ms = page.evaluate(
            """async () => {
                const net = window.kgraph.network, times = [];
                for (let i = 0; i < 5; i++) {
                    const t0 = performance.now();
                    await new Promise((resolve) => { net.once("afterDrawing", resolve); net.redraw(); });
                    times.push(performance.now() - t0);
                }
                times.sort((a, b) => a - b);
                return times[2];
            }"""
        )
        context.close()
    return {"load_s": loaded, "ready_s": ready_ms / 1000, "frame_s": frame_ms / 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 10000])
    parser.add_argument("--runs", type=int, default=1, help="browser runs per size (median reported)")
    parser.add_argument("--max-nodes", type=int, default=2000, help="passed to write_html")
    parser.add_argument("--timeout", type=float, default=180)
    parser.add_argument("--keep", type=Path, help="folder to keep the generated pages in")
    parser.add_argument("--no-igraph", action="store_true", help="measure the fallback without python-igraph")
    args = parser.parse_args()
    if args.no_igraph:
        sys.modules["igraph"] = None  # type: ignore[assignment]  # makes `import igraph` fail

    import pyvis.network  # noqa: F401  (import once up front: it pulls in IPython, ~0.3 s, paid once per process)

    out_dir = args.keep or Path(tempfile.mkdtemp(prefix="kgraph-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    print(
        "| graph (nodes / edges) | drawn (nodes / edges) | write_html | file size | page ready | one frame |",
        "|---|---|---|---|---|---|",
        sep="\n",
        flush=True,
    )
    for size in args.sizes:
        graph = synthetic_graph(size)
        path = out_dir / f"map-{size}.html"
        t0 = time.perf_counter()
        write_html(graph, path, max_nodes=args.max_nodes)
        gen = time.perf_counter() - t0
        drawn_nodes = min(size, args.max_nodes)
        kept = sorted(graph.nodes, key=lambda n: (-graph.degree(n), -graph.nodes[n]["mentions"], n))[:drawn_nodes]
        drawn_edges = graph.subgraph(kept).number_of_edges()
        runs = [measure_browser(path, args.timeout) for _ in range(args.runs)]
        ready = statistics.median(r["ready_s"] for r in runs)
        frame = statistics.median(r["frame_s"] for r in runs)
        print(
            f"| {size:,} / {graph.number_of_edges():,} | {drawn_nodes:,} / {drawn_edges:,} | {gen:.2f} s "
            f"| {path.stat().st_size / 1e6:.1f} MB | {ready:.2f} s | {frame * 1000:.0f} ms |",
            flush=True,
        )


if __name__ == "__main__":
    main()
