"""The schedule as tables of rows: CSV files and an XLSX workbook with the same three sheets.

Itineraries: one row per participant and round attended. Tables: one row per table and round.
Statistics: one row per figure (status, objective, bound, gap and every statistic of the checker).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tablejam.models.schedule import Stats
from tablejam.reports.views import EventView, Itinerary, TableRound

Cell = str | int | float | None

# Names in lists (tablemates, repeats, ...) are joined with this: commas occur in names ("Nowak, Carla").
LIST_SEPARATOR = "; "
# A spreadsheet runs a cell starting with one of these as a formula; participants type their own names.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Sheet:
    name: str  # the XLSX sheet's name
    key: str  # the CSV file's middle name: <stem>.<key>.csv (the first sheet is <stem>.csv itself)
    header: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    percent_rows: frozenset[str] = frozenset()  # rows (by first cell) whose second cell is a fraction, e.g. the gap


def sheets(view: EventView) -> list[Sheet]:
    return [_itineraries(view), _tables(view), _statistics(view)]


def _itineraries(view: EventView) -> Sheet:
    header = (
        "participant",
        "name",
        "sector",
        "company",
        "round",
        "table",
        "hosting",
        "tablemates",
        "new_people",
        "repeat_with",
        "complementary",
        "complementary_with",
    )
    return Sheet("Itineraries", "itineraries", header, [row for item in view.itineraries for row in _stops(item)])


def _stops(item: Itinerary) -> list[tuple[Cell, ...]]:
    person = item.person
    return [
        (
            person.id,
            person.label,
            person.sector or "",
            person.company or "",
            stop.round,
            stop.table,
            "yes" if stop.hosting else "",
            _names(mate.person.label for mate in stop.tablemates),
            stop.new,
            _names(mate.person.label for mate in stop.repeats),
            stop.complementary,
            _names(mate.person.label for mate in stop.complementary_mates),
        )
        for stop in item.attended
    ]


def _tables(view: EventView) -> Sheet:
    header = (
        "round",
        "table",
        "capacity",
        "seated",
        "hosts",
        "participants",
        "sectors",
        "new_pairs",
        "repeat_pairs",
        "complementary",
    )
    return Sheet("Tables", "tables", header, [_table_row(table) for table in view.tables])


def _table_row(table: TableRound) -> tuple[Cell, ...]:
    return (
        table.round,
        table.table.id,
        table.table.capacity,
        len(table.seated),
        _names(person.label for person in table.hosts),
        _names(person.label for person in table.seated),
        _names(f"{sector or 'no sector'} {count}" for sector, count in table.sector_mix),
        table.new_pairs,
        table.repeat_pairs,
        table.complementary,
    )


def _statistics(view: EventView) -> Sheet:
    instance, schedule = view.instance, view.schedule
    rows: list[tuple[Cell, ...]] = [
        ("event", view.title, "name of the event"),
        ("participants", len(instance.participants), "participants in the instance"),
        ("tables", len(instance.table_list), "tables"),
        ("rounds", instance.rounds, "rounds"),
        ("status", schedule.status, "optimal: proven best; feasible: valid, maybe not the best"),
        ("objective", view.stats.objective, "objective (recomputed by the checker)"),
        ("bound", schedule.bound, "no schedule can score more (from the solver)"),
        ("gap", view.gap, "at most this far below the best possible: (bound - objective) / max(1, |bound|)"),
    ]
    rows += [
        (name, value, Stats.labels()[name]) for name, value in view.stats.model_dump().items() if name != "objective"
    ]
    return Sheet("Statistics", "stats", ("statistic", "value", "meaning"), rows, percent_rows=frozenset({"gap"}))


def _names(names: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(names)


def csv_files(view: EventView, path: Path) -> dict[Path, bytes]:
    """The itineraries at `path`, the other sheets beside it as <stem>.tables.csv and <stem>.stats.csv.

    UTF-8 with a byte-order mark, so that Excel reads names like 'Zoë' correctly; comma-separated."""
    files: dict[Path, bytes] = {}
    for k, sheet in enumerate(sheets(view)):
        target = path if k == 0 else path.with_name(f"{path.stem}.{sheet.key}.csv")
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(sheet.header)
        writer.writerows([_defused(cell) for cell in row] for row in sheet.rows)
        files[target] = buffer.getvalue().encode("utf-8-sig")
    return files


def _defused(cell: Cell) -> Cell:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice for CSV)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def xlsx_bytes(view: EventView) -> bytes:
    """One workbook, one sheet per table of rows: header bold and frozen, columns sized to their content."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets(view):
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.append(sheet.header)
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for number, row in enumerate(sheet.rows, start=2):
            for column, value in enumerate(row, start=1):
                if isinstance(value, str):
                    # Control characters cannot be stored in XLSX (openpyxl would refuse the whole file).
                    cell = worksheet.cell(number, column, ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
                    cell.data_type = "s"  # openpyxl takes text starting with '=' for a formula; a name is text
                else:
                    worksheet.cell(number, column, value)
            if row[0] in sheet.percent_rows:
                worksheet.cell(number, 2).number_format = "0.00%"
        for column, name in enumerate(sheet.header, start=1):
            width = _width(name, (row[column - 1] for row in sheet.rows))
            worksheet.column_dimensions[get_column_letter(column)].width = width
        worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _width(header: str, cells: Iterable[Cell]) -> int:
    """Wide enough for the longest entry, up to 60 characters (long lists of names are cut off on screen)."""
    return min(60, max([len(header), *(len(str(cell)) for cell in cells if cell is not None)]) + 2)
