"""The record cache: each document's extraction record in SQLite, so a re-build parses only new or changed
documents.

The CLI keeps it in `<output folder>/.kgraph-cache.sqlite` (`kgraph build --no-cache` neither reads nor writes
it); the library uses one only when given a path (`build_graph(..., cache=path)`). A stored record is reused
only when every part of its key matches the current build:

- the document id and a hash of its content (text, date, title, URL);
- the spaCy pipeline: name and version (`fr_core_news_sm 3.8.0`);
- the relation patterns: `PatternSet.version`, a hash of the built-in and the user's pattern files;
- the extractor: kgraph's version plus a digest of its extraction code (the modules `kgraph.extract` and
  `kgraph.pipeline` import, followed import by import) and data files, so an edited checkout never serves
  records made by older code, and an edit to query, export or engine code keeps every record;
- the extraction options (`cooccurrence`).

Rows are written in small transactions as documents are parsed (WAL journal), so an interrupted build leaves a
consistent cache and the next build resumes where it stopped. After a complete build the cache holds exactly
the records that build used: removed or changed documents and other settings' records are deleted. A file that
is not a readable kgraph cache (corrupted, truncated, other schema) is discarded and rebuilt, with a warning.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import time
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from kgraph.errors import OutputError
from kgraph.models import DocRecord, Document

CACHE_FILE_NAME = ".kgraph-cache.sqlite"
SCHEMA_VERSION = "1"
# rows are committed in groups: small enough that an interruption loses little, big enough to be cheap
_COMMIT_ROWS = 64
_COMMIT_SECONDS = 2.0
# extraction is what these modules run, and what they import; a digest of their code (found by reading their
# imports, so a new module they use counts and a change to query or export code does not) and of the package's
# data files keys the cache
_EXTRACTION_ROOTS = ("kgraph.extract", "kgraph.pipeline")
_DATA_SUFFIXES = (".json", ".jsonl", ".txt", ".csv", ".tsv")
_NOT_DATA = ("export",)  # the map's assets and templates
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS extractors (
    digest TEXT PRIMARY KEY, pipeline TEXT NOT NULL, patterns TEXT NOT NULL, kgraph TEXT NOT NULL,
    options TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    doc_id TEXT NOT NULL, content TEXT NOT NULL, extractor TEXT NOT NULL, tokens INTEGER NOT NULL,
    record BLOB NOT NULL, UNIQUE (doc_id, content, extractor)
);
"""


@dataclass(frozen=True, slots=True)
class CacheKey:
    """What, besides a document's own content, decides its extraction record."""

    pipeline: str
    patterns: str
    kgraph: str
    options: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:24]


def content_hash(document: Document) -> str:
    """Hash of everything in a Document that reaches its record (the id is keyed separately)."""
    digest = hashlib.sha256()
    for part in (document.text, document.date, document.title, document.url):
        value = (part or "").encode("utf-8", "surrogatepass")
        digest.update(b"%d:" % len(value) if part is not None else b"-:")
        digest.update(value)
    return digest.hexdigest()[:32]


@cache
def extractor_version() -> str:
    """kgraph's version plus a digest of the code and data files that per-document extraction runs on."""
    from kgraph import __version__

    return f"{__version__}+{extractor_digest(resources.files('kgraph'))}"


def file_digest(path: str | os.PathLike[str]) -> str | None:
    """Digest of a file's bytes; None when it cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:32]
    except OSError:
        return None


@cache
def package_digest() -> str:
    """Digest of every file of the installed kgraph package (code, data, the map's assets): what a build's
    outputs depend on besides its inputs, its options and spaCy."""
    digest = hashlib.sha256()
    for name, data in sorted(_package_files(resources.files("kgraph"), "").items()):
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:16]


def _package_files(folder: Traversable, prefix: str) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for entry in folder.iterdir():
        if entry.name.startswith((".", "__pycache__")):
            continue
        if entry.is_dir():
            files |= _package_files(entry, f"{prefix}{entry.name}/")
        elif not entry.name.endswith((".pyc", ".pyo")):
            files[f"{prefix}{entry.name}"] = entry.read_bytes()
    return files


def extractor_digest(root: Traversable) -> str:
    """Digest of the modules below `root` (the kgraph package) reachable by import from `_EXTRACTION_ROOTS`,
    and of its data files."""
    digest = hashlib.sha256()
    for name, data in sorted(_extraction_files(root).items()):
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:12]


def _extraction_files(root: Traversable) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    todo = list(_EXTRACTION_ROOTS)
    while todo:
        module = todo.pop()
        found = _module_file(root, module)
        if found is None or found[0] in files:
            continue
        name, entry = found
        files[name] = entry.read_bytes()
        todo += _imported_modules(files[name])
    _add_data(root, "", files)
    return files


def _module_file(root: Traversable, module: str) -> tuple[str, Traversable] | None:
    """(path inside the package, file) of a kgraph module; None for a name that is not a module of it."""
    parts = module.split(".")
    if parts[0] != "kgraph" or len(parts) < 2:
        return None
    folder = root
    for part in parts[1:-1]:
        folder = folder / part
    for name in (f"{parts[-1]}.py", f"{parts[-1]}/__init__.py"):
        entry = folder / name
        if entry.is_file():
            return "/".join([*parts[1:-1], name]), entry
    return None


# an import statement at the start of a line: `import kgraph.a, b as c` or `from kgraph.a import x, (y, z)`;
# a regular expression rather than a parse of every module (ast.parse of 35 modules was 0.3 s of each build)
_IMPORT = re.compile(
    rb"^[ \t]*(?:from[ \t]+(kgraph(?:\.\w+)*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)|import[ \t]+([^\n#;]*))",
    re.MULTILINE,
)


def _imported_modules(source: bytes) -> list[str]:
    """Every kgraph module a source imports, at the top or inside functions (`from kgraph import x` gives
    kgraph.x, which `_module_file` drops if x is not a module). A line of a string that reads like an import
    may add a module: the digest then covers one file more, never one less."""
    names: list[str] = []
    for found in _IMPORT.finditer(source):
        module, imported, plain = (group.decode() if group else "" for group in found.groups())
        if module:
            names.append(module)
            names += [f"{module}.{name}" for name in _names(imported)]
        else:
            names += _names(plain)
    return [name for name in names if name.startswith("kgraph.")]


def _names(clause: str) -> list[str]:
    """The imported names of `a, b as c` or `(a,\n b)`: [a, b]."""
    parts = clause.strip().strip("()\\").replace("\\\n", " ").replace("\n", ",").split(",")
    return [part.split()[0] for part in parts if part.strip()]


def _add_data(folder: Traversable, prefix: str, files: dict[str, bytes]) -> None:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith((".", "__pycache__")) or (not prefix and entry.name in _NOT_DATA):
            continue
        if entry.is_dir():
            _add_data(entry, f"{prefix}{entry.name}/", files)
        elif entry.name.endswith(_DATA_SUFFIXES):
            files[f"{prefix}{entry.name}"] = entry.read_bytes()


class RecordCache:
    """Per-document extraction records for one build's `CacheKey`. Use `RecordCache.open`."""

    def __init__(self, path: Path, connection: sqlite3.Connection, key: CacheKey) -> None:
        self.path = path
        self.key = key
        self._db = connection
        self._pending: list[tuple[str, str, str, int, bytes]] = []
        self._used: list[tuple[str, str]] = []
        self._last_commit = time.monotonic()
        self.warnings: list[str] = []

    @classmethod
    def open(cls, path: str | os.PathLike[str], key: CacheKey) -> RecordCache:
        """Open (or create) the cache at `path`. A damaged file is discarded and rebuilt; the returned cache's
        `warnings` say so. Raises OutputError if no cache can be created there."""
        path = Path(path)
        warnings: list[str] = []
        try:
            try:
                connection = _connect(path)
            except sqlite3.OperationalError:  # locked, unwritable: not evidence of damage
                raise
            except sqlite3.DatabaseError as exc:
                warnings.append(f"{path}: damaged cache discarded and rebuilt ({exc})")
                _remove(path)
                connection = _connect(path)
        except (sqlite3.Error, OSError) as exc:
            raise OutputError(f"{path}: cannot open the record cache ({exc})") from exc
        connection.execute(
            "INSERT OR IGNORE INTO extractors VALUES (?, ?, ?, ?, ?)",
            (key.digest, key.pipeline, key.patterns, key.kgraph, key.options),
        )
        store = cls(path, connection, key)
        store.warnings = warnings
        return store

    def get(self, doc_id: str, content: str) -> DocRecord | None:
        """The stored record of this document version under this build's key, or None."""
        self._used.append((_sql_text(doc_id), content))
        row = self._db.execute(
            "SELECT record FROM records WHERE doc_id = ? AND content = ? AND extractor = ?",
            (_sql_text(doc_id), content, self.key.digest),
        ).fetchone()
        if row is None:
            return None
        try:
            return DocRecord.from_dict(json.loads(zlib.decompress(row[0])))
        except (
            zlib.error,
            ValueError,
            KeyError,
            TypeError,
        ) as exc:  # a damaged row: parse the document again
            if not any("damaged record" in w for w in self.warnings):
                self.warnings.append(f"{self.path}: damaged record for {doc_id!r} ignored ({exc})")
            return None

    def put(self, content: str, record: DocRecord) -> None:
        # ensure_ascii keeps lone surrogates (file names that are not UTF-8) as \\u escapes
        data = zlib.compress(json.dumps(record.to_dict(), ensure_ascii=True).encode(), 6)
        self._pending.append((_sql_text(record.doc_id), content, self.key.digest, record.tokens, data))
        if len(self._pending) >= _COMMIT_ROWS or time.monotonic() - self._last_commit > _COMMIT_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Commit the records put so far (one transaction)."""
        if self._pending:
            with self._transaction():
                self._db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?)", self._pending)
            self._pending.clear()
        self._last_commit = time.monotonic()

    def finish(self) -> None:
        """After a complete build: commit, then delete every row this build did not use."""
        self.flush()
        with self._transaction():
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS used (doc_id TEXT, content TEXT)")
            self._db.execute("DELETE FROM used")
            self._db.executemany("INSERT INTO used VALUES (?, ?)", self._used)
            self._db.execute("CREATE INDEX IF NOT EXISTS temp.used_key ON used (doc_id, content)")
            self._db.execute(
                "DELETE FROM records WHERE extractor != ? OR NOT EXISTS "
                "(SELECT 1 FROM used WHERE used.doc_id = records.doc_id AND used.content = records.content)",
                (self.key.digest,),
            )
            self._db.execute("DELETE FROM extractors WHERE digest != ?", (self.key.digest,))
        self._used.clear()

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.flush()
        self._db.close()

    def __enter__(self) -> RecordCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


def _connect(path: Path) -> sqlite3.Connection:
    """Open and check the cache file; raise sqlite3.DatabaseError for anything that is not a sound cache."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = not path.exists() or path.stat().st_size == 0
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout = 30000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        if not fresh:
            problem = db.execute("PRAGMA quick_check").fetchone()[0]
            if problem != "ok":
                raise sqlite3.DatabaseError(f"integrity check: {problem}")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and "meta" not in tables:
                raise sqlite3.DatabaseError("not a kgraph cache")
            if "meta" in tables:
                row = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
                if row is None or row[0] != SCHEMA_VERSION:
                    raise sqlite3.DatabaseError(f"cache schema {row[0] if row else '?'}, expected {SCHEMA_VERSION}")
        db.executescript(_SCHEMA)
        db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    except BaseException:
        db.close()
        raise
    return db


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


def _sql_text(text: str) -> str:
    """A document id SQLite can store: ids from file names that are not UTF-8 hold lone surrogates, which
    SQLite refuses; they are stored escaped (one-to-one, so lookups still match)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "\x00" + text.encode("utf-8", "surrogatepass").hex()
