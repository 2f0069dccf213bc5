"""Expanding a build's inputs into a stream of `Document`s: files, folders, glob patterns, HTML pages and
JSON Lines corpora (from a file or standard input). Reading one text file is `kgraph.documents`' job.

Everything here is lazy: one document is read at a time, so memory does not grow with the corpus.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, cast

from kgraph.documents import (
    MAX_DOCUMENT_BYTES,
    Skipped,
    decode,
    expand_inputs,
    make_document,
    read_file,
    walk_folder,
)
from kgraph.errors import InputError, UsageError, check_choice
from kgraph.manifest import holds_build
from kgraph.models import Document

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
# what a folder contributes; a JSON Lines corpus is read only when named (or matched by a pattern)
FOLDER_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
GLOB_CHARS = re.compile(r"[*?[]")  # an input with one of these is a glob pattern
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# ISO 8601 dates and date-times ("2025-07-12T10:00:00Z"): the date part, as precise as given
_ISO_DATE = re.compile(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ]|\s*$)")


class StdinFormat(StrEnum):
    """How standard input ("-") is read: one article, or a JSON Lines corpus."""

    TEXT = "text"
    JSONL = "jsonl"


@dataclass(frozen=True, slots=True)
class JsonlFields:
    """Where each document field sits in a JSON Lines object; a dotted name reaches into nested objects."""

    text: str = "text"
    id: str = "id"
    date: str = "date"
    title: str = "title"
    url: str = "url"

    @classmethod
    def parse(cls, specs: Iterable[str]) -> JsonlFields:
        """Build from "FIELD=NAME" strings, e.g. ["text=body", "date=meta.published"]."""
        names = [f.name for f in fields(cls)]
        chosen: dict[str, str] = {}
        for spec in specs:
            key, sep, value = spec.partition("=")
            key, value = key.strip(), value.strip()
            if not sep or key not in names or not value:
                raise UsageError(
                    f"bad JSON Lines field mapping {spec!r}: expected FIELD=NAME with FIELD one of {', '.join(names)}"
                )
            chosen[key] = value
        return cls(**chosen)


def iter_corpus(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    stdin_format: str | StdinFormat = StdinFormat.TEXT,
    jsonl_fields: JsonlFields | None = None,
    stdin: IO[bytes] | None = None,
    exclude: Iterable[str | os.PathLike[str]] = (),
) -> Iterator[Document | Skipped]:
    """Read every input into Documents, or a `Skipped` with the reason for what cannot be used.

    An input is a file (`.jsonl`/`.ndjson`, optionally gzipped, is a corpus of one article per line;
    `.html`/`.htm` has its article text extracted; anything else is read as text), a folder (every .txt, .md,
    .html and .htm below it, recursively, in name order), a glob pattern (`news/**/*.html`), or `-` for
    standard input (one text, or a JSON Lines corpus with `stdin_format="jsonl"`).

    Document ids: a file in a folder or matched by a pattern is identified by its path relative to the folder
    (or to the pattern's fixed part), a file named directly by its name, a JSON Lines article by its `id`
    field or else by `<file name>:<line number>`. Ids are unique: a clashing file falls back to its full
    path; a JSON Lines article whose id was already used is skipped.

    kgraph's own outputs are never read back: a folder holding a kgraph build (its `kgraph-build.json`), or
    one of the `exclude` folders (the output folder of this build), is left out when walking a folder, and
    the files kgraph writes (graph.html…) are left out of an input folder that is itself such a folder.
    """
    stdin_format = check_choice(StdinFormat, stdin_format, "standard input format")
    jsonl_fields = jsonl_fields or JsonlFields()
    ids: set[str] = set()
    files: set[str] = set()
    outputs = OwnOutputs(exclude)
    for raw in inputs:
        if str(raw) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _unique(_read_stdin(stream, stdin_format, jsonl_fields), ids)
            continue
        for item in expand_input(raw, outputs):
            if isinstance(item, Skipped):
                yield item
                continue
            path, doc_id = item
            real = os.path.realpath(path)
            if real in files:
                yield Skipped(str(path), "given more than once; read once")
                continue
            files.add(real)
            if path.name.lower().endswith(JSONL_SUFFIXES):
                yield from _unique(iter_jsonl_file(path, jsonl_fields), ids)
                continue
            if doc_id in ids:  # two inputs with the same relative name: keep both apart
                doc_id = path.as_posix()
            yield from _unique([read_input_file(path, doc_id)], ids)


def count_documents(
    inputs: Iterable[str | os.PathLike[str]], *, exclude: Iterable[str | os.PathLike[str]] = ()
) -> int | None:
    """How many documents `iter_corpus` will yield at most (for a progress bar), or None if it cannot tell
    without reading standard input. Counts files and JSON Lines lines; reads no article text."""
    total = 0
    outputs = OwnOutputs(exclude)
    for raw in inputs:
        if str(raw) == "-":
            return None
        for item in expand_input(raw, outputs):
            if isinstance(item, Skipped):
                continue
            path, _ = item
            if path.name.lower().endswith(JSONL_SUFFIXES):
                try:
                    with _open_jsonl(path) as handle:
                        total += sum(1 for line in handle if line.strip())
                except (OSError, EOFError):
                    continue
            else:
                total += 1
    return total


def is_url(value: str) -> bool:
    """An input naming a remote location ("s3://bucket/news/"), which only the Dask engine reads."""
    return bool(_URL.match(value))


def input_problems(
    inputs: Iterable[str | os.PathLike[str]], *, exclude: Iterable[str | os.PathLike[str]] = ()
) -> list[Skipped]:
    """The inputs that will be skipped whatever their content (a missing path, an unreadable or empty
    folder, a pattern that matches nothing), found by listing names only; URLs and "-" are not looked at."""
    outputs = OwnOutputs(exclude)
    return [
        item
        for raw in inputs
        if str(raw) != "-" and not is_url(str(raw))
        for item in expand_input(raw, outputs)
        if isinstance(item, Skipped)
    ]


class OwnOutputs:
    """Tells kgraph's own outputs apart from articles while inputs are expanded.

    A build folder is one holding a `kgraph-build.json`, or one of `exclude` (this build's output folder).
    Below an input folder, a build folder is left out whole; in an input folder that is itself one (or in the
    folder of a file named directly), only the files kgraph writes there are.
    """

    def __init__(self, exclude: Iterable[str | os.PathLike[str]] = ()) -> None:
        self._exclude = {os.path.realpath(path) for path in exclude}
        self._builds: dict[str, bool] = {}
        from kgraph.export import FORMATS

        self._names = {name for _, name in FORMATS.values()}

    def is_build(self, folder: Path) -> bool:
        key = str(folder)
        if key not in self._builds:
            self._builds[key] = os.path.realpath(folder) in self._exclude or holds_build(folder)
        return self._builds[key]

    def owns(self, path: Path, root: Path) -> bool:
        """Whether `path`, found below the input folder `root`, is a kgraph output rather than an article."""
        folders = path.relative_to(root).parts[:-1]
        if any(self.is_build(root.joinpath(*folders[: n + 1])) for n in range(len(folders))):
            return True
        return path.name in self._names and self.is_build(path.parent)


def _unique(items: Iterable[Document | Skipped], ids: set[str]) -> Iterator[Document | Skipped]:
    for item in items:
        if isinstance(item, Document):
            if item.id in ids:
                yield Skipped(item.source or item.id, f"duplicate document id {item.id!r}; the first one is kept")
                continue
            ids.add(item.id)
        yield item


def expand_input(
    raw: str | os.PathLike[str], outputs: OwnOutputs | None = None
) -> Iterator[tuple[Path, str] | Skipped]:
    """(file, document id) for every file an input names, or a Skipped; kgraph's outputs left out."""
    outputs = outputs or OwnOutputs()
    path = Path(raw)
    if not GLOB_CHARS.search(str(raw)) or os.path.lexists(path):
        # files and folders: the documents module's expansion (link loops, unreadable folders reported)
        folder = os.path.isdir(path)
        for item in expand_inputs([raw], FOLDER_SUFFIXES):
            if isinstance(item, Skipped) or not outputs.owns(item[0], path if folder else item[0].parent):
                yield item
            elif not folder:
                yield Skipped(str(path), "written by a kgraph build (its folder holds kgraph-build.json)")
        return
    root = _glob_root(str(raw))
    matched = False
    for match in sorted(glob.iglob(str(raw), recursive=True)):
        hit = Path(match)
        if hit.name.startswith("."):
            continue
        matched = True
        if hit.is_dir():
            for found in walk_folder(hit, FOLDER_SUFFIXES):
                if isinstance(found, Skipped):
                    yield found
                elif not outputs.owns(found, root):
                    yield found, found.relative_to(root).as_posix()
        elif not outputs.owns(hit, root):
            yield hit, hit.relative_to(root).as_posix()
    if not matched:
        yield Skipped(str(raw), "no file matches this pattern")


def _glob_root(pattern: str) -> Path:
    """The fixed leading folders of a pattern ("news/2025/*.txt" -> "news/2025"): ids are relative to it."""
    parts: list[str] = []
    for part in Path(pattern).parts[:-1]:
        if GLOB_CHARS.search(part):
            break
        parts.append(part)
    return Path(*parts) if parts else Path()


def read_input_file(path: Path, doc_id: str) -> Document | Skipped:
    """One article file (HTML by its suffix, else text) as a Document, or a Skipped saying why it cannot be used."""
    try:
        if path.name.lower().endswith(HTML_SUFFIXES):
            return read_html(path, doc_id=doc_id)
        return read_file(path, doc_id=doc_id)
    except InputError as exc:
        return Skipped(str(path), str(exc).removeprefix(f"{path}: "))


def _read_stdin(
    stream: IO[bytes], stdin_format: StdinFormat, jsonl_fields: JsonlFields
) -> Iterator[Document | Skipped]:
    if stdin_format is StdinFormat.JSONL:
        yield from iter_jsonl(stream, name="<stdin>", fields=jsonl_fields)
        return
    try:
        yield make_document("<stdin>", decode(stream.read(), name="<stdin>"), source="<stdin>")
    except InputError as exc:
        yield Skipped("<stdin>", str(exc).removeprefix("<stdin>: "))


# --- HTML pages ---------------------------------------------------------------------------------------------


def read_html(path: Path, *, doc_id: str) -> Document:
    """The article of a saved web page: main text (boilerplate, menus and comments removed by trafilatura),
    with its title, canonical URL and publication date when the page states them."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise InputError(f"{name}: too large ({size} bytes; the limit is {MAX_DOCUMENT_BYTES})")
        data = path.read_bytes()
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    return html_document(data, doc_id=doc_id, name=name)


def html_document(data: bytes | str, *, doc_id: str, name: str) -> Document:
    try:
        import trafilatura
    except ImportError as exc:  # a declared dependency, but one of its own imports can still fail: say which
        reason = " ".join(str(exc).split())
        raise InputError(f"{name}: cannot read HTML, importing trafilatura failed: {reason}") from None
    if not data.strip():
        raise InputError(f"{name}: empty file")
    # trafilatura decodes bytes itself, honouring the page's declared charset
    result = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if not text:
        raise InputError(f"{name}: no article text found in this HTML page")
    # one paragraph per line out of trafilatura; a blank line between paragraphs, as in our text files
    text = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    return Document(
        id=doc_id,
        text=text,
        date=_iso_date(getattr(result, "date", None)),
        source=name,
        title=getattr(result, "title", None) or None,
        url=getattr(result, "url", None) or None,
    )


# --- JSON Lines corpora -------------------------------------------------------------------------------------


def _open_jsonl(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def iter_jsonl_file(path: Path, fields: JsonlFields) -> Iterator[Document | Skipped]:
    try:
        handle = _open_jsonl(path)
    except OSError as exc:
        yield Skipped(str(path), f"cannot read ({exc.strerror or exc})")
        return
    with handle:
        try:
            yield from iter_jsonl(handle, name=path.name, fields=fields, source=str(path))
        except (OSError, EOFError) as exc:  # a truncated gzip file, a read error half-way
            yield Skipped(str(path), f"cannot read past this point ({exc})")


def iter_jsonl(
    stream: Iterable[bytes], *, name: str, fields: JsonlFields, source: str | None = None
) -> Iterator[Document | Skipped]:
    """One Document per line of a JSON Lines stream (blank lines ignored), or a Skipped naming the line."""
    source = source or name
    for number, line in enumerate(stream, start=1):
        where = f"{source}:{number}"
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if not line.strip():
            continue
        if len(line) > MAX_DOCUMENT_BYTES:
            yield Skipped(where, f"line too long ({len(line)} bytes; the limit is {MAX_DOCUMENT_BYTES})")
            continue
        yield jsonl_line(line, fields, default_id=f"{name}:{number}", where=where)


def jsonl_line(line: bytes, fields: JsonlFields, *, default_id: str, where: str) -> Document | Skipped:
    """The Document of one JSON Lines line, or a Skipped saying why it cannot be one."""
    try:
        row = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8"
        return Skipped(where, f"invalid JSON ({reason})")
    try:
        return _jsonl_document(row, fields, default_id=default_id, where=where)
    except InputError as exc:
        return Skipped(where, str(exc))


def _field(row: dict[str, Any], dotted: str) -> Any:
    value: Any = row
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _jsonl_document(row: Any, fields: JsonlFields, *, default_id: str, where: str) -> Document:
    if not isinstance(row, dict):
        raise InputError(f"expected a JSON object, got {type(row).__name__}")
    text = _field(row, fields.text)
    if text is None:
        raise InputError(f"no {fields.text!r} field (set another name with --jsonl-field text=NAME)")
    if not isinstance(text, str):
        raise InputError(f"the {fields.text!r} field is {type(text).__name__}, not a string")
    if not text.strip():
        raise InputError(f"empty {fields.text!r} field")
    raw_id = _field(row, fields.id)
    if raw_id is not None and (not isinstance(raw_id, str | int) or isinstance(raw_id, bool) or not str(raw_id)):
        raise InputError(f"the {fields.id!r} field must be a non-empty string or an integer, not {raw_id!r}")
    document = make_document(str(raw_id) if raw_id is not None else default_id, text, source=where)
    date = _field(row, fields.date)
    title, url = _field(row, fields.title), _field(row, fields.url)
    return Document(
        id=document.id,
        text=document.text,
        source=where,
        date=_iso_date(date) if isinstance(date, str) else document.date,
        title=title if isinstance(title, str) and title.strip() else None,
        url=url if isinstance(url, str) and url.strip() else None,
    )


def _iso_date(value: str | None) -> str | None:
    """ "2025-07-12T10:00:00Z" -> "2025-07-12", "2025-07" -> "2025-07"; anything else -> None."""
    if not value:
        return None
    match = _ISO_DATE.match(value)
    if not match:
        return None
    _, month, day = match.groups()
    if (month and not 1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
        return None
    return "-".join(part for part in match.groups() if part)
