"""The package's structure rules, read from the source with `ast`: no module of kgraph uses another module's
`_private` name, neither by `from x import _y` nor by `x._y` on an imported module."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kgraph"

# Private imports that other branches remove; delete an entry once its fix is merged (the test then insists).

# Third-party internals kgraph may use, each with its reason. None today: add one only with a comment saying
# why no public API does the job.
THIRD_PARTY_ALLOWED: set[tuple[str, str]] = set()


@dataclass(frozen=True, slots=True)
class PrivateUse:
    module: str  # the module that uses the name
    name: str  # dotted: owner module, then the private name
    line: int


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_kgraph_module(dotted: str) -> bool:
    if dotted.split(".")[0] != PACKAGE.name:
        return False
    relative = Path(*dotted.split("."))
    return (PACKAGE.parent / relative).with_suffix(".py").is_file() or (PACKAGE.parent / relative).is_dir()


def _source_module(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute name of the module a `from ... import` reads from."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a chain of attribute accesses on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def private_uses(source: str, module: str, *, is_package: bool = False) -> list[PrivateUse]:
    """Every use in `source` (the text of `module`) of another module's private name."""
    tree = ast.parse(source)
    found: list[PrivateUse] = []
    modules: dict[str, str] = {}  # local name -> the module it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    modules[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    modules[top] = top
        elif isinstance(node, ast.ImportFrom):
            origin = _source_module(module, is_package, node)
            for alias in node.names:
                if _is_private(alias.name) and origin != module:
                    found.append(PrivateUse(module, f"{origin}.{alias.name}", node.lineno))
                elif _is_kgraph_module(f"{origin}.{alias.name}"):
                    modules[alias.asname or alias.name] = f"{origin}.{alias.name}"
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not _is_private(node.attr):
            continue
        owner = _dotted(node.value)
        if owner is None:
            continue
        head, _, rest = owner.partition(".")
        if head in modules:
            target = ".".join(x for x in (modules[head], rest) if x)
            if target != module:
                found.append(PrivateUse(module, f"{target}.{node.attr}", node.lineno))
    return found


def _all_private_uses() -> list[PrivateUse]:
    uses = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        uses += private_uses(path.read_text("utf-8"), module, is_package=path.name == "__init__.py")
    return uses


def test_no_module_uses_another_modules_private_names():
    uses = _all_private_uses()
    allowed = THIRD_PARTY_ALLOWED
    offenders = [f"{u.module} (line {u.line}) uses {u.name}" for u in uses if (u.module, u.name) not in allowed]
    assert not offenders, "make the name public in its module, or move it:\n" + "\n".join(offenders)


def test_every_listed_exception_still_exists():
    seen = {(u.module, u.name) for u in _all_private_uses()}
    stale = sorted(THIRD_PARTY_ALLOWED - seen)
    assert not stale, f"no longer used, delete from the exception sets: {stale}"


@pytest.mark.parametrize(
    ("source", "module", "name"),
    [
        ("from kgraph.graph import _created", "kgraph.engines.parquet", "kgraph.graph._created"),
        ("from ..graph import _created", "kgraph.engines.parquet", "kgraph.graph._created"),
        ("from . import _x", "kgraph.export.html", "kgraph.export._x"),
        ("import kgraph.corpus\nkgraph.corpus._expand('x')", "kgraph.engines.dask", "kgraph.corpus._expand"),
        ("import kgraph.corpus as c\nc._read_one", "kgraph.engines.dask", "kgraph.corpus._read_one"),
        ("from kgraph.export import csv\ncsv._edge_row", "kgraph.engines.parquet", "kgraph.export.csv._edge_row"),
        ("import networkx as nx\nnx._dispatch", "kgraph.graph", "networkx._dispatch"),
    ],
)
def test_the_checker_finds_private_uses(source, module, name):
    assert [u.name for u in private_uses(source, module)] == [name]


@pytest.mark.parametrize(
    "source",
    [
        "from kgraph import __version__",  # dunder names are public
        "from distributed import WorkerPlugin as _WorkerPlugin",  # a public name bound to a private alias
        "_LIMIT = 3\nprint(_LIMIT)",
        "def f(sentence):\n    return sentence._head",  # an object's attribute, not a module's name
        "import kgraph.graph\nkgraph.graph.edge_key",
    ],
)
def test_the_checker_lets_public_uses_pass(source):
    assert private_uses(source, "kgraph.graph") == []
