"""Reading TOML and JSON documents, and validating them into models with messages that name the field."""

from __future__ import annotations

import json
import os
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from tablejam.errors import InputError

Model = TypeVar("Model", bound=BaseModel)

# Tags of the `tables` union: an implementation detail, left out of field paths.
_UNION_TAGS = {"grid", "list"}


def parse_model(
    model: type[Model], data: Any, where: str, locate: Callable[[tuple[Any, ...]], str | None] | None = None
) -> Model:
    """Validate `data`; on failure raise one InputError listing every problem with its field path
    (or with what `locate` says about that path, e.g. a spreadsheet's row and column)."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        lines = [_describe(problem, data, locate) for problem in error.errors()]
        raise InputError("\n  ".join(["invalid content", *lines]), where) from None


def read_document(source: str | os.PathLike[str]) -> tuple[Any, str]:
    if str(source) == "-":
        raw = sys.stdin.buffer.read()
        where, suffix = "<stdin>", ""
    else:
        path = Path(source)
        where, suffix = str(path), path.suffix.lower()
        raw = read_bytes(path)
    text = decoded(raw, where)
    if suffix == ".toml":
        return _parse_toml(text, where), where
    if suffix == ".json":
        return parse_json_text(text, where), where
    if suffix:
        raise InputError(f"unknown file type '{suffix}' (expected .toml or .json)", where)
    # Standard input: JSON when it looks like JSON, TOML otherwise.
    return (parse_json_text(text, where) if text.lstrip().startswith(("{", "[")) else _parse_toml(text, where)), where


def read_bytes(path: Path) -> bytes:
    """A file's bytes; InputError naming the file if it cannot be read."""
    where = str(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", where) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", where) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", where) from None


def _parse_toml(text: str, where: str) -> Any:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", where) from None


def decoded(raw: bytes, where: str, empty: str = "the document is empty") -> str:
    """Bytes as text (UTF-8, a byte-order mark allowed); InputError when they are not text, or only blanks."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", where) from None
    if not text.strip():
        raise InputError(empty, where)
    return text


def parse_json_text(text: str, where: str) -> Any:
    """JSON text as data; InputError naming the line and column where it is not JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}", where) from None
    except RecursionError:
        raise InputError("not valid JSON: nested too deeply", where) from None


def _describe(problem: Any, data: Any, locate: Callable[[tuple[Any, ...]], str | None] | None) -> str:
    """One line per validation problem: field path (with the participant id), message, the value given."""
    message = str(problem["msg"]).removeprefix("Value error, ")
    raw_loc = problem["loc"]
    loc = [part for k, part in enumerate(raw_loc) if not (k and raw_loc[k - 1] == "tables" and part in _UNION_TAGS)]
    if not loc:
        return message.replace("\n", "\n  ")
    path = (locate and locate(tuple(loc))) or _path(loc, data)
    if problem["type"] == "extra_forbidden":
        return f"{path}: unknown field (a typo?)"
    if problem["type"] == "missing":
        return f"{path}: required field is missing"
    if problem["type"] == "reference":  # a cross-reference: the message already names the value
        return f"{path}: {message}"
    return f"{path}: {message} (got {_short(problem.get('input'))})"


def _path(loc: list[Any], data: Any) -> str:
    text = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
        node = _child(node, part)
        if text.startswith("participants[") and text.endswith("]") and isinstance(node, dict) and "id" in node:
            text += f" (id {_short(node['id'], 40)})"
    return text


def _child(node: Any, part: Any) -> Any:
    try:
        return node[part]
    except (KeyError, IndexError, TypeError):
        return None


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
