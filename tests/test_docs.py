"""The documentation is tested like code: every command and option in the README, the graph contract in
docs/graph-schema.md in step with what the builder writes, `kgraph --help` without spaCy."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from kgraph.cli import app
from tests.conftest import make_sample_graph

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCHEMA = (ROOT / "docs" / "graph-schema.md").read_text(encoding="utf-8")
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_and_option_is_in_the_readme(name):
    assert f"kgraph {name}" in README, f"`kgraph {name}` is not documented"
    for param in COMMANDS[name].params:
        if getattr(param, "param_type_name", "") == "option" and param.name != "help":
            longest = max(param.opts, key=len)
            assert longest in README, f"`{longest}` of `kgraph {name}` is not in the README"


def test_the_two_setup_commands_exist():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^make example\b", README, re.M) and re.search(r"^make test\b", README, re.M)
    assert "\nexample:" in makefile and "\ntest:" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text()


# written for this test: a date line, titles, a meeting at a place, an agreement, a report
BUILT_TEXT = """date 2025-07-12
Le président nord-coréen Kim Jong Un a reçu samedi Sergueï Lavrov à Wonsan. Selon l'agence KCNA, la Russie et
la Corée du Nord ont signé un accord de coopération.
"""


def attribute_names(graph) -> set[str]:
    names = set(graph.graph)
    names |= {k for _n, d in graph.nodes(data=True) for k in d}
    names |= {k for _u, _v, d in graph.edges(data=True) for k in d}
    return names


@pytest.mark.model
def test_every_attribute_the_builder_writes_is_in_the_schema_doc(nlp):
    from kgraph.api import build_graph

    graph = build_graph(texts=[BUILT_TEXT], model=nlp).graph
    assert graph.number_of_edges() >= 2, "the text should give the builder relations to write"
    names = attribute_names(graph)
    assert {"relation", "evidence", "date", "place", "aliases", "mentions"} <= names
    for name in sorted(names):
        assert f"`{name}`" in SCHEMA, f"graph attribute {name!r} is not documented in docs/graph-schema.md"


def test_every_attribute_of_the_exporters_sample_graph_is_in_the_schema_doc():
    for name in sorted(attribute_names(make_sample_graph())):
        assert f"`{name}`" in SCHEMA, f"graph attribute {name!r} is not documented in docs/graph-schema.md"


def test_every_builtin_relation_is_in_the_schema_doc():
    from kgraph.patterns import load_patterns

    for relation in {p.relation for p in load_patterns("fr").patterns} | {"role", "located_in", "reports"}:
        assert f"`{relation}`" in SCHEMA and f"`{relation}`" in README


def test_help_does_not_import_spacy():
    code = "import sys; from kgraph.cli import app\ntry:\n app(['--help'])\nexcept SystemExit: pass\n"
    code += "print('spacy' in sys.modules, 'pyvis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False False")


def test_python_dash_m_kgraph_works():
    result = subprocess.run([sys.executable, "-m", "kgraph", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "build" in result.stdout


@pytest.mark.model
def test_the_python_api_example_of_the_readme_runs(nlp, tmp_path, monkeypatch, capsys):
    section = README[README.index("### Use it from Python") :]
    code = section[section.index("```python\n") + len("```python\n") : section.index("```\n", 12)]
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("Kim Jong Un a reçu Sergueï Lavrov à Wonsan.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert (tmp_path / "out" / "graph.html").is_file() and (tmp_path / "out" / "graph.json").is_file()
    assert capsys.readouterr().out.startswith("1 ")
