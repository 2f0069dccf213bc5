"""What a build is asked to do: `BuildOptions` (with Enums for every choice) and the `BuildEvents` callbacks
through which the library reports while it works. Plain data; `kgraph.api.build` acts on it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgraph.corpus import JsonlFields, StdinFormat
from kgraph.documents import Skipped
from kgraph.errors import UsageError, check_choice
from kgraph.extract import DEFAULT_MODEL
from kgraph.progress import BuildProgress

if TYPE_CHECKING:
    from spacy.language import Language


class Engine(StrEnum):
    """Where documents are parsed: worker processes here, or a Dask cluster (`pip install 'kgraph[dask]'`)."""

    LOCAL = "local"
    DASK = "dask"


class Merge(StrEnum):
    """How the Dask engine merges records: into one graph here, or as Parquet tables on the cluster."""

    MEMORY = "memory"
    TABLE = "table"


class OutputFormat(StrEnum):
    """A file `kgraph.api.build` writes into the output folder (see `file_name`)."""

    HTML = "html"
    GRAPHML = "graphml"
    GEXF = "gexf"
    JSON = "json"
    CSV = "csv"

    @property
    def file_name(self) -> str:
        """The file written for this format ("graph.html"; the CSV export also writes edges.csv)."""
        from kgraph.export import FORMATS

        return FORMATS[self.value][1]

    @classmethod
    def parse_list(cls, value: str) -> tuple[OutputFormat, ...]:
        """ "html,graphml" -> (HTML, GRAPHML); a UsageError names an unknown format and the choices."""
        from kgraph.export import parse_formats

        return tuple(cls(name) for name in parse_formats(value))


DEFAULT_FORMATS = (OutputFormat.HTML, OutputFormat.GRAPHML, OutputFormat.JSON)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """Everything that decides what a build reads, how it parses, and what it writes.

    `model`: an installed spaCy pipeline's name (or folder), or an already loaded `Language` (parsed in this
    process: `jobs` must be 1 and the engine local; `kgraph.pipeline.load_pipeline(name)` gives one with kgraph's
    sentence and gazetteer components, which the built-in rules expect).
    `jobs`: worker processes for parsing (None or 0: one per core; 1: in this process).
    `cache` (`kgraph.api.build` only): keep the record cache in `<output>/.kgraph-cache.sqlite`.
    `strict`: fail, writing nothing, as soon as any input is skipped.
    `title`, `ui_lang`: the HTML map's title and interface language (None: the exporter's defaults).
    Choice fields accept their Enum or its string value ("dask"); `formats` also accepts "html,json".
    """

    model: str | Language = DEFAULT_MODEL
    patterns_file: Path | None = None
    cooccurrence: bool = False
    jobs: int | None = 1
    engine: Engine = Engine.LOCAL
    scheduler: str | None = None
    merge: Merge = Merge.MEMORY
    stdin_format: StdinFormat = StdinFormat.TEXT
    jsonl_fields: JsonlFields = field(default_factory=JsonlFields)
    formats: tuple[OutputFormat, ...] = DEFAULT_FORMATS
    max_nodes: int = 2000
    strict: bool = False
    cache: bool = True
    title: str | None = None
    ui_lang: str | None = None

    def __post_init__(self) -> None:
        # frozen: coercing a string to its Enum member goes through object.__setattr__
        object.__setattr__(self, "engine", check_choice(Engine, self.engine, "engine"))
        object.__setattr__(self, "merge", check_choice(Merge, self.merge, "merge"))
        object.__setattr__(self, "stdin_format", check_choice(StdinFormat, self.stdin_format, "standard input format"))
        object.__setattr__(self, "formats", _formats(self.formats))
        if self.patterns_file is not None:
            object.__setattr__(self, "patterns_file", Path(self.patterns_file))
        if self.max_nodes < 1:
            raise UsageError(f"max_nodes must be at least 1, not {self.max_nodes}")
        if self.ui_lang is not None:  # a bad value fails now, not after parsing the corpus
            from kgraph.export.map_ui import load_ui

            load_ui(self.ui_lang)

    @property
    def model_name(self) -> str | None:
        """The pipeline's name when given by name; None for a loaded `Language`."""
        return self.model if isinstance(self.model, str) else None


def _formats(value: str | Iterable[str | OutputFormat]) -> tuple[OutputFormat, ...]:
    if isinstance(value, str):
        return OutputFormat.parse_list(value)
    return OutputFormat.parse_list(",".join(str(OutputFormat(v) if isinstance(v, OutputFormat) else v) for v in value))


@dataclass(frozen=True, slots=True)
class BuildEvents:
    """Callbacks a build reports through; the library itself never prints.

    `on_skip`: each input that cannot be used, as it is met. `progress`: a `BuildProgress` as documents are
    read and parsed (throttled). `on_dashboard`: the Dask dashboard's address.
    """

    on_skip: Callable[[Skipped], None] | None = None
    progress: Callable[[BuildProgress], None] | None = None
    on_dashboard: Callable[[str], None] | None = None


EVENT_NAMES = frozenset({"on_skip", "progress", "on_dashboard"})


def split_settings(settings: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keyword settings as (BuildOptions fields, BuildEvents fields); an unknown name is a TypeError, as
    for any unexpected keyword argument."""
    names = set(BuildOptions.__dataclass_fields__)
    unknown = sorted(set(settings) - names - EVENT_NAMES)
    if unknown:
        raise TypeError(f"unexpected keyword argument(s): {', '.join(unknown)}")
    options = {k: v for k, v in settings.items() if k in names}
    events = {k: v for k, v in settings.items() if k in EVENT_NAMES}
    return options, events
