"""The table merge of the Dask engine (`kgraph build --engine dask --merge table`): no graph in client memory.

1. Each task parses its partition (`kgraph.engines.dask.process_partition`) and writes its records as two
   Parquet files under `<output>/.kgraph-parts/`: `mentions-NNNNN.parquet` (one row per document entity) and
   `relations-NNNNN.parquet` (one row per relation, with its evidence). It returns counts only.
2. Entity resolution (`kgraph.resolution.resolve`, unchanged) runs on the client over the table of distinct
   (name, type, canonical) rows, far smaller than the mentions: each row becomes one pseudo-record whose entity
   carries the summed mention count and the union of aliases, so resolution sees the same weights as on the
   records. Its mapping is joined back onto the mentions and relations with `dask.dataframe`.
3. Edges are aggregated on the workers: relations are shuffled on (unordered pair for symmetric relations,
   relation, polarity) and each group is reduced by `kgraph.aggregate.EdgeAccumulator`, as in
   `kgraph.graph.build_graph_from_records` (weight = distinct evidence sentences, most precise earliest date,
   max confidence, strongest certainty, most common label/method/place, symmetric edges in the direction first
   seen), with an evidence sample of at most `EVIDENCE_SAMPLE` sentences per edge (the weight counts them all).
4. Outputs: `<output>/nodes.parquet` and `<output>/edges.parquet` (Parquet datasets: folders of part files;
   `pandas.read_parquet` reads either) hold the full graph; `bounded_graph` gives the networkx MultiDiGraph of
   the top N entities by degree and the edges among them, for GraphML/JSON/HTML; `write_table_csv` writes the
   Neo4j CSVs of the full graph straight from the tables, with `kgraph.export.csv`'s headers and rows.

Workers and the client must see `<output>` at the same path (a shared file system), as they see the inputs.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgraph.aggregate import EdgeAccumulator, edge_key, graph_attributes, node_attributes, rank_nodes
from kgraph.documents import Skipped
from kgraph.errors import InputError
from kgraph.export import EDGES_FILE, NODES_FILE
from kgraph.models import SYMMETRIC_RELATIONS, DocEntity, DocRecord, Evidence, Relation
from kgraph.progress import skip_reporter

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from distributed import Client

    from kgraph.engines.dask import Partition, WorkOptions
    from kgraph.progress import Meter

PARTS_DIR = ".kgraph-parts"
EVIDENCE_SAMPLE = 100  # evidence sentences kept per edge in edges.parquet (html.MAX_EVIDENCE_PER_EDGE)
_GROUP = ["lo", "hi", "relation", "polarity"]
EDGE_COLUMNS = [
    "source",
    "target",
    "key",
    "relation",
    "label",
    "weight",
    "date",
    "place",
    "confidence",
    "method",
    "polarity",
    "certainty",
    "evidence",  # JSON list of evidence dicts, as in the graph's `evidence` attribute (a sample, see above)
]


def _schemas() -> tuple[Any, Any]:
    import pyarrow as pa

    mentions = pa.schema(
        [
            ("part", pa.int64()),
            ("doc_id", pa.string()),
            ("key", pa.int64()),
            ("name", pa.string()),
            ("type", pa.string()),
            ("canonical", pa.string()),
            ("aliases", pa.list_(pa.string())),
            ("mentions", pa.int64()),
        ]
    )
    relations = pa.schema(
        [
            ("part", pa.int64()),
            ("doc_id", pa.string()),
            ("ord", pa.int64()),  # the relation's rank in its record: "first seen" is (doc_id, ord)
            ("source", pa.int64()),
            ("target", pa.int64()),
            ("relation", pa.string()),
            ("polarity", pa.string()),
            ("label", pa.string()),
            ("method", pa.string()),
            ("confidence", pa.float64()),
            ("date", pa.string()),
            ("place", pa.int64()),  # -1: no place
            ("certainty", pa.string()),
            ("ev_doc", pa.string()),
            ("sentence", pa.string()),
            ("ev_start", pa.int64()),
            ("ev_end", pa.int64()),
            ("ev_date", pa.string()),
            ("spans", pa.string()),  # JSON list of [start, end]
        ]
    )
    return mentions, relations


# --- worker side -------------------------------------------------------------------------------------------------


def write_partition_tables(records: Iterable[DocRecord], parts: str, index: int) -> tuple[int, int]:
    """Write one partition's records as `mentions-NNNNN.parquet` and `relations-NNNNN.parquet` in `parts`;
    return (entity rows, relation rows)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = list(records)
    mention_rows = [_mention_row(record, ent, index) for record in records for ent in record.entities]
    relation_rows = [
        _relation_row(record, n, rel, index) for record in records for n, rel in enumerate(record.relations)
    ]
    mention_schema, relation_schema = _schemas()
    os.makedirs(parts, exist_ok=True)
    for name, rows, schema in (
        ("mentions", mention_rows, mention_schema),
        ("relations", relation_rows, relation_schema),
    ):
        final = os.path.join(parts, f"{name}-{index:05d}.parquet")
        temporary = f"{final}.tmp-{os.getpid()}"  # a retried task never leaves half a file behind
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), temporary)
        os.replace(temporary, final)
    return len(mention_rows), len(relation_rows)


def _mention_row(record: DocRecord, ent: DocEntity, index: int) -> dict[str, Any]:
    return {
        "part": index,
        "doc_id": record.doc_id,
        "key": ent.key,
        "name": ent.name,
        "type": ent.type,
        "canonical": ent.canonical,
        "aliases": list(ent.aliases),
        "mentions": len(ent.mentions),
    }


def _relation_row(record: DocRecord, n: int, rel: Relation, index: int) -> dict[str, Any]:
    ev = rel.evidence
    return {
        "part": index,
        "doc_id": record.doc_id,
        "ord": n,
        "source": rel.source,
        "target": rel.target,
        "relation": rel.relation,
        "polarity": rel.polarity,
        "label": rel.label,
        "method": rel.method,
        "confidence": float(rel.confidence),
        "date": rel.date,
        "place": -1 if rel.place is None else rel.place,
        "certainty": rel.certainty,
        "ev_doc": ev.doc,
        "sentence": ev.sentence,
        "ev_start": ev.start,
        "ev_end": ev.end,
        "ev_date": ev.date,
        "spans": json.dumps([list(s) for s in ev.spans]),
    }


@dataclass(slots=True)
class TableResult:
    """What a table task returns: counts and ids, never records."""

    index: int
    order: list[str] = field(default_factory=list)  # document ids read, in input order (duplicates are dropped)
    tokens: list[int] = field(default_factory=list)  # tokens of each parsed document
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    entities: int = 0
    relations: int = 0


def process_partition_to_tables(partition: Partition, options: WorkOptions, parts: str) -> TableResult:
    """Parse one partition (as `process_partition` does) and write its records as Parquet."""
    from kgraph.engines.dask import process_partition

    result = process_partition(partition, options)
    entities, relations = write_partition_tables(result.records, parts, partition.index)
    return TableResult(
        index=partition.index,
        order=result.order,
        tokens=[r.tokens for r in result.records],
        skipped=result.skipped,
        warnings=[f"{r.doc_id}: {w}" for r in result.records for w in r.warnings],
        entities=entities,
        relations=relations,
    )


# --- client side -------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class TableBuild:
    graph: nx.MultiDiGraph  # the bounded subgraph: top `max_nodes` entities by degree
    documents: int
    tokens: int
    skipped: list[Skipped]
    warnings: list[str]
    nodes: int  # in the full graph (nodes.parquet)
    edges: int  # in the full graph (edges.parquet)
    tables: list[Path]


def build_tables(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    options: WorkOptions,
    output: Path,
    model_id: str,
    version: str,
    max_nodes: int,
    meter: Meter | None = None,
    scheduler: str | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    on_dashboard: Callable[[str], None] | None = None,
) -> TableBuild:
    """Extract on the cluster into Parquet parts, then resolve, aggregate and write nodes/edges.parquet."""
    from kgraph.engines.dask import PARTITIONS_PER_WORKER, connect, plan_partitions

    output = Path(output)
    parts = output / PARTS_DIR
    shutil.rmtree(parts, ignore_errors=True)  # parts of an earlier build must not join this one
    parts.mkdir(parents=True)
    skipped: list[Skipped] = []
    warnings: list[str] = []

    skip = skip_reporter(skipped, meter, on_skip)

    with connect(scheduler) as client:
        link = getattr(client, "dashboard_link", None)
        if link and on_dashboard is not None:
            on_dashboard(link)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        partitions, planned_skips = plan_partitions(inputs, min_partitions=PARTITIONS_PER_WORKER * workers)
        for item in planned_skips:
            skip(item)
        results: dict[int, TableResult] = {}
        if partitions:
            results = _run_partitions(client, partitions, options, parts, skip=skip, meter=meter, warnings=warnings)
        first, duplicates, tokens = _first_reads(partitions, results, skip)
        if not first:
            raise InputError("no document could be read" + (f" ({len(skipped)} skipped)" if skipped else ""))
        if meter is not None:
            meter.stage("graph")
        done = sorted(results)
        nodes, edges, n_edges = merge_tables(
            [parts / f"mentions-{i:05d}.parquet" for i in done],
            [parts / f"relations-{i:05d}.parquet" for i in done],
            output,
            duplicates,
        )
        graph = bounded_graph(nodes, edges, max_nodes, model=model_id, version=version, documents=len(first))
    shutil.rmtree(parts, ignore_errors=True)
    return TableBuild(
        graph=graph,
        documents=len(first),
        tokens=tokens,
        skipped=skipped,
        warnings=warnings,
        nodes=len(nodes),
        edges=n_edges,
        tables=[output / NODES_FILE, output / EDGES_FILE],
    )


def _run_partitions(
    client: Client,
    partitions: list[Partition],
    options: WorkOptions,
    parts: Path,
    *,
    skip: Callable[[Skipped], None],
    meter: Meter | None,
    warnings: list[str],
) -> dict[int, TableResult]:
    """Run the table task of every partition; report skips, progress and warnings as tasks finish."""
    from kgraph.engines.dask import RETRIES, PreloadPipeline, completed

    client.register_plugin(PreloadPipeline(options.model))
    shared = client.scatter(options, broadcast=True)
    futures = [
        client.submit(process_partition_to_tables, p, shared, str(parts), retries=RETRIES, pure=False)
        for p in partitions
    ]
    results: dict[int, TableResult] = {}
    for partition, result in completed(futures, partitions, skip):
        results[partition.index] = result
        for source, reason in result.skipped:
            skip(Skipped(source, reason))
        for tokens in result.tokens:
            if meter is not None:
                meter.parsed(tokens)
        warnings.extend(result.warnings)
    return results


def _first_reads(
    partitions: list[Partition], results: dict[int, TableResult], skip: Callable[[Skipped], None]
) -> tuple[dict[str, int], dict[str, int], int]:
    """Input order, first occurrence of an id kept (as the in-memory merge does): the partition that read each
    document first, that partition for each duplicate id (reported through `skip`), and the tokens parsed."""
    first: dict[str, int] = {}
    duplicates: dict[str, int] = {}
    tokens = 0
    for partition in partitions:
        result = results.get(partition.index)
        if result is None:
            continue
        tokens += sum(result.tokens)
        for doc_id in result.order:
            if doc_id in first:
                duplicates[doc_id] = first[doc_id]
                skip(Skipped(doc_id, f"duplicate document id {doc_id!r}; the first one is kept"))
            else:
                first[doc_id] = partition.index
    return first, duplicates, tokens


def _drop_duplicates(df: pd.DataFrame, duplicates: dict[str, int]) -> pd.DataFrame:
    """Rows of a duplicate document id outside the partition that read it first."""
    if not duplicates or df.empty:
        return df
    first = df["doc_id"].map(duplicates)
    return df[first.isna() | (first == df["part"])]


def resolve_names(names: pd.DataFrame, aliases: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Resolve the distinct (name, type, canonical) rows with `kgraph.resolution.resolve`.

    `names`: name, type, canonical ("" for none), mentions (summed), last_doc (the greatest document id holding
    the row: resolution reads documents in id order, and a gazetteer entity is labelled as its last document
    names it). `aliases`: name, type, canonical, aliases (one alias a row). Returns the lookup table (name, type,
    canonical, node) and the resolved entities by node id.
    """
    import pandas as pd

    from kgraph.resolution import resolve

    alias_sets: dict[tuple[str, str, str], list[str]] = {}
    for name, typ, canonical, alias in aliases[["name", "type", "canonical", "aliases"]].itertuples(index=False):
        alias_sets.setdefault((name, typ, canonical), []).append(alias)
    records = []
    rows = list(names[["name", "type", "canonical", "mentions", "last_doc"]].itertuples(index=False))
    for n, (name, typ, canonical, mentions, last_doc) in enumerate(rows):
        entity = DocEntity(
            key=0,
            name=name,
            type=typ,
            aliases=tuple(sorted(alias_sets.get((name, typ, canonical), ()))),
            mentions=range(int(mentions)),  # type: ignore[arg-type]  # resolution only takes its length
            canonical=canonical or None,
        )
        records.append(DocRecord(doc_id=f"{last_doc}\x00{n:012d}", date=None, entities=(entity,), relations=()))
    resolution = resolve(records)
    lookup = pd.DataFrame(
        [
            (name, typ, canonical, resolution.mapping[(r.doc_id, 0)])
            for r, (name, typ, canonical, _, _) in zip(records, rows, strict=True)
        ],
        columns=["name", "type", "canonical", "node"],
    )
    return lookup, resolution.entities


def merge_tables(
    mention_files: list[Path], relation_files: list[Path], output: Path, duplicates: dict[str, int] | None = None
) -> tuple[pd.DataFrame, Any, int]:
    """Resolve and aggregate the parts into `<output>/nodes.parquet` and `<output>/edges.parquet`.

    Returns the nodes (a pandas frame: one row per entity, small next to the edges), the edges as a lazy
    dask frame read back from edges.parquet, and the number of edges. Runs on the current Dask client.
    """
    import dask.dataframe as dd

    duplicates = duplicates or {}
    mentions = dd.read_parquet([str(p) for p in mention_files]).map_partitions(_drop_duplicates, duplicates)
    mentions = mentions.assign(canonical=mentions["canonical"].fillna(""))
    lookup, entities = _resolve_mentions(mentions)
    mapped = mentions.merge(dd.from_pandas(lookup, npartitions=1), on=["name", "type", "canonical"], how="inner")
    nodes = _node_table(mapped, entities)
    nodes_path, edges_path = output / NODES_FILE, output / EDGES_FILE
    for path in (nodes_path, edges_path):
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    _write_nodes(nodes, nodes_path)

    relations = dd.read_parquet([str(p) for p in relation_files]).map_partitions(_drop_duplicates, duplicates)
    keys = mapped[["doc_id", "key", "node"]]
    for side in ("source", "target", "place"):
        relations = relations.merge(
            keys.rename(columns={"key": side, "node": f"{side}_id"}),
            on=["doc_id", side],
            how="left" if side == "place" else "inner",
        )
    relations = relations[relations["source_id"] != relations["target_id"]]
    relations = relations.map_partitions(_pair_columns)
    edges = relations.shuffle(on=_GROUP).map_partitions(_aggregate_edges, meta=_edge_meta())
    edges.to_parquet(str(edges_path), write_index=False, schema=_edge_schema())
    written = dd.read_parquet(str(edges_path))
    return nodes, written, len(written)


def _resolve_mentions(mentions: Any) -> tuple[pd.DataFrame, dict[str, Any]]:
    """`resolve_names` over the distinct (name, type, canonical) rows of the mentions (a dask frame)."""
    import dask.dataframe as dd

    names = (
        mentions.groupby(["name", "type", "canonical"])
        .agg({"mentions": "sum", "doc_id": "max"})
        .rename(columns={"doc_id": "last_doc"})
        .reset_index()
    )
    alias_rows = (
        mentions[["name", "type", "canonical", "aliases"]]
        .explode("aliases")
        .dropna(subset=["aliases"])
        .drop_duplicates()
    )
    names_df, alias_df = dd.compute(names, alias_rows)
    return resolve_names(names_df, alias_df)


def _node_table(mapped: Any, entities: dict[str, Any]) -> pd.DataFrame:
    """One row per resolved entity, with its sorted documents (`mapped`: the mentions with their node)."""
    import pandas as pd

    documents = (
        mapped[["node", "doc_id"]]
        .shuffle(on="node")
        .map_partitions(_node_documents, meta=pd.DataFrame({"node": pd.Series(dtype=object), "documents": []}))
        .compute()
        .set_index("node")["documents"]
    )
    return pd.DataFrame(
        [
            {
                "id": node_id,
                "label": ent.label,
                "type": ent.type,
                "aliases": sorted(ent.aliases),
                "mentions": ent.mentions,
                "documents": list(documents.get(node_id, [])),
            }
            for node_id, ent in sorted(entities.items())
        ],
        columns=["id", "label", "type", "aliases", "mentions", "documents"],
    )


def _write_nodes(nodes: pd.DataFrame, path: Path) -> None:
    """nodes.parquet as a one-part dataset, like edges.parquet (lists stay lists)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    strings = pa.list_(pa.string())
    schema = pa.schema(
        [
            ("id", pa.string()),
            ("label", pa.string()),
            ("type", pa.string()),
            ("aliases", strings),
            ("mentions", pa.int64()),
            ("documents", strings),
        ]
    )
    path.mkdir(parents=True)
    pq.write_table(pa.Table.from_pandas(nodes, schema=schema, preserve_index=False), path / "part.0.parquet")


def _node_documents(df: pd.DataFrame) -> pd.DataFrame:
    """The sorted distinct documents of each node of a partition (shuffled on node)."""
    import pandas as pd

    groups = {node: sorted(set(group)) for node, group in df.groupby("node", sort=False)["doc_id"]}
    return pd.DataFrame({"node": list(groups), "documents": list(groups.values())}, columns=["node", "documents"])


def _pair_columns(df: pd.DataFrame) -> pd.DataFrame:
    """lo/hi: the unordered pair for symmetric relations (one edge per pair), (source, target) otherwise."""
    df = df.copy()
    symmetric = df["relation"].isin(list(SYMMETRIC_RELATIONS))
    swap = symmetric & (df["source_id"] > df["target_id"])
    df["lo"] = df["source_id"].where(~swap, df["target_id"])
    df["hi"] = df["target_id"].where(~swap, df["source_id"])
    return df


def _edge_schema() -> Any:
    import pyarrow as pa

    kinds = {"weight": pa.int64(), "confidence": pa.float64()}
    return pa.schema([(c, kinds.get(c, pa.string())) for c in EDGE_COLUMNS])


def _edge_meta() -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in EDGE_COLUMNS})
    return frame.astype({"weight": "int64", "confidence": "float64"})


def _aggregate_edges(df: pd.DataFrame) -> pd.DataFrame:
    """Reduce each (pair, relation, polarity) group of a partition to one edge, with `kgraph.aggregate`'s rules."""
    import pandas as pd

    if df.empty:
        return _edge_meta()
    df = df.sort_values(["doc_id", "ord"], kind="stable")  # the in-memory merge's reading order
    rows = [_group_edge(group) for _, group in df.groupby(_GROUP, sort=False)]
    return pd.DataFrame(rows, columns=EDGE_COLUMNS).astype({"weight": "int64", "confidence": "float64"})


def _group_edge(group: pd.DataFrame) -> dict[str, Any]:
    """One edge row of edges.parquet from its relations, in reading order (the first gives the direction)."""
    head = group.iloc[0]
    edge = EdgeAccumulator(head["relation"], head["polarity"], evidence_limit=EVIDENCE_SAMPLE)
    for row in group.itertuples(index=False):
        edge.add(
            label=row.label,
            method=row.method,
            confidence=float(row.confidence),
            certainty=row.certainty,
            date=_optional(row.date),
            place=_optional(row.place_id),
            evidence=Evidence(
                doc=row.ev_doc,
                sentence=row.sentence,
                start=int(row.ev_start),
                end=int(row.ev_end),
                date=_optional(row.ev_date),
                spans=tuple((start, end) for start, end in json.loads(row.spans)),
            ),
        )
    attrs = edge.attributes()
    return {
        **{c: attrs.get(c) for c in EDGE_COLUMNS},
        "source": head["source_id"],
        "target": head["target_id"],
        "key": edge_key(edge.relation, edge.polarity),
        "evidence": json.dumps(attrs["evidence"], ensure_ascii=False),
    }


def _optional(value: Any) -> str | None:
    """A string cell, or None for a missing one (NaN or None after a join)."""
    return value if isinstance(value, str) else None


def _edge_attrs(row: dict[str, Any]) -> dict[str, Any]:
    attrs = {k: row[k] for k in EDGE_COLUMNS if k not in ("source", "target", "key", "date", "place", "evidence")}
    attrs["weight"] = int(attrs["weight"])
    attrs["confidence"] = float(attrs["confidence"])
    attrs["evidence"] = json.loads(row["evidence"])
    for name in ("date", "place"):
        if isinstance(row.get(name), str):
            attrs[name] = row[name]
    return attrs


def bounded_graph(
    nodes: pd.DataFrame, edges: Any, max_nodes: int, *, model: str, version: str, documents: int
) -> nx.MultiDiGraph:
    """The top `max_nodes` entities by degree (then mentions, then id) and the edges among them, as a
    MultiDiGraph with the attributes of `kgraph.graph.build_graph_from_records`."""
    import networkx as nx
    import pandas as pd

    ends = edges[["source", "target"]]
    degree = pd.concat([ends["source"].value_counts().compute(), ends["target"].value_counts().compute()])
    degree = degree.groupby(level=0).sum()
    degrees = nodes["id"].map(degree).fillna(0).astype("int64")
    keep = set(rank_nodes(zip(nodes["id"], map(int, degrees), map(int, nodes["mentions"]), strict=True), max_nodes))
    top = nodes[nodes["id"].isin(keep)]
    graph = nx.MultiDiGraph(**graph_attributes(model=model, version=version, documents=documents))
    for row in sorted(top.to_dict("records"), key=lambda r: r["id"]):
        graph.add_node(
            row["id"],
            **node_attributes(
                label=row["label"],
                type=row["type"],
                aliases=row["aliases"],
                mentions=row["mentions"],
                documents=row["documents"],
            ),
        )
    inside = edges[edges["source"].isin(list(keep)) & edges["target"].isin(list(keep))].compute()
    for row in sorted(inside.to_dict("records"), key=lambda r: (r["source"], r["target"], r["key"])):
        graph.add_edge(row["source"], row["target"], key=row["key"], **_edge_attrs(row))
    return graph


def write_table_csv(output: Path) -> list[Path]:
    """Neo4j CSVs (`nodes.csv`, `edges.csv`, kgraph.export.csv's headers) of the full graph, read from
    `<output>/nodes.parquet` and `<output>/edges.parquet` one part at a time."""
    import pyarrow.parquet as pq

    from kgraph.export.csv import EDGE_HEADER, NODE_HEADER, edge_row, node_row

    written = []
    for table, header, name in (
        (NODES_FILE, NODE_HEADER, "nodes.csv"),
        (EDGES_FILE, EDGE_HEADER, "edges.csv"),
    ):
        path = output / name
        temporary = path.with_name(f".{name}.tmp")
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for part in sorted((output / table).glob("*.parquet")):
                for batch in pq.ParquetFile(part).iter_batches(batch_size=10_000):
                    for row in batch.to_pylist():
                        if name == "nodes.csv":
                            writer.writerow(node_row(row["id"], row))
                        else:
                            writer.writerow(edge_row(row["source"], row["target"], row["key"], _edge_attrs(row)))
        os.replace(temporary, path)
        written.append(path)
    return written
