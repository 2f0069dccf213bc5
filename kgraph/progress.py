"""Build progress: the events the library reports through a callback, and the CLI's rendering of them.

The library never prints: `build_graph(..., progress=callback)` calls `callback(BuildProgress)` at most every
`Meter.interval` seconds and once at the end of each stage. `TerminalProgress` is such a callback, drawing a
bar on standard error with rich (documents/s, tokens/s, time left); it stays silent when standard error is
not a terminal.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

STAGES = ("documents", "graph", "done")


@dataclass(frozen=True, slots=True)
class BuildProgress:
    """Where a build stands. `stage`: "documents" (reading and parsing), "graph" (merging), "done"."""

    stage: str
    done: int  # documents finished: parsed, taken from the cache or skipped
    total: int | None  # documents expected, when the inputs can be counted without reading them
    parsed: int
    cached: int
    skipped: int
    tokens: int  # tokens parsed in this run (cached documents cost none)
    elapsed: float  # seconds since the build started

    @property
    def documents_per_second(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the average pace so far, or None when the total is unknown."""
        if self.total is None or self.done == 0:
            return None
        return max(0.0, (self.total - self.done) / self.documents_per_second)


ProgressCallback = Callable[[BuildProgress], None]


class Meter:
    """Counts a build's documents and reports to a callback, throttled (the library side)."""

    interval = 0.1

    def __init__(self, callback: ProgressCallback | None, total: int | None = None) -> None:
        self.callback = callback
        self.start = time.perf_counter()
        self._last = 0.0
        self._pieces: dict[str, int] = {}  # tokens reported by the pieces of documents not finished yet
        self.state = BuildProgress("documents", 0, total, 0, 0, 0, 0, 0.0)

    def begin(self) -> None:
        """Report the start (0 documents done), so that a display can show the total before the first result."""
        self._update(force=True)

    def parsed(self, tokens: int, doc_id: str | None = None) -> None:
        """A document parsed: `tokens` in all, less those its pieces reported already (see `piece`)."""
        s = self.state
        tokens -= self._pieces.pop(doc_id, 0) if doc_id is not None else 0
        self._update(done=s.done + 1, parsed=s.parsed + 1, tokens=s.tokens + tokens)

    def piece(self, doc_id: str, tokens: int) -> None:
        """A piece of a long document parsed: the tokens move, the document is not done yet."""
        self._pieces[doc_id] = self._pieces.get(doc_id, 0) + tokens
        self._update(tokens=self.state.tokens + tokens)

    def cached(self) -> None:
        self._update(done=self.state.done + 1, cached=self.state.cached + 1)

    def skipped(self) -> None:
        self._update(done=self.state.done + 1, skipped=self.state.skipped + 1)

    def stage(self, name: str) -> None:
        """Enter a stage; the event closing the previous one is always sent."""
        self._update(force=True)
        self._update(force=True, stage=name)

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def _update(self, *, force: bool = False, **changes: Any) -> None:
        now = time.perf_counter()
        self.state = replace(self.state, elapsed=now - self.start, **changes)
        if self.callback is not None and (force or now - self._last >= self.interval):
            self._last = now
            self.callback(self.state)


class TerminalProgress:
    """A progress bar on standard error for `kgraph build`; a no-op when disabled or not on a terminal.

    Use as a context manager and pass the instance as the `progress` callback.
    """

    def __init__(self, *, enabled: bool = True) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)
        self.enabled = enabled and self.console.is_terminal
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __call__(self, event: BuildProgress) -> None:
        if not self.enabled or (event.total is not None and event.total <= 1):
            return
        if self._bar is None:
            self._start()
        description = {"documents": "parsing", "graph": "building graph", "done": "done"}[event.stage]
        rates = f"{event.documents_per_second:,.1f} docs/s · {event.tokens_per_second:,.0f} tokens/s"
        counts = f"{event.parsed:,} parsed · {event.cached:,} cached" + (
            f" · {event.skipped:,} skipped" if event.skipped else ""
        )
        self._bar.update(
            self._task,
            completed=event.done,
            total=event.total,
            description=description,
            rates=rates,
            counts=counts,
        )

    def _start(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(
            TextColumn("{task.description:<14}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rates]}"),
            TextColumn("[dim]{task.fields[counts]}"),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self._task = self._bar.add_task("parsing", total=None, rates="", counts="")
        self._bar.start()


def summary(result: Any) -> str:
    """The one-line report of a finished build (a `kgraph.api.BuildResult`)."""
    g = result.graph
    parts = [f"{result.parsed:,} parsed"]
    if result.cached:
        parts.append(f"{result.cached:,} from cache")
    if result.skipped:
        parts.append(f"{len(result.skipped):,} skipped")
    rate = (
        f" ({result.parsed_tokens / result.seconds:,.0f} tokens/s)" if result.parsed_tokens and result.seconds else ""
    )
    return (
        f"{result.documents:,} document(s) ({', '.join(parts)}), {result.tokens:,} tokens in "
        f"{result.seconds:.1f} s{rate}: {g.number_of_nodes():,} entities, {g.number_of_edges():,} relations"
    )


def report_lines(report: Any, *, max_nodes: int) -> list[str]:
    """What `kgraph build` prints on standard output for a `kgraph.api.BuildReport`."""
    result = report.result
    if result is None:  # up to date
        return [
            f"{report.output}: up to date (no input, option or output changed since the last build); nothing written"
        ]
    lines = [summary(result)]
    if result.tables:
        lines.append(
            f"  full graph ({result.full_nodes:,} entities, {result.full_edges:,} relations) in "
            f"nodes.parquet/edges.parquet; graph.json/graphml/html hold the top {max_nodes:,} entities"
        )
    lines += [f"  wrote {path}" for path in report.written]
    if report.removed:
        names = ", ".join(path.name for path in report.removed)
        lines.append(f"  removed {len(report.removed)} output(s) of the previous build not written this time: {names}")
    return lines


# "corpus.jsonl:12" (a line) or "corpus.jsonl:@4096" (a byte offset, Dask ranges): a place inside a file
_PLACE_IN_FILE = re.compile(r"^(?P<file>.+):(?P<place>@?\d+)$")


class SkipLines:
    """The lines `kgraph build` prints for skipped inputs: one per input, except that the places of one file
    skipped for one same reason (5,000 lines of a JSON Lines file without `text`) make one line with their
    count. `verbose`: every place on its own line. Call with each `Skipped`; `close()` (or the end of a
    `with` block) prints what is still held back. `emit` receives "<where>: <reason>"."""

    def __init__(self, emit: Callable[[str], None], *, verbose: bool = False) -> None:
        self.emit = emit
        self.verbose = verbose
        self._file: str | None = None
        self._held: dict[str, list[str]] = {}  # reason -> places, for the file `_file`, in first-seen order

    def __enter__(self) -> SkipLines:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __call__(self, item: Any) -> None:
        match = None if self.verbose else _PLACE_IN_FILE.match(item.path)
        if match is None:
            self.close()
            self.emit(str(item))
            return
        if match["file"] != self._file:
            self.close()
            self._file = match["file"]
        self._held.setdefault(item.reason, []).append(match["place"])

    def close(self) -> None:
        for reason, places in self._held.items():
            if len(places) == 1:
                self.emit(f"{self._file}:{places[0]}: {reason}")
            else:
                unit = "records" if places[0].startswith("@") else "lines"
                where = f"{len(places):,} {unit} ({places[0]} to {places[-1]}; --verbose lists each)"
                self.emit(f"{self._file}: {where}: {reason}")
        self._file, self._held = None, {}


def skip_reporter(skipped: list, meter: Meter | None, on_skip: Callable[[Any], None] | None) -> Callable[[Any], None]:
    """The one way a build accounts for an input it could not use: kept in `skipped`, counted by the
    progress meter, and passed to the caller's `on_skip` (the CLI prints it)."""

    def skip(item: Any) -> None:
        skipped.append(item)
        if meter is not None:
            meter.skipped()
        if on_skip is not None:
            on_skip(item)

    return skip
