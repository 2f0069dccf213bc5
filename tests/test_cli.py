"""The command line: help for every command, a build, and the query commands (text and --json)."""

from __future__ import annotations

import json
import re

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.export.json import to_json
from tests.conftest import make_sample_graph

COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


def run(*args) -> object:
    return CliRunner().invoke(app, [str(a) for a in args], prog_name="kgraph")


@pytest.fixture
def graph_file(tmp_path):
    path = tmp_path / "graph.json"
    path.write_text(to_json(make_sample_graph()), encoding="utf-8")
    return path


def test_the_query_commands_exist():
    assert {"build", "export", "info", "neighbors", "path"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f"kgraph {command}" in result.stdout


def test_no_arguments_shows_the_commands():
    result = run()
    assert "info" in result.stdout + result.stderr and "neighbors" in result.stdout + result.stderr


@pytest.mark.model
def test_build_writes_the_outputs_and_counts_documents(nlp, tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("Kim Jong Un a reçu Sergueï Lavrov à Wonsan.\n")
    result = run("build", tmp_path / "news", "-o", tmp_path / "out", "--format", "json,graphml")
    assert (result.exit_code, result.stderr) == (0, "")
    first, *wrote = result.stdout.splitlines()
    assert re.match(r"1 document\(s\) .*: \d+ entities, \d+ relations$", first)
    assert sorted(wrote) == [f"  wrote {tmp_path / 'out' / name}" for name in ("graph.graphml", "graph.json")]
    assert run("build", tmp_path / "news", "-o", tmp_path / "out", "-q", "--format", "json").stdout == ""
    # the graph.graphml of the first build is not left beside the second build's graph.json
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == [
        "graph.json",
        "kgraph-build.json",
    ]


def test_info(graph_file):
    result = run("info", graph_file, "--top", "2")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"{graph_file}: 6 entities, 4 relations, 2 document(s)"
    assert "  1. Corée du Nord (GPE): 2 relation(s), 7 mention(s)" in result.stdout
    data = json.loads(run("info", graph_file, "--json").stdout)
    assert (data["nodes"], data["edges"], data["first_date"], data["last_date"]) == (6, 4, "2024", "2025-07-12")


def test_neighbors(graph_file):
    result = run("neighbors", graph_file, "m. kim", "--evidence", "1")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Kim Jong Un (PERSON, id person:kim-jong-un)"
    assert "     a.txt: M. Kim a reçu M. Lavrov à Wonsan." in result.stdout
    data = json.loads(run("neighbors", graph_file, "RPDC", "--json", "-r", "agreement").stdout)
    assert data["entity"]["id"] == "gpe:coree-du-nord"
    assert [(link["source"]["id"], link["relation"]) for link in data["links"]] == [("gpe:russie", "agreement")]
    assert data["links"][0]["evidence"][0]["sentence"] == "Moscou et Pyongyang ont signé un pacte."


def test_neighbors_of_an_unknown_entity(graph_file):
    result = run("neighbors", graph_file, "Poutine")
    assert result.exit_code == 1
    assert result.stderr == "kgraph: error: no entity named 'Poutine' in the graph\n"


def test_an_unknown_relation_is_a_usage_error(graph_file):
    result = run("neighbors", graph_file, "Russie", "-r", "sanctions")
    assert result.exit_code == 2
    assert result.stderr.startswith("kgraph: error: unknown relation 'sanctions'; this graph has: agreement, ")
    data = json.loads(run("neighbors", graph_file, "Russie", "--json", "-r", "agreement,opposition").stdout)
    assert sorted(link["relation"] for link in data["links"]) == ["agreement", "opposition"]


def test_path(graph_file):
    result = run("path", graph_file, "Wonsan", "le kremlin")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "1 shortest path(s) of 2 step(s) between Wonsan and Russie"
    data = json.loads(run("path", graph_file, "Wonsan", "Russie", "--json").stdout)
    assert [[e["id"] for e in p["entities"]] for p in data] == [["loc:wonsan", "gpe:coree-du-nord", "gpe:russie"]]
    assert [[link["relation"] for link in step] for step in data[0]["steps"]] == [["located_in"], ["agreement"]]


def test_path_between_unconnected_entities(graph_file):
    result = run("path", graph_file, "Kim Jong Un", "Wonsan")
    assert (result.exit_code, result.stdout) == (0, "no path between Kim Jong Un and Wonsan\n")
    assert run("path", graph_file, "Kim Jong Un", "Wonsan", "--json").stdout == "[]\n"


def test_hostile_labels_never_reach_the_terminal_raw(graph_file):
    result = run("neighbors", graph_file, "Russie")
    assert '<- opposition  <img src=x onerror="window.__pwned=1"> (ORG)' in result.stdout
    assert "\u202e" not in result.stdout and "\\u202e" in result.stdout


def test_export_writes_a_map_with_the_title_and_interface_language_asked(graph_file, tmp_path):
    payload = "<img src=x onerror=alert(1)> & Corée"
    result = run("export", graph_file, "-o", tmp_path / "map.html", "--title", payload, "--ui-lang", "fr")
    assert result.exit_code == 0
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "<title>&lt;img src=x onerror=alert(1)&gt; &amp; Corée</title>" in page
    assert '<h1 id="kg-title">&lt;img src=x onerror=alert(1)&gt; &amp; Corée</h1>' in page
    assert "<img" not in page and '<html lang="fr">' in page and "Trouver une entité" in page
    result = run("export", graph_file, "-o", tmp_path / "map.html", "--ui-lang", "xx")
    assert result.exit_code == 2
    assert result.stderr == "kgraph: error: no map interface in 'xx'; choose from en, fr\n"


def test_build_refuses_an_unknown_interface_language_before_reading_anything(tmp_path):
    result = run("build", tmp_path / "missing", "-o", tmp_path / "out", "--ui-lang", "de")
    assert result.exit_code == 2
    assert result.stderr == "kgraph: error: no map interface in 'de'; choose from en, fr\n"
    assert not (tmp_path / "out").exists()


def test_export_converts_between_formats(graph_file, tmp_path):
    result = run("export", graph_file, "-o", tmp_path / "g.graphml")
    assert (result.exit_code, result.stdout) == (0, f"wrote {tmp_path / 'g.graphml'}\n")
    assert run("info", tmp_path / "g.graphml").stdout.splitlines()[0].endswith("6 entities, 4 relations, 2 document(s)")
    result = run("export", graph_file, "-o", tmp_path / "g.pdf")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kgraph: error: {tmp_path / 'g.pdf'}: cannot tell the format from the extension")


def test_skip_lines_collapse_the_places_of_one_file_and_keep_the_order():
    from kgraph.documents import Skipped
    from kgraph.progress import SkipLines

    printed: list[str] = []
    with SkipLines(printed.append) as skips:
        for item in [
            Skipped("a.jsonl:1", "invalid JSON"),
            Skipped("a.jsonl:2", "no text"),
            Skipped("a.jsonl:3", "invalid JSON"),
            Skipped("empty.txt", "empty file"),
            Skipped("b.jsonl:7", "no text"),
        ]:
            skips(item)
    assert printed == [
        "a.jsonl: 2 lines (1 to 3; --verbose lists each): invalid JSON",
        "a.jsonl:2: no text",
        "empty.txt: empty file",
        "b.jsonl:7: no text",
    ]
