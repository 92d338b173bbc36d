"""A first instance from uploaded files, and the page's set-up form applied to an instance.

Uploads are written to a fresh temporary folder, and only that folder may be read: a participant spreadsheet
becomes an instance as `tablejam init` makes it; an instance file (TOML or JSON) may name files (its spreadsheet,
history schedules) only among those uploaded with it. Messages name files as the organiser did, never the
temporary folder.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tablejam.diagnostics.counting import balanced_sizes
from tablejam.errors import InputError
from tablejam.files import Files, instance_from_data, parse_model, read_participant_sheet
from tablejam.files.documents import read_document
from tablejam.files.spreadsheet import CSV_SUFFIXES, XLSX_SUFFIXES
from tablejam.models.instance import MAX_ROUNDS, MAX_SEATS, MAX_TABLES, Instance
from tablejam.models.presets import PRESETS
from tablejam.tools.init import starter
from tablejam.web.limits import Limits
from tablejam.web.received import named_files, within_limits

INSTANCE_SUFFIXES = (".toml", ".json")
SHEET_SUFFIXES = (*CSV_SUFFIXES, *XLSX_SUFFIXES)
# A first guess for a spreadsheet, changed in the form: tables of six, four rounds (the README's events).
FIRST_SEATS = 6
FIRST_ROUNDS = 4
# `init`'s options, as the form names them.
_FORM_FIELDS = {"--tables/--seats": "tables/seats", "--tables": "tables", "--seats": "seats", "--min": "min"}


@dataclass(frozen=True)
class Upload:
    name: str  # as the organiser's browser sent it
    data: bytes


class SetupForm(BaseModel):
    """The page's form: the main numbers and rules of an event."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, description="Name of the event (unchanged when null).")
    rounds: int = Field(ge=1, le=MAX_ROUNDS, description="Number of rounds.")
    tables: int = Field(ge=1, le=MAX_TABLES, description="Number of tables.")
    seats: int = Field(ge=1, le=MAX_SEATS, description="Seats per table (the largest table, for named tables).")
    min: int | None = Field(
        default=None, ge=0, le=MAX_SEATS, description="Fewest at a table; null: an even seating's smallest table."
    )
    max_per_table: int | None = Field(default=None, ge=1, description="Sector cap; null: none.")
    colleagues: Literal["apart", "allow"] = "apart"
    repeats: Literal["forbid", "minimise"] = "forbid"
    preset: str | None = Field(default=None, description="An objective preset; null: the weights as given.")


class Draft(BaseModel):
    """An uploaded event: the instance (participants in it, files it named read) and the form showing it."""

    instance: dict[str, Any]
    form: SetupForm
    source: Literal["spreadsheet", "instance"]


def draft_from_uploads(uploads: list[Upload], limits: Limits) -> Draft:
    """The event in `uploads`: one instance file with the files it names, or one participant spreadsheet."""
    if not uploads:
        raise InputError("no file received: choose a participant spreadsheet (.csv, .xlsx) or an event file", "files")
    names = [_safe_name(upload.name) for upload in uploads]
    if len(set(names)) < len(names):
        raise InputError("two files have the same name", "files")
    kinds = {name: Path(name).suffix.lower() for name in names}
    documents = [name for name in names if kinds[name] in INSTANCE_SUFFIXES]
    sheets = [name for name in names if kinds[name] in SHEET_SUFFIXES]
    with tempfile.TemporaryDirectory(prefix="tablejam-upload-") as temporary, _named_as_given(Path(temporary)):
        folder = Path(temporary)
        for name, upload in zip(names, uploads, strict=True):
            (folder / name).write_bytes(upload.data)
        # Schedules uploaded with an event file (its history) are JSON too: the event file is the one with people.
        events = [name for name in documents if _is_event(folder / name)]
        if len(events) > 1:
            raise InputError(f"more than one event file ({', '.join(events)}): choose one", "files")
        if events:
            instance = _instance_file(folder, events[0], names)
            source: Literal["spreadsheet", "instance"] = "instance"
        elif len(sheets) == 1 and len(names) == 1:
            instance = _spreadsheet(folder / sheets[0])
            source = "spreadsheet"
        else:
            expected = ", ".join((*SHEET_SUFFIXES, *INSTANCE_SUFFIXES))
            raise InputError(
                f"expected one participant spreadsheet or one event file (with the files it names), got {len(names)} "
                f"file(s): {', '.join(names)} ({expected})",
                "files",
            )
        within_limits(instance, names[0], limits)
    form = describe(instance)
    if source == "spreadsheet":
        form.min = None  # init's choice, and the form's "auto": it follows the numbers of tables and seats
    return Draft(instance=instance.model_dump(exclude_defaults=True), form=form, source=source)


def _safe_name(name: str) -> str:
    """The file's own name, without any folder a browser may send (never a path into the server's disk)."""
    base = PurePosixPath(name.replace("\\", "/")).name
    if base in ("", ".", "..") or base.startswith("."):
        raise InputError(f"'{name}' is not a usable file name", "files")
    return base


def _spreadsheet(path: Path) -> Instance:
    """As `tablejam init` makes it, with tables of six for everyone, four rounds (more if the sheet's absences
    name later rounds), and as many tables as the hosts name."""
    rows = read_participant_sheet(path).rows
    rounds = max([FIRST_ROUNDS, *(r for row in rows for r in row.get("absent", []) if isinstance(r, int))])
    hosted = [int(match[1]) for row in rows if (match := re.fullmatch(r"T(\d+)", str(row.get("host") or "")))]
    tables = max([math.ceil(len(rows) / FIRST_SEATS), *hosted])
    name = path.stem.replace("-", " ").replace("_", " ")
    return starter(path, tables=tables, seats=FIRST_SEATS, rounds=rounds, name=name, folder=path.parent).instance


def _is_event(path: Path) -> bool:
    try:
        data, _ = read_document(path)
    except InputError:
        return True  # said when it is read as the event file
    return not isinstance(data, dict) or "participants" in data or "format" not in data


def _instance_file(folder: Path, name: str, uploaded: list[str]) -> Instance:
    data, where = read_document(folder / name)
    if isinstance(data, dict):
        for field, entry in named_files(data):
            base = _safe_name(entry)
            if base not in uploaded:
                raise InputError(f"{field}: names the file '{entry}': choose it together with {name}", name)
            target = folder / entry
            if not target.resolve().is_relative_to(folder.resolve()):
                raise InputError(f"{field}: '{entry}' is outside the folder of {name}: name it beside it", name)
            if base != entry:
                # Where the instance expects it (e.g. history/2026-09.json); Files refuses anything outside.
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes((folder / base).read_bytes())
    instance = instance_from_data(data, where, Files(folder, confined=True))
    if not instance.rules.history:
        return instance
    # The pairs who met at those events are among met_before now; the paths would name files the server no longer
    # has (as `replan --instance-out` leaves them out).
    plain = instance.model_dump()
    plain["rules"]["history"] = []
    return Instance.model_validate(plain)


@contextmanager
def _named_as_given(folder: Path) -> Iterator[None]:
    """InputErrors name files as uploaded (people.csv, row 7), not inside the temporary folder; init's options
    are named as the form names them."""
    try:
        yield
    except InputError as error:

        def plain(text: str) -> str:
            for prefix in (f"{folder.resolve()}{os.sep}", f"{folder}{os.sep}"):
                text = text.replace(prefix, "")
            return text.replace(str(folder.resolve()), "the upload").replace(str(folder), "the upload")

        raise InputError(plain(error.message), _FORM_FIELDS.get(error.where, plain(error.where))) from None


def describe(instance: Instance) -> SetupForm:
    """The form showing `instance`: its numbers and rules."""
    tables = instance.table_list
    mins = {table.min for table in tables}
    return SetupForm(
        name=instance.name,
        rounds=instance.rounds,
        tables=len(tables),
        seats=max(table.capacity for table in tables),
        min=mins.pop() if len(mins) == 1 else None,
        max_per_table=instance.sectors.max_per_table,
        colleagues=instance.rules.colleagues,
        repeats=instance.rules.repeats,
    )


def apply_form(base: Instance, form: SetupForm, where: str = "form") -> Instance:
    """`base` as the form says. Tables are kept as given (names, sizes) unless their number or seats changed;
    then they become `tables` identical tables T1..Tn. Absences from rounds the event no longer has are dropped."""
    if form.preset is not None and form.preset not in PRESETS:
        raise InputError(f"unknown preset '{form.preset}' (presets: {', '.join(PRESETS)})", "preset")
    data = base.model_dump()
    if form.name is not None:
        data["name"] = form.name
    data["rounds"] = form.rounds
    for person in data["participants"]:
        person["absent"] = [r for r in person["absent"] if r <= form.rounds]
    now = describe(base)
    replaced = (form.tables, form.seats) != (now.tables, now.seats)
    if replaced:
        data["tables"] = {"count": form.tables, "capacity": form.seats, "min": 0}
    if form.min is None:
        if replaced or now.min is not None:  # tables of differing minimums, untouched, keep theirs
            # As `init` chooses it: the smallest table of an even seating of the least attended round.
            attending = [
                sum(1 for p in data["participants"] if r not in p["absent"]) for r in range(1, form.rounds + 1)
            ]
            even = balanced_sizes(min(attending), [(0, form.seats)] * form.tables)
            _set_minimum(data, min(even) if even else 0)
    elif replaced or form.min != now.min:
        _set_minimum(data, form.min)
    data["sectors"]["max_per_table"] = form.max_per_table
    data["rules"]["colleagues"] = form.colleagues
    data["rules"]["repeats"] = form.repeats
    instance = parse_model(Instance, data, where)
    return PRESETS[form.preset].apply(instance) if form.preset is not None else instance


def _set_minimum(data: dict[str, Any], least: int) -> None:
    tables = data["tables"]
    if isinstance(tables, dict):
        tables["min"] = min(least, tables["capacity"])
    else:
        for table in tables:
            table["min"] = min(least, table["capacity"])
