"""Reading inputs into `Document`s: files, folders, standard input; decoding and the date line."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kgraph.errors import InputError
from kgraph.models import Document

ARTICLE_SUFFIXES = (".txt", ".md")
MAX_DOCUMENT_BYTES = 50 * 1024**2
# "date 2025-07" (or 2025, 2025-07-12) at the very start of a document sets its date.
_DATE_LINE = re.compile(r"\A\ufeff?[ \t]*date[ \t]*:?[ \t]+(\d{4}(?:-\d{2}(?:-\d{2})?)?)\b[ \t]*\n?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be used, with the reason shown to the user."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def decode(data: bytes, *, name: str) -> str:
    """Decode article bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else a detected charset."""
    if not data.strip():
        raise InputError(f"{name}: empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: invalid UTF-16 ({exc.reason})") from exc
    if b"\x00" in data:
        raise InputError(f"{name}: binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "iso8859_15", "mac_roman", "cp1250"]).best()
    if best is None:
        best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: cannot detect the text encoding")
    text = str(best)
    if _mostly_not_text(text):
        raise InputError(f"{name}: binary file (mostly non-text characters)")
    return text


def _mostly_not_text(text: str) -> bool:
    sample = text[:4096]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x7F <= ord(ch) < 0xA0)
    return bad > max(8, len(sample) // 20)


def split_date_line(text: str) -> tuple[str | None, str]:
    """Return (date, text). The date prefix is blanked with spaces so character offsets stay those of the file."""
    match = _DATE_LINE.match(text)
    if not match:
        return None, text
    return match.group(1), " " * match.end() + text[match.end() :]


def make_document(doc_id: str, raw: str, *, source: str | None = None) -> Document:
    date, text = split_date_line(raw)
    return Document(id=doc_id, text=text, date=date, source=source)


def read_file(path: Path, *, doc_id: str) -> Document:
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
    return make_document(doc_id, decode(data, name=name), source=name)


def expand_inputs(inputs: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path, str] | Skipped]:
    """Yield (file, document id) for every article below the inputs, or a `Skipped` for a bad input.

    A folder's documents are identified by their path relative to the folder; a file given directly by its name.
    """
    for raw in inputs:
        path = Path(raw)
        if str(raw) == "-":
            continue
        if not path.exists():
            yield Skipped(str(path), "no such file or directory")
        elif path.is_dir():
            found = False
            for file in _walk(path):
                found = True
                yield file, file.relative_to(path).as_posix()
            if not found:
                yield Skipped(str(path), f"no article files ({', '.join(ARTICLE_SUFFIXES)}) in this folder")
        else:
            yield path, path.name


def _walk(root: Path) -> Iterator[Path]:
    seen: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        stat = os.stat(folder)
        if (stat.st_dev, stat.st_ino) in seen:  # a symlink loop: do not descend twice
            dirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(ARTICLE_SUFFIXES) and not name.startswith("."):
                yield Path(folder) / name


def iter_documents(
    inputs: Iterable[str | os.PathLike[str]], *, stdin: Iterable[str] | None = None
) -> Iterator[Document | Skipped]:
    """Read every input into a Document (or a Skipped with the reason); `-` reads standard input."""
    inputs = list(inputs)
    seen_ids: set[str] = set()
    for item in expand_inputs(inputs):
        if isinstance(item, Skipped):
            yield item
            continue
        path, doc_id = item
        if doc_id in seen_ids:  # two inputs with the same relative name: keep both apart
            doc_id = path.as_posix()
        seen_ids.add(doc_id)
        try:
            yield read_file(path, doc_id=doc_id)
        except InputError as exc:
            yield Skipped(str(path), str(exc).removeprefix(f"{path}: "))
    if any(str(raw) == "-" for raw in inputs):
        data = (sys.stdin.buffer.read() if stdin is None else "".join(stdin).encode("utf-8"))
        try:
            yield make_document("<stdin>", decode(data, name="<stdin>"), source="<stdin>")
        except InputError as exc:
            yield Skipped("<stdin>", str(exc).removeprefix("<stdin>: "))
