"""Seeded positions for the HTML map, in pixels: each connected component laid out on its own, scaled to a
common edge length, the components packed in rows (so isolated entities do not shrink the main picture)."""

from __future__ import annotations

import math
import random
from typing import Any

import networkx as nx

NX_MAX_NODES = 400  # without python-igraph: networkx needs scipy past 500 nodes and takes ~15 s for 2,000
LAYOUT_SEED = 20250712
EDGE_LENGTH_PX = 150  # median edge length of the precomputed layout, close to vis-network's springLength


def layout(nodes: list[Any], edges: list[tuple[Any, Any]]) -> dict[Any, tuple[float, float]] | None:
    """Seeded positions in pixels, or None when vis-network must lay the graph out with physics.

    Each connected component is laid out on its own (python-igraph's Fruchterman-Reingold when installed,
    networkx for components of up to NX_MAX_NODES otherwise), scaled to a common edge length, then the
    components are packed in rows, biggest first: isolated entities no longer shrink the main picture.
    """
    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in edges if u != v})
    simple = nx.Graph()
    simple.add_nodes_from(range(len(nodes)))
    simple.add_edges_from(pairs)
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    try:
        import igraph
    except ImportError:
        igraph = None
        if components and len(components[0]) > NX_MAX_NODES:
            return None
    blocks = []
    for members in components:
        local = {node: i for i, node in enumerate(members)}
        local_pairs = [(local[a], local[b]) for a, b in simple.subgraph(members).edges()]
        local_pairs.sort()
        if len(members) <= 2:
            coords = [(float(i), 0.0) for i in range(len(members))]
        elif igraph is not None:
            coords = _igraph_layout(igraph, len(members), local_pairs)
        else:
            pos = nx.spring_layout(nx.Graph(local_pairs), seed=LAYOUT_SEED)
            coords = [(float(pos[i][0]), float(pos[i][1])) for i in range(len(members))]
        blocks.append(_to_pixels(coords, local_pairs))
    positions: dict[Any, tuple[float, float]] = {}
    for members, coords in zip(components, _pack(blocks), strict=True):
        for i, xy in zip(members, coords, strict=True):
            positions[nodes[i]] = xy
    return positions


def _igraph_layout(igraph: Any, n: int, pairs: list[tuple[int, int]]) -> list[tuple[float, float]]:
    g = igraph.Graph(n=n, edges=pairs)
    # a sunflower spiral as the start and a seeded generator: the same graph always gets the same picture
    start = [[math.sqrt(i) * math.cos(i * 2.39996), math.sqrt(i) * math.sin(i * 2.39996)] for i in range(n)]
    igraph.set_random_number_generator(random.Random(LAYOUT_SEED))
    try:
        layout = g.layout_fruchterman_reingold(niter=500, seed=start)
    finally:
        igraph.set_random_number_generator(random)  # igraph's default generator
    return [(float(x), float(y)) for x, y in layout.coords]


def _to_pixels(coords: list[tuple[float, float]], pairs: list[tuple[int, int]]) -> list[tuple[float, float]]:
    """Centre on the origin and scale so that the median edge is EDGE_LENGTH_PX long."""
    cx = sum(x for x, _ in coords) / len(coords)
    cy = sum(y for _, y in coords) / len(coords)
    lengths = sorted(math.dist(coords[a], coords[b]) for a, b in pairs)
    median = lengths[len(lengths) // 2] if lengths else 0.0
    scale = EDGE_LENGTH_PX / median if median > 0 else EDGE_LENGTH_PX
    return [((x - cx) * scale, (y - cy) * scale) for x, y in coords]


def _pack(blocks: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    """Shelf packing: blocks left to right in rows about as wide as the whole is tall, centred on 0,0."""
    gap = EDGE_LENGTH_PX * 0.7
    boxes = []
    for coords in blocks:
        xs = [x for x, _ in coords]
        ys = [y for _, y in coords]
        boxes.append((min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    area = sum((w + gap) * (h + gap) for _, _, w, h in boxes)
    row_width = max([math.sqrt(area) * 1.3, *(w for _, _, w, _ in boxes)], default=0.0)
    x = y = row_height = 0.0
    placed = []
    for coords, (left, top, w, h) in zip(blocks, boxes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        placed.append([(px - left + x, py - top + y) for px, py in coords])
        x += w + gap
        row_height = max(row_height, h)
    all_x = [px for block in placed for px, _ in block]
    all_y = [py for block in placed for _, py in block]
    if not all_x:
        return placed
    cx, cy = (min(all_x) + max(all_x)) / 2, (min(all_y) + max(all_y)) / 2
    return [[(round(px - cx, 1), round(py - cy, 1)) for px, py in block] for block in placed]
