"""Participants from a spreadsheet: what a .csv or .xlsx file becomes, and every broken file named by row and column."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tablejam.cli import main
from tablejam.errors import InputError
from tablejam.files import load_instance
from tablejam.files.spreadsheet import column_letter, read_participants
from tablejam.models import Instance
from tests.conftest import ROOT

# Headers in any case with stray spaces, an id on some rows only, a blank row, and a column tablejam does not know.
PEOPLE_CSV = """\ufeff ID ,Name,Sector,company,OFFERS,needs,absent,host,Email
a,Anna Dahl,fintech,Nordlicht,design; funding,hiring,,T1,anna@example.org
,Ben Okafor,health,,sales channels,design,2,,
,,,,,,,,
c,Carla Nowak,food,Nordlicht,,,1;2,,carla@example.org
,Dev Rao,,,,,,,
"""

# What PEOPLE_CSV holds. Ben and Dev have no id and get one from their rows, 3 and 6 (the blank
# row 4 is skipped but still counted, as a spreadsheet shows it).
PEOPLE_ROWS: list[dict[str, Any]] = [
    {"id": "a", "name": "Anna Dahl", "sector": "fintech", "company": "Nordlicht", "offers": ["design", "funding"],
     "needs": ["hiring"], "host": "T1", "attributes": {"Email": "anna@example.org"}},
    {"id": "p003", "name": "Ben Okafor", "sector": "health", "offers": ["sales channels"], "needs": ["design"],
     "absent": [2]},
    {"id": "c", "name": "Carla Nowak", "sector": "food", "company": "Nordlicht", "absent": [1, 2],
     "attributes": {"Email": "carla@example.org"}},
    {"id": "p006", "name": "Dev Rao"},
]  # fmt: skip


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def workbook(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    path.write_bytes(workbook(rows))
    return path


def test_csv_with_bom_mixed_headers_blank_rows_and_generated_ids(tmp_path: Path) -> None:
    assert read_participants(write(tmp_path / "people.csv", PEOPLE_CSV)) == PEOPLE_ROWS


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_files_read_the_same(tmp_path: Path, delimiter: str) -> None:
    """Excel writes ';' in many European locales: a list cell then needs quotes, as Excel adds them."""
    text = f'id{delimiter}name{delimiter}offers\na{delimiter}Anna{delimiter}"design;funding"\n'
    assert read_participants(write(tmp_path / "people.csv", text)) == [
        {"id": "a", "name": "Anna", "offers": ["design", "funding"]}
    ]


def test_a_generated_id_never_takes_one_given_on_another_row(tmp_path: Path) -> None:
    # Row 2 has no id and would get 'p002', which row 3 uses: it gets 'p002-2' instead.
    text = "id,name\n,Anna\np002,Ben\n"
    assert [row["id"] for row in read_participants(write(tmp_path / "people.csv", text))] == ["p002-2", "p002"]


def test_xlsx_with_numbers_typed_as_numbers(tmp_path: Path) -> None:
    """A workbook stores what a person types: ids and rounds as numbers (7, 2.0), lists as text.
    Row 1 is a title-less blank row, so the header is row 2 and the first person row 3."""
    path = write_xlsx(
        tmp_path / "people.xlsx",
        [
            [None, None],
            ["Id", "Name", "Absent", "Host", "Member since"],
            [7, "Anna", 2, "T1", 2021],
            [8.0, "Ben", "1;2", None, None],
            [None, "Carla", 2.0, None, 2024.5],
        ],
    )
    assert read_participants(path) == [
        {"id": "7", "name": "Anna", "absent": [2], "host": "T1", "attributes": {"Member since": "2021"}},
        {"id": "8", "name": "Ben", "absent": [1, 2]},
        {"id": "p005", "name": "Carla", "absent": [2], "attributes": {"Member since": "2024.5"}},
    ]


def test_the_example_workbook_holds_what_the_example_csv_holds() -> None:
    """instances/monthly-jam-people.xlsx is the CSV typed into a workbook (numbers as numbers)."""
    csv_rows = read_participants(ROOT / "instances" / "monthly-jam-people.csv")
    assert read_participants(ROOT / "instances" / "monthly-jam-people.xlsx") == csv_rows
    # 36 members; M101 hosts T1, M110 misses round 3, M125 rounds 2 and 4; email and membership year are kept.
    assert len(csv_rows) == 36
    assert csv_rows[0]["host"] == "T1"
    assert [(row["id"], row["absent"]) for row in csv_rows if "absent" in row] == [("M110", [3]), ("M125", [2, 4])]
    assert set(csv_rows[0]["attributes"]) == {"Email", "Member since"}


# Each kind of broken file: (file name, content, where, message). Rows count as a spreadsheet shows them.
BROKEN_CSV = [
    ("no-key.csv", "sector,company\nfintech,X\n", "",
     "no 'id' or 'name' column: the header row (row 1) needs at least one of them; it has 'sector', 'company'"),
    ("dup-id.csv", "id,name\na,Anna\nb,Ben\na,Alex\n", ", row 4, column 'id'", "duplicate id 'a' (also on row 2)"),
    ("absent.csv", "name,absent\nAnna,1\nBen,two\n", ", row 3, column 'absent'",
     "'two' is not a round number (rounds missed, e.g. 2 or 2;3)"),
    ("host.csv", "name,host\nAnna,T1;T2\n", ", row 2, column 'host'",
     "'T1;T2' names several tables; a participant hosts one"),
    ("unquoted.csv", "id;name;offers\na;Anna;design;funding\n", ", row 2, column D",
     "a value under no header (in a ';'-separated file, a list cell like 'a;b' needs quotes)"),
    ("dup-header.csv", "id,Name,name\na,Anna,Anna\n", ", row 1", "columns B and C are both headed 'name'"),
    ("nobody.csv", "id,name,sector\na,Anna,x\n,,food\n", ", row 3", "neither an id nor a name given"),
    ("empty.csv", "\n , \n", "", "the spreadsheet is empty (expected a header row, e.g. id,name,sector)"),
    ("header-only.csv", "id,name\n", "", "no participants: only the header row (row 1)"),
    ("people.xls", "id\n", "", "'.xls' files cannot be read: save the sheet as .xlsx or as CSV UTF-8"),
    ("people.ods", "id\n", "", "'.ods' files cannot be read: save the sheet as .xlsx or as CSV UTF-8"),
    ("people.yaml", "id\n", "", "unknown spreadsheet type '.yaml' (expected .csv or .xlsx)"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "where", "message"), BROKEN_CSV, ids=[b[0] for b in BROKEN_CSV])
def test_broken_csv_names_row_and_column(tmp_path: Path, name: str, content: str, where: str, message: str) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(InputError) as caught:
        read_participants(path)
    assert (caught.value.where, caught.value.message) == (f"{path}{where}", message)


def test_several_problems_are_listed_together(tmp_path: Path) -> None:
    path = write(tmp_path / "people.csv", "name,absent\nAnna,x\nBen,1\nCarla,y\n")
    with pytest.raises(InputError) as caught:
        read_participants(path)
    assert caught.value.where == str(path)
    assert caught.value.message == (
        "2 problems\n"
        "  row 2, column 'absent': 'x' is not a round number (rounds missed, e.g. 2 or 2;3)\n"
        "  row 4, column 'absent': 'y' is not a round number (rounds missed, e.g. 2 or 2;3)"
    )


def test_a_file_wrong_on_every_row_lists_the_first_twenty(tmp_path: Path) -> None:
    path = write(tmp_path / "people.csv", "name,absent\n" + "".join(f"P{k},x\n" for k in range(25)))
    with pytest.raises(InputError) as caught:
        read_participants(path)
    lines = caught.value.message.splitlines()
    assert (lines[0], len(lines), lines[-1]) == ("25 problems", 22, "  ... and 5 more")


def test_not_utf8_says_how_to_save_it(tmp_path: Path) -> None:
    path = write(tmp_path / "people.csv", "name\nRené\n", encoding="latin-1")
    with pytest.raises(InputError) as caught:
        read_participants(path)
    # 'name\n' is 5 bytes and 'Ren' 3 more: the latin-1 'é' is byte 8.
    assert caught.value.message == "not UTF-8 text (byte 8): in Excel, save as 'CSV UTF-8 (Comma delimited)'"


BROKEN_XLSX = [
    ("date", [["name", "absent"], ["Anna", date(2026, 10, 2)]], ", row 2, column 'absent'",
     "a date or time (2026-10-02T00:00:00), expected round numbers"),
    ("fraction", [["name", "absent"], ["Anna", 2.5]], ", row 2, column 'absent'",
     "'2.5' is not a round number (rounds missed, e.g. 2 or 2;3)"),
    ("number-ids", [["id"], [7], [7.0]], ", row 3, column 'id'", "duplicate id '7' (also on row 2)"),
    ("no-header", [["name"], ["Anna", "extra"]], ", row 2, column B", "a value under no header"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "rows", "where", "message"), BROKEN_XLSX, ids=[b[0] for b in BROKEN_XLSX])
def test_broken_xlsx_names_row_and_column(tmp_path: Path, name: str, rows: list[list[Any]], where: str, message: str):
    path = write_xlsx(tmp_path / f"{name}.xlsx", rows)
    with pytest.raises(InputError) as caught:
        read_participants(path)
    assert (caught.value.where, caught.value.message) == (f"{path}{where}", message)


def test_a_damaged_workbook_is_our_error(tmp_path: Path) -> None:
    path = write(tmp_path / "people.xlsx", "id,name\na,Anna\n")  # a CSV renamed: not a zip at all
    with pytest.raises(InputError) as caught:
        read_participants(path)
    assert caught.value.message == "not a readable .xlsx workbook (BadZipFile: File is not a zip file)"


def test_column_letters() -> None:
    assert [column_letter(k) for k in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


# The instance file names the spreadsheet.

INSTANCE_TOML = """
rounds = 2
participants = "people.csv"
[tables]
count = 2
capacity = 3
"""


def test_an_instance_naming_a_spreadsheet_holds_its_rows(tmp_path: Path) -> None:
    write(tmp_path / "people.csv", PEOPLE_CSV)
    path = write(tmp_path / "event.toml", INSTANCE_TOML)
    inline = Instance.model_validate({"rounds": 2, "tables": {"count": 2, "capacity": 3}, "participants": PEOPLE_ROWS})
    assert load_instance(path) == inline
    # The same in a JSON instance file.
    data = {"rounds": 2, "tables": {"count": 2, "capacity": 3}, "participants": "people.csv"}
    assert load_instance(write(tmp_path / "event.json", json.dumps(data))) == inline


def test_the_path_is_relative_to_the_instance_file(tmp_path: Path) -> None:
    write(tmp_path / "people.csv", PEOPLE_CSV)
    (tmp_path / "events").mkdir()
    path = write(tmp_path / "events" / "event.toml", INSTANCE_TOML.replace('"people.csv"', '"../people.csv"'))
    assert len(load_instance(path).participants) == 4


def test_a_missing_spreadsheet_is_named_with_the_field(tmp_path: Path) -> None:
    path = write(tmp_path / "event.toml", INSTANCE_TOML)
    with pytest.raises(InputError) as caught:
        load_instance(path)
    assert caught.value.where == str(path)
    assert caught.value.message == (
        f"participants: no spreadsheet at '{tmp_path / 'people.csv'}' (the path is relative to the instance file)"
    )


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ("Ben,T9,", "host", "table 'T9' does not exist"),
        ("Ben,,3", "Absent", "round 3 is outside 1..2"),
    ],
)
def test_a_cell_the_instance_rejects_is_named_by_row_and_column(
    tmp_path: Path, cells: str, column: str, message: str
) -> None:
    """Host tables and round numbers are checked against the instance: still reported at their cell."""
    write(tmp_path / "people.csv", f"name,host,Absent\nAnna,T1,\n{cells}\n")
    path = write(tmp_path / "event.toml", INSTANCE_TOML)
    with pytest.raises(InputError) as caught:
        load_instance(path)
    assert caught.value.where == str(path)
    assert caught.value.message == f"invalid content\n  {tmp_path / 'people.csv'}, row 3, column '{column}': {message}"


def test_a_path_is_for_the_loader_only() -> None:
    """An Instance in memory always holds the list; a path there is a mistake said plainly."""
    with pytest.raises(ValueError, match=r"the spreadsheet 'people\.csv' is read by load_instance"):
        Instance.model_validate({"rounds": 1, "tables": {"count": 1, "capacity": 2}, "participants": "people.csv"})


def test_schema_offers_the_path_and_the_attributes() -> None:
    schema = json.loads(CliRunner().invoke(main, ["schema", "instance"]).stdout)
    participants = schema["properties"]["participants"]["anyOf"]
    assert [form["type"] for form in participants] == ["array", "string"]
    assert "relative to the instance file" in participants[1]["description"]
    assert schema["$defs"]["Participant"]["properties"]["attributes"]["additionalProperties"] == {"type": "string"}


def test_solve_and_check_from_a_spreadsheet(tmp_path: Path) -> None:
    write(tmp_path / "people.csv", PEOPLE_CSV)
    path = write(tmp_path / "event.toml", INSTANCE_TOML)
    solved = CliRunner().invoke(main, ["solve", str(path), "--format", "json", "--time-limit", "3"])
    assert solved.exit_code == 0, solved.stderr
    plan = write(tmp_path / "plan.json", solved.stdout)
    assert CliRunner().invoke(main, ["check", str(path), str(plan)]).exit_code == 0


def test_a_broken_spreadsheet_exits_2_naming_the_cell(tmp_path: Path) -> None:
    people = write(tmp_path / "people.csv", "name,absent\nAnna,two\n")
    path = write(tmp_path / "event.toml", INSTANCE_TOML)
    for command in ("solve", "validate"):
        result = CliRunner().invoke(main, [command, str(path)])
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == (
            f"error: {people}, row 2, column 'absent': 'two' is not a round number (rounds missed, e.g. 2 or 2;3)\n"
        )


GOOD_WORKBOOK = workbook([["id", "name", "absent"], ["a", "Anna", 2], ["b", "Ben", "1;2"]])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    suffix=st.sampled_from([".csv", ".xlsx"]),
    cut=st.floats(0, 1),
    position=st.floats(0, 1),
    byte=st.integers(0, 255),
)
def test_corrupted_spreadsheets_give_our_error(tmp_path: Path, suffix: str, cut: float, position: float, byte: int):
    """A truncated file or a byte changed anywhere (the zip of a workbook, a CSV's quotes and
    encoding): either it still reads or an InputError names the file, never anything else."""
    good = PEOPLE_CSV.encode() if suffix == ".csv" else GOOD_WORKBOOK
    corrupted = bytearray(good[: max(1, int(cut * len(good)))])
    corrupted[int(position * (len(corrupted) - 1))] = byte
    path = tmp_path / f"people{suffix}"
    path.write_bytes(bytes(corrupted))
    try:
        read_participants(path)
    except InputError as error:
        assert error.where.startswith(str(path))
        assert error.message


# Columns tablejam does not know by name are kept by their header, in any case: a quota can count "gender" and the
# breakout export finds the "email" address whatever the sheet calls them.
ATTRIBUTE_ROWS = [["id", "name", "Gender", " EMAIL "], ["a", "Anna", "f", "anna@example.org"],
                  ["b", "Ben", "m", "ben@example.org"], ["c", "Carla", "f", "carla@example.org"]]  # fmt: skip


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_extra_columns_are_attributes_for_quotas_and_breakout_rooms(tmp_path: Path, suffix: str) -> None:
    if suffix == ".csv":
        write(tmp_path / "people.csv", "\n".join(",".join(row) for row in ATTRIBUTE_ROWS) + "\n")
    else:
        write_xlsx(tmp_path / "people.xlsx", ATTRIBUTE_ROWS)  # type: ignore[arg-type]
    event = write(tmp_path / "event.toml", INSTANCE_TOML.replace("people.csv", f"people{suffix}"))
    instance = load_instance(event)
    # Kept as written (the contract of `attributes`), found in any case and without the header's spaces.
    assert instance.participants[0].attributes == {"Gender": "f", "EMAIL": "anna@example.org"}
    assert [p.attribute("gender") for p in instance.participants] == ["f", "m", "f"]
    assert instance.participants[2].attribute("email") == "carla@example.org"
    assert instance.participants[0].attribute("phone") is None
    # Two rounds at T1 and T2 (3 seats each): Anna and Ben together in round 1, Anna and Carla in round 2.
    plan = {"rounds": [{"round": 1, "tables": [{"table": "T1", "participants": ["a", "b"]},
                                               {"table": "T2", "participants": ["c"]}]},
                       {"round": 2, "tables": [{"table": "T1", "participants": ["b"]},
                                               {"table": "T2", "participants": ["a", "c"]}]}]}  # fmt: skip
    plan_path = write(tmp_path / "plan.json", json.dumps(plan))
    rooms = tmp_path / "rooms"
    args = ["export", str(plan_path), "--instance", str(event), "--to", "breakout", "-o", str(rooms)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (rooms / "round-2.csv").read_text() == (
        "Pre-assign Room Name,Email Address\nT1,ben@example.org\nT2,anna@example.org\nT2,carla@example.org\n"
    )
