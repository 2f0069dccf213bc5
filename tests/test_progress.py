"""Progress reporting: the library's events (kgraph.progress.Meter) and the CLI's rendering of them."""

from __future__ import annotations

import io

import networkx as nx
import pytest
from typer.testing import CliRunner

import kgraph.api
from kgraph.api import BuildResult
from kgraph.cli import app
from kgraph.documents import Skipped
from kgraph.progress import BuildProgress, Meter, TerminalProgress, summary


def test_meter_counts_and_throttles(monkeypatch):
    events: list[BuildProgress] = []
    meter = Meter(events.append, total=4)
    meter.parsed(100)  # first event goes out at once
    meter.cached()
    meter.skipped()
    meter.parsed(50)
    assert len(events) == 1  # the rest within the throttle interval
    meter.stage("graph")
    last = events[-1]
    assert (last.stage, last.done, last.parsed, last.cached, last.skipped, last.tokens) == ("graph", 4, 2, 1, 1, 150)
    assert events[-2].stage == "documents" and events[-2].done == 4  # the stage's closing event is never dropped


def test_rates_and_time_left():
    event = BuildProgress("documents", done=10, total=40, parsed=10, cached=0, skipped=0, tokens=5000, elapsed=5.0)
    assert event.documents_per_second == 2.0
    assert event.tokens_per_second == 1000.0
    assert event.eta == 15.0
    assert BuildProgress("documents", 10, None, 10, 0, 0, 0, 5.0).eta is None


def test_terminal_progress_is_silent_off_a_terminal(capsys):
    with TerminalProgress() as bar:  # pytest's captured stderr is not a terminal
        bar(BuildProgress("documents", 1, 10, 1, 0, 0, 10, 1.0))
    assert capsys.readouterr().err == ""


def test_terminal_progress_draws_a_bar_on_a_terminal(monkeypatch):
    from rich.console import Console

    out = io.StringIO()
    bar = TerminalProgress()
    bar.console = Console(file=out, force_terminal=True, width=150)
    bar.enabled = True
    with bar:
        bar(BuildProgress("documents", 5, 10, 4, 1, 0, 2000, 2.0))
    text = out.getvalue()
    assert "5/10" in text and "2.5 docs/s" in text and "1,000 tokens/s" in text and "1 cached" in text


def test_summary_line():
    graph = nx.MultiDiGraph()
    graph.add_edge("a", "b", key="meeting")
    result = BuildResult(
        graph=graph,
        documents=3,
        skipped=[Skipped("x.pdf", "binary file")],
        tokens=1200,
        parsed=2,
        cached=1,
        parsed_tokens=800,
        seconds=2.0,
    )
    assert summary(result) == (
        "3 document(s) (2 parsed, 1 from cache, 1 skipped), 1,200 tokens in 2.0 s (400 tokens/s): "
        "2 entities, 1 relations"
    )


@pytest.mark.model
def test_build_reports_progress_with_a_known_total(nlp, tmp_path):
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text("Le Japon a signé un accord avec le Royaume-Uni.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"")
    events: list[BuildProgress] = []
    result = kgraph.api.build_graph([tmp_path], progress=events.append)
    assert {e.total for e in events} == {4}
    assert events[0].done == 0  # shown before the first document is parsed
    assert [e.stage for e in events][-1] == "done"
    final = events[-1]
    assert (final.done, final.parsed, final.skipped) == (4, 3, 1)
    assert final.tokens == result.parsed_tokens > 0


@pytest.mark.model
def test_quiet_build_prints_nothing(nlp, tmp_path):
    (tmp_path / "a.txt").write_text("Le Japon a signé un accord avec le Royaume-Uni.", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["build", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "-q", "--format", "json"]
    )
    assert result.exit_code == 0
    assert result.output == ""
