"""Participants from a spreadsheet (.csv or .xlsx): one row per person, columns found by their header.

Headers are matched case-insensitively and trimmed: id, name, sector, company, offers, needs,
absent, host. List cells (offers, needs, absent) are separated by ';'; absent holds round numbers,
host one table id. Empty cells mean "not given", blank rows are skipped, other columns are kept
in `attributes` by their header. The first non-blank row is the header; row numbers are those a
spreadsheet shows (header on row 1: the first person is on row 2).

An id is optional: a row without one gets 'p' and its row number, three digits at least (the
person on row 7 is 'p007'), so an id says where to find the person; if another row already uses
that id, '-2', '-3', ... is appended. At least an id or a name column is required.

Every problem is reported with its row and column ("people.csv, row 7, column 'absent'").
"""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

from tablejam.errors import InputError
from tablejam.files.documents import read_bytes

LIST_SEPARATOR = ";"
TEXT_COLUMNS = ("id", "name", "sector", "company", "host")
LIST_COLUMNS = ("offers", "needs", "absent")
KNOWN_COLUMNS = (*TEXT_COLUMNS, *LIST_COLUMNS)
# What belongs in each known column, for messages.
EXPECTED = {"id": "an id", "name": "a name", "sector": "a sector", "company": "a company", "host": "a table id",
            "offers": "a list of offers", "needs": "a list of needs", "absent": "round numbers"}  # fmt: skip
CSV_DELIMITERS = (",", ";", "\t")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
# A file with a systematic mistake (e.g. the wrong delimiter) would repeat it on every row.
MOST_PROBLEMS_LISTED = 20


@dataclass(frozen=True)
class ParticipantSheet:
    """The participants read from a spreadsheet, and where each came from (for messages)."""

    path: str
    rows: list[dict[str, Any]]  # Participant fields, ready for Participant.model_validate
    row_numbers: list[int]  # the spreadsheet row of each participant
    headers: dict[str, str]  # participant field -> its column's header as written

    def locate(self, index: int, field: str | None = None) -> str:
        """'people.csv, row 7, column 'absent'' for participant `index` (0-based) and one of its fields."""
        where = f"{self.path}, row {self.row_numbers[index]}"
        if field in self.headers:
            where += f", column '{self.headers[field]}'"
        return where

    def locate_field(self, loc: tuple[Any, ...]) -> str | None:
        """The row and column of an instance field path such as ('participants', 6, 'host'); None if not a
        participant's (for `parse_model`, so that problems found later still name the row)."""
        if len(loc) < 2 or loc[0] != "participants" or not isinstance(loc[1], int) or loc[1] >= len(self.rows):
            return None
        return self.locate(loc[1], loc[2] if len(loc) > 2 and isinstance(loc[2], str) else None)


def read_participants(path: str | Path) -> list[dict[str, Any]]:
    """The participants listed in a .csv or .xlsx file, as Participant fields; InputError names row and column."""
    return read_participant_sheet(path).rows


def read_participant_sheet(path: str | Path) -> ParticipantSheet:
    """Read a participant spreadsheet, keeping each participant's row for later messages."""
    path = Path(path)
    where = str(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        grid, delimiter = _csv_grid(read_bytes(path), where)
    elif suffix in XLSX_SUFFIXES:
        grid, delimiter = _xlsx_grid(read_bytes(path), where), None
    elif suffix in (".xls", ".ods", ".numbers"):
        raise InputError(f"'{suffix}' files cannot be read: save the sheet as .xlsx or as CSV UTF-8", where)
    else:
        raise InputError(f"unknown spreadsheet type '{suffix}' (expected .csv or .xlsx)", where)
    return _Reader(where, delimiter).read(grid)


Grid = list[tuple[int, list[Any]]]  # (spreadsheet row number, cell values)


def _csv_grid(raw: bytes, where: str) -> tuple[Grid, str]:
    try:
        text = raw.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte order mark
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 text (byte {error.start}): in Excel, save as 'CSV UTF-8 (Comma delimited)'", where
        ) from None
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    # The header names no list, so the delimiter is the one it uses most (Excel writes ';' in many locales).
    delimiter = max(CSV_DELIMITERS, key=header_line.count) if header_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(number, cells) for number, cells in enumerate(reader, start=1)], delimiter
    except csv.Error as error:
        raise InputError(f"not valid CSV: {error}", f"{where}, line {reader.line_num}") from None


def _xlsx_grid(raw: bytes, where: str) -> Grid:
    import openpyxl  # only when reading a workbook: `tablejam schema` and `--version` stay quick

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it skips (e.g. data validation)
            book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as error:  # any damage to the zip or its XML surfaces as some exception of openpyxl's
        raise InputError(f"not a readable .xlsx workbook ({type(error).__name__}: {error})", where) from None
    if not book.worksheets:
        raise InputError("the workbook has no sheet", where)
    sheet = book.worksheets[0]
    return [(number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based index: A, B, ..., Z, AA, AB, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class _Reader:
    """Turns a grid of cells into participants, collecting every problem with its row and column."""

    def __init__(self, where: str, delimiter: str | None) -> None:
        self.where = where
        self.delimiter = delimiter
        self.problems: list[tuple[str, str]] = []  # (location within the file, message)

    def problem(self, location: str, message: str) -> None:
        self.problems.append((location, message))

    def read(self, grid: Grid) -> ParticipantSheet:
        filled = [(number, cells) for number, cells in grid if any(_text(cell) for cell in cells)]
        if not filled:
            raise InputError("the spreadsheet is empty (expected a header row, e.g. id,name,sector)", self.where)
        header_row, header_cells = filled[0]
        columns = self.columns(header_row, header_cells)
        people = [self.person(number, cells, columns) for number, cells in filled[1:]]
        if not people and not self.problems:
            raise InputError(f"no participants: only the header row (row {header_row})", self.where)
        headers = {field: header for header, field in columns.values() if field in KNOWN_COLUMNS}
        self.give_ids(people, headers.get("id", "id"))
        self.raise_problems()
        return ParticipantSheet(self.where, [person for _, person in people], [n for n, _ in people], headers)

    def columns(self, row: int, cells: list[Any]) -> dict[int, tuple[str, str]]:
        """Column index -> (header as written, participant field or the attribute name)."""
        columns: dict[int, tuple[str, str]] = {}
        seen: dict[str, int] = {}
        for index, cell in enumerate(cells):
            header = _text(cell)
            if not header:
                continue
            key = header.lower()
            if key in seen:  # which of the two holds what? Only the person who wrote the sheet knows
                raise InputError(
                    f"columns {column_letter(seen[key])} and {column_letter(index)} are both headed '{header}'",
                    f"{self.where}, row {row}",
                )
            seen[key] = index
            columns[index] = (header, key if key in KNOWN_COLUMNS else header)
        if "id" not in seen and "name" not in seen:
            found = ", ".join(f"'{header}'" for header, _ in columns.values())
            raise InputError(
                f"no 'id' or 'name' column: the header row (row {row}) needs at least one of them; it has {found}",
                self.where,
            )
        return columns

    def person(self, row: int, cells: list[Any], columns: dict[int, tuple[str, str]]) -> tuple[int, dict[str, Any]]:
        person: dict[str, Any] = {}
        attributes: dict[str, str] = {}
        for index, cell in enumerate(cells):
            if not _text(cell):
                continue
            if index not in columns:
                hint = (
                    f" (in a '{self.delimiter}'-separated file, a list cell like 'a{LIST_SEPARATOR}b' needs quotes)"
                    if self.delimiter == LIST_SEPARATOR
                    else ""
                )
                self.problem(f"row {row}, column {column_letter(index)}", f"a value under no header{hint}")
                continue
            header, field = columns[index]
            location = f"row {row}, column '{header}'"
            if field not in KNOWN_COLUMNS:
                attributes[field] = cell.isoformat() if isinstance(cell, date | time) else _text(cell)
            elif isinstance(cell, date | time):
                self.problem(location, f"a date or time ({cell.isoformat()}), expected {EXPECTED[field]}")
            elif field in TEXT_COLUMNS:
                person[field] = _text(cell)
                if field == "host" and LIST_SEPARATOR in person[field]:
                    self.problem(location, f"'{person[field]}' names several tables; a participant hosts one")
            elif field == "absent":
                person[field] = self.rounds(location, cell)
            else:
                person[field] = _split(_text(cell))
        if attributes:
            person["attributes"] = attributes
        if not person.get("id") and not person.get("name"):
            self.problem(f"row {row}", "neither an id nor a name given")
        return row, person

    def rounds(self, location: str, cell: Any) -> list[int]:
        parts = [cell] if isinstance(cell, int | float) else _split(_text(cell))
        numbers = set()
        for part in parts:
            number = _whole_number(part)
            if number is None:
                self.problem(location, f"'{_text(part)}' is not a round number (rounds missed, e.g. 2 or 2;3)")
            else:
                numbers.add(number)
        return sorted(numbers)

    def give_ids(self, people: list[tuple[int, dict[str, Any]]], id_header: str) -> None:
        """Reject duplicate ids, naming both rows; give each row without an id its own from its row number."""
        first_row: dict[str, int] = {}
        for row, person in people:
            if "id" not in person:
                continue
            if person["id"] in first_row:
                self.problem(
                    f"row {row}, column '{id_header}'",
                    f"duplicate id '{person['id']}' (also on row {first_row[person['id']]})",
                )
            else:
                first_row[person["id"]] = row
        for row, person in people:
            if "id" in person:
                continue
            candidate, copy = f"p{row:03d}", 1
            while candidate in first_row:
                copy += 1
                candidate = f"p{row:03d}-{copy}"
            person["id"] = candidate
            first_row[candidate] = row

    def raise_problems(self) -> None:
        if not self.problems:
            return
        if len(self.problems) == 1:
            location, message = self.problems[0]
            raise InputError(message, f"{self.where}, {location}")
        lines = [f"{location}: {message}" for location, message in self.problems[:MOST_PROBLEMS_LISTED]]
        if len(self.problems) > MOST_PROBLEMS_LISTED:
            lines.append(f"... and {len(self.problems) - MOST_PROBLEMS_LISTED} more")
        raise InputError("\n  ".join([f"{len(self.problems)} problems", *lines]), self.where)


def _text(cell: Any) -> str:
    """A cell as trimmed text; whole numbers without '.0' (a workbook stores an id typed as 7 as 7.0 or 7)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    return int(text) if text.lstrip("-").isdigit() else None
