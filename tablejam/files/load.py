"""Loading what tablejam reads: instances (with the spreadsheets and history files they name),
schedules and settings."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tablejam.errors import InputError
from tablejam.files.documents import parse_model, read_document
from tablejam.files.spreadsheet import ParticipantSheet, read_participant_sheet
from tablejam.models.instance import Instance
from tablejam.models.presets import PRESETS, Setting
from tablejam.models.schedule import Schedule


@dataclass(frozen=True)
class Files:
    """Where the files an instance names (a participant spreadsheet, history schedules) may be read from.

    An instance file on disk names files relative to its own folder, as its author wrote them. An instance
    from standard input or a network request comes from someone else: it may name no file at all, unless
    the caller gives a base folder, and then only files inside it (resolved, symbolic links followed)."""

    folder: Path | None  # paths are relative to it; None: no file may be named
    confined: bool = False  # only files inside `folder`

    @classmethod
    def beside(cls, source: str | os.PathLike[str], base_dir: str | os.PathLike[str] | None = None) -> Files:
        """What an instance read from `source` may name: files beside it on disk; for standard input ('-'),
        files inside `base_dir` only, or none without one."""
        if str(source) != "-":
            return cls(Path(source).parent)
        return cls(Path(base_dir), confined=True) if base_dir is not None else cls(None)

    def path(self, entry: str, field: str, where: str) -> Path:
        """The file `entry` names, if this instance may read it; InputError naming the field otherwise."""
        if self.folder is None:
            raise InputError(
                f"{field}: '{entry}' names a file, but an instance from standard input or a request may name none "
                "(the caller may allow files inside one folder: --base-dir DIR)",
                where,
            )
        path = self.folder / entry
        if self.confined and not path.resolve().is_relative_to(self.folder.resolve()):
            raise InputError(f"{field}: '{entry}' is outside {self.folder} (the --base-dir given)", where)
        return path


def load_instance(source: str | os.PathLike[str], base_dir: str | os.PathLike[str] | None = None) -> Instance:
    """Read an instance from a TOML or JSON file, or from standard input when `source` is '-'.

    The files it names are read too (see Files: beside an instance file; for standard input only inside
    `base_dir`, none without it): `participants` given as a spreadsheet path is replaced by the rows read,
    and the pairs who shared a table in `rules.history` are added to `rules.met_before`.
    """
    data, where = read_document(source)
    return instance_from_data(data, where, Files.beside(source, base_dir))


def instance_from_data(data: Any, where: str, files: Files = Files(None)) -> Instance:
    """An instance from parsed data (a document, a request body): the files it names read as `files` allows."""
    sheet = None
    if isinstance(data, dict) and isinstance(data.get("participants"), str):
        sheet = _read_sheet(data["participants"], files, where)
        data = {**data, "participants": sheet.rows}
    instance = parse_model(Instance, data, where, locate=sheet.locate_field if sheet else None)
    if not instance.rules.history:
        return instance
    known = {frozenset(pair) for pair in instance.rules.met_before}
    learned = history_pairs(instance, files, where) - known
    met_before = [*instance.rules.met_before, *sorted(tuple(sorted(pair)) for pair in learned)]
    # Validated again rather than copied: the derived views of the model are cached on first use.
    return Instance.model_validate(
        instance.model_dump() | {"rules": instance.rules.model_dump() | {"met_before": met_before}}
    )


def history_pairs(instance: Instance, files: Files, where: str) -> set[frozenset[str]]:
    """Pairs of this event's participants who shared a table at an event of `rules.history`."""
    people = set(instance.participant_index)
    pairs: set[frozenset[str]] = set()
    for k, entry in enumerate(instance.rules.history):
        field = f"rules.history[{k}]"
        path = files.path(entry, field, where)
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


def _read_sheet(entry: str, files: Files, where: str) -> ParticipantSheet:
    path = files.path(entry, "participants", where)
    if not path.is_file():
        raise InputError(f"participants: no spreadsheet at '{path}' (the path is relative to the instance file)", where)
    return read_participant_sheet(path)


def load_schedule(source: str | os.PathLike[str]) -> Schedule:
    data, where = read_document(source)
    return parse_model(Schedule, data, where)


def load_setting(spec: str) -> tuple[str, Setting]:
    """A preset by name, or a settings file (TOML or JSON); returns a label for reports and the setting."""
    if spec in PRESETS:
        return spec, PRESETS[spec]
    if not Path(spec).suffix:
        names = ", ".join(PRESETS)
        raise InputError(f"unknown objective preset '{spec}' (presets: {names}; or a .toml or .json file)", spec)
    data, where = read_document(spec)
    return spec, parse_model(Setting, data, where)
