"""What the file exporters and readers share: text cleaning and XML escaping, value coercion, reversible
ids, node sizes, dates as intervals, and hardened reading (size limit, defusedxml) of graph files."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import networkx as nx

from kgraph.errors import GraphFileError

# Largest graph file any reader accepts. A parsed XML tree takes ~10x its file size in memory, and a
# corpus of news articles gives graphs of a few MB, so 512 MiB is generous. Readers look the value up
# here at call time (patch `kgraph.export.common.MAX_GRAPH_FILE_BYTES` to change it).
MAX_GRAPH_FILE_BYTES = 512 * 1024**2

# Characters XML 1.0 cannot carry at all (Char production): C0 controls but tab, LF, CR; lone
# surrogates; U+FFFE and U+FFFF.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# XML parsers turn CR and CRLF in element text into LF, so we do it before writing: what we write
# is what comes back.
_CARRIAGE_RETURN = re.compile("\r\n?")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# what an XML attribute value escapes besides & < >
_ATTRIBUTE_ENTITIES = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}

# Plain scalar types every writer takes as they are; anything else becomes a JSON string.
_SCALARS = (str, bool, int, float)
# Types `plain` gives back as they are.
_UNCHANGED = frozenset({bool, int, float, type(None)})

# Marker kgraph puts on attributes it stored as JSON strings, so its readers can turn them back.
JSON_MARKER = "kgraph:json"

# ---------------------------------------------------------------------------------------------- text


def clean_xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 forbids, with line ends normalised to LF."""
    text = _XML_FORBIDDEN.sub("", text)
    return _CARRIAGE_RETURN.sub("\n", text) if "\r" in text else text


def escape_lone_surrogates(text: str) -> str:
    """Write lone surrogates (not encodable as UTF-8) as JSON `\\uXXXX` escapes; valid inside JSON strings."""
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def xml_text(value: Any) -> str:
    """`str(value)` escaped as XML element text, as ElementTree writes it."""
    return escape(str(value))


def xml_attribute(value: Any) -> str:
    """`str(value)` escaped as a double-quoted XML attribute value, as ElementTree writes it (line ends and
    tabs as character references, which attribute-value normalisation would otherwise turn into spaces)."""
    return escape(str(value), _ATTRIBUTE_ENTITIES)


_ESCAPE = re.compile(r"_x([0-9A-F]{4,6})_")
_EMPTY_ID = "_x_"  # an xs:NMTOKEN cannot be empty
_NMTOKEN_SAFE = re.compile(r"[A-Za-z0-9._:-]")
_NMTOKEN_ALL = re.compile(r"[A-Za-z0-9._:-]+")


def escape_id(value: str, *, nmtoken: bool) -> str:
    """Make `value` usable as an XML id, reversibly: characters that do not fit become `_xHHHH_`.

    With `nmtoken`, only ASCII letters, digits and `._:-` are kept (the strict `xs:NMTOKEN` that GraphML
    requires); otherwise only the characters XML cannot carry are escaped. The empty id becomes `_x_`.
    A literal `_xHHHH_` or `_x_` in the value has its underscore escaped, so `unescape_id` always gives
    the value back.
    """
    if value in ("", _EMPTY_ID):
        return "_x005F_x_" if value else _EMPTY_ID
    fits = _NMTOKEN_ALL.fullmatch(value) if nmtoken else not _XML_FORBIDDEN.search(value)
    if fits and not _ESCAPE.search(value):  # nothing to escape: most ids and names
        return value
    out = []
    for index, char in enumerate(value):
        if char == "_" and _ESCAPE.match(value, index):
            out.append("_x005F_")
        elif (nmtoken and not _NMTOKEN_SAFE.fullmatch(char)) or _XML_FORBIDDEN.fullmatch(char):
            out.append(f"_x{ord(char):04X}_")
        else:
            out.append(char)
    return "".join(out)


def unescape_id(value: str) -> str:
    if value == _EMPTY_ID:
        return ""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)


# ------------------------------------------------------------------------------------------- values


def plain(value: Any, clean: Callable[[str], str]) -> Any:
    """`value` as JSON-compatible data: strings cleaned, dates as ISO text, tuples and sets as lists."""
    kind = type(value)  # the exact built-in types first: they are nearly all values, and need no isinstance
    if kind is str:
        return clean(value)
    if kind in _UNCHANGED:
        return value
    if kind is list or kind is tuple:
        return [plain(v, clean) for v in value]
    if kind is dict:
        return {clean(k if type(k) is str else str(k)): plain(v, clean) for k, v in value.items()}
    return _plain_subclass(value, clean)


def _plain_subclass(value: Any, clean: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return clean(str(value))
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, Mapping):
        return {clean(str(k)): plain(v, clean) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return [plain(v, clean) for v in sorted(value, key=str)]
    if isinstance(value, (list, tuple)):
        return [plain(v, clean) for v in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return plain(value.tolist(), clean)
    return clean(str(value))


def to_json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def prepare_attributes(
    records: Iterable[Mapping[str, Any]],
    *,
    clean: Callable[[str], str] = clean_xml_text,
    numeric: Iterable[str] = (),
) -> tuple[list[dict[str, Any]], set[str]]:
    """Coerce attribute dicts of one scope (all nodes, all edges, the graph) for a writer that only
    takes scalars; return the new dicts and the names stored as JSON strings.

    `None` values are dropped and every string is cleaned. An attribute keeps its scalar values only
    when they all have one type (str, int, float or bool); otherwise (lists, dicts, mixed types) every
    value of it is written as JSON, so that a reader can restore each exactly. Names in `numeric` are
    written as floats (GraphML and GEXF edge weights), and dropped where they are not numbers.
    A streaming writer calls the two steps itself: `attribute_types` over the scope, then
    `coerce_attributes` on one record at a time.
    """
    records = list(records)
    json_names = json_attribute_names(attribute_types(records, clean=clean, numeric=numeric))
    return [coerce_attributes(record, json_names, clean=clean, numeric=numeric) for record in records], json_names


def attribute_types(
    records: Iterable[Mapping[str, Any]],
    *,
    clean: Callable[[str], str] = clean_xml_text,
    numeric: Iterable[str] = (),
) -> dict[str, set[type]]:
    """The types each attribute (by cleaned name) takes over one scope before `coerce_attributes` turns the
    JSON ones into strings; found without building the coerced values of the usual types."""
    numeric = set(numeric)
    cleaned: dict[str, str] = {}  # names recur in every record: each is cleaned once
    types: dict[str, set[type]] = {}
    for record in records:
        row = {_cleaned_name(k, clean, cleaned): v for k, v in record.items() if v is not None}
        for name, value in row.items():
            if name in numeric:
                if _as_float(plain(value, clean)) is None:
                    continue
                kind: type = float
            else:
                kind = _plain_type(value, clean)
            types.setdefault(name, set()).add(kind)
    return types


def json_attribute_names(types: Mapping[str, set[type]]) -> set[str]:
    """The attributes written as JSON strings: those of several types or of a type that is not a scalar."""
    return {name for name, seen in types.items() if len(seen) > 1 or not seen <= set(_SCALARS)}


def coerce_attributes(
    record: Mapping[str, Any],
    json_names: set[str],
    *,
    clean: Callable[[str], str] = clean_xml_text,
    numeric: Iterable[str] = (),
) -> dict[str, Any]:
    """One record's attributes as `prepare_attributes` gives them, `json_names` being its scope's."""
    row = {clean(str(k)): plain(v, clean) for k, v in record.items() if v is not None}
    for name in set(numeric) & row.keys():
        number = _as_float(row[name])
        if number is None:
            del row[name]
        else:
            row[name] = number
    for name in json_names & row.keys():
        row[name] = to_json_text(row[name])
    return row


def _cleaned_name(key: Any, clean: Callable[[str], str], cache: dict[str, str]) -> str:
    if type(key) is not str:  # 1, 1.0 and True are one dict key but three names
        return clean(str(key))
    name = cache.get(key)
    if name is None:
        name = cache[key] = clean(key)
    return name


def _plain_type(value: Any, clean: Callable[[str], str]) -> type:
    """`type(plain(value, clean))`, without building the value for the built-in types."""
    kind = type(value)
    if kind is str or kind in _UNCHANGED:
        return kind
    if kind is list or kind is tuple:
        return list
    if kind is dict:
        return dict
    return type(_plain_subclass(value, clean))


def _as_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def decode_json_attributes(data: dict[str, Any], names: Iterable[str], *, where: str) -> dict[str, Any]:
    """Turn the attributes `names` of `data` back from JSON strings; `where` names the file and item."""
    for name in names:
        value = data.get(name)
        if isinstance(value, str):
            try:
                data[name] = json.loads(value)
            except json.JSONDecodeError as exc:
                raise GraphFileError(f"{where}: attribute {name!r} is not valid JSON ({exc.msg})") from exc
    return data


def restore_contract_types(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Edge `weight` is an int in kgraph graphs; formats that only know doubles give back 2.0 for 2."""
    for _, _, data in graph.edges(data=True):
        weight = data.get("weight")
        if isinstance(weight, float) and weight.is_integer():
            data["weight"] = int(weight)
    return graph


def sorted_items(graph: nx.MultiDiGraph) -> tuple[list[tuple[Any, dict]], list[tuple[Any, Any, Any, dict]]]:
    """Nodes and edges in a stable order (by id, then source, target, key), so output is reproducible."""
    nodes = sorted(graph.nodes(data=True), key=lambda item: str(item[0]))
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    return nodes, edges


# ------------------------------------------------------------------------------------------ colours


def node_size(mentions: Any) -> float:
    """A node size that grows with the log of its mentions: 10 for none, 18 for 1, ~63 for 100."""
    count = mentions if isinstance(mentions, (int, float)) and not isinstance(mentions, bool) else 0
    return round(10.0 + 8.0 * math.log2(1 + max(count, 0)), 2)


# -------------------------------------------------------------------------------------------- dates

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|T)")


def date_interval(value: Any) -> tuple[str, str] | None:
    """The interval an ISO date denotes, as (first day, first day after): "2024-06" gives
    ("2024-06-01", "2024-07-01"), "2024" the whole year, "2025-07-12" that day. None if not a date."""
    match = _ISO_DATE.match(value) if isinstance(value, str) else None
    if not match:
        return None
    year, month, day = match.group(1, 2, 3)
    try:
        if day:
            start = dt.date(int(year), int(month), int(day))
            end = start + dt.timedelta(days=1)
        elif month:
            start = dt.date(int(year), int(month), 1)
            end = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        else:
            start = dt.date(int(year), 1, 1)
            end = dt.date(start.year + 1, 1, 1)
    except (ValueError, OverflowError):
        return None
    return start.isoformat(), end.isoformat()


# ---------------------------------------------------------------------------------- reading, safely


def read_graph_bytes(path: str | Path) -> bytes:
    """The bytes of a graph file, refused before reading when larger than `MAX_GRAPH_FILE_BYTES`."""
    path = Path(path)
    limit = MAX_GRAPH_FILE_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            raise GraphFileError(f"{path}: {size} bytes is larger than the {limit} bytes limit for graph files")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # a file that grows, or a device, cannot get past the limit
    except OSError as exc:
        raise GraphFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    check_size(data, str(path))
    return data


def check_size(data: bytes | str, name: str) -> None:
    limit = MAX_GRAPH_FILE_BYTES
    if len(data) > limit:
        raise GraphFileError(f"{name}: more than the {limit} bytes limit for graph files")


def parse_xml(data: bytes, name: str) -> Any:
    """Parse untrusted XML with defusedxml: entity declarations (billion laughs), external entities and
    DTD-loaded content are refused, and malformed XML becomes a GraphFileError naming the file."""
    import xml.etree.ElementTree as ET

    import defusedxml
    import defusedxml.ElementTree as safe_et

    check_size(data, name)
    try:
        return safe_et.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden as exc:
        raise GraphFileError(f"{name}: refused: the file has a DTD ({exc})") from exc
    except defusedxml.EntitiesForbidden as exc:
        raise GraphFileError(
            f"{name}: refused: the file declares XML entities ({exc.name}); "
            "entity expansion and external entities are not allowed"
        ) from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise GraphFileError(f"{name}: refused: the file refers to an external resource ({exc.sysid})") from exc
    except defusedxml.DefusedXmlException as exc:
        raise GraphFileError(f"{name}: refused: {exc}") from exc
    except ET.ParseError as exc:
        raise GraphFileError(f"{name}: not well-formed XML ({exc})") from exc


def local_name(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else str(tag)
