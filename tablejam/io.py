"""Reading instance and schedule files, writing outputs atomically, and saying clearly what is wrong."""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from tablejam.errors import InputError
from tablejam.models.instance import Instance
from tablejam.models.schedule import Schedule
from tablejam.models.settings import PRESETS, Setting

if TYPE_CHECKING:
    from tablejam.spreadsheet import ParticipantSheet

Model = TypeVar("Model", bound=BaseModel)

# Tags of the `tables` union: an implementation detail, left out of field paths.
_UNION_TAGS = {"grid", "list"}


def load_instance(source: str | os.PathLike[str]) -> Instance:
    """Read an instance from a TOML or JSON file, or from standard input when `source` is '-'.

    The files it names are read too, relative to the instance file's folder (to the current
    folder for standard input): `participants` given as a spreadsheet path is replaced by the
    rows read, and the pairs who shared a table in `rules.history` are added to `rules.met_before`.
    """
    data, where = _read_document(source)
    folder = instance_folder(source)
    sheet = None
    if isinstance(data, dict) and isinstance(data.get("participants"), str):
        sheet = _read_sheet(data["participants"], folder, where)
        data = {**data, "participants": sheet.rows}
    instance = parse_model(Instance, data, where, locate=sheet.locate_field if sheet else None)
    if not instance.rules.history:
        return instance
    known = {frozenset(pair) for pair in instance.rules.met_before}
    learned = history_pairs(instance, folder, where) - known
    met_before = [*instance.rules.met_before, *sorted(tuple(sorted(pair)) for pair in learned)]
    # Validated again rather than copied: the derived views of the model are cached on first use.
    return Instance.model_validate(
        instance.model_dump() | {"rules": instance.rules.model_dump() | {"met_before": met_before}}
    )


def instance_folder(source: str | os.PathLike[str]) -> Path:
    """The folder that paths inside an instance are relative to."""
    return Path() if str(source) == "-" else Path(source).parent


def history_pairs(instance: Instance, folder: Path, where: str) -> set[frozenset[str]]:
    """Pairs of this event's participants who shared a table at an event of `rules.history`."""
    people = set(instance.participant_index)
    pairs: set[frozenset[str]] = set()
    for k, entry in enumerate(instance.rules.history):
        path = folder / entry
        field = f"rules.history[{k}]"
        if not path.is_file():
            raise InputError(f"{field}: no schedule file at '{path}' (paths are relative to the instance file)", where)
        try:
            schedule = load_schedule(path)
        except InputError as error:
            raise InputError(f"{field}: {error}", where) from None
        if not schedule.rounds:
            raise InputError(f"{field}: '{path}' holds no seating (status '{schedule.status}')", where)
        for seated in schedule.rounds:
            for table in seated.tables:
                here = [pid for pid in table.participants if pid in people]
                pairs.update(frozenset((a, b)) for i, a in enumerate(here) for b in here[i + 1 :] if a != b)
    return pairs


def _read_sheet(entry: str, folder: Path, where: str) -> ParticipantSheet:
    path = folder / entry
    if not path.is_file():
        raise InputError(f"participants: no spreadsheet at '{path}' (the path is relative to the instance file)", where)
    from tablejam.spreadsheet import read_participant_sheet  # it reads files with this module's read_bytes

    return read_participant_sheet(path)


def load_schedule(source: str | os.PathLike[str]) -> Schedule:
    data, where = _read_document(source)
    return parse_model(Schedule, data, where)


def load_setting(spec: str) -> tuple[str, Setting]:
    """A preset by name, or a settings file (TOML or JSON); returns a label for reports and the setting."""
    if spec in PRESETS:
        return spec, PRESETS[spec]
    if not Path(spec).suffix:
        names = ", ".join(PRESETS)
        raise InputError(f"unknown objective preset '{spec}' (presets: {names}; or a .toml or .json file)", spec)
    data, where = _read_document(spec)
    return spec, parse_model(Setting, data, where)


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


def _read_document(source: str | os.PathLike[str]) -> tuple[Any, str]:
    if str(source) == "-":
        raw = sys.stdin.buffer.read()
        where, suffix = "<stdin>", ""
    else:
        path = Path(source)
        where, suffix = str(path), path.suffix.lower()
        raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", where) from None
    if not text.strip():
        raise InputError("the document is empty", where)
    if suffix == ".toml":
        return _parse_toml(text, where), where
    if suffix == ".json":
        return _parse_json(text, where), where
    if suffix:
        raise InputError(f"unknown file type '{suffix}' (expected .toml or .json)", where)
    # Standard input: JSON when it looks like JSON, TOML otherwise.
    return (_parse_json(text, where) if text.lstrip().startswith(("{", "[")) else _parse_toml(text, where)), where


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


def _parse_json(text: str, where: str) -> Any:
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


def write_atomic(path: str | os.PathLike[str], content: str | bytes) -> None:
    """Write a whole file or nothing: a temporary file in the same folder, renamed into place."""
    write_files_atomic({path: content})


def write_files_atomic(files: Mapping[str | os.PathLike[str], str | bytes]) -> None:
    """Write several files whole or not at all: every one to a temporary file first, then each renamed into place.

    Text is written as UTF-8. A failure before the renames leaves every target as it was."""
    temps: dict[Path, str] = {}
    try:
        for path, content in files.items():
            target = Path(path)
            temps[target] = _write_temporary(target, content.encode("utf-8") if isinstance(content, str) else content)
        for target, temp in temps.items():
            os.replace(temp, target)
    finally:
        for temp in temps.values():
            Path(temp).unlink(missing_ok=True)


def _write_temporary(target: Path, data: bytes) -> str:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror}", str(target)) from None
    try:
        # mkstemp makes the file private (0600); a replaced file keeps its mode, a new one gets the usual (umask).
        os.fchmod(fd, stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return temp


def _umask() -> int:
    """The process's umask (reading it means setting it: put straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
