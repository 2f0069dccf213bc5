"""Input expansion: folders, glob patterns, HTML pages and JSON Lines corpora (kgraph.corpus). No model needed."""

from __future__ import annotations

import gzip
import io
import json

import pytest

from kgraph.corpus import JsonlFields, count_documents, iter_corpus
from kgraph.documents import Skipped
from kgraph.errors import UsageError
from kgraph.models import Document

ARTICLE = "Le président français Emmanuel Macron a reçu jeudi à Paris le chancelier allemand Olaf Scholz."
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Macron reçoit Scholz</title>
<meta property="article:published_time" content="2024-05-06T09:00:00Z">
<link rel="canonical" href="https://example.org/macron-scholz"></head>
<body><nav><a href="/">Accueil</a> <a href="/monde">Monde</a> <a href="/sport">Sport</a></nav>
<article><h1>Macron reçoit Scholz</h1>
<p>Le président français Emmanuel Macron a reçu jeudi à Paris le chancelier allemand Olaf Scholz, venu parler
de la défense européenne et du soutien à l'Ukraine.</p>
<p>Les deux dirigeants ont signé une déclaration commune sur la coopération industrielle entre leurs pays.</p>
</article><footer>© Journal — Mentions légales — Abonnez-vous</footer></body></html>"""


def split(items):
    docs = [i for i in items if isinstance(i, Document)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    return docs, skipped


def jsonl(*rows) -> bytes:
    return b"".join((r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode()) + b"\n" for r in rows)


def test_folder_is_read_recursively_with_text_markdown_and_html(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "b.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub" / "deeper" / "c.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x,y", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "d.txt").write_text(ARTICLE, encoding="utf-8")
    docs, skipped = split(list(iter_corpus([tmp_path])))
    assert [d.id for d in docs] == ["a.txt", "sub/b.md", "sub/deeper/c.html"]
    assert not skipped


def test_html_page_gives_the_article_text_and_its_metadata(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (doc,) = list(iter_corpus([tmp_path / "page.html"]))
    assert "Emmanuel Macron a reçu jeudi à Paris" in doc.text
    assert "déclaration commune" in doc.text
    for boilerplate in ("Accueil", "Mentions légales", "Abonnez-vous"):
        assert boilerplate not in doc.text
    assert "\n\n" in doc.text  # paragraphs kept apart, as in text files
    assert (doc.title, doc.date, doc.url) == ("Macron reçoit Scholz", "2024-05-06", "https://example.org/macron-scholz")


def test_html_page_without_article_text_is_skipped(tmp_path):
    (tmp_path / "empty.htm").write_text("<html><head><title>Vide</title></head><body></body></html>", encoding="utf-8")
    docs, skipped = split(list(iter_corpus([tmp_path / "empty.htm"])))
    assert not docs
    assert "no article text" in skipped[0].reason


def test_glob_pattern_ids_are_relative_to_its_fixed_part(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("news/2024/a.txt", "news/2025/b.txt", "news/2025/c.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    docs, _ = split(list(iter_corpus(["news/**/*.txt"])))
    assert [d.id for d in docs] == ["2024/a.txt", "2025/b.txt"]
    docs, _ = split(list(iter_corpus(["news/2025/*"])))
    assert [d.id for d in docs] == ["b.txt", "c.md"]
    docs, skipped = split(list(iter_corpus(["news/*.pdf"])))
    assert not docs and skipped[0].reason == "no file matches this pattern"


def test_missing_input_and_file_given_twice(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    docs, skipped = split(list(iter_corpus([tmp_path / "a.txt", tmp_path / "nope.txt", tmp_path / "a.txt"])))
    assert [d.id for d in docs] == ["a.txt"]
    assert [s.reason for s in skipped] == ["no such file or directory", "given more than once; read once"]


def test_same_relative_name_in_two_folders_keeps_both(tmp_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    docs, _ = split(list(iter_corpus([tmp_path / "x", tmp_path / "y"])))
    assert len({d.id for d in docs}) == 2


def test_jsonl_file_fields_ids_dates_and_bad_lines(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(
        jsonl(
            {"id": "a", "text": ARTICLE, "date": "2024-05-06T09:00:00Z", "title": "Titre", "url": "https://x.org/a"},
            {"text": ARTICLE},  # no id: file name and line number
            b"",
            b"{not json",
            {"id": "c"},
            {"id": "d", "text": "   "},
            {"id": "a", "text": "Un autre texte avec le même identifiant."},
            {"id": 7, "text": ARTICLE, "date": "juillet"},
            [1, 2],
        )
    )
    docs, skipped = split(list(iter_corpus([path])))
    assert [d.id for d in docs] == ["a", "corpus.jsonl:2", "7"]
    assert (docs[0].date, docs[0].title, docs[0].url) == ("2024-05-06", "Titre", "https://x.org/a")
    assert docs[2].date is None
    reasons = {s.path.rsplit(":", 1)[1]: s.reason for s in skipped}
    assert set(reasons) == {"4", "5", "6", "7", "9"}
    assert reasons["4"].startswith("invalid JSON")
    assert "no 'text' field" in reasons["5"]
    assert "empty 'text' field" in reasons["6"]
    assert "duplicate document id 'a'" in reasons["7"]
    assert "expected a JSON object" in reasons["9"]


def test_jsonl_field_names_are_configurable_and_reach_nested_objects(tmp_path):
    path = tmp_path / "feed.ndjson.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(jsonl({"guid": "g1", "body": ARTICLE, "meta": {"published": "2025-07"}}))
    fields = JsonlFields.parse(["text=body", "id=guid", "date=meta.published"])
    (doc,) = list(iter_corpus([path], jsonl_fields=fields))
    assert (doc.id, doc.date, doc.text) == ("g1", "2025-07", ARTICLE)


@pytest.mark.parametrize("spec", ["text", "body=text", "text=", "=body"])
def test_bad_jsonl_field_mapping_names_the_choices(spec):
    with pytest.raises(UsageError, match="FIELD=NAME with FIELD one of text, id, date, title, url"):
        JsonlFields.parse([spec])


def test_jsonl_from_standard_input_streams_line_by_line():
    stream = io.BytesIO(b"\xef\xbb\xbf" + jsonl({"text": ARTICLE}, {"text": ARTICLE + " Encore."}))
    docs, _ = split(list(iter_corpus(["-"], stdin_format="jsonl", stdin=stream)))
    assert [d.id for d in docs] == ["<stdin>:1", "<stdin>:2"]


def test_text_from_standard_input_is_one_document():
    (doc,) = list(iter_corpus(["-"], stdin=io.BytesIO(("date 2025-07\n" + ARTICLE).encode())))
    assert (doc.id, doc.date) == ("<stdin>", "2025-07")


def test_unknown_standard_input_format_is_refused():
    with pytest.raises(UsageError, match="choose from text, jsonl"):
        list(iter_corpus(["-"], stdin_format="csv"))


def test_reading_is_lazy(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_bytes(jsonl(*({"text": f"{ARTICLE} {n}"} for n in range(1000))))
    stream = iter_corpus([path])
    first = next(stream)
    assert first.id == "big.jsonl:1"  # one line read, not the whole file turned into documents


def test_count_documents(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "c.jsonl").write_bytes(jsonl({"text": ARTICLE}, {"text": ARTICLE}) + b"\n")
    assert count_documents([tmp_path, tmp_path / "c.jsonl", tmp_path / "missing"]) == 4
    assert count_documents([tmp_path, "-"]) is None


@pytest.mark.model
def test_cli_builds_from_jsonl_on_standard_input(nlp, tmp_path):
    from typer.testing import CliRunner

    from kgraph.cli import app

    lines = jsonl({"guid": "x1", "body": ARTICLE}, {"guid": "x2", "body": "Le Japon a signé un accord avec l'Inde."})
    result = CliRunner().invoke(
        app,
        [
            "build",
            "-",
            "-o",
            str(tmp_path),
            "--format",
            "json",
            "--stdin-format",
            "jsonl",
            "--jsonl-field",
            "text=body",
            "--jsonl-field",
            "id=guid",
            "--no-cache",
        ],
        input=lines,
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 document(s) (2 parsed)")
    graph = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    docs = {doc for node in graph["nodes"] for doc in node["documents"]}
    assert docs == {"x1", "x2"}


# --- kgraph's own outputs are never read back ---------------------------------------------------------------


def test_a_folder_holding_a_kgraph_build_is_left_out_when_walking(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "kgraph-build.json").write_text("{}", encoding="utf-8")
    (tmp_path / "old" / "graph.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "old" / "notes.txt").write_text(ARTICLE, encoding="utf-8")
    docs, skipped = split(list(iter_corpus([tmp_path])))
    assert ([d.id for d in docs], skipped) == (["a.txt"], [])
    assert count_documents([tmp_path]) == 1


def test_the_output_folder_of_this_build_is_left_out_even_without_a_manifest(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "graph.html").write_text(PAGE, encoding="utf-8")
    assert [d.id for d in iter_corpus([tmp_path], exclude=[tmp_path / "out"])] == ["a.txt"]
    assert [d.id for d in iter_corpus([f"{tmp_path}/**/*.html"], exclude=[tmp_path / "out"])] == []


def test_in_an_input_folder_that_holds_a_build_only_kgraphs_files_are_left_out(tmp_path):
    # `kgraph build news -o news`: the articles stay inputs, the map written beside them does not
    (tmp_path / "kgraph-build.json").write_text("{}", encoding="utf-8")
    (tmp_path / "graph.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert [d.id for d in iter_corpus([tmp_path])] == ["a.txt", "page.html"]
    docs, skipped = split(list(iter_corpus([tmp_path / "graph.html"])))
    assert docs == []
    assert [str(s) for s in skipped] == [
        f"{tmp_path / 'graph.html'}: written by a kgraph build (its folder holds kgraph-build.json)"
    ]


def test_input_problems_lists_names_without_reading(tmp_path):
    from kgraph.corpus import input_problems

    (tmp_path / "empty").mkdir()
    (tmp_path / "a.txt").write_bytes(b"")  # empty, but that is only known by reading it
    problems = input_problems([tmp_path / "a.txt", tmp_path / "typo", tmp_path / "empty", "s3://bucket/x", "-"])
    assert [s.path for s in problems] == [str(tmp_path / "typo"), str(tmp_path / "empty")]
