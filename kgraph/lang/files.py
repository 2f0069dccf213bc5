"""Reading the files of a language pack (kgraph/lang/<code>/): JSON and JSONL package data, checked on load.

Every problem is a LanguageError naming the file and what is wrong with it: a pack never loads as a
silently empty lexicon.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from kgraph.errors import LanguageError

_CODE = re.compile(r"[a-z]{2,3}(?:_[a-z0-9]+)?")


@dataclass(frozen=True, slots=True)
class PackFiles:
    """The folder of one language pack; `shown` is how messages name it ("kgraph/lang/fr")."""

    code: str
    root: Traversable
    shown: str

    def where(self, name: str) -> str:
        return f"{self.shown}/{name}"

    def _text(self, name: str) -> str:
        path = self.root / name
        if not path.is_file():
            raise LanguageError(f"{self.where(name)}: file missing from the language pack")
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LanguageError(f"{self.where(name)}: cannot be read ({exc})") from exc

    def read_json(self, name: str) -> dict[str, Any]:
        """A JSON object file of the pack."""
        try:
            data = json.loads(self._text(name))
        except json.JSONDecodeError as exc:
            raise LanguageError(f"{self.where(name)}: invalid JSON at line {exc.lineno} ({exc.msg})") from exc
        if not isinstance(data, dict):
            raise LanguageError(f"{self.where(name)}: must hold a JSON object, not {type(data).__name__}")
        return data

    def read_jsonl(self, name: str) -> list[dict[str, Any]]:
        """A JSON Lines file of the pack: one object a line (blank lines allowed, an empty file is no rows)."""
        rows = []
        for number, line in enumerate(self._text(name).splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LanguageError(f"{self.where(name)}: line {number}: invalid JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise LanguageError(f"{self.where(name)}: line {number}: must be a JSON object")
            rows.append(row)
        return rows


def builtin_pack(code: str) -> PackFiles:
    """The pack kgraph ships for `code`; a LanguageError naming the available ones when there is none."""
    root = resources.files("kgraph") / "lang" / code
    if not _CODE.fullmatch(code) or not root.is_dir():
        known = ", ".join(available_languages()) or "none"
        raise LanguageError(f"no language pack {code!r} in kgraph/lang/; available: {known}")
    return PackFiles(code=code, root=root, shown=f"kgraph/lang/{code}")


def available_languages() -> list[str]:
    """Codes of the language packs kgraph ships (folders of kgraph/lang/)."""
    root = resources.files("kgraph") / "lang"
    return sorted(p.name for p in root.iterdir() if p.is_dir() and _CODE.fullmatch(p.name))


def _required(data: dict[str, Any], key: str, place: str) -> Any:
    if key not in data:
        raise LanguageError(f"{place}: missing key {key!r}")
    return data[key]


def strings(data: dict[str, Any], key: str, place: str, *, required: bool = True) -> list[str]:
    """`data[key]`, a list of strings (an absent optional key is an empty list)."""
    value = _required(data, key, place) if required else data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise LanguageError(f"{place}: {key!r} must be a list of non-empty strings")
    return value


def string_map(data: dict[str, Any], key: str, place: str) -> dict[str, str]:
    """`data[key]`, an object whose values are strings."""
    value = _required(data, key, place)
    if not isinstance(value, dict) or not all(isinstance(v, str) and v for v in value.values()):
        raise LanguageError(f"{place}: {key!r} must be an object of non-empty strings")
    return value


def int_map(data: dict[str, Any], key: str, place: str) -> dict[str, int]:
    """`data[key]`, an object whose values are integers."""
    value = _required(data, key, place)
    if not isinstance(value, dict) or not all(type(v) is int for v in value.values()):
        raise LanguageError(f"{place}: {key!r} must be an object of integers")
    return value


def string(data: dict[str, Any], key: str, place: str, *, default: str | None = None) -> str:
    """`data[key]`, a non-empty string (`default` when absent, if one is given)."""
    value = data.get(key, default) if default is not None else _required(data, key, place)
    if not isinstance(value, str) or not value:
        raise LanguageError(f"{place}: {key!r} must be a non-empty string")
    return value
