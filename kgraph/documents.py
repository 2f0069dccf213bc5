"""Reading inputs into `Document`s: files, folders, standard input; decoding and the date line."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kgraph.errors import InputError
from kgraph.models import Document

ARTICLE_SUFFIXES = (".txt", ".md")
MAX_DOCUMENT_BYTES = 50 * 1024**2
# spaCy's tokenizer strips prefixes and suffixes one at a time, so a run like "<<<<…" or "l'l'l'…" costs
# time quadratic in its length (4,000 "+" take 2 s, 40,000 "<" two minutes). No word is that long: a
# space replaces one character in every MAX_TOKEN_CHARS of a run without whitespace, offsets unchanged.
MAX_TOKEN_CHARS = 200
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_TOKEN_CHARS + 1},}}")  # the lookbehind keeps the search linear
# Characters that are not text: C0 and C1 controls (terminal escapes among them), lone surrogates and
# the two non-characters. Tab, line feed, form feed and carriage return stay.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# "date 2025-07" (or 2025, 2025-07-12) at the very start of a document sets its date.
_DATE_LINE = re.compile(r"\A\ufeff?[ \t]*date[ \t]*:?[ \t]+(\d{4}(?:-\d{2}(?:-\d{2})?)?)\b[ \t]*\n?", re.IGNORECASE)


# Formats that are not text, known by their first bytes: (what the file is, [(offset, bytes), ...] all of which
# must match). The first match names the file; ZIP-based documents come before the plain ZIP archive.
_ZIP = b"PK\x03\x04"
SIGNATURES: tuple[tuple[str, tuple[tuple[int, bytes], ...]], ...] = (
    ("a PDF document", ((0, b"%PDF-"),)),
    ("an EPUB book", ((0, _ZIP), (30, b"mimetypeapplication/epub+zip"))),
    ("an OpenDocument file", ((0, _ZIP), (30, b"mimetypeapplication/vnd.oasis.opendocument"))),
    ("an Office document (Word, Excel or PowerPoint)", ((0, _ZIP), (30, b"[Content_Types].xml"))),
    ("a ZIP archive", ((0, _ZIP),)),
    ("an empty ZIP archive", ((0, b"PK\x05\x06"),)),
    ("an old Office document (.doc, .xls or .ppt)", ((0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),)),
    ("an RTF document", ((0, b"{\\rtf"),)),
    ("a gzip archive", ((0, b"\x1f\x8b"),)),
    ("a bzip2 archive", ((0, b"BZh"), (4, b"1AY&SY"))),
    ("an xz archive", ((0, b"\xfd7zXZ\x00"),)),
    ("a 7z archive", ((0, b"7z\xbc\xaf\x27\x1c"),)),
    ("a PNG image", ((0, b"\x89PNG\r\n\x1a\n"),)),
    ("a JPEG image", ((0, b"\xff\xd8\xff"),)),
    ("a GIF image", ((0, b"GIF87a"),)),
    ("a GIF image", ((0, b"GIF89a"),)),
    ("a WebP image", ((0, b"RIFF"), (8, b"WEBP"))),
    ("a TIFF image", ((0, b"II*\x00"),)),
    ("a TIFF image", ((0, b"MM\x00*"),)),
    ("an ELF program", ((0, b"\x7fELF"),)),
    ("a Mach-O program", ((0, b"\xfe\xed\xfa\xce"),)),
    ("a Mach-O program", ((0, b"\xfe\xed\xfa\xcf"),)),
    ("a Mach-O program", ((0, b"\xce\xfa\xed\xfe"),)),
    ("a Mach-O program", ((0, b"\xcf\xfa\xed\xfe"),)),
    ("a Mach-O program", ((0, b"\xca\xfe\xba\xbe"),)),
    ("a Windows program", ((0, b"MZ\x90\x00"),)),
    ("an SQLite database", ((0, b"SQLite format 3\x00"),)),
)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be used, with the reason shown to the user."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def decode(data: bytes, *, name: str) -> str:
    """Decode article bytes: UTF-8 (with or without BOM), UTF-16 or UTF-32 with a BOM, Windows-1252 or
    Latin-1, else a detected charset. Raise InputError for empty, binary or undecodable data, naming a known
    format (`SIGNATURES`: "a.txt: a PDF document, not text") whatever the file's name."""
    if not data.strip():
        raise InputError(f"{name}: empty file")
    kind = file_kind(data)
    if kind is not None:
        raise InputError(f"{name}: {kind}, not text")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: invalid {codec.upper()} ({exc.reason})") from exc
            return _checked_text(text, name)
    if b"\x00" in data:
        raise InputError(f"{name}: binary file (contains NUL bytes)")
    try:
        return _checked_text(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError:
        pass
    # Not UTF-8: a Western 8-bit file (Windows-1252, of which Latin-1's text is a part) unless it reads as
    # another script. Detectors guess too freely on short French texts ("à" came back as cp1250's "ŕ").
    for codec in ("cp1252", "latin-1"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _reads_as_latin(text):
            return _checked_text(text, name)
        break
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: cannot detect the text encoding")
    return _checked_text(str(best), name)


def file_kind(data: bytes) -> str | None:
    """What a known non-text format `data` starts with ("a PDF document"), or None."""
    for kind, parts in SIGNATURES:
        if all(data[offset : offset + len(magic)] == magic for offset, magic in parts):
            return kind
    return None


def _reads_as_latin(text: str) -> bool:
    """Mostly ASCII letters, as French, English or German are; Cyrillic read as cp1252 is all accents.
    Too few letters to tell (a word or two): read as Western."""
    letters = [ch for ch in text[:65536] if ch.isalpha()]
    return len(letters) < 40 or sum(ord(ch) > 0x7F for ch in letters) <= 0.3 * len(letters)


# Byte-order marks, the UTF-32 ones first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _checked_text(text: str, name: str) -> str:
    if not text.replace("\ufeff", " ").strip():  # only spaces and byte-order marks
        raise InputError(f"{name}: empty file")
    if _mostly_not_text(text):
        raise InputError(f"{name}: binary file (mostly non-text characters)")
    return text.lstrip("\ufeff")  # a mark left at the start (a file saved twice with a BOM) is no text


def _mostly_not_text(text: str) -> bool:
    sample = text[:4096]
    bad = len(_NOT_TEXT.findall(sample)) + sample.count("\ufffd")
    return bad > max(8, len(sample) // 20)


def clean_text(text: str) -> str:
    """`text` made safe to parse and export, with every character at its place (offsets unchanged).

    Control characters, lone surrogates and non-characters become spaces; a run of more than
    MAX_TOKEN_CHARS characters without whitespace gets a space every MAX_TOKEN_CHARS characters.
    """
    text = _NOT_TEXT.sub(" ", text)
    return _LONG_RUN.sub(_break_run, text)


def _break_run(match: re.Match[str]) -> str:
    # pieces of MAX_TOKEN_CHARS - 1 characters; the character between two pieces becomes the space
    run, step = match.group(), MAX_TOKEN_CHARS
    return " ".join(run[i : i + step - 1] for i in range(0, len(run), step)).ljust(len(run))


def split_date_line(text: str) -> tuple[str | None, str]:
    """Return (date, text). The date prefix is blanked with spaces so character offsets stay those of the file."""
    match = _DATE_LINE.match(text)
    if not match:
        return None, text
    return match.group(1), " " * match.end() + text[match.end() :]


def make_document(doc_id: str, raw: str, *, source: str | None = None) -> Document:
    """A Document of `raw` text: the date line read, the text cleaned (see `clean_text`)."""
    date, text = split_date_line(clean_text(raw))
    return Document(id=doc_id, text=text, date=date, source=source)


def read_file(path: Path, *, doc_id: str) -> Document:
    """Read and decode one article file; raise InputError (naming the file and the reason) if unusable."""
    name = str(path)
    problem = path_problem(path)
    if problem:
        raise InputError(f"{name}: {problem}")
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block forever, a device never end
            raise InputError(f"{name}: not a regular file")
        if info.st_size > MAX_DOCUMENT_BYTES:
            raise InputError(f"{name}: too large ({info.st_size} bytes; the limit is {MAX_DOCUMENT_BYTES})")
        with open(path, "rb") as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)  # a file that grows while read stays bounded
    except OSError as exc:
        raise InputError(f"{name}: {_os_reason(exc)}") from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(f"{name}: too large (more than {MAX_DOCUMENT_BYTES} bytes)")
    return make_document(doc_id, decode(data, name=name), source=name)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return f"cannot read ({exc.strerror or exc})"


def path_problem(path: str | os.PathLike[str]) -> str | None:
    """Why `path` cannot be used at all, as a Skipped reason: "no such file or directory", "broken
    symbolic link", "symbolic link loop", "permission denied"; None if it can be looked at."""
    try:
        os.stat(path)
        return None
    except FileNotFoundError:
        return "broken symbolic link" if os.path.islink(path) else "no such file or directory"
    except OSError as exc:
        return _os_reason(exc)


def expand_inputs(
    inputs: Iterable[str | os.PathLike[str]], suffixes: tuple[str, ...] = ARTICLE_SUFFIXES
) -> Iterator[tuple[Path, str] | Skipped]:
    """Yield (file, document id) for every article below the inputs, or a `Skipped` for a bad input.

    A folder's documents are identified by their path relative to the folder; a file given directly by
    its name. Folders that cannot be listed are reported as skipped, not silently passed over.
    """
    for raw in inputs:
        path = Path(raw)
        if str(raw) == "-":
            continue
        problem = path_problem(path)
        if problem:
            yield Skipped(str(path), problem)
        elif path.is_dir():
            found = False
            for item in walk_folder(path, suffixes):
                if isinstance(item, Skipped):
                    yield item
                    continue
                found = True
                yield item, item.relative_to(path).as_posix()
            if not found:
                yield Skipped(str(path), f"no article files ({', '.join(suffixes)}) in this folder")
        else:
            yield path, path.name


def walk_folder(root: Path, suffixes: tuple[str, ...] = ARTICLE_SUFFIXES) -> Iterator[Path | Skipped]:
    """Every file below `root` whose name ends with one of `suffixes`, in name order, following links
    once (a link loop is not walked twice); hidden files and folders are left out. A folder that cannot be
    listed gives a Skipped, not silence."""
    errors: list[OSError] = []
    seen: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(root, followlinks=True, onerror=errors.append):
        yield from (Skipped(str(e.filename or folder), _os_reason(e)) for e in errors)
        errors.clear()
        try:
            info = os.stat(folder)
        except OSError as exc:
            yield Skipped(folder, _os_reason(exc))
            dirs[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen:  # a symlink loop: do not descend twice
            dirs[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # .git, .cache: no articles there
        for name in sorted(files):
            if name.lower().endswith(suffixes) and not name.startswith("."):
                yield Path(folder) / name
    yield from (Skipped(str(e.filename or root), _os_reason(e)) for e in errors)
