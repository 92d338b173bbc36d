"""Loading what tablejam reads: instances (with the spreadsheets and history files they name),
schedules and settings."""

from __future__ import annotations

import os
from pathlib import Path

from tablejam.errors import InputError
from tablejam.files.documents import parse_model, read_document
from tablejam.files.spreadsheet import ParticipantSheet, read_participant_sheet
from tablejam.models.instance import Instance
from tablejam.models.presets import PRESETS, Setting
from tablejam.models.schedule import Schedule


def load_instance(source: str | os.PathLike[str]) -> Instance:
    """Read an instance from a TOML or JSON file, or from standard input when `source` is '-'.

    The files it names are read too, relative to the instance file's folder (to the current
    folder for standard input): `participants` given as a spreadsheet path is replaced by the
    rows read, and the pairs who shared a table in `rules.history` are added to `rules.met_before`.
    """
    data, where = read_document(source)
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
