"""The record cache (kgraph.cache): what invalidates a record, pruning, damaged files, and re-builds."""

from __future__ import annotations

import dataclasses
import json
import sqlite3

import pytest
from typer.testing import CliRunner

import kgraph.api
import kgraph.cache
import kgraph.extract
from kgraph.cache import CACHE_FILE_NAME, CacheKey, RecordCache, content_hash, extractor_digest, extractor_version
from kgraph.cli import app
from kgraph.models import DocEntity, DocRecord, Document, Evidence, Mention, Relation

KEY = CacheKey(pipeline="fr_core_news_sm 3.8.0", patterns="abc", kgraph="0.1.0+123", options="cooccurrence=False")
DOC = Document(id="a.txt", text="Kim Jong Un a reçu Sergueï Lavrov.", date="2025-07")


def record(doc_id: str = "a.txt") -> DocRecord:
    kim = DocEntity(0, "Kim Jong Un", "PERSON", ("Kim Jong Un",), (Mention("Kim Jong Un", 0, 11, 0),))
    lavrov = DocEntity(1, "Sergueï Lavrov", "PERSON", ("Sergueï Lavrov",), (Mention("Sergueï Lavrov", 19, 33, 0),))
    evidence = Evidence(doc_id, DOC.text, 0, len(DOC.text), "2025-07", ((0, 11), (19, 33)))
    return DocRecord(doc_id, "2025-07", (kim, lavrov), (Relation(0, 1, "meeting", "reçoit", evidence, "test"),), 9)


def test_round_trip(tmp_path):
    with RecordCache.open(tmp_path / "c.sqlite", KEY) as store:
        assert store.get(DOC.id, content_hash(DOC)) is None
        store.put(content_hash(DOC), record())
    with RecordCache.open(tmp_path / "c.sqlite", KEY) as store:
        assert store.get(DOC.id, content_hash(DOC)) == record()
        assert not store.warnings


@pytest.mark.parametrize("field", ["pipeline", "patterns", "kgraph", "options"])
def test_each_part_of_the_key_invalidates(tmp_path, field):
    with RecordCache.open(tmp_path / "c.sqlite", KEY) as store:
        store.put(content_hash(DOC), record())
    other = dataclasses.replace(KEY, **{field: "changed"})
    with RecordCache.open(tmp_path / "c.sqlite", other) as store:
        assert store.get(DOC.id, content_hash(DOC)) is None


@pytest.mark.parametrize(
    "change", [{"text": DOC.text + " Encore."}, {"date": "2025-08"}, {"title": "Titre"}, {"url": "https://x.org"}]
)
def test_content_hash_covers_everything_a_record_holds(change):
    assert content_hash(dataclasses.replace(DOC, **change)) != content_hash(DOC)
    assert content_hash(dataclasses.replace(DOC, source="elsewhere.txt")) == content_hash(DOC)


def test_document_id_is_part_of_the_key(tmp_path):
    with RecordCache.open(tmp_path / "c.sqlite", KEY) as store:
        store.put(content_hash(DOC), record())
        assert store.get("b.txt", content_hash(DOC)) is None


def test_extractor_version_is_the_release_plus_a_code_digest():
    from kgraph import __version__

    assert extractor_version().startswith(f"{__version__}+")
    assert extractor_version() == extractor_version()


@pytest.fixture
def package(tmp_path):
    """A copy of the kgraph package's sources and data, to edit."""
    import shutil
    from importlib import resources

    copy = tmp_path / "kgraph"
    shutil.copytree(str(resources.files("kgraph")), copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@pytest.mark.parametrize("edited", ["query.py", "engines/dask.py", "export/graphml.py", "api.py", "cli.py"])
def test_code_that_does_not_extract_keeps_the_cached_records(package, edited):
    before = extractor_digest(package)
    with open(package / edited, "a", encoding="utf-8") as handle:
        handle.write("\n# an edit\n")
    assert extractor_digest(package) == before


@pytest.mark.parametrize(
    "edited",
    ["relations/engine.py", "entities/mentions.py", "pipeline.py", "lang/fr/patterns.json", "lang/fr/titles.json"],
)
def test_extraction_code_and_data_change_the_key(package, edited):
    assert (package / edited).is_file()  # an edit of what is there, not a new file
    before = extractor_digest(package)
    with open(package / edited, "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert extractor_digest(package) != before


def test_a_new_module_that_extraction_imports_changes_the_key(package):
    before = extractor_digest(package)
    (package / "helpers.py").write_text("X = 1\n", encoding="utf-8")
    assert extractor_digest(package) == before  # nothing imports it yet
    with open(package / "relations" / "engine.py", "a", encoding="utf-8") as handle:
        handle.write("\n\ndef _later():\n    from kgraph.helpers import X\n\n    return X\n")
    changed = extractor_digest(package)
    (package / "helpers.py").write_text("X = 2\n", encoding="utf-8")
    assert len({before, changed, extractor_digest(package)}) == 3


@pytest.mark.parametrize(
    "statement",
    [
        "import kgraph.helpers as helpers",
        "import os, kgraph.helpers",
        "from kgraph import helpers",
        "from kgraph import (\n    text,  # a note\n    helpers,\n)",
        "from kgraph.helpers import X as Y",
    ],
)
def test_every_form_of_import_is_followed(package, statement):
    (package / "helpers.py").write_text("X = 1\n", encoding="utf-8")
    with open(package / "relations" / "engine.py", "a", encoding="utf-8") as handle:
        handle.write(f"\n\ndef _later():\n    {statement.replace(chr(10), chr(10) + '    ')}\n")
    before = extractor_digest(package)
    (package / "helpers.py").write_text("X = 2\n", encoding="utf-8")
    assert extractor_digest(package) != before


def test_finish_keeps_only_what_the_build_used(tmp_path):
    path = tmp_path / "c.sqlite"
    with RecordCache.open(path, KEY) as store:
        for doc_id in ("a.txt", "b.txt"):
            store.get(doc_id, "h1")
            store.put("h1", record(doc_id))
        store.finish()
    with RecordCache.open(path, KEY) as store:  # next build: a.txt unchanged, b.txt gone
        assert store.get("a.txt", "h1") is not None
        store.finish()
    with RecordCache.open(path, KEY) as store:
        assert store.get("b.txt", "h1") is None
        assert store.get("a.txt", "h1") is not None


def test_interrupted_build_keeps_what_it_committed(tmp_path):
    path = tmp_path / "c.sqlite"
    store = RecordCache.open(path, KEY)
    for n in range(kgraph.cache._COMMIT_ROWS + 1):
        store.put("h", record(f"d{n}"))
    del store  # no finish, no close: as if the process had been killed after the first commit
    with RecordCache.open(path, KEY) as again:
        assert again.get("d0", "h") is not None
        assert not again.warnings


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"this is not a database at all" * 100),
        lambda p: p.write_bytes(p.read_bytes()[:1500]),
        lambda p: _set_schema(p, "0"),
        lambda p: _plain_sqlite(p),
    ],
    ids=["garbage", "truncated", "old-schema", "foreign-database"],
)
def test_damaged_cache_is_discarded_and_rebuilt_with_a_warning(tmp_path, damage):
    path = tmp_path / "c.sqlite"
    with RecordCache.open(path, KEY) as store:
        for n in range(50):
            store.put("h", record(f"d{n}"))
    damage(path)
    with RecordCache.open(path, KEY) as store:
        assert store.warnings and "damaged cache discarded" in store.warnings[0]
        assert store.get("d0", "h") is None
        store.put("h", record("d0"))
    with RecordCache.open(path, KEY) as store:
        assert store.get("d0", "h") is not None and not store.warnings


def test_damaged_row_is_a_miss(tmp_path):
    path = tmp_path / "c.sqlite"
    with RecordCache.open(path, KEY) as store:
        store.put("h", record())
    with sqlite3.connect(path) as db:
        db.execute("UPDATE records SET record = x'00ff'")
    with RecordCache.open(path, KEY) as store:
        assert store.get("a.txt", "h") is None
        assert "damaged record" in store.warnings[0]


def _set_schema(path, version):
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE name = 'schema'", (version,))


def _plain_sqlite(path):
    for suffix in ("", "-wal", "-shm"):
        (path.parent / f"{path.name}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (x)")


# --- re-builds with the real pipeline -----------------------------------------------------------------------

TEXTS = {
    "a.txt": "Le président français Emmanuel Macron a reçu jeudi à Paris le chancelier allemand Olaf Scholz.",
    "b.txt": "Le président turc Recep Tayyip Erdogan a condamné la Russie.",
    "c.txt": "Le Japon a signé un accord de défense avec le Royaume-Uni.",
}


@pytest.fixture
def folder(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for name, text in TEXTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus


def build(folder, cache, **options):
    return kgraph.api.build_graph([folder], cache=cache, **options)


@pytest.mark.model
def test_rebuild_parses_only_new_or_changed_documents_and_forgets_removed_ones(nlp, folder, tmp_path):
    cache = tmp_path / "out" / CACHE_FILE_NAME
    first = build(folder, cache)
    assert (first.parsed, first.cached) == (3, 0)
    again = build(folder, cache)
    assert (again.parsed, again.cached) == (0, 3)
    assert sorted(again.graph.nodes) == sorted(first.graph.nodes)
    assert json.dumps(sorted(again.graph.edges(keys=True, data=True), key=str), default=str) == json.dumps(
        sorted(first.graph.edges(keys=True, data=True), key=str), default=str
    )

    (folder / "a.txt").write_text(TEXTS["a.txt"].replace("Olaf Scholz", "Friedrich Merz"), encoding="utf-8")
    (folder / "d.txt").write_text("Le Rwanda a envoyé des soldats au Mozambique.", encoding="utf-8")
    (folder / "b.txt").unlink()
    changed = build(folder, cache)
    assert (changed.parsed, changed.cached, changed.documents) == (2, 1, 3)
    labels = {d["label"] for _, d in changed.graph.nodes(data=True)}
    assert "Friedrich Merz" in labels and "Olaf Scholz" not in labels
    assert not any("b.txt" in d["documents"] for _, d in changed.graph.nodes(data=True))


@pytest.mark.model
def test_patterns_options_pipeline_and_kgraph_version_invalidate(nlp, folder, tmp_path, monkeypatch):
    cache = tmp_path / CACHE_FILE_NAME
    build(folder, cache)
    patterns = tmp_path / "patterns.json"
    patterns.write_text(json.dumps({"relations": []}), encoding="utf-8")
    assert build(folder, cache, patterns_file=patterns).parsed == 3
    assert build(folder, cache, patterns_file=patterns).parsed == 0
    assert build(folder, cache, patterns_file=patterns, cooccurrence=True).parsed == 3
    monkeypatch.setattr(kgraph.cache, "extractor_version", lambda: "9.9.9+new")
    assert build(folder, cache, patterns_file=patterns, cooccurrence=True).parsed == 3
    monkeypatch.setattr("kgraph.pipeline.installed_pipeline_id", lambda model: "fr_core_news_sm 9.0.0")
    assert build(folder, cache, patterns_file=patterns, cooccurrence=True).parsed == 3


@pytest.mark.model
def test_cli_keeps_the_cache_in_the_output_folder_and_no_cache_skips_it(nlp, folder, tmp_path):
    runner = CliRunner()
    out = tmp_path / "out"
    first = runner.invoke(app, ["build", str(folder), "-o", str(out), "--format", "json", "--jobs", "1"])
    assert first.exit_code == 0, first.output
    assert (out / CACHE_FILE_NAME).is_file()
    assert "3 parsed" in first.output
    # another format: the outputs change, the records come from the cache
    second = runner.invoke(app, ["build", str(folder), "-o", str(out), "--format", "json,graphml"])
    assert "0 parsed, 3 from cache" in second.output
    fresh = tmp_path / "fresh"
    forced = runner.invoke(app, ["build", str(folder), "-o", str(fresh), "--format", "json", "--no-cache"])
    assert forced.exit_code == 0 and "3 parsed" in forced.output
    assert not (fresh / CACHE_FILE_NAME).exists()


@pytest.mark.model
def test_damaged_cache_file_is_reported_and_the_build_goes_on(nlp, folder, tmp_path):
    cache = tmp_path / CACHE_FILE_NAME
    cache.write_bytes(b"\x00garbage" * 1000)
    result = build(folder, cache)
    assert result.parsed == 3
    assert any("damaged cache discarded" in w for w in result.warnings)
    assert build(folder, cache).cached == 3


@pytest.mark.model
def test_failed_extraction_is_cached_and_still_reported(nlp, folder, tmp_path, monkeypatch):
    real = kgraph.extract.extract_document

    def flaky(doc, document, **options):
        if document.id == "b.txt":
            raise ValueError("boom")
        return real(doc, document, **options)

    monkeypatch.setattr(kgraph.extract, "extract_document", flaky)
    cache = tmp_path / CACHE_FILE_NAME
    first = build(folder, cache)
    again = build(folder, cache)
    assert again.parsed == 0
    assert first.warnings == again.warnings == ["b.txt: extraction failed: ValueError: boom"]
